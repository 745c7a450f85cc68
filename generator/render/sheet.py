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
import re
from dataclasses import dataclass
from typing import Callable, ClassVar, TypeVar

T = TypeVar("T")

from generator.fonts import GOTHIC, PGOTHIC, Face, FACES
from generator.model import Content, Text
from generator.render import Artifact, Renderer
from generator.render.measure import font_metrics
from generator.render.phrases import balance, wrap

PT_PER_MM = 72 / 25.4

# Trim sizes in mm, portrait. B sizes are JIS B (not ISO B).
PAPERS: dict[str, tuple[float, float]] = {
    "A1": (594, 841),
    "A2": (420, 594),
    "A3": (297, 420),
    "A4": (210, 297),
    "B2": (515, 728),
    "B3": (364, 515),
    "B4": (257, 364),
}

# Crop marks sit in a slug outside the bleed: they start this far past the bleed edge and are this long.
MARK_GAP_MM = 2.0
MARK_LENGTH_MM = 6.0
SLUG_MM = MARK_GAP_MM + MARK_LENGTH_MM + 1.0
MAX_BLEED_MM = 10.0


@dataclass(frozen=True)
class PrintOptions:
    """The options every sheet command takes (``--paper``, ``--landscape``, ``--bleed``, …)."""

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
        w_mm, h_mm = PAPERS[options.paper]
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
        rw, rh = PAPERS[reference]
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


# ---------------------------------------------------------------- themes


@dataclass(frozen=True)
class Theme:
    """Colours of a sheet. Every text colour is used only on the background named beside it."""

    name: str
    description: str
    paper: str  # page background (reaches into the bleed)
    ink: str  # body text on paper
    headline: str  # headlines and point markers on paper
    muted: str  # footer text on paper
    band: str  # the band at the top of a sheet
    band_ink: str  # text on the band
    panel: str  # poster panels
    panel_ink: str  # text on panels
    accent: str  # rules and bars only, never text

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """``(what, foreground, background)`` for every text colour on its background."""
        return [
            ("text", self.ink, self.paper),
            ("headline", self.headline, self.paper),
            ("footer", self.muted, self.paper),
            ("band", self.band_ink, self.band),
            ("panel text", self.panel_ink, self.panel),
            ("panel headline", self.headline, self.panel),
        ]


THEMES: dict[str, Theme] = {
    t.name: t
    for t in (
        Theme("ai", "indigo on white (default)", paper="#ffffff", ink="#1a1a1a", headline="#183a6b",
              muted="#4d4d4d", band="#183a6b", band_ink="#ffffff", panel="#edf2f9", panel_ink="#1a1a1a",
              accent="#e0a020"),
        Theme("hinata", "warm brown on cream", paper="#fff8ea", ink="#2b2118", headline="#8c2f0c",
              muted="#5c4637", band="#7a2a0c", band_ink="#fff8ea", panel="#fbe6c8", panel_ink="#2b2118",
              accent="#e8891a"),
        Theme("yoru", "light on dark navy (heavy ink)", paper="#102a43", ink="#f3f6f9", headline="#ffd166",
              muted="#c4d2df", band="#ffd166", band_ink="#102a43", panel="#1f3d5c", panel_ink="#f3f6f9",
              accent="#ffd166"),
    )
}


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio (1 to 21)."""
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


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


SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def safe_slug(value: str) -> str:
    """``value`` if it is a plain file-name slug; a bug otherwise (content ids are validated)."""
    if not SLUG_PATTERN.fullmatch(value) or len(value) > 80:
        raise ValueError(f"not a safe file name part: {value!r}")
    return value


def render_sheets(html: str, sheet: Sheet, *, pages: int, safe_margin: float):
    """Lay out ``html`` (one sheet per page) and check it: exactly ``pages`` pages, and every
    piece of text inside the trim less ``safe_margin`` pt. Returns the WeasyPrint document."""
    from generator.render.pdf import render_html

    document = render_html(html)
    if len(document.pages) != pages:
        raise RuntimeError(f"laid out {len(document.pages)} pages, expected {pages}: measured type disagrees with WeasyPrint")
    for number, page in enumerate(document.pages, 1):
        for box, left, top, right, bottom in text_boxes(page):
            px = 0.75  # WeasyPrint lays out in CSS px
            if (
                left * px < safe_margin - TOLERANCE
                or top * px < safe_margin - TOLERANCE
                or right * px > sheet.width - safe_margin + TOLERANCE
                or bottom * px > sheet.height - safe_margin + TOLERANCE
            ):
                raise RuntimeError(f"page {number}: text {box.text!r} reaches outside the safe area: measured type disagrees with WeasyPrint")
    return document


def text_boxes(page):
    """``(box, left, top, right, bottom)`` in CSS px for every piece of text laid out on ``page``."""
    from weasyprint.formatting_structure.boxes import TextBox

    for box in page._page_box.descendants(placeholders=True):  # absolutely placed boxes too
        if isinstance(box, TextBox) and box.text.strip():
            yield box, box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height


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

    Subclasses set ``file_name``, ``template``, ``default_paper`` and implement :meth:`lay_out`;
    option ``print`` is a :class:`PrintOptions`.
    """

    file_name: ClassVar[str]
    template: ClassVar[str]
    default_paper: ClassVar[str]

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        """The pages, and the safe margin (pt) no text may enter."""
        raise NotImplementedError

    def title(self, content: Content) -> str:
        return content.document.title

    def prepare(self, content: Content) -> tuple[Sheet, int, float, str]:
        """The sheet, the number of pages, the safe margin and the HTML: the pages fitted
        (plain Python, no WeasyPrint)."""
        options: PrintOptions = self.options.get("print") or PrintOptions(self.default_paper)
        sheet = Sheet.from_options(options)
        pages, safe_margin = self.lay_out(content, sheet)
        html = html_document(self.template, sheet, THEMES[options.theme], pages,
                             title=self.title(content), author=content.document.author)
        return sheet, len(pages), safe_margin, html

    def finish(self, content: Content, prepared: tuple[Sheet, int, float, str]) -> list[Artifact]:
        """The PDF of what :meth:`prepare` made, laid out and checked by WeasyPrint."""
        sheet, count, safe_margin, html = prepared
        self.document = render_sheets(html, sheet, pages=count, safe_margin=safe_margin)
        self.sheet = sheet
        return [Artifact(self.file_name, write_pdf(self.document, sheet), count)]
