"""The bundled fonts: their files, their names, glyph coverage, and isolating fontconfig.

All rendering uses only the fonts in ``fonts/``. WeasyPrint finds fonts through fontconfig,
whose fallback would otherwise take any glyph it lacks from any font installed on the
machine; :func:`use_bundled_fonts_only` points fontconfig at a configuration that knows
only ``fonts/``, so output is the same everywhere and a missing glyph cannot silently come
from a system font. :func:`check_glyphs` catches missing glyphs before rendering.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.errors import Diagnostic, PrintgenError

PROJECT_DIR = Path(__file__).resolve().parent.parent
FONTS_DIR = PROJECT_DIR / "fonts"


@dataclass(frozen=True)
class Face:
    """One bundled font file. ``family`` is the font's own family name (CSS and PowerPoint)."""

    family: str
    weight: int
    file: str

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.file


MINCHO = "BIZ UDMincho"
GOTHIC = "BIZ UDGothic"
PGOTHIC = "BIZ UDPGothic"

FACES = (
    Face(MINCHO, 400, "BIZUDMincho-Regular.ttf"),
    Face(GOTHIC, 400, "BIZUDGothic-Regular.ttf"),
    Face(GOTHIC, 700, "BIZUDGothic-Bold.ttf"),
    Face(PGOTHIC, 400, "BIZUDPGothic-Regular.ttf"),
    Face(PGOTHIC, 700, "BIZUDPGothic-Bold.ttf"),
)

# Look-alikes to suggest when a character is missing from the fonts.
REPLACEMENTS = {"◼": "■", "◻": "□", "⬛": "■", "⬜": "□", "✓": "レ", "\u00a0": " (a normal space)"}


def _font_error(face: Face, problem: str) -> PrintgenError:
    return PrintgenError(f"{face.path}: error: font: {problem}; restore the file from the printgen repository (see fonts/README.md)")


@functools.lru_cache(maxsize=None)
def charset(face: Face) -> frozenset[int]:
    """Code points the face has a glyph for."""
    from fontTools.ttLib import TTFont, TTLibError

    if not face.path.is_file():
        raise _font_error(face, "the bundled font file is missing")
    try:
        with TTFont(face.path, lazy=True) as font:
            return frozenset(font.getBestCmap())
    except (TTLibError, OSError, AssertionError, KeyError, ValueError, TypeError) as exc:
        raise _font_error(face, f"the bundled font file is damaged ({exc.__class__.__name__})") from None


def check_faces() -> None:
    """Raise :class:`PrintgenError` if a bundled font file is missing or damaged."""
    for face in FACES:
        charset(face)


def missing_faces(char: str) -> list[Face]:
    return [face for face in FACES if ord(char) not in charset(face)]


def describe_char(char: str) -> str:
    name = unicodedata.name(char, "")
    shown = char if char.isprintable() else repr(char)[1:-1]
    return f"'{shown}' (U+{ord(char):04X}{' ' + name if name else ''})"


def check_glyphs(items: Iterable[tuple[str, str, int | None, str]]) -> list[Diagnostic]:
    """One diagnostic per missing character per text.

    ``items`` yields ``(text, path, line, key)``. Every bundled face must have every
    character, since any text may be set in any of them (body, headings, slides).
    """
    diagnostics = []
    for text, path, line, key in items:
        reported = set()
        for char in text:
            if char in reported or char in "\n\t":
                continue
            faces = missing_faces(char)
            if not faces:
                continue
            reported.add(char)
            families = sorted({f.family for f in faces})
            fix = f"; use {REPLACEMENTS[char]} instead" if char in REPLACEMENTS else "; replace it or remove it"
            diagnostics.append(Diagnostic(path, line, key, f"character {describe_char(char)} is not in the bundled fonts ({', '.join(families)}){fix}"))
    return diagnostics


def fontconfig_file() -> Path:
    """A fontconfig configuration that sees only ``fonts/`` (written once per fonts folder)."""
    cache_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "printgen"
    tag = hashlib.sha1(str(FONTS_DIR).encode()).hexdigest()[:12]
    conf = cache_root / f"fonts-{tag}.conf"
    body = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{_xml(str(FONTS_DIR))}</dir>\n"
        f"  <cachedir>{_xml(str(cache_root / 'fontconfig'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    try:
        if not conf.is_file() or conf.read_text(encoding="utf-8") != body:
            conf.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=conf.parent, delete=False, suffix=".tmp") as tmp:
                tmp.write(body)
            os.replace(tmp.name, conf)
    except OSError:  # read-only home: fall back to a private temporary folder
        cache_root = Path(tempfile.mkdtemp(prefix="printgen-fc-"))
        conf = cache_root / "fonts.conf"
        conf.write_text(body.replace(str(Path.home() / ".cache" / "printgen"), str(cache_root)), encoding="utf-8")
    return conf


def use_bundled_fonts_only() -> None:
    """Make fontconfig (and so Pango and WeasyPrint) see only the bundled fonts.

    Must run before WeasyPrint is imported: fontconfig reads FONTCONFIG_FILE once, when it
    first initialises.
    """
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file())


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
