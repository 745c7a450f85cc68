"""``poster``: one wall sheet with the title, the lead text and the four viewpoints' sixteen points.

Laid out like the cards (:mod:`generator.render.sheet`): every line measured, one size scale
for the whole sheet, the largest that fits within :data:`LIMITS` (scaled with the paper, A2 = 1).
"""

from __future__ import annotations

from generator.errors import Diagnostic, PrintgenError
from generator.i18n import N_, _
from generator.model import Content, Text
from generator.render import Option, OptionError, register
from generator.render.cards import credit_line
from generator.render.style import PAPER_SIZES, TYPE_SCALE
from generator.render.sheet import (
    BODY, HEAD, LABEL, LOOSE_PHRASE_BREAK, OFFICE_SHEETS, PHRASE_BREAK, PT_PER_MM, Page, Rect, Sheet, SheetRenderer,
    TextBlock, Tiling, Type, TILE_OVERLAP_MM, across, background, band, check_print_settings, labels, largest_fit, lerp, moved, sheet_options,
)

ORDER = 3  # build order: handout, cards, poster, deck
POSTER_PAPERS = ("A2", "A1", "A3", "B2", "B3")
REFERENCE = "A2"

# Type sizes in pt on the reference paper (A2, read from 1-2 m): (smallest, largest). The
# smallest are the legibility floor (points 24 pt, viewpoint headings 36 pt, title 72 pt).
LIMITS = {
    "title": TYPE_SCALE["poster_title"],
    "heading": TYPE_SCALE["poster_heading"],
    "point": TYPE_SCALE["poster_text"],
    "lead": TYPE_SCALE["poster_lead"],
    "kicker": TYPE_SCALE["poster_kicker"],
}
MAX_HEADING_LINES = 4
# Lines of the points at most about this many characters (a poster is read standing, in short lines).
MAX_CHARS = 25


class PosterLayout:
    """Title band, the sixteen points in columns (a viewpoint's heading above its points,
    a point never split), the lead and the credit in the footer. If the text does not fit
    at the smallest sizes, the layout changes (more columns), never the text."""

    def __init__(self, sheet: Sheet, content: Content):
        self.sheet, self.content = sheet, content
        k = self.k = sheet.scale(REFERENCE)
        self.mm = PT_PER_MM * k
        self.margin = sheet.inset + 8 * self.mm
        self.safe_margin = sheet.inset + 3 * self.mm
        self.width = sheet.width - 2 * self.margin
        self.labels = labels()
        self.failure: tuple[Text, str, str] | None = None
        self.phrase_break = PHRASE_BREAK  # running text breaks between phrases when it can

    def type(self, name: str, t: float) -> Type:
        lo, hi = LIMITS[name]
        # The floors are legibility minimums at reading distance: smaller paper is read from
        # closer (they scale down), bigger paper is not read from farther (they stay).
        size = round(lerp(lo * min(self.k, 1), hi * self.k, t) * 2) / 2
        if name in ("title", "heading"):
            return Type(*HEAD, size, 1.15, self.phrase_break)
        return Type(*BODY, size, 1.35 if name == "point" else 1.5, self.phrase_break)

    def fit(self) -> list[Page]:
        """One sheet if the text fits at the smallest sizes; else the layout changes: more
        columns, then two sheets (the first two viewpoints and the lead, the last two)."""
        vps = self.content.viewpoints.viewpoints
        half = (len(vps) + 1) // 2
        layouts = [(parts, columns, phrase_break)
                   for parts in ([(vps, True)], [(vps[:half], True), (vps[half:], False)])
                   for columns in self.column_choices()
                   for phrase_break in (PHRASE_BREAK, LOOSE_PHRASE_BREAK)]  # (words whole first)
        for parts, columns, self.phrase_break in layouts:
            self.failure = None
            types = lambda t: {n: self.type(n, t) for n in LIMITS}
            marks = [self.labels["poster_part"].format(number=n, count=len(parts)) if len(parts) > 1 else ""
                     for n in range(1, len(parts) + 1)]
            ts = [largest_fit(lambda t: t if self.place(types(t), columns, part, lead, mark) is not None else None)
                  for (part, lead), mark in zip(parts, marks)]
            if None in ts:
                continue
            t = min(ts)  # every sheet of the poster at the same sizes
            if self.measure(columns) / types(t)["point"].size > MAX_CHARS * 1.12:
                continue  # lines much longer than about 25 characters: more columns
            return [Page(tuple(self.place(types(t), columns, part, lead, mark)), self.content.document.title + mark)
                    for (part, lead), mark in zip(parts, marks)]
        text, problem, fix = self.failure
        raise PrintgenError.of(Diagnostic.at(
            text.source, _("{problem} on {paper} paper even at the smallest sizes (points {size:.0f} pt); {fix}, or use a "
                           "larger --paper").format(problem=_(problem).format(lines=MAX_HEADING_LINES), paper=self.sheet.paper,
                                                     size=LIMITS["point"][0] * self.k, fix=_(fix))
        ))

    def column_choices(self) -> list[int]:
        """Column counts to try, in order: the fewest whose lines stay within :data:`MAX_CHARS`
        at the largest point size, then one more."""
        point = self.type("point", 1.0)
        for columns in range(1, 6):
            if (self.width - (columns - 1) * self.gutter) / columns <= MAX_CHARS * point.size:
                return [columns, columns + 1]
        return [5]

    def measure(self, columns: int) -> float:
        """The width of a column of points."""
        return (self.width - (columns - 1) * self.gutter) / columns

    @property
    def gutter(self) -> float:
        return 10 * self.mm

    def fail(self, text: Text, problem: str, fix: str = N_("shorten it")) -> None:
        """Note why :meth:`place` gives up (returns None for it to return). A text too long
        for its place is what to report, more than the sheet as a whole being full."""
        if self.failure is None or not problem.startswith("the poster text"):
            self.failure = (text, problem, fix)

    def blocks(self, ty: dict[str, Type], width: float, viewpoints) -> list[tuple[float, list, bool]] | None:
        """The column content as blocks ``(height, pieces placed from (0, 0), keep with next)``."""
        hd, pt = ty["heading"], ty["point"]
        out = []
        bar = 2.2 * self.mm
        for vp in viewpoints:
            lines = hd.balance(vp.label, width - 3 * bar - 1) or hd.fill(vp.label, width - 3 * bar - 1)
            if lines is None:
                return self.fail(vp.title, N_("a word of the viewpoint title is too wide for its column"))
            if len(lines) > MAX_HEADING_LINES:
                return self.fail(vp.title, N_("the viewpoint title does not fit its column in {lines} lines"))
            h = len(lines) * hd.line
            out.append((h + 0.3 * pt.size, [Rect(0, 0.1 * hd.size, bar, h - 0.2 * hd.size, "accent"),
                                             TextBlock(3 * bar, 0, width - 3 * bar, hd, tuple(lines), "headline")], True))
            for marker, point in vp.numbered_points():
                indent = pt.measure(marker) + 0.2 * pt.size
                body = pt.fill(point, width - indent - 1)
                if body is None:
                    return self.fail(point, N_("a word of the point is too wide for its column"))
                out.append((len(body) * pt.line + 0.3 * pt.size, [
                    TextBlock(0, 0, indent, pt, (marker,), "headline"),
                    TextBlock(indent, 0, width - indent, pt, tuple(body), "ink")], False))
            height, pieces, keep = out[-1]
            out[-1] = (height + 0.6 * pt.size, pieces, keep)  # more room before the next viewpoint
        return out

    def place(self, ty: dict[str, Type], columns: int, viewpoints, with_lead: bool = True, mark: str = "") -> list | None:
        """The pieces of a sheet with ``viewpoints`` (and the lead, if ``with_lead``) at these
        sizes in ``columns``, or ``None`` if they do not fit; ``mark``: which sheet of several."""
        s, m, w, mm = self.sheet, self.margin, self.width, self.mm
        c = self.content
        pieces: list = background(s)
        # Title band: the heading of the points as a kicker, the title as printed on covers.
        title = ty["title"]
        title_lines: list[str] = []
        for line in c.document.title_lines:
            broken = title.balance(line, w - 1)
            if broken is None:
                return self.fail(line, N_("a word of the title is too wide for the poster"))
            title_lines += broken
        sub = Type(*LABEL, round(0.34 * title.size * 2) / 2, 1.3)
        subtitle = self.labels["poster_subtitle"].format(author=c.document.author, date=c.document.date)
        sub_lines = sub.wrap(subtitle, w - 1)
        if sub_lines is None:
            return self.fail(self.labels["poster_subtitle"], N_("a word of the subtitle is too wide for the poster"))
        top = s.inset + 8 * mm
        y = top
        pieces.append(TextBlock(m, y, w, title, tuple(title_lines), "band-ink"))
        y += len(title_lines) * title.line + 0.3 * sub.size
        pieces.append(TextBlock(m, y, w, sub, tuple(sub_lines), "band-ink"))
        band_h = y + len(sub_lines) * sub.line + 7 * mm
        pieces[len(pieces) - 2 : len(pieces) - 2] = [band(s, band_h), across(s, band_h, 2 * mm, "accent")]
        y = band_h + 2 * mm + 6 * mm
        heading = ty["kicker"]
        kicker = heading.balance(c.viewpoints.heading + mark, w - 1)
        if kicker is None:
            return self.fail(c.viewpoints.heading, N_("a word of the heading is too wide for the poster"))
        pieces.append(TextBlock(m, y, w, heading, tuple(kicker), "headline"))
        y += len(kicker) * heading.line + 4 * mm

        # Footer, from the bottom up: the credit, then the lead in short columns.
        foot = Type(*LABEL, round(10 * self.k * 2) / 2, 1.35)
        credit = foot.wrap(credit_line(c, self.labels), w - 1)
        if credit is None:
            return self.fail(self.labels["credit"], N_("a word of the credit is too wide for the poster"))
        foot_y = s.height - s.inset - 5 * mm - len(credit) * foot.line
        lead_type = ty["lead"]
        lead_columns = max(columns, 2)
        lead_w = (w - (lead_columns - 1) * self.gutter) / lead_columns
        lead_lines = lead_type.fill(c.viewpoints.lead, lead_w - 1) if with_lead else []
        if lead_lines is None:
            return self.fail(c.viewpoints.lead, N_("a word of the lead is too wide for the poster"))
        per = -(-len(lead_lines) // lead_columns) if lead_lines else 0
        lead_h = per * lead_type.line
        lead_y = foot_y - 3 * mm - lead_h
        rule_y = lead_y - 4 * mm
        for i in range(lead_columns):
            part = lead_lines[i * per : (i + 1) * per]
            if part:
                pieces.append(TextBlock(m + i * (lead_w + self.gutter), lead_y, lead_w, lead_type, tuple(part), "muted"))
        pieces.append(Rect(m, rule_y, w, max(0.8, 1.2 * self.k), "accent"))
        pieces.append(TextBlock(m, foot_y, w, foot, tuple(credit), "muted"))

        # The points in columns, balanced: blocks in order, a heading kept with its first point.
        col_w = self.measure(columns)
        blocks = self.blocks(ty, col_w, viewpoints)
        if blocks is None:
            return None
        room = rule_y - 4 * mm - y
        split = balance_columns([h for h, _, _ in blocks], [k for _, _, k in blocks], columns, room)
        if split is None:
            return self.fail(c.viewpoints.lead, N_("the poster text does not fit"), N_("shorten the points or the lead"))
        for column, (first, last) in enumerate(split):
            x, cy = m + column * (col_w + self.gutter), y
            for height, block, _keep in blocks[first:last]:
                pieces += [moved(p, x, cy) for p in block]
                cy += height
        return pieces


def balance_columns(heights: list[float], keep: list[bool], columns: int, room: float) -> list[tuple[int, int]] | None:
    """Split blocks (in order) into ``columns`` runs, no column taller than ``room``, the
    tallest as short as possible; a block marked ``keep`` never ends a column. ``None`` if
    they do not fit."""
    n = len(heights)
    best = None

    def runs(start: int, left: int):
        if left == 1:
            yield [(start, n)]
            return
        for end in range(start + 1, n):
            if not keep[end - 1]:
                for rest in runs(end, left - 1):
                    yield [(start, end), *rest]

    for split in runs(0, columns):
        tallest = max(sum(heights[a:b]) for a, b in split)
        if tallest <= room and (best is None or tallest < best[0]):
            best = (tallest, split)
    return None if best is None else best[1]


@register
class PosterRenderer(SheetRenderer):
    """poster.pdf: one sheet, or the sheet tiled onto office paper (``tile``)."""

    name = "poster"
    description = _("The wall poster: the title, the lead and every viewpoint with its points (A2 by default).")
    options = (*sheet_options(POSTER_PAPERS),
               Option("tile", "choice", _("Print the poster on several sheets of this size for an office printer, overlapping "
                                          "by {overlap:g} mm, with alignment marks and an assembly map.").format(overlap=TILE_OVERLAP_MM),
                      choices=OFFICE_SHEETS, metavar="[A4|A3]"))
    content_files = ("document.yaml", "viewpoints.yaml")  # what it prints: rebuilt only when these change
    requires = ("viewpoints",)
    template_dirs = ("sheet", "poster")
    file_name = "poster.pdf"
    template = "poster/poster.html.j2"

    @classmethod
    def check_settings(cls, settings: dict) -> None:
        check_print_settings(settings)
        tile = settings.get("tile")
        if tile and (settings.get("print_shop") or settings.get("bleed") or settings.get("crop_marks")):
            raise OptionError(_("a tiled poster is for an office printer; leave out --print-shop, --bleed and --crop-marks"), "tile")
        paper = settings.get("paper") or POSTER_PAPERS[0]
        if tile and PAPER_SIZES[paper][0] * PAPER_SIZES[paper][1] <= PAPER_SIZES[tile][0] * PAPER_SIZES[tile][1]:
            raise OptionError(_("the poster ({paper}) is not larger than a sheet of {tile}; print it as it is, without --tile").format(
                paper=paper, tile=tile), "tile")

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        layout = PosterLayout(sheet, content)
        pages = layout.fit()
        if len(pages) > 1:
            self.note = _("the points do not fit one {paper} sheet at the legible sizes: {count} sheets (a larger --paper "
                          "holds them on one)").format(paper=sheet.paper, count=len(pages))
        return pages, layout.safe_margin

    def office(self, pages, sheet, content):
        if self.settings["tile"] is None:
            return None
        tiling = Tiling.of(sheet, self.settings["tile"])
        words = labels()
        tiles = []
        for number, page in enumerate(pages, 1):  # a poster of two sheets: say which one
            which = sheet.paper + (words["poster_part"].format(number=number, count=len(pages)) if len(pages) > 1 else "")
            tiles += tiling.pages(page, words, which)
        return tiling.sheet, tiles, None
