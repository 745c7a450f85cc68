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
import shutil
import struct
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


def cache_root() -> Path:
    """printgen's cache folder (fontconfig configuration, font metrics, font subsets)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "printgen"


def _font_key(face: Face) -> str:
    """Identifies the font file's version: a changed or replaced file gets a new key."""
    stat = face.path.stat()
    return hashlib.sha1(f"{face.file}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def advances(face: Face) -> tuple[int, dict[int, int]]:
    """``(units per em, {code point: advance width})`` for every character the face has.

    Cached on disk: reading a CJK font's cmap and hmtx takes 0.1-0.2 s, the cache ~1 ms.
    """
    if not face.path.is_file():
        raise _font_error(face, "the bundled font file is missing")
    cached = cache_root() / "metrics" / f"{_font_key(face)}.bin"
    try:
        return _unpack_advances(cached.read_bytes())
    except (OSError, ValueError, struct.error):
        pass
    units_per_em, widths = _read_advances(face)
    _write_atomic(cached, _pack_advances(units_per_em, widths))
    return units_per_em, widths


@functools.lru_cache(maxsize=None)
def charset(face: Face) -> frozenset[int]:
    """Code points the face has a glyph for."""
    return frozenset(advances(face)[1])


def _read_advances(face: Face) -> tuple[int, dict[int, int]]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(face.path, lazy=True) as font:
            hmtx = font["hmtx"]
            widths = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
            units_per_em = font["head"].unitsPerEm
    except (TTLibError, OSError, AssertionError, KeyError, ValueError, TypeError, struct.error) as exc:
        raise _font_error(face, f"the bundled font file is damaged ({exc.__class__.__name__})") from None
    if not widths:
        raise _font_error(face, "the bundled font file has no characters")
    return units_per_em, widths


_ADVANCES_HEADER = struct.Struct("<4sHI")  # magic, units per em, count; then code points, advances


def _pack_advances(units_per_em: int, widths: dict[int, int]) -> bytes:
    codes = sorted(widths)
    return (_ADVANCES_HEADER.pack(b"pgm1", units_per_em, len(codes))
            + struct.pack(f"<{len(codes)}I", *codes) + struct.pack(f"<{len(codes)}H", *(widths[c] for c in codes)))


def _unpack_advances(data: bytes) -> tuple[int, dict[int, int]]:
    magic, units_per_em, count = _ADVANCES_HEADER.unpack_from(data)
    if magic != b"pgm1" or len(data) != _ADVANCES_HEADER.size + 6 * count or not count:
        raise ValueError("not a printgen metrics file")
    codes = struct.unpack_from(f"<{count}I", data, _ADVANCES_HEADER.size)
    widths = struct.unpack_from(f"<{count}H", data, _ADVANCES_HEADER.size + 4 * count)
    return units_per_em, dict(zip(codes, widths))


def _write_atomic(path: Path, data: bytes) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    except OSError:
        pass


@functools.lru_cache(maxsize=None)  # the content repeats a few hundred characters ~10,000 times
def missing_faces(char: str) -> tuple[Face, ...]:
    return tuple(face for face in FACES if ord(char) not in charset(face))


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


# Characters always kept in the font subsets, whatever the content: printable ASCII and the
# Latin-1 letters, so page numbers, dates and codes typed later never miss a glyph.
ALWAYS_KEPT = "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0xA0, 0x100)))
# Bump when the subsetting options change, so older cached subsets are not used.
SUBSET_VERSION = "2"
_render_font_dir: Path | None = None


def prepare_fonts(chars: Iterable[str]) -> Path:
    """Subset the bundled fonts to ``chars`` (cached on disk) and render with those subsets.

    WeasyPrint subsets every embedded font again; without the libharfbuzz-subset library
    (missing on fresh Debian machines) it does so with fontTools, which is slow on 5 MB CJK
    fonts (~0.3 s a face a document) and fast on a subset of a few hundred glyphs. The subsets
    keep the fonts' names and metrics, so output looks the same. Returns the folder used.
    """
    global _render_font_dir
    wanted = sorted(set("".join(chars)) | set(ALWAYS_KEPT))
    wanted = [c for c in wanted if all(ord(c) in charset(face) for face in FACES)]
    key = hashlib.sha1((SUBSET_VERSION + "|" + "".join(wanted) + "|" + "|".join(_font_key(f) for f in FACES)).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    folder = cache_root() / "subsets" / key
    if not all((folder / face.file).is_file() for face in FACES):
        folder = _make_subsets(folder, [ord(c) for c in wanted])
    _render_font_dir = folder
    return folder


def _make_subsets(folder: Path, codes: list[int]) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    # fontTools' default features: what horizontal Japanese needs; '*' would pull in every
    # vertical, width and old-form alternate glyph and slow down every later subsetting.
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screen hinting is useless in PDF and print; dropping it halves the size
    options.drop_tables += ["meta", "DSIG"]
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".subset-", dir=folder.parent))
    except OSError:
        work = Path(tempfile.mkdtemp(prefix="printgen-subset-"))
        folder = work
    for face in FACES:
        font = TTFont(face.path)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)
        font.save(work / face.file)
    if work != folder:
        try:
            os.replace(work, folder)
        except OSError:  # another process made it first
            shutil.rmtree(work, ignore_errors=True)
    return folder


def fontconfig_file(font_dir: Path) -> Path:
    """A fontconfig configuration that sees only ``font_dir`` (written once per folder)."""
    root = cache_root()
    tag = hashlib.sha1(str(font_dir).encode()).hexdigest()[:12]
    conf = root / f"fonts-{tag}.conf"
    body = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{_xml(str(font_dir))}</dir>\n"
        f"  <cachedir>{_xml(str(root / 'fontconfig'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    try:
        if conf.read_text(encoding="utf-8") == body:
            return conf
    except OSError:
        pass
    _write_atomic(conf, body.encode("utf-8"))
    if not conf.is_file():  # read-only home: a private temporary configuration
        conf = Path(tempfile.mkdtemp(prefix="printgen-fc-")) / "fonts.conf"
        conf.write_text(body, encoding="utf-8")
    return conf


def use_bundled_fonts_only() -> None:
    """Make fontconfig (and so Pango and WeasyPrint) see only the bundled fonts.

    Uses the subsets made by :func:`prepare_fonts` when it ran, else the full fonts in fonts/.
    Must run before WeasyPrint is imported: fontconfig reads FONTCONFIG_FILE once, when it
    first initialises.
    """
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(_render_font_dir or FONTS_DIR))


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
