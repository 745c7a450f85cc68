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

T = TypeVar("T")

from generator.fonts import GOTHIC, PGOTHIC, Face, FACES
from generator.model import ID_MAX, ID_PATTERN, Content, Text
from generator.render import Artifact, Option, Renderer
from generator.render.measure import font_metrics
from generator.render.phrases import balance, wrap

from generator.render.style import PAPER_SIZES, PT_PER_MM, THEMES, Theme

# Crop marks sit in a slug outside the bleed: they start this far past the bleed edge and are this long.
MARK_GAP_MM = 2.0
MARK_LENGTH_MM = 6.0
SLUG_MM = MARK_GAP_MM + MARK_LENGTH_MM + 1.0
MAX_BLEED_MM = 10.0


def sheet_options(papers: tuple[str, ...], default_theme: str = "ai") -> tuple[Option, ...]:
    """The options every sheet material takes; ``papers``: its sizes, the default first."""
    return (
        Option("paper", "choice", "Paper size, portrait unless --landscape (B sizes are JIS B, e.g. B2 = 515 x 728 mm).",
               default=papers[0], choices=papers),
        Option("landscape", "flag", "Landscape instead of portrait.", default=False),
        Option("bleed", "number", "Extend backgrounds MM mm past the trim for a print shop (TrimBox and BleedBox set). Usually 3.",
               default=0.0, low=0, high=MAX_BLEED_MM, metavar="MM"),
        Option("crop_marks", "flag", "Add crop marks in a margin outside the trim (and bleed).", default=False),
        Option("theme", "choice", "Colour theme: " + "; ".join(f"{t.name}: {t.description}" for t in THEMES.values()) + ".",
               default=default_theme, choices=tuple(THEMES)),
    )


@dataclass(frozen=True)
class PrintOptions:
    """The options every sheet material takes (``paper``, ``landscape``, ``bleed``, …)."""

    paper: str
    landscape: bool = False
    bleed_mm: float = 0.0
    crop_marks: bool = False
    theme: str = "ai"


@dataclass(frozen=True)
class Sheet:
    """The geometry of one page, in pt: trim size, bleed, and the slug that holds crop marks."""

    paper: str
    width: float
    height: float
    bleed: float
    slug: float
    crop_marks: bool

    @classmethod
    def from_options(cls, options: PrintOptions) -> "Sheet":
        w_mm, h_mm = PAPER_SIZES[options.paper]
        if options.landscape:
            w_mm, h_mm = h_mm, w_mm
        return cls(
            paper=f"{options.paper}{' landscape' if options.landscape else ''}",
            width=w_mm * PT_PER_MM,
            height=h_mm * PT_PER_MM,
            bleed=options.bleed_mm * PT_PER_MM,
            slug=SLUG_MM * PT_PER_MM if options.crop_marks else 0.0,
            crop_marks=options.crop_marks,
        )

    def scale(self, reference: str) -> float:
        """How much bigger this sheet is than ``reference`` (same area ratio as for A sizes)."""
        rw, rh = PAPER_SIZES[reference]
        return math.sqrt((self.width * self.height) / (rw * rh * PT_PER_MM**2))

    @property
    def extent(self) -> float:
        """How far the PDF's MediaBox reaches past the trim on each side."""
        return self.bleed + self.slug

    def marks(self) -> list[tuple[float, float, float, float]]:
        """Crop marks as rectangles ``(x, y, w, h)`` in pt relative to the trim's top left corner."""
        if not self.crop_marks:
            return []
        start = self.bleed + MARK_GAP_MM * PT_PER_MM
        length = MARK_LENGTH_MM * PT_PER_MM
        stroke = 0.3
        out = []
        for x in (0.0, self.width):
            for y in (0.0, self.height):
                hx = -start - length if x == 0 else x + start
                vy = -start - length if y == 0 else y + start
                out.append((hx, y - stroke / 2, length, stroke))  # horizontal, on the trim line y
                out.append((x - stroke / 2, vy, stroke, length))  # vertical, on the trim line x
        return out

    def page_css(self) -> str:
        return (
            f"@page {{ size: {self.width:.3f}pt {self.height:.3f}pt; margin: 0; "
            f"bleed: {self.extent:.3f}pt; background: #fff }}"
        )

    def fix_boxes(self, document, pdf) -> None:
        """WeasyPrint finisher: BleedBox exactly trim + bleed (WeasyPrint caps it at 10 pt and
        would count the crop-mark slug as bleed). MediaBox = trim + bleed + slug, TrimBox = trim."""
        kids = pdf.pages["Kids"]
        for number in kids[0::3]:
            page = pdf.objects[number]
            left, top, right, bottom = (float(v) for v in page["TrimBox"])
            b = self.bleed
            page["BleedBox"] = type(page["TrimBox"])([left - b, top - b, right + b, bottom + b])


# ---------------------------------------------------------------- measured type


def face(family: str, weight: int = 400) -> Face:
    return next(f for f in FACES if f.family == family and f.weight == weight)


@functools.lru_cache(maxsize=None)
def _advance(family: str, weight: int) -> Callable[[str, float], float]:
    """The bound :meth:`FontMetrics.advance` of a face (fitting measures thousands of candidate lines)."""
    return font_metrics(face(family, weight)).advance


@dataclass(frozen=True)
class Type:
    """A type style: bundled face, size in pt, line height as a multiple of the size."""

    family: str
    weight: int
    size: float
    leading: float

    @property
    def line(self) -> float:
        return self.size * self.leading

    def measure(self, text: str) -> float:
        return _advance(self.family, self.weight)(text, self.size)

    def wrap(self, text: str, width: float) -> list[str] | None:
        return wrap(text, width, self.measure)

    def balance(self, text: str, width: float, max_lines: int | None = None) -> list[str] | None:
        return balance(text, width, self.measure, max_lines)

    def css(self) -> str:
        return (
            f"font-family: '{self.family}'; font-weight: {self.weight}; "
            f"font-size: {self.size:.2f}pt; line-height: {self.line:.2f}pt"
        )


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


def render_sheets(html: str, sheet: Sheet, *, pages: int, safe_margin: float):
    """Lay out ``html`` (one sheet per page): the WeasyPrint document, and its PDF with the
    print-shop boxes set. Checked: exactly ``pages`` pages, and all text inside the trim less
    ``safe_margin`` pt (a measurement that disagrees with WeasyPrint is a loud error, never a
    clipped line)."""
    from generator.render.pdf import render_html, text_rectangles

    document = render_html(html)
    if len(document.pages) != pages:
        raise RuntimeError(f"laid out {len(document.pages)} pages, expected {pages}: measured type disagrees with WeasyPrint")
    pdf = write_pdf(document, sheet)
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
    """PDF bytes of ``document`` (or of some of its ``pages``), with print-shop boxes fixed."""
    if pages is not None:
        document = document.copy(pages)
    return document.write_pdf(finisher=sheet.fix_boxes)


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
class Page:
    """One sheet: what is drawn on it, back to front, and its text for the PDF outline."""

    pieces: tuple[Rect | TextBlock, ...]
    label: str = ""


def background(sheet: Sheet) -> list[Rect]:
    """The paper colour, reaching into the bleed (not into the slug, where crop marks go).

    Without bleed the paper is the sheet's own background (templates/sheet/sheets.html.j2):
    the same rectangle, filled first, one box fewer a page. With bleed it is a box, since a
    background cannot reach outside its element. Not the page's background, even without
    crop marks: that was ~5 % less WeasyPrint time, but the band's anti-aliased pixel at the
    sheet's edge came out a shade different on some papers."""
    b = sheet.bleed
    return [Rect(-b, -b, sheet.width + 2 * b, sheet.height + 2 * b, "paper")] if b else []


def band(sheet: Sheet, height: float) -> Rect:
    """A band across the top of the sheet, into the bleed."""
    b = sheet.bleed
    return Rect(-b, -b, sheet.width + 2 * b, height + b, "band")


def crop_marks(sheet: Sheet) -> list[Rect]:
    return [Rect(x, y, w, h, "mark") for x, y, w, h in sheet.marks()]


def geometry(piece: Rect | TextBlock) -> str:
    """Where ``piece`` goes, as CSS (a text's height is its lines')."""
    css = f"left: {piece.x:.2f}pt; top: {piece.y:.2f}pt; width: {piece.width if isinstance(piece, TextBlock) else piece.w:.2f}pt"
    return css if isinstance(piece, TextBlock) else f"{css}; height: {piece.h:.2f}pt"


def html_document(template: str, sheet: Sheet, theme: Theme, pages: list[Page], *, title: str, author: str) -> str:
    """The HTML of a set of sheets (see templates/sheet/sheets.html.j2)."""
    from generator.templates import environment

    types: dict[Type, str] = {}  # each type style used, in order of use, and its class name
    # Each place used, and its class name: most pieces of a card (band, kicker, footer …) are
    # in the same place on every card, and WeasyPrint parses a rule once, a style attribute
    # for every element.
    places: dict[str, str] = {}
    marks = crop_marks(sheet)
    for piece in [p for page in pages for p in page.pieces] + marks:
        if isinstance(piece, TextBlock) and piece.type not in types:
            types[piece.type] = f"t{len(types)}"
        places.setdefault(geometry(piece), f"p{len(places)}")
    return environment().get_template(template).render(
        sheet=sheet, theme=theme, pages=pages, title=title, author=author,
        marks=marks, types=types, places=places, geometry=geometry,
    )


class SheetRenderer(Renderer):
    """Base of the big-type renderers: lays out pages, renders them as one document, writes one PDF.

    Subclasses set ``file_name``, ``template`` and ``options`` (:func:`sheet_options`) and
    implement :meth:`lay_out`.
    """

    file_name: ClassVar[str]
    template: ClassVar[str]

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        """The pages, and the safe margin (pt) no text may enter."""
        raise NotImplementedError

    def title(self, content: Content) -> str:
        return content.document.title

    @property
    def print_options(self) -> PrintOptions:
        s = self.settings
        return PrintOptions(s["paper"], s["landscape"], s["bleed"], s["crop_marks"], s["theme"])

    def render(self, content: Content) -> list[Artifact]:
        """The pages fitted in Python, then laid out, checked and written by WeasyPrint."""
        options = self.print_options
        sheet = Sheet.from_options(options)
        pages, safe_margin = self.lay_out(content, sheet)
        html = html_document(self.template, sheet, THEMES[options.theme], pages,
                             title=self.title(content), author=content.document.author)
        self.sheet = sheet
        self.document, pdf = render_sheets(html, sheet, pages=len(pages), safe_margin=safe_margin)
        return [Artifact(self.file_name, pdf, len(pages))]
