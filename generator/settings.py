"""printgen.toml: the project's settings, one table per material.

```toml
[cards]
paper = "A4"

[deck]
template = "our-template.pptx"   # relative to this file's folder
```

The keys of each table are the options its renderer declares (:attr:`Renderer.options`), so
printgen.toml takes exactly what the command line takes. A missing file means the defaults;
every problem is reported at once as ``printgen.toml:LINE: error: TABLE.KEY: message``.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ContentError, Diagnostic
from generator.i18n import _

SETTINGS_FILE = "printgen.toml"
MAX_SETTINGS_BYTES = 100_000


@dataclass(frozen=True)
class Project:
    """A printgen project: the content folder and the settings file beside it."""

    content_dir: Path
    settings_path: Path

    @classmethod
    def at(cls, content_dir: Path) -> "Project":
        """The project whose content is ``content_dir``; its printgen.toml is in the folder
        that holds the content folder (the project root, as mkdocs.yml beside docs/)."""
        content_dir = Path(content_dir)
        return cls(content_dir, content_dir.absolute().parent / SETTINGS_FILE)


def load_settings(path: Path, registry: dict) -> dict[str, dict[str, Any]]:
    """``{material: {option: value}}`` from the settings file at ``path`` (``{}`` when there
    is none), each value converted by its :class:`~generator.render.Option`.

    Raises :class:`ContentError` with every problem: syntax, an unknown table or key (with a
    suggestion), a value the option does not take (saying what it takes)."""
    from generator.content import display_path
    from generator.render import OptionError

    path = Path(path)
    shown = display_path(path)
    try:
        if not path.exists():
            return {}
        if not path.is_file():
            raise ContentError([Diagnostic(shown, None, "settings", _("not a file"))])
        data = path.read_bytes()[: MAX_SETTINGS_BYTES + 1]
    except OSError as exc:
        raise ContentError([Diagnostic(shown, None, "settings", _("cannot read the file ({problem})").format(problem=exc.strerror or exc))]) from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise ContentError([Diagnostic(shown, None, "settings", _("the file is larger than {most:,} bytes").format(most=MAX_SETTINGS_BYTES))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError([Diagnostic(shown, line, "settings", _("not UTF-8 text; save the file as UTF-8"))]) from None
    try:
        tables = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        problem = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", message)
        raise ContentError([Diagnostic(shown, int(found[1]) if found else None, "settings", _("not valid TOML: {problem}").format(problem=problem))]) from None

    lines = _key_lines(text)
    problems: list[Diagnostic] = []
    settings: dict[str, dict[str, Any]] = {}
    for material, values in tables.items():
        if material not in registry:
            hint = _suggestion(material, registry)
            problems.append(Diagnostic(shown, lines.get((material,)), material,
                                       _("unknown material{hint} (the tables are: {tables})").format(hint=hint, tables=", ".join(f"[{m}]" for m in registry))))
            continue
        if not isinstance(values, dict):
            problems.append(Diagnostic(shown, lines.get((material,)), material,
                                       _("expected a table [{material}] of options, found a single value").format(material=material)))
            continue
        options = {o.name: o for o in registry[material].options}
        settings[material] = {}
        for key, value in values.items():
            line = lines.get((material, key), lines.get((material,)))
            where = f"{material}.{key}"
            if key not in options:
                hint = _suggestion(key, options)
                problems.append(Diagnostic(shown, line, where, _("unknown option{hint} (the options of [{material}] are: {options})").format(hint=hint, material=material, options=", ".join(options))))
                continue
            try:
                settings[material][key] = options[key].convert(value, path.parent)
            except OptionError as exc:
                problems.append(Diagnostic(shown, line, where, str(exc)))
        if not any(p.key.startswith(f"{material}.") for p in problems):
            cls = registry[material]
            try:  # a combination of values the renderer refuses (see Renderer.check_settings)
                cls.check_settings({o.name: o.default for o in cls.options} | settings[material])
            except OptionError as exc:
                key = exc.option if exc.option in values else next(iter(values), "")
                line = lines.get((material, key), lines.get((material,)))
                problems.append(Diagnostic(shown, line, f"{material}.{key}" if key else material, str(exc)))
    if problems:
        raise ContentError(problems)
    return settings


def _suggestion(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return _("; did you mean '{name}'?").format(name=close[0]) if close else ""


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*=")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of each table header and key, as ``{(table,): line, (table, key): line}``
    (tomllib keeps no positions). Dotted keys (``cards.paper = …``) count as in their table."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), 1):
        if m := _TABLE.match(line):
            table = (m[1],)
            lines.setdefault(table, number)
        elif m := _KEY.match(line):
            key = (*table, *m[1].split("."))
            for n in range(1, len(key) + 1):
                lines.setdefault(key[:n], number)
    return lines
