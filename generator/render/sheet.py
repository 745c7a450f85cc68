"""What cards and posters share: paper, print-shop options, colour themes, measured type, rendering.

Big-type materials are laid out here, not by WeasyPrint's line breaker: every line is chosen
in Python (phrase breaks, :mod:`generator.render.phrases`) and measured with the bundled
fonts' own advance widths (BIZ UD has no kerning or GPOS, so the sum of advances is exactly
what Pango sets). That makes auto-fit a cheap calculation instead of repeated layouts, and one
WeasyPrint document holds every card. After layout, :func:`render_sheets` checks WeasyPrint's
boxes against the safe area, so a measurement that disagrees with the real layout is a loud
error, never a clipped line.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable, ClassVar, TypeVar

from markupsafe import Markup

T = TypeVar("T")

from generator.fonts import GOTHIC, PGOTHIC, Face, FACES
from generator.i18n import _
from generator.model import ID_MAX, ID_PATTERN, Content, Text
from generator.render import Artifact, Option, OptionError, Renderer
from generator.render.compose import COMPOSE_CSS, Column, TextTooWide, compose_lines, line_width, set_lines
from generator.render.measure import has_widow
from generator.render.phrases import balance
from generator.render.typeset import TYPESET_CSS

from generator.render.style import PAPER_SIZES, PT_PER_MM, THEMES, Theme, css_colour

# Japanese トンボ sit in a slug outside the bleed: lines this long, starting at the bleed edge.
MARK_LENGTH_MM = 10.0
SLUG_MM = MARK_LENGTH_MM + 2.0
MAX_BLEED_MM = 20.0
PRINT_SHOP_BLEED_MM = 3.0
# Office printers cannot print the outer 3-5 mm of a sheet: without bleed nothing is printed there.
OFFICE_MARGIN_MM = 5.0
MARK_STROKE = 0.25  # pt: hairline trim marks, as print shops draw them
# Sheets an office printer takes, for imposing cards (--sheet) and tiling the poster (--tile).
OFFICE_SHEETS = ("A4", "A3")


def sheet_options(papers: tuple[str, ...], default_theme: str = "ai") -> tuple[Option, ...]:
    """The options every sheet material takes; ``papers``: its sizes, the default first."""
    return (
        Option("paper", "choice", _("Paper size, portrait unless --landscape (B sizes are JIS B, e.g. B2 = 515 x 728 mm)."),
               default=papers[0], choices=papers),
        Option("landscape", "flag", _("Landscape instead of portrait."), default=False),
        Option("bleed", "number", _("Extend backgrounds MM mm past the trim for a print shop (TrimBox and BleedBox set). "
                                    "Default: {bleed:g} with --print-shop, else 0 (and nothing printed within {margin:g} mm "
                                    "of the sheet's edge, which office printers cannot print).").format(
                   bleed=PRINT_SHOP_BLEED_MM, margin=OFFICE_MARGIN_MM),
               default=None, low=0, high=MAX_BLEED_MM, metavar="MM"),
        Option("crop_marks", "flag", _("Add Japanese trim marks (トンボ: corner and centre marks) outside the trim and bleed."),
               default=False),
        Option("print_shop", "flag", _("For a print shop: PDF/X-4, CMYK colours, black text in K only, {bleed:g} mm bleed "
                                       "unless --bleed, トンボ.").format(bleed=PRINT_SHOP_BLEED_MM), default=False),
        Option("theme", "choice", _("Colour theme: {themes}.").format(themes="; ".join(f"{t.name}: {_(t.description)}" for t in THEMES.values())),
               default=default_theme, choices=tuple(THEMES)),
    )


def check_print_settings(settings: dict) -> None:
    """Cross-option checks every sheet material shares (see :meth:`Renderer.check_settings`)."""
    if settings.get("print_shop") and settings.get("bleed") == 0:
        raise OptionError(_("--print-shop needs a bleed; leave --bleed out (3 mm) or give more than 0"), "bleed")


@dataclass(frozen=True)
class PrintOptions:
    """The options every sheet material takes (``paper``, ``landscape``, ``bleed``, …)."""

    paper: str
    landscape: bool = False
    bleed_mm: float | None = None
    crop_marks: bool = False
    theme: str = "ai"
    print_shop: bool = False


@dataclass(frozen=True)
class Sheet:
    """The geometry of one page, in pt: trim size, bleed, and the slug that holds トンボ.

    ``inset``: how far from the trim nothing is printed (the office margin without bleed, 0 with it)."""

    paper: str
    width: float
    height: float
    bleed: float = 0.0
    slug: float = 0.0
    crop_marks: bool = False
    print_shop: bool = False

    @classmethod
    def from_options(cls, options: PrintOptions) -> "Sheet":
        w_mm, h_mm = PAPER_SIZES[options.paper]
        if options.landscape:
            w_mm, h_mm = h_mm, w_mm
        bleed = options.bleed_mm if options.bleed_mm is not None else PRINT_SHOP_BLEED_MM if options.print_shop else 0.0
        marks = options.crop_marks or options.print_shop
        return cls(
            paper=_("{paper} landscape").format(paper=options.paper) if options.landscape else options.paper,
            width=w_mm * PT_PER_MM,
            height=h_mm * PT_PER_MM,
            bleed=bleed * PT_PER_MM,
            slug=SLUG_MM * PT_PER_MM if marks else 0.0,
            crop_marks=marks,
            print_shop=options.print_shop,
        )

    @classmethod
    def plain(cls, paper: str, landscape: bool = False) -> "Sheet":
        """An office sheet of ``paper``: no bleed, no marks."""
        return cls.from_options(PrintOptions(paper, landscape))

    def scale(self, reference: str) -> float:
        """How much bigger this sheet is than ``reference`` (same area ratio as for A sizes)."""
        rw, rh = PAPER_SIZES[reference]
        return math.sqrt((self.width * self.height) / (rw * rh * PT_PER_MM**2))

    @property
    def inset(self) -> float:
        return 0.0 if self.bleed else OFFICE_MARGIN_MM * PT_PER_MM

    @property
    def extent(self) -> float:
        """How far the PDF's MediaBox reaches past the trim on each side."""
        return self.bleed + self.slug

    def marks(self) -> list[tuple[float, float, float, float]]:
        """Japanese トンボ as rectangles ``(x, y, w, h)`` in pt from the trim's top left corner,
        all outside the bleed: at each corner two L-shaped pairs, on the trim lines (内トンボ)
        and on the bleed lines (外トンボ); at the middle of each side a centre mark (センタートンボ),
        a cross on the centre line."""
        if not self.crop_marks:
            return []
        b, w, h = self.bleed, self.width, self.height
        length = MARK_LENGTH_MM * PT_PER_MM
        s = MARK_STROKE
        out = []
        for x, sx in ((0.0, -1), (w, 1)):
            for y, sy in ((0.0, -1), (h, 1)):
                far_x = x + sx * b  # the bleed line beside this corner
                far_y = y + sy * b
                left = far_x - length if sx < 0 else far_x
                top = far_y - length if sy < 0 else far_y
                for line_y in (y, far_y):  # horizontal marks, outside the bleed in x
                    out.append((left, line_y - s / 2, length, s))
                for line_x in (x, far_x):  # vertical marks, outside the bleed in y
                    out.append((line_x - s / 2, top, s, length))
        half = 0.5 * length
        for cx in (w / 2,):  # top and bottom centre marks
            for y0 in (-b - length, h + b):
                out.append((cx - s / 2, y0, s, length))
                out.append((cx - half, y0 + half - s / 2, 2 * half, s))
        for cy in (h / 2,):  # left and right centre marks
            for x0 in (-b - length, w + b):
                out.append((x0, cy - s / 2, length, s))
                out.append((x0 + half - s / 2, cy - half, s, 2 * half))
        return out

    def page_css(self) -> str:
        background = "none" if self.print_shop else "#fff"
        return (
            f"@page {{ size: {self.width:.3f}pt {self.height:.3f}pt; margin: 0; "
            f"bleed: {self.extent:.3f}pt; background: {background} }}"
        )

    def colour(self, colour: str, text: bool = False) -> str:
        """CSS for ``colour`` on this sheet: RGB, or DeviceCMYK for the print shop."""
        return css_colour(colour, self.print_shop, text)

    def fix_boxes(self, document, pdf) -> None:
        """WeasyPrint finisher: BleedBox exactly trim + bleed (WeasyPrint caps it at 10 pt and
        would count the トンボ slug as bleed). MediaBox = trim + bleed + slug, TrimBox = trim.
        For the print shop, the PDF/X version in the Info dictionary too (WeasyPrint writes it
        only in the XMP metadata for X-4, where pdfinfo and many preflight tools look first)."""
        kids = pdf.pages["Kids"]
        for number in kids[0::3]:
            page = pdf.objects[number]
            left, top, right, bottom = (float(v) for v in page["TrimBox"])
            b = self.bleed
            page["BleedBox"] = type(page["TrimBox"])([left - b, top - b, right + b, bottom + b])
        if self.print_shop:
            import pydyf  # WeasyPrint's own PDF writer, whose objects the finisher receives

            pdf.info["GTS_PDFXVersion"] = pydyf.String("PDF/X-4")
            if "OutputIntents" not in pdf.catalog:
                # PDF/X names the printing condition the colours are for. No CMYK ICC profile
                # ships with printgen, so the intent names the registered condition Japanese
                # offset printers use (Japan Color 2001 Coated) without embedding its profile.
                pdf.catalog["OutputIntents"] = pydyf.Array([pydyf.Dictionary({
                    "Type": "/OutputIntent", "S": "/GTS_PDFX",
                    "OutputConditionIdentifier": pydyf.String("JC200103"),
                    "OutputCondition": pydyf.String("Japan Color 2001 Coated"),
                    "RegistryName": pydyf.String("http://www.color.org"),
                    "Info": pydyf.String("Japan Color 2001 Coated"),
                })])


# ---------------------------------------------------------------- measured type


def face(family: str, weight: int = 400) -> Face:
    return next(f for f in FACES if f.family == family and f.weight == weight)


@functools.lru_cache(maxsize=1 << 16)
def _set_width(text: str, family: str, weight: int, size: float) -> float:
    """The width of ``text`` as one composed line (generator/render/compose.py: 約物, 和欧間,
    line-end punctuation at half width); fitting measures each candidate line many times."""
    return line_width(text, face(family, weight), size)


@dataclass(frozen=True)
class Type:
    """A type style: bundled face, size in pt, line height as a multiple of the size."""

    family: str
    weight: int
    size: float
    leading: float
    # fill(): the cost of a break inside a phrase (PHRASE_BREAK, or LOOSE_PHRASE_BREAK for a
    # text that does not fit at its smallest sizes otherwise)
    phrase_break: float = 0.0

    @property
    def line(self) -> float:
        return self.size * self.leading

    @property
    def face(self) -> Face:
        return face(self.family, self.weight)

    def measure(self, text: str) -> float:
        return _set_width(text, self.family, self.weight, self.size)

    def html(self, lines) -> Markup:
        """Lines broken here, as HTML of composed lines (約物, 和欧間)."""
        return compose_lines(list(lines), self.face, self.size, block=False)

    def wrap(self, text: str, width: float) -> list[str] | None:
        """``text`` broken only between phrases, set ragged with no widow (generator/render/compose.py);
        ``None`` if a phrase is wider than ``width``."""
        return self._set(text, width, math.inf)

    def fill(self, text: str, width: float) -> list[str] | None:
        """Running text broken between any two characters a Japanese line may break between
        (kinsoku kept, Latin words whole, no widow: generator/render/compose.py), set ragged:
        denser than phrase breaks, for long text in narrow columns. ``None`` if a unit is
        wider than ``width``."""
        return self._set(text, width, self.phrase_break)

    def _set(self, text: str, width: float, phrase_break: float) -> list[str] | None:
        try:
            lines = set_lines(text, Column(self.face, self.size, width, justify=False, phrase_break=phrase_break))
        except TextTooWide:
            return None
        return ["".join(u.text for u in line.units).strip() for line in lines]

    def balance(self, text: str, width: float, max_lines: int | None = None) -> list[str] | None:
        """A headline in the fewest, most even lines of whole phrases; when every such break
        leaves a widow (「喜び」 alone), BudouX's looser phrases (「かけがえの／ない喜び」) may do."""
        lines = balance(text, width, self.measure, max_lines)
        if lines and has_widow(lines):
            looser = balance(text, width, self.measure, max_lines, strict=False)
            if looser and not has_widow(looser):
                return looser
        return lines

    def css(self) -> str:
        return (
            f"font-family: '{self.family}'; font-weight: {self.weight}; "
            f"font-size: {self.size:.2f}pt; line-height: {self.line:.2f}pt"
        )


# Running text on cards and posters breaks inside a phrase (「ケアマネジメ／ント」 is read, at
# 30 pt, as a broken word) only when keeping to phrases would take two lines more (a line costs
# compose.LINE_COST): fitting sets the text a size smaller rather than break words, and only a
# text that does not fit at its smallest sizes so is set with LOOSE_PHRASE_BREAK.
PHRASE_BREAK = 15.0
LOOSE_PHRASE_BREAK = 0.5  # (then a word breaks rather than a line looser by ~0.7 em a gap)
HEAD = (PGOTHIC, 700)  # headlines: proportional bold

BODY = (GOTHIC, 400)  # text: fixed-pitch, the even grid of Japanese text
LABEL = BODY  # kickers and credits: the text face (one font fewer to embed and subset)

# Width tolerance: what is measured must fit this much inside its box (rounding in Pango).
TOLERANCE = 0.5


def lerp(low: float, high: float, t: float) -> float:
    return low + (high - low) * t


def largest_fit(attempt: Callable[[float], T | None], count: int = 48) -> T | None:
    """Auto-fit: ``attempt(t)`` for the largest ``t`` in 0…1 (``count`` steps, 1 = largest sizes)
    whose result is not ``None``; ``None`` if even ``t = 0`` fails.

    A binary search (fitting is monotonic in size but for the odd line-break; whatever it
    returns was tried and fits), so a card costs about 7 layouts instead of up to 49.
    """
    first = attempt(1.0)
    if first is not None:
        return first
    best = attempt(0.0)
    if best is None:
        return None
    low, high = 0, count  # index count (t = 0) fits, index 0 (t = 1) does not
    while high - low > 1:
        middle = (low + high) // 2
        result = attempt(1 - middle / count)
        if result is None:
            low = middle
        else:
            high, best = middle, result
    return best


def unbreakable(texts, kind: Type, width: float) -> Text | None:
    """The first of ``texts`` holding a phrase wider than ``width`` at ``kind`` (a long Latin
    word, say), which no wrapping can fit: the text to blame when a composed line does not fit."""
    return next((t for t in texts if kind.wrap(t, width) is None), None)


# ---------------------------------------------------------------- labels

# The words cards and poster add, in templates/sheet/labels.yaml, and the placeholders each may use.
LABEL_FIELDS = {
    "slogan_kicker": (),
    "bridge_kicker": (),
    "message_counter": ("number", "count"),
    "viewpoint_counter": ("number", "count"),
    "credit": ("author", "title", "date"),
    "poster_subtitle": ("author", "date"),
    "poster_part": ("number", "count"),
    "tile_label": ("paper", "sheet", "number", "count", "row", "column", "overlap"),
}


def labels() -> dict[str, Text]:
    """The labels of templates/sheet/labels.yaml (read on every render, so `watch` sees edits)."""
    from generator.templates import load_labels

    return load_labels("sheet/labels.yaml", LABEL_FIELDS)


# ---------------------------------------------------------------- rendering


def safe_slug(value: str) -> str:
    """``value`` if it is a plain file-name slug; a bug otherwise (content ids are validated)."""
    if not ID_PATTERN.fullmatch(value) or len(value) > ID_MAX:
        raise ValueError(f"not a safe file name part: {value!r}")
    return value


def render_sheets(html: str, sheet: Sheet, *, pages: int, safe_margin: float | None):
    """Lay out ``html`` (one sheet per page): the WeasyPrint document, and its PDF with the
    print-shop boxes set. Checked: exactly ``pages`` pages, and all text inside the trim less
    ``safe_margin`` pt (a measurement that disagrees with WeasyPrint is a loud error, never a
    clipped line); ``None``: no text check (poster tiles clip the text on purpose)."""
    from generator.render.pdf import render_html, text_rectangles

    document = render_html(html)
    if len(document.pages) != pages:
        raise RuntimeError(f"laid out {len(document.pages)} pages, expected {pages}: measured type disagrees with WeasyPrint")
    pdf = write_pdf(document, sheet)
    if safe_margin is None:
        return document, pdf
    e = sheet.extent
    for number, rects in enumerate(text_rectangles(pdf), 1):
        for left, top, right, bottom, text in rects:
            if (
                left - e < safe_margin - TOLERANCE
                or top - e < safe_margin - TOLERANCE
                or right - e > sheet.width - safe_margin + TOLERANCE
                or bottom - e > sheet.height - safe_margin + TOLERANCE
            ):
                raise RuntimeError(f"page {number}: text {text!r} reaches outside the safe area: measured type disagrees with WeasyPrint")
    return document, pdf


def write_pdf(document, sheet: Sheet, pages=None) -> bytes:
    """PDF bytes of ``document`` (or of some of its ``pages``), with print-shop boxes fixed;
    PDF/X-4 for the print shop."""
    if pages is not None:
        document = document.copy(pages)
    variant = {"pdf_variant": "pdf/x-4"} if sheet.print_shop else {}
    return document.write_pdf(finisher=sheet.fix_boxes, **variant)


# ---------------------------------------------------------------- what goes on a sheet


@dataclass(frozen=True)
class Rect:
    """A filled rectangle in pt from the trim's top left corner; ``role`` names its colour."""

    x: float
    y: float
    w: float
    h: float
    role: str


@dataclass(frozen=True)
class TextBlock:
    """Lines already broken and measured, set from ``(x, y)`` in a box ``width`` wide."""

    x: float
    y: float
    width: float
    type: Type
    lines: tuple[str, ...]
    role: str
    align: str = "left"

    @property
    def height(self) -> float:
        return len(self.lines) * self.type.line


@dataclass(frozen=True)
class Clip:
    """A window ``w`` × ``h`` at ``(x, y)`` showing ``pieces`` (placed relative to it) and
    nothing outside it: a poster tile."""

    x: float
    y: float
    w: float
    h: float
    pieces: tuple


@dataclass(frozen=True)
class Page:
    """One sheet: what is drawn on it, back to front, and its text for the PDF outline."""

    pieces: tuple[Rect | TextBlock | Clip, ...]
    label: str = ""


def moved(piece, dx: float, dy: float):
    """``piece`` moved by ``(dx, dy)``."""
    from dataclasses import replace

    return replace(piece, x=piece.x + dx, y=piece.y + dy)


def background(sheet: Sheet) -> list[Rect]:
    """The paper colour: into the bleed with bleed; else inside the office margin (the sheet
    itself stays white, so an office printer's unprintable edge shows no white strip)."""
    b, i = sheet.bleed, sheet.inset
    if b:
        return [Rect(-b, -b, sheet.width + 2 * b, sheet.height + 2 * b, "paper")]
    return [Rect(i, i, sheet.width - 2 * i, sheet.height - 2 * i, "paper")]


def across(sheet: Sheet, y: float, height: float, role: str) -> Rect:
    """A rectangle across the sheet from ``y``: into the bleed, or to the office margin."""
    b, i = sheet.bleed, sheet.inset
    if b:
        return Rect(-b, y, sheet.width + 2 * b, height, role)
    return Rect(i, y, sheet.width - 2 * i, height, role)


def band(sheet: Sheet, height: float) -> Rect:
    """A band across the top of the sheet, into the bleed (or from the office margin), ``height`` from the trim."""
    top = -sheet.bleed if sheet.bleed else sheet.inset
    return Rect(across(sheet, 0, 0, "").x, top, across(sheet, 0, 0, "").w, height - top, "band")


def crop_marks(sheet: Sheet) -> list[Rect]:
    return [Rect(x, y, w, h, "mark") for x, y, w, h in sheet.marks()]


def geometry(piece) -> str:
    """Where ``piece`` goes, as CSS (a text's height is its lines')."""
    css = f"left: {piece.x:.2f}pt; top: {piece.y:.2f}pt; width: {piece.width if isinstance(piece, TextBlock) else piece.w:.2f}pt"
    return css if isinstance(piece, TextBlock) else f"{css}; height: {piece.h:.2f}pt"


def _flat(pieces):
    for piece in pieces:
        if isinstance(piece, Clip):
            yield piece
            yield from _flat(piece.pieces)
        else:
            yield piece


def html_document(template: str, sheet: Sheet, theme: Theme, pages: list[Page], *, title: str, author: str,
                  created: str = "") -> str:
    """The HTML of a set of sheets (see templates/sheet/sheets.html.j2)."""
    from generator.templates import environment

    types: dict[Type, str] = {}  # each type style used, in order of use, and its class name
    # Each place used, and its class name: most pieces of a card (band, kicker, footer …) are
    # in the same place on every card, and WeasyPrint parses a rule once, a style attribute
    # for every element.
    places: dict[str, str] = {}
    marks = crop_marks(sheet)
    for piece in list(_flat([p for page in pages for p in page.pieces])) + marks:
        if isinstance(piece, TextBlock) and piece.type not in types:
            types[piece.type] = f"t{len(types)}"
        places.setdefault(geometry(piece), f"p{len(places)}")
    return environment().get_template(template).render(
        sheet=sheet, theme=theme, pages=pages, title=title, author=author, created=created,
        composition_css=TYPESET_CSS + COMPOSE_CSS,
        marks=marks, types=types, places=places, geometry=geometry, colour=sheet.colour,
    )


# ---------------------------------------------------------------- office sheets: imposition and tiles

CUT_MARK_MM = 5.0  # cut marks between imposed cards: this long, starting at the office margin
CUT_STROKE = 0.5  # pt: cut marks for scissors and office cutters, visible in a copy
TILE_OVERLAP_MM = 10.0
TILE_MARGIN_MM = 8.0  # tiles: printed window this far from the sheet's edges …
TILE_FOOT_MM = 22.0  # … and this far from the bottom, where the tile's label and the assembly map go


def grid(cell_w: float, cell_h: float, paper: str) -> tuple[Sheet, int, int]:
    """The office sheet of ``paper`` (portrait or landscape) holding the most cells of this
    size, and its columns and rows (0 when none fits)."""
    best = None
    for landscape in (False, True):
        out = Sheet.plain(paper, landscape)
        cols, rows = int((out.width + 1) // cell_w), int((out.height + 1) // cell_h)
        if best is None or cols * rows > best[1] * best[2]:
            best = (out, cols, rows)
    return best


def impose(pages: list[Page], card: Sheet, paper: str) -> tuple[Sheet, list[Page]]:
    """Cards several to an office sheet: cells exactly card-sized, edge to edge, cut marks on
    the cut lines in the white office margins of the cards (so no card crosses a cut)."""
    out, cols, rows = grid(card.width, card.height, paper)
    x0, y0 = (out.width - cols * card.width) / 2, (out.height - rows * card.height) / 2
    cells = [(x0 + c * card.width, y0 + r * card.height) for r in range(rows) for c in range(cols)]
    marks = cut_marks(out, [x0 + c * card.width for c in range(cols + 1)], [y0 + r * card.height for r in range(rows + 1)])
    n = len(cells)
    imposed = []
    for first in range(0, len(pages), n):
        group = pages[first : first + n]
        pieces = [moved(p, cx, cy) for page, (cx, cy) in zip(group, cells) for p in page.pieces]
        label = " / ".join(page.label for page in group)
        imposed.append(Page(tuple(pieces + marks), label))
    return out, imposed


def cut_marks(out: Sheet, xs: list[float], ys: list[float]) -> list[Rect]:
    """Cut marks of a grid of cells: short lines on each cut line inside the office margin
    band, and a cross where two inner cuts meet; none on a cut at the sheet's edge."""
    i, length, s = out.inset, CUT_MARK_MM * PT_PER_MM, CUT_STROKE
    inner = lambda v, size: i <= v <= size - i
    marks = []
    for x in filter(lambda v: inner(v, out.width), xs):
        marks += [Rect(x - s / 2, i, s, length, "cut"), Rect(x - s / 2, out.height - i - length, s, length, "cut")]
    for y in filter(lambda v: inner(v, out.height), ys):
        marks += [Rect(i, y - s / 2, length, s, "cut"), Rect(out.width - i - length, y - s / 2, length, s, "cut")]
    arm = 0.6 * length
    for x in filter(lambda v: inner(v, out.width), xs):
        for y in filter(lambda v: inner(v, out.height), ys):
            marks += [Rect(x - arm, y - s / 2, 2 * arm, s, "cut"), Rect(x - s / 2, y - arm, s, 2 * arm, "cut")]
    return marks


@dataclass(frozen=True)
class Tiling:
    """How a poster goes onto office sheets: the sheet, and each tile's window in poster pt
    (``(x, y, w, h)``, row by row), overlapping by :data:`TILE_OVERLAP_MM`."""

    sheet: Sheet
    cols: int
    rows: int
    windows: tuple[tuple[float, float, float, float], ...]

    @classmethod
    def of(cls, poster: Sheet, paper: str) -> "Tiling":
        margin, foot, overlap = (v * PT_PER_MM for v in (TILE_MARGIN_MM, TILE_FOOT_MM, TILE_OVERLAP_MM))
        best = None
        for landscape in (False, True):
            out = Sheet.plain(paper, landscape)
            w, h = out.width - 2 * margin, out.height - margin - foot
            cols = 1 + max(0, math.ceil((poster.width - w) / (w - overlap) - 1e-9))
            rows = 1 + max(0, math.ceil((poster.height - h) / (h - overlap) - 1e-9))
            if best is None or cols * rows < best[1] * best[2]:
                best = (out, cols, rows, w, h)
        out, cols, rows, w, h = best
        # The tiles' union centred on the poster (it is a little larger).
        x0 = (poster.width - (w + (cols - 1) * (w - overlap))) / 2
        y0 = (poster.height - (h + (rows - 1) * (h - overlap))) / 2
        windows = tuple((x0 + c * (w - overlap), y0 + r * (h - overlap), w, h) for r in range(rows) for c in range(cols))
        return cls(out, cols, rows, windows)

    def alignment_marks(self) -> list[Rect]:
        """Crosses in the middle of every overlap, in poster pt: each shows on both sheets it
        joins, so the sheets are glued with the crosses on top of each other."""
        overlap = TILE_OVERLAP_MM * PT_PER_MM
        arm, thin, halo = 4 * PT_PER_MM, 0.5, 2.0
        points = []
        for r in range(self.rows):
            for c in range(self.cols):
                x, y, w, h = self.windows[r * self.cols + c]
                if c + 1 < self.cols:
                    points += [(x + w - overlap / 2, y + h * f) for f in (0.25, 0.75)]
                if r + 1 < self.rows:
                    points += [(x + w * f, y + h - overlap / 2) for f in (0.25, 0.75)]
        marks = []
        for px, py in points:
            for size, role in ((halo, "halo"), (thin, "mark")):
                marks += [Rect(px - arm, py - size / 2, 2 * arm, size, role), Rect(px - size / 2, py - arm, size, 2 * arm, role)]
        return marks

    def pages(self, poster: Page, words: dict[str, Text], paper: str) -> list[Page]:
        """One page per tile: the poster through its window, its label, and the assembly map."""
        out, margin = self.sheet, TILE_MARGIN_MM * PT_PER_MM
        shown = tuple(poster.pieces) + tuple(self.alignment_marks())
        label_type = Type(*LABEL, 8, 1.35)
        count = len(self.windows)
        cell = min(3.2 * PT_PER_MM, 14 * PT_PER_MM / self.rows)
        map_x, map_y = out.width - margin - self.cols * cell, out.height - TILE_FOOT_MM * PT_PER_MM + 4 * PT_PER_MM
        pages = []
        for index, (x, y, w, h) in enumerate(self.windows):
            row, col = divmod(index, self.cols)
            text = words["tile_label"].format(paper=paper, sheet=out.paper.split()[0], number=index + 1, count=count,
                                              row=row + 1, column=col + 1, overlap=f"{TILE_OVERLAP_MM:g}")
            lines = label_type.wrap(text, map_x - margin - 4 * PT_PER_MM) or (text,)
            inside = (cropped(moved(p, -x, -y), w, h) for p in shown)
            pieces: list = [Clip(margin, margin, w, h, tuple(p for p in inside if p is not None)),
                            TextBlock(margin, map_y, map_x - margin, label_type, tuple(lines), "ink")]
            for i in range(count):  # the assembly map: this sheet dark among the others
                r, c = divmod(i, self.cols)
                pieces.append(Rect(map_x + c * cell + 0.4, map_y + r * cell + 0.4, cell - 0.8, cell - 0.8,
                                   "map-here" if i == index else "map"))
            pages.append(Page(tuple(pieces), f"{poster.label} {index + 1}/{count}"))
        return pages


def cropped(piece, w: float, h: float):
    """``piece`` cut to what shows in a window ``w`` × ``h`` at (0, 0) (a rectangle cut to it,
    a text to the lines that reach into it), or ``None``. The clipping box hides the rest, but
    WeasyPrint would carry a box reaching below the page over to the next page."""
    from dataclasses import replace

    if isinstance(piece, Rect):
        left, top = max(piece.x, 0.0), max(piece.y, 0.0)
        right, bottom = min(piece.x + piece.w, w), min(piece.y + piece.h, h)
        return Rect(left, top, right - left, bottom - top, piece.role) if right > left and bottom > top else None
    if piece.x >= w or piece.x + piece.width <= 0:
        return None
    line = piece.type.line
    shown = [i for i in range(len(piece.lines)) if piece.y + (i + 1) * line > 0 and piece.y + i * line < h]
    if not shown:
        return None
    return replace(piece, y=piece.y + shown[0] * line, lines=piece.lines[shown[0] : shown[-1] + 1])


# ---------------------------------------------------------------- the renderers' base


class SheetRenderer(Renderer):
    """Base of the big-type renderers: lays out pages, renders them as one document, writes one PDF.

    Subclasses set ``file_name``, ``template`` and ``options`` (:func:`sheet_options`) and
    implement :meth:`lay_out`.
    """

    file_name: ClassVar[str]
    template: ClassVar[str]
    note: str = ""

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        """The pages, and the safe margin (pt) no text may enter."""
        raise NotImplementedError

    def office(self, pages: list[Page], sheet: Sheet, content: Content) -> tuple[Sheet, list[Page], float | None] | None:
        """The pages put onto office sheets (imposed, tiled), the sheet and the text's safe
        margin on it; ``None`` to print them as they are."""
        return None

    def title(self, content: Content) -> str:
        return content.document.title

    @classmethod
    def check_settings(cls, settings: dict) -> None:
        check_print_settings(settings)

    @property
    def print_options(self) -> PrintOptions:
        s = self.settings
        return PrintOptions(s["paper"], s["landscape"], s["bleed"], s["crop_marks"], s["theme"], s["print_shop"])

    def render(self, content: Content) -> list[Artifact]:
        """The pages fitted in Python, then laid out, checked and written by WeasyPrint."""
        options = self.print_options
        sheet = Sheet.from_options(options)
        pages, safe_margin = self.lay_out(content, sheet)
        printed = self.office(pages, sheet, content)
        if printed is not None:
            sheet, pages, safe_margin = printed
        html = html_document(self.template, sheet, THEMES[options.theme], pages,
                             title=self.title(content), author=content.document.author,
                             created=content.document.date_iso)
        self.sheet = sheet
        self.document, pdf = render_sheets(html, sheet, pages=len(pages), safe_margin=safe_margin)
        return [Artifact(self.file_name, pdf, len(pages), note=self.note)]
