"""The one error family printgen raises for problems a user can fix.

Anything else that escapes is a bug in printgen and keeps its traceback (shown with -v).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import click

EXIT_OK = 0
EXIT_FAILURE = 1  # content or render problem
EXIT_USAGE = 2  # command-line problem (click's own code for UsageError)


@dataclass(frozen=True)
class Diagnostic:
    """One problem, printed as ``path:line: error: key.path: message``."""

    path: str
    line: int | None
    key: str
    message: str
    severity: str = "error"
    # A spreadsheet's row rather than a text file's line: printed as people who keep rosters in
    # Excel read it, ``名簿.xlsx: 行 12: 氏名: …`` (``roster.xlsx: row 12: 氏名: …``).
    row: bool = False

    def __str__(self) -> str:
        from generator.i18n import _, language

        key = _japanese_key(self.key) if language() == "ja" else self.key
        if self.row and self.line is not None:
            return f"{self.path}: " + _("row {number}").format(number=self.line) + f": {key}: {self.message}"
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        severity = {"error": _("error"), "warning": _("warning"), "note": _("note")}.get(self.severity, self.severity)
        return f"{where}: {severity}: {key}: {self.message}"

    @classmethod
    def at(cls, source, message: str, key: str | None = None) -> "Diagnostic":
        """A problem with the value read at ``source`` (a :class:`~generator.model.Source`)."""
        return cls(source.path, source.line, source.key if key is None else key, message)


# The content's lists, as a Japanese reader names their items (「3番目のメッセージ」).
_LIST_NOUNS = {"messages": "メッセージ", "viewpoints": "視点", "points": "ポイント", "sections": "節",
               "paragraphs": "段落", "opening": "冒頭の段落", "corrections": "訂正", "title_lines": "タイトルの行"}
_ITEM = re.compile(r"([A-Za-z_]+)\[(\d+)\]")


def _japanese_key(key: str) -> str:
    """``messages[2].title`` as 「3番目のメッセージの title」: items counted from 1."""
    if "[" not in key:
        return key
    out = ""
    for part in key.split("."):
        item = _ITEM.fullmatch(part)
        part = f"{int(item[2]) + 1}番目の{_LIST_NOUNS.get(item[1], item[1])}" if item else part
        out += ("" if not out else "の " if part.isascii() else "の") + part
    return out


class PrintgenError(click.ClickException):
    """A problem the user can fix; printed without a traceback, exit 1."""

    exit_code = EXIT_FAILURE

    def format_message(self) -> str:
        return self.message

    @staticmethod
    def of(*diagnostics: Diagnostic) -> "ContentError":
        """The error that reports ``diagnostics`` (every one, in order)."""
        return ContentError(list(diagnostics))

    def show(self, file=None) -> None:
        click.echo(self.format_message(), file=file, err=True)


class ContentError(PrintgenError):
    """One or more problems in content/ (or templates/), all reported together."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
