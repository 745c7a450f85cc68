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
import json
import os
import shutil
import stat
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from generator.errors import Diagnostic, PrintgenError
from generator.writer import read_regular, replace_file
from generator.i18n import N_, _

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
REPLACEMENTS = {"◼": "■", "◻": "□", "⬛": "■", "⬜": "□", "✓": "レ", "\u00a0": N_(" (a normal space)")}


def _font_error(face: Face, problem: str) -> PrintgenError:
    from generator.content import display_path  # (content imports this module)

    return PrintgenError.of(Diagnostic(display_path(face.path), None, "font",
                                       _("{problem}; restore the file from the printgen repository (see fonts/README.md)").format(problem=problem)))


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

    Cached on disk per font version: reading a CJK font with fontTools takes ~0.05 s, the
    cache a few ms, and every command needs the five faces' characters.
    """
    if not face.path.is_file():
        raise _font_error(face, _("the bundled font file is missing"))
    cached = cache_root() / "metrics" / f"{_font_key(face)}.json"
    try:
        units_per_em, codes, widths = json.loads(read_regular(cached) or b"")
        return units_per_em, dict(zip(codes, widths))
    except (ValueError, TypeError):
        pass
    units_per_em, widths = _read_advances(face)
    write_atomic(cached, json.dumps([units_per_em, list(widths), list(widths.values())]).encode())
    return units_per_em, widths


@functools.lru_cache(maxsize=None)
def charset(face: Face) -> frozenset[int]:
    """Code points the face has a glyph for."""
    return frozenset(advances(face)[1])


def _read_advances(face: Face) -> tuple[int, dict[int, int]]:
    from fontTools.ttLib import TTLibError

    try:
        # A truncated or damaged file is caught here, once per font version (the result is
        # cached), not halfway through a render.
        with _open_font(face.path, checked=True) as font:
            hmtx = font["hmtx"]
            widths = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
            units_per_em = font["head"].unitsPerEm
    except (TTLibError, OSError, AssertionError, KeyError, ValueError, TypeError, struct.error) as exc:
        raise _font_error(face, _("the bundled font file is damaged ({problem})").format(problem=exc or exc.__class__.__name__)) from None
    if not widths:
        raise _font_error(face, _("the bundled font file has no characters"))
    return units_per_em, widths


def write_atomic(path: Path, data: bytes) -> None:
    """Best effort: a cache that cannot be written (a full disk, no permission) only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        replace_file(path, data)
    except OSError:
        pass


def missing_faces(char: str) -> list[Face]:
    return [face for face in FACES if ord(char) not in charset(face)]


@functools.lru_cache(maxsize=None)
def common_charset() -> frozenset[int]:
    """Code points every bundled face has (one set lookup a character instead of five)."""
    return frozenset.intersection(*map(charset, FACES))


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
    everywhere = common_charset()
    for text, path, line, key in items:
        for index, char in enumerate(text):
            if not is_variation_selector(char):
                continue
            base = text[index - 1] if index else ""
            if (ord(base) if base else 0, ord(char)) not in common_sequences():
                what = _("{selector} after {base}").format(selector=describe_char(char), base=describe_char(base)) if base else describe_char(char)
                diagnostics.append(Diagnostic(path, line, key, _("the variation sequence {what} is not in the bundled fonts "
                                                                 "(the variant glyph is missing); remove the selector").format(what=what)))
        for char in dict.fromkeys(text):  # each character once, in order of appearance
            if ord(char) in everywhere or char in "\n\t" or is_variation_selector(char):
                continue
            faces = missing_faces(char)
            families = sorted({f.family for f in faces})
            fix = _("; use {other} instead").format(other=_(REPLACEMENTS[char])) if char in REPLACEMENTS else _("; replace it or remove it")
            diagnostics.append(Diagnostic(path, line, key, _("character {char} is not in the bundled fonts ({families})").format(
                char=describe_char(char), families=", ".join(families)) + fix))
    return diagnostics


def is_variation_selector(char: str) -> bool:
    """Whether ``char`` selects a variant of the character before it (VS1-16, IVS VS17-256)."""
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


@functools.lru_cache(maxsize=None)
def sequences(face: Face) -> frozenset[tuple[int, int]]:
    """``(base, selector)`` code points of every variation sequence the face maps (its
    format 14 cmap: standardised variants and IVS such as 葛 + U+E0100). Cached on disk."""
    cached = cache_root() / "metrics" / f"{_font_key(face)}.uvs.json"
    try:
        return frozenset(map(tuple, json.loads(read_regular(cached) or b"")))
    except (ValueError, TypeError):
        pass
    try:
        with _open_font(face.path) as font:
            table = font["cmap"].getcmap(0, 5)
            pairs = sorted((base, selector) for selector, entries in (table.uvsDict.items() if table else ())
                           for base, _ in entries)
    except Exception as exc:  # damaged: the same message as for the metrics
        raise _font_error(face, _("the bundled font file is damaged ({problem})").format(problem=exc or exc.__class__.__name__)) from None
    write_atomic(cached, json.dumps(pairs).encode())
    return frozenset(pairs)


@functools.lru_cache(maxsize=None)
def common_sequences() -> frozenset[tuple[int, int]]:
    """Variation sequences every bundled face maps."""
    return frozenset.intersection(*map(sequences, FACES))


# Characters always kept in the font subsets, whatever the content: printable ASCII and the
# Latin-1 letters, so page numbers, dates and codes typed later never miss a glyph.
ALWAYS_KEPT = "".join(map(chr, range(0x20, 0x7F))) + "".join(map(chr, range(0xA0, 0x100)))
# Bump when the subsets' bytes change, so older cached subsets are not used.
SUBSET_VERSION = "5"
# 和欧間 (see generator/render/typeset.py): stylistic sets that substitute the Latin letters,
# digits and % with glyphs carrying a quarter-em gap inside their advance width, so the gap
# shows on paper while text extractors see touching glyphs (no space in copied text).
# Tags the BIZ UD fonts do not use; value: gap (em) before and after the glyph.
WAKAN_GAP_EM = 0.25
WAKAN_FEATURES = {"ss18": (WAKAN_GAP_EM, 0.0), "ss19": (0.0, WAKAN_GAP_EM), "ss20": (WAKAN_GAP_EM, WAKAN_GAP_EM)}
WAKAN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%"
_render_font_dir: Path | None = None
_VERTICAL_FEATURES = {"valt", "vchw", "vert", "vhal", "vkrn", "vpal", "vrt2"}


def prepare_fonts(chars: Iterable[str]) -> Path:
    """Subset the bundled fonts to ``chars`` (cached on disk) and render with those subsets.

    WeasyPrint subsets every embedded font again; without the libharfbuzz-subset library
    (missing on fresh Debian machines) it does so with fontTools, which is slow on 5 MB CJK
    fonts (~0.3 s a face a document) and fast on a subset of a few hundred glyphs. The subsets
    keep the fonts' names and metrics, so output looks the same. Returns the folder used.
    """
    global _render_font_dir
    wanted = sorted(set("".join(chars)) | set(ALWAYS_KEPT))
    everywhere = common_charset()
    # (a variation selector is kept with its sequences: the subsets map base + selector too)
    wanted = [c for c in wanted if ord(c) in everywhere or is_variation_selector(c)]
    key = hashlib.sha1((SUBSET_VERSION + "|" + "".join(wanted) + "|" + "|".join(_font_key(f) for f in FACES)).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    folder = cache_root() / "subsets" / key
    if folder.is_symlink() or not all(_intact(folder / face.file) for face in FACES):
        # A damaged cached subset would make fontconfig fall back to another face, silently.
        if folder.is_symlink():
            folder.unlink()  # the link only
        shutil.rmtree(folder, ignore_errors=True)
        try:
            folder = _make_subsets(folder, [ord(c) for c in wanted])
        except OSError:  # the cache's disk is full or read-only: a private temporary folder
            folder = _make_subsets(Path(tempfile.mkdtemp(prefix="printgen-subsets-")) / key, [ord(c) for c in wanted])
    _render_font_dir = folder
    return folder


def _open_font(path: Path, checked: bool = False):
    """The font at ``path`` (a lazy TTFont), with ``checked`` every table read and matched
    against its checksum (raises if one is damaged).

    The bundled fonts store no glyph names (post format 3): fontTools would make them up from
    the cmap on first use, ~0.03 s a face for reading metrics and for subsetting, 0.3 s of a
    first run. Glyphs are named by id instead; subsets keep no names, so their bytes are the same.
    Saved, the font keeps its own date (not the time it was saved): a subset is the same bytes,
    and so are the PDFs that embed it, whenever and wherever it is made.
    """
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True, checkChecksums=2 if checked else 0, recalcTimestamp=False)
    try:
        if checked:
            for tag in font.keys():
                if tag != "GlyphOrder":
                    font.getTableData(tag)
        if font["post"].formatType == 3:
            font.setGlyphOrder([".notdef"] + [f"glyph{gid:05d}" for gid in range(1, font["maxp"].numGlyphs)])
    except BaseException:
        font.close()
        raise
    return font


def _intact(path: Path) -> bool:
    """Whether ``path`` is an undamaged font file (a few ms for a subset), itself a regular
    file (not a link or a FIFO, which would be followed or block)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        _open_font(path, checked=True).close()
        return True
    except Exception:  # missing, truncated, not a font: any reason to make it again
        return False


def _make_subsets(folder: Path, codes: list[int]) -> Path:
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".subset-", dir=folder.parent))
    except OSError:
        work = folder = Path(tempfile.mkdtemp(prefix="printgen-subset-"))
    options = _subset_options()
    try:
        for face in FACES:
            _subset_face(face, codes, options).save(work / face.file)
    except BaseException:  # (a full disk: said by the caller) no half-made folder is left
        shutil.rmtree(work, ignore_errors=True)
        raise
    if work != folder:
        try:
            os.replace(work, folder)
        except OSError:  # another process made it first
            shutil.rmtree(work, ignore_errors=True)
    return folder


def _subset_options():
    from fontTools import subset

    options = subset.Options()
    # fontTools' default features less the vertical ones: what horizontal Japanese needs
    # (WeasyPrint sets no vertical text). '*' would pull in every vertical, width and old-form
    # alternate glyph; each glyph kept costs bytes in every PDF and time in every subsetting.
    options.layout_features = [tag for tag in options.layout_features if tag not in _VERTICAL_FEATURES]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # screen hinting is useless in PDF and print; dropping it halves the size
    options.drop_tables += ["meta", "DSIG", "vhea", "vmtx", "VORG"]
    return options


def _subset_face(face: Face, codes: list[int], options):
    """The TTFont of ``face`` subset to ``codes``, with :func:`add_wakan_alternates`."""
    from fontTools import subset

    font = _open_font(face.path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    add_wakan_alternates(font)
    return font


def add_wakan_alternates(font) -> None:
    """Add to ``font`` (a TrueType TTFont with GSUB, no vertical metrics) the :data:`WAKAN_FEATURES`.

    Each alternate is a composite of the original glyph, shifted right by the gap before and
    widened by both gaps; the font's existing features are kept.
    """
    from fontTools.otlLib.builder import buildLookup, buildSingleSubstSubtable
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables import otTables

    cmap = font.getBestCmap()
    upem = font["head"].unitsPerEm
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    gsub = font["GSUB"].table
    features = [(record.FeatureTag, record.Feature) for record in gsub.FeatureList.FeatureRecord]
    for n, (tag, (before, after)) in enumerate(WAKAN_FEATURES.items()):
        shift, extra = round(before * upem), round((before + after) * upem)
        mapping = {}
        for char in WAKAN_CHARS:
            base = cmap.get(ord(char))
            if base is None:
                continue
            name = mapping[base] = f"wakan{n}.{base}"
            pen = TTGlyphPen(glyf)
            pen.addComponent(base, (1, 0, 0, 1, shift, 0))
            glyf.glyphs[name] = pen.glyph()
            advance, lsb = hmtx[base]
            hmtx[name] = (advance + extra, lsb + shift)
            order.append(name)
        gsub.LookupList.Lookup.append(buildLookup([buildSingleSubstSubtable(mapping)]))
        feature = otTables.Feature()
        feature.FeatureParams = None
        feature.LookupListIndex = [len(gsub.LookupList.Lookup) - 1]
        feature.LookupCount = 1
        features.append((tag, feature))
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)
    # FeatureRecords stay sorted by tag (the OpenType rule): renumber the languages' indices.
    ranked = sorted(range(len(features)), key=lambda i: features[i][0])
    new_index = {old: new for new, old in enumerate(ranked)}
    records = []
    for old in ranked:
        record = otTables.FeatureRecord()
        record.FeatureTag, record.Feature = features[old]
        records.append(record)
    gsub.FeatureList.FeatureRecord = records
    gsub.FeatureList.FeatureCount = len(records)
    added = [new_index[i] for i in range(len(features) - len(WAKAN_FEATURES), len(features))]
    for script in gsub.ScriptList.ScriptRecord:
        for lang in [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]:
            if lang is None:
                continue
            lang.FeatureIndex = sorted([new_index[i] for i in lang.FeatureIndex] + added)
            lang.FeatureCount = len(lang.FeatureIndex)
            if lang.ReqFeatureIndex != 0xFFFF:
                lang.ReqFeatureIndex = new_index[lang.ReqFeatureIndex]


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
    if read_regular(conf) == body.encode("utf-8"):
        return conf
    write_atomic(conf, body.encode("utf-8"))
    if not conf.is_file():  # read-only home: a private temporary configuration
        conf = Path(tempfile.mkdtemp(prefix="printgen-fc-")) / "fonts.conf"
        conf.write_text(body, encoding="utf-8")
    return conf


def use_subsets(folder: Path) -> None:
    """Render with the font subsets in ``folder`` (made by :func:`prepare_fonts`, maybe in
    another process): fontconfig is pointed at it (see :func:`use_bundled_fonts_only`)."""
    global _render_font_dir
    _render_font_dir = folder
    use_bundled_fonts_only()


def wakan_available() -> bool:
    """Whether the fonts in use draw 和欧間 (:data:`WAKAN_FEATURES`): the subsets do, the whole
    fonts in fonts/ (a material printing a roster's names) do not."""
    return _render_font_dir is not None and _render_font_dir != FONTS_DIR


def use_bundled_fonts_only() -> None:
    """Make fontconfig (and so Pango and WeasyPrint) see only the bundled fonts.

    Uses the subsets made by :func:`prepare_fonts` when it ran, else the full fonts in fonts/.
    Must run before WeasyPrint is imported, and again before its FontConfiguration is made
    when the folder changed: each FontConfiguration reads FONTCONFIG_FILE when it is made.
    """
    os.environ["FONTCONFIG_FILE"] = str(fontconfig_file(_render_font_dir or FONTS_DIR))


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
