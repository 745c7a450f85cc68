"""The one error family printgen raises for problems a user can fix.

Anything else that escapes is a bug in printgen and keeps its traceback (shown with -v).
"""

from __future__ import annotations

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

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.severity}: {self.key}: {self.message}"

    @classmethod
    def at(cls, source, message: str, key: str | None = None) -> "Diagnostic":
        """A problem with the value read at ``source`` (a :class:`~generator.model.Source`)."""
        return cls(source.path, source.line, source.key if key is None else key, message)


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
