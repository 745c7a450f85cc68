"""``poster``: one wall sheet with the title, the lead text and the four viewpoints' sixteen points.

Laid out like the cards (:mod:`generator.render.sheet`): every line measured, one size scale
for the whole sheet, the largest that fits within :data:`LIMITS` (scaled with the paper, A2 = 1).
"""

from __future__ import annotations

from dataclasses import replace

from generator.errors import Diagnostic, PrintgenError
from generator.model import Content, Text
from generator.render import register
from generator.render.cards import credit_line
from generator.render.sheet import (
    BODY, HEAD, LABEL, PT_PER_MM, Page, Rect, Sheet, SheetRenderer, TextBlock, Type,
    background, band, labels, largest_fit, lerp, sheet_options, unbreakable,
)

ORDER = 3  # build order: handout, cards, poster, deck
POSTER_PAPERS = ("A2", "A1", "A3", "B2", "B3")
REFERENCE = "A2"

# Type sizes in pt on the reference paper: (smallest, largest).
LIMITS = {
    "title": (48, 84),
    "lead": (15, 26),
    "heading": (28, 44),
    "viewpoint": (24, 36),
    "point": (14, 26),
}


class PosterLayout:
    def __init__(self, sheet: Sheet, content: Content):
        self.sheet, self.content = sheet, content
        k = self.k = sheet.scale(REFERENCE)
        self.margin = 20 * PT_PER_MM * k
        self.safe_margin = 8 * PT_PER_MM * k
        self.width = sheet.width - 2 * self.margin
        self.labels = labels()
        # What stopped the last :meth:`place` (the text to name, what is wrong): after the
        # attempt at the smallest sizes, the error to report.
        self.failure: tuple[Text, str, str] | None = None

    def type(self, name: str, t: float) -> Type:
        lo, hi = LIMITS[name]
        size = round(lerp(lo, hi, t) * self.k * 2) / 2
        return Type(*HEAD, size, 1.25) if name in ("title", "heading", "viewpoint") else Type(*BODY, size, 1.6)

    def title_type(self) -> Type:
        """The largest title size that keeps each of the title's cover lines on one line."""
        w = self.width - 1

        def attempt(t: float) -> Type | None:
            title = self.type("title", t)
            return title if all(title.measure(line) <= w for line in self.content.document.title_lines) else None

        return largest_fit(attempt) or self.type("title", 0)

    def fit(self) -> Page:
        title = self.title_type()

        def attempt(t: float) -> tuple[dict[str, Type], float] | None:
            types = {name: self.type(name, t) for name in LIMITS}
            if title.size < types["title"].size:  # the cover lines stay whole; smaller only if room is short
                types["title"] = title
            placed = self.place(types)
            return None if placed is None else (types, placed[1])

        fitted = largest_fit(attempt)
        if fitted is not None:
            # Share the room left over between the gaps, so the sheet is evenly filled.
            types, spare = fitted
            pieces, _ = self.place(types, spare / self.spare_slots * 0.999)
            return Page(tuple(pieces), self.content.document.title)
        text, problem, fix = self.failure
        src = text.source
        raise PrintgenError.of(Diagnostic.at(
            src, f"{problem} on one {self.sheet.paper} sheet even at the smallest sizes "
            f"(points {LIMITS['point'][0] * self.k:.0f} pt); {fix}, or use a larger --paper"
        ))

    def fail(self, text: Text, problem: str, fix: str = "shorten it") -> None:
        """Note why :meth:`place` gives up; returns None for it to return."""
        self.failure = (text, problem, fix)

    def fail_wrap(self, texts, kind: Type, width: float, label: Text) -> None:
        """A composed line could not be wrapped: name the part with the long word, else the label."""
        return self.fail(unbreakable(texts, kind, width) or label, "a word of it is too wide for the poster")

    @property
    def columns(self) -> int:
        return 2 if self.sheet.width > self.sheet.height else 1

    @property
    def spare_slots(self) -> int:
        """Gaps that share the room left over: after the band, after the lead, between panel rows."""
        rows = -(-len(self.content.viewpoints.viewpoints) // self.columns)
        return 2 + rows - 1

    def panel(self, vp, vt: Type, pt: Type, width: float, inner: float) -> tuple[float, list[TextBlock]] | None:
        """A viewpoint's panel ``width`` wide: its height and its text, placed from (0, 0)."""
        text_x = inner + 1.6 * PT_PER_MM
        text_w = width - text_x - inner
        title = vt.balance(vp.label, text_w - 1)
        if title is None:
            return self.fail(vp.title, "the viewpoint title does not fit its panel")
        py = inner + len(title) * vt.line + 0.5 * pt.size
        pieces = [TextBlock(text_x, inner, text_w, vt, tuple(title), "headline")]
        for marker, point in vp.numbered_points():
            indent = pt.measure(marker) + 0.25 * pt.size
            lines = pt.wrap(point, text_w - indent - 1)
            if lines is None:
                return self.fail(point, "a word of the point is too wide for its panel")
            pieces += [
                TextBlock(text_x, py, indent, pt, (marker,), "headline"),
                TextBlock(text_x + indent, py, text_w - indent, pt, tuple(lines), "panel-ink"),
            ]
            py += len(lines) * pt.line + 0.35 * pt.size
        return py - 0.35 * pt.size + inner, pieces

    def place(self, ty: dict[str, Type], extra: float = 0.0) -> tuple[list[Rect | TextBlock], float] | None:
        """The poster's pieces at these sizes and the height left over, or ``None`` if they do not fit.
        ``extra`` is added to each of the :attr:`spare_slots` gaps between sections."""
        s, m, w, k = self.sheet, self.margin, self.width, self.k
        c = self.content
        mm = PT_PER_MM * k
        pieces: list[Rect | TextBlock] = background(s)

        # Title band: the title as printed on covers, each cover line broken further only if needed.
        title_lines: list[str] = []
        for line in c.document.title_lines:
            broken = ty["title"].balance(line, w - 1)
            if broken is None:
                return self.fail(line, "a word of the title is too wide for the poster")
            title_lines += broken
        sub = Type(*LABEL, 0.36 * ty["title"].size, 1.3)
        subtitle = self.labels["poster_subtitle"].format(author=c.document.author, date=c.document.date)
        sub_lines = sub.wrap(subtitle, w - 1)
        if sub_lines is None:
            d = c.document
            return self.fail_wrap([d.programme, d.committee, d.date], sub, w - 1, self.labels["poster_subtitle"])
        pad = 14 * mm
        band_h = pad + len(title_lines) * ty["title"].line + 0.4 * sub.size + len(sub_lines) * sub.line + pad
        pieces += [band(s, band_h), Rect(-s.bleed, band_h, s.width + 2 * s.bleed, 2 * mm, "accent")]
        pieces.append(TextBlock(m, pad, w, ty["title"], tuple(title_lines), "band-ink"))
        pieces.append(TextBlock(m, pad + len(title_lines) * ty["title"].line + 0.4 * sub.size, w, sub, tuple(sub_lines), "band-ink"))
        y = band_h + 2 * mm + 10 * mm + extra

        lead = ty["lead"].wrap(c.viewpoints.lead, w - 1)
        if lead is None:
            return self.fail(c.viewpoints.lead, "a word of the lead is too wide for the poster")
        pieces.append(TextBlock(m, y, w, ty["lead"], tuple(lead), "ink"))
        y += len(lead) * ty["lead"].line + 9 * mm + extra

        heading = ty["heading"]
        bar = 2.2 * mm
        pieces.append(Rect(m, y + (heading.line - heading.size) / 2, bar * 2.5, heading.size, "accent"))
        heading_lines = heading.balance(c.viewpoints.heading, w - bar * 4 - 1)
        if heading_lines is None:
            return self.fail(c.viewpoints.heading, "a word of the heading is too wide for the poster")
        pieces.append(TextBlock(m + bar * 4, y, w - bar * 4, heading, tuple(heading_lines), "headline"))
        y += len(heading_lines) * heading.line + 6 * mm

        # One panel per viewpoint: its numbered title, then the four points. Panels fill the width
        # on a portrait sheet; on a landscape sheet they sit two by two, each row as tall as its taller panel.
        gap = 5 * mm
        inner = 7 * mm
        vt, pt = ty["viewpoint"], ty["point"]
        columns = self.columns
        panel_w = (w - (columns - 1) * gap) / columns
        viewpoints = c.viewpoints.viewpoints
        for row in range(0, len(viewpoints), columns):
            panels = []
            for column, vp in enumerate(viewpoints[row : row + columns]):
                panel = self.panel(vp, vt, pt, panel_w, inner)
                if panel is None:
                    return None
                panels.append((m + column * (panel_w + gap), *panel))
            h = max(height for _, height, _ in panels)
            for x, _, panel_pieces in panels:
                pieces += [Rect(x, y, panel_w, h, "panel"), Rect(x, y, 1.6 * mm, h, "accent")]
                pieces += [replace(p, x=p.x + x, y=p.y + y) for p in panel_pieces]
            y += h + gap + extra

        foot = Type(*LABEL, 10 * k, 1.35)
        credit = foot.wrap(credit_line(c, self.labels), w - 1)
        if credit is None:
            d = c.document
            return self.fail_wrap([*d.title_lines, d.programme, d.committee, d.date], foot, w - 1, self.labels["credit"])
        foot_y = s.height - 12 * mm - len(credit) * foot.line
        y -= gap + extra
        if y + 6 * mm > foot_y:
            return self.fail(c.viewpoints.lead, "the poster text does not fit", "shorten the lead or the points")
        pieces.append(TextBlock(m, foot_y, w, foot, tuple(credit), "muted"))
        return pieces, foot_y - 6 * mm - y


@register
class PosterRenderer(SheetRenderer):
    """poster.pdf: one sheet."""

    name = "poster"
    description = "The wall poster: title, lead and the sixteen points on one sheet (A2 by default)."
    options = sheet_options(POSTER_PAPERS)
    content_files = ("document.yaml", "viewpoints.yaml")  # what it prints: rebuilt only when these change
    requires = ("viewpoints",)
    template_dirs = ("sheet", "poster")
    file_name = "poster.pdf"
    template = "poster/poster.html.j2"

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        layout = PosterLayout(sheet, content)
        return [layout.fit()], layout.safe_margin
