"""Renderers: each turns the content model and its options into files (artifacts).

A renderer is a :class:`Renderer` subclass in a module of this package, registered by name
with :func:`register`. It declares its options once (:attr:`Renderer.options`); the command
line (``printgen NAME --OPTION``) and the settings file (``[NAME]`` in printgen.toml) are made
from that declaration. A renderer knows nothing of processes, caches or the output folder:
it returns :class:`Artifact` objects, and the build writes them.

Adding an output kind is one module here (with ``@register``) and one folder under
templates/; see docs/development-notes.md.
"""

from __future__ import annotations

import math
from generator.i18n import _, ngettext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # not at run time: the CLI imports this module for the material names
    from generator.model import Content


@dataclass(frozen=True)
class Artifact:
    """One file a renderer made: its name under the output folder, bytes, and what it holds."""

    name: str
    data: bytes
    pages: int | None = None  # pages or slides
    kind: str = "pages"  # "pages" or "slides"
    note: str = ""  # one line for the build summary (e.g. a compromise the renderer made)

    @property
    def count(self) -> str:
        """``"11 pages"``, ``"1 slide"``, or ``""`` when not counted."""
        if self.pages is None:
            return ""
        if self.kind == "slides":
            return ngettext("{count} slide", "{count} slides", self.pages).format(count=self.pages)
        return ngettext("{count} page", "{count} pages", self.pages).format(count=self.pages)


class OptionError(ValueError):
    """A value an :class:`Option` does not accept; the message says what it accepts.
    ``option``: the option's name, when the error comes from a combination of options."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class Option:
    """One option of a renderer, declared once for the command line and printgen.toml.

    ``kind``: ``"choice"`` (one of ``choices``, any case), ``"flag"`` (true/false),
    ``"number"`` (a finite number in ``low``…``high``), ``"file"`` (an existing file; in
    printgen.toml relative to the file's folder) or ``"text"`` (a string of at most ``high``
    characters, NFC, no control characters but line breaks). ``default`` is used when neither
    gives one.
    """

    name: str  # the key in printgen.toml; on the command line --name with - for _
    kind: str
    help: str
    default: Any = None
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    metavar: str | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def convert(self, value: Any, base_dir: Path | None = None) -> Any:
        """``value`` as this option holds it (a choice in its declared spelling, a float, a
        Path); raises :class:`OptionError` saying what is accepted."""
        if value is None:
            return None
        if self.kind == "choice":
            if isinstance(value, str):
                for choice in self.choices:
                    if value.casefold() == choice.casefold():
                        return choice
            raise OptionError(_("expected one of {choices}, found {found}").format(choices=", ".join(self.choices), found=_shown(value)))
        if self.kind == "flag":
            if isinstance(value, bool):
                return value
            raise OptionError(_("expected true or false, found {found}").format(found=_shown(value)))
        if self.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise OptionError(_("expected a number from {low:g} to {high:g}, found {found}").format(low=self.low, high=self.high, found=_shown(value)))
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                raise OptionError(_("expected a number from {low:g} to {high:g}, found {found:g}").format(low=self.low, high=self.high, found=value))
            return float(value)
        if self.kind == "file":
            if not isinstance(value, (str, Path)) or not str(value):
                raise OptionError(_("expected the path of a file, found {found}").format(found=_shown(value)))
            path = Path(value)
            if base_dir is not None and not path.is_absolute():
                path = base_dir / path
            if not path.is_file():
                raise OptionError((_("file '{value}' not found") if not path.exists() else _("'{value}' is not a file")).format(value=value))
            return path
        if self.kind == "text":
            if not isinstance(value, str):
                raise OptionError(_("expected text in quotes, found {found}").format(found=_shown(value)))
            import unicodedata

            most = int(self.high or 1000)
            text = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
            if len(text) > most:
                raise OptionError(_("too long ({chars} characters); at most {most}").format(chars=len(text), most=most))
            bad = next((c for c in text if unicodedata.category(c) == "Cc" and c != "\n"), None)
            if bad is not None:
                raise OptionError(_("a control character (U+{code:04X}) in the text; remove it").format(code=ord(bad)))
            return text
        raise TypeError(f"unknown option kind {self.kind!r}")


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (list, dict)):
        return _("a list") if isinstance(value, list) else _("a table")
    return str(value)


class Renderer:
    """Base class. Subclasses set ``name``, ``description`` and ``options`` and implement
    :meth:`render`.

    ``self.settings`` holds every declared option's value (its default when not given).
    :meth:`render` must depend only on the content, the settings and the files under its
    ``template_dirs`` (the build's fingerprint covers exactly those), and must raise
    :class:`~generator.errors.PrintgenError` for problems the user can fix.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()
    # What the material is made from, for incremental builds: the content files it reads
    # (by default all of them) and its folders under templates/ (default: its name).
    content_files: ClassVar[tuple[str, ...] | None] = None
    template_dirs: ClassVar[tuple[str, ...] | None] = None
    # The parts of the content this material cannot be made without ("messages", "viewpoints",
    # "introduction", "encouragement"): the build skips it, with a note, when one is left out.
    requires: ClassVar[tuple[str, ...]] = ()
    # True for a material that prints text from outside the content (a roster's names): it is
    # rendered with the whole bundled fonts, never with the content's cached font subsets, so
    # nothing derived from that text is kept in printgen's cache (see docs/kit.md).
    private_text: ClassVar[bool] = False

    def __init__(self, settings: dict[str, Any] | None = None):
        given = dict(settings or {})
        unknown = set(given) - {o.name for o in self.options}
        if unknown:
            raise TypeError(f"{self.name}: unknown options {sorted(unknown)}")
        self.settings = {o.name: given.get(o.name, o.default) for o in self.options}

    @classmethod
    def check_settings(cls, settings: dict[str, Any]) -> None:
        """Refuse a combination of option values (each already converted; missing ones are
        their defaults): raise :class:`OptionError` naming the option to change. The command
        line (exit 2) and printgen.toml (file:line) call it before anything renders."""

    def not_made(self) -> str | None:
        """Why this material is not made with its settings (the kit without a roster), or
        None. ``build`` skips it with this note; the material's own command refuses to run."""
        return None

    def render(self, content: Content) -> list[Artifact]:
        """The files of this material."""
        raise NotImplementedError


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    """Class decorator: make ``cls`` a material (``printgen NAME``, ``build --only NAME``)."""
    REGISTRY[cls.name] = cls
    return cls


def load_renderers() -> dict[str, type[Renderer]]:
    """Import every module of this package (helpers register nothing); the registry, in
    build order: the modules' ``ORDER`` (a number, default 100), then their names. Modules
    import WeasyPrint and python-pptx only when they render, so this is cheap."""
    import importlib
    import pkgutil

    modules = []
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            modules.append((getattr(module, "ORDER", 100), info.name, module))
    order = {}
    for _order, _name, module in sorted(modules, key=lambda m: m[:2]):
        for cls in REGISTRY.values():
            if cls.__module__ == module.__name__:
                order[cls.name] = cls
    return order


def import_libraries() -> None:
    """Import the libraries the renderers use (WeasyPrint, set up as :mod:`.pdf` does): a
    build's worker processes do it while the content loads."""
    from generator.render.pdf import weasyprint

    weasyprint()
