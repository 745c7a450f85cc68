"""``cards``: one big-type card per page, for the wall or to hand out.

Cards, in this order: the twenty one-line messages (title as headline, body below), the slogan,
「ケアマネジャーは人と人を結ぶ架け橋」, and one card per viewpoint with its four points. Each
card gets the largest type that fits its page within :data:`LIMITS` (scaled with the paper,
A3 = 1); a card that does not fit at the smallest size is a :class:`PrintgenError` naming it.
All cards are one WeasyPrint document (much faster and smaller than one document per card);
``split`` also writes each page as its own file.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import Diagnostic, PrintgenError
from generator.render.measure import has_widow
from generator.model import Content, Text
from generator.render import Artifact, Option, OptionError, register
from generator.render.sheet import (
    BODY, HEAD, LABEL, LOOSE_PHRASE_BREAK, OFFICE_SHEETS, PHRASE_BREAK, PT_PER_MM, Page, Rect, Sheet, SheetRenderer,
    TextBlock, Type,
    across, background, band, check_print_settings, grid, impose, labels, largest_fit, lerp, safe_slug,
    sheet_options, unbreakable, write_pdf,
)
from generator.render.style import PAPER_SIZES, TYPE_SCALE
from generator.i18n import N_, _

ORDER = 2  # build order: handout, cards, poster, deck
# The build summary's note on a card set smaller than the rest of its series, by kind of card.
SMALLER_NOTE = {
    "message": N_("message card {number:02d} is set smaller than the rest of its series (headline {head:g} pt, text "
                  "{body:g} pt) to fit; shorten it to match"),
    "viewpoint": N_("viewpoint card {number:02d} is set smaller than the rest of its series (headline {head:g} pt, text "
                    "{body:g} pt) to fit; shorten it to match"),
}
CARD_PAPERS = ("A3", "A4", "A5", "A6", "A2", "B4", "B3", "B2")
REFERENCE = "A3"

# Kickers (the label in the band) shrink to fit beside the counter down to this share of their size.
KICKER_MIN_SCALE = 0.6
# Type limits in pt on the reference paper: (headline min, max, headline max lines, text min, max).
# Cards are read from 2-3 m: text at least 28 pt, headlines of the messages at least 72 pt on A3.
LIMITS = {
    "message": (*TYPE_SCALE["card_headline"], 4, *TYPE_SCALE["card_text"]),
    "words": (*TYPE_SCALE["card_words"], 3, 0, 0),
    "viewpoint": (*TYPE_SCALE["card_viewpoint_headline"], 3, *TYPE_SCALE["card_viewpoint_text"]),
}
# A series may use a second, smaller size for the one card that would pull the whole series
# down by more than this share of the size range (said in the build summary).
OUTLIER = 0.2


@dataclass(frozen=True)
class Card:
    number: int
    slug: str
    kind: str  # a key of LIMITS
    kicker: Text
    counter: str
    headline: Text
    body: Text | None = None
    points: tuple[tuple[str, Text], ...] = ()

    @property
    def texts(self) -> list[str]:
        """The card's own text (what must be on its page and on no other)."""
        return [self.headline] + ([self.body] if self.body else []) + [p for _, p in self.points]


def cards_of(content: Content) -> list[Card]:
    """Every card, numbered in order."""
    m, e, v = content.messages, content.encouragement, content.viewpoints
    words = labels()
    specs = []
    for msg in m.messages if m else ():
        counter = words["message_counter"].format(number=msg.number, count=len(m.messages))
        specs.append(("message", msg.id, m.heading, counter, msg.title, msg.body, ()))
    if e:  # (another training's text may have no message of encouragement)
        specs.append(("words", "slogan", words["slogan_kicker"], "", e.slogan, None, ()))
        specs.append(("words", "bridge", words["bridge_kicker"], "", Text(e.bridge, e.subtitle.source), None, ()))
    for vp in v.viewpoints if v else ():
        counter = words["viewpoint_counter"].format(number=vp.number, count=len(v.viewpoints))
        specs.append(("viewpoint", vp.id, v.heading, counter, vp.title, None, tuple(vp.numbered_points())))
    return [
        Card(number, safe_slug(slug), kind, kicker, counter, headline, body, points)
        for number, (kind, slug, kicker, counter, headline, body, points) in enumerate(specs, 1)
    ]


class CardLayout:
    """Places one card's pieces on a sheet; :meth:`fit` picks the type size."""

    def __init__(self, sheet: Sheet, content: Content):
        self.sheet = sheet
        k = self.k = sheet.scale(REFERENCE)
        self.loose: set[int] = set()  # cards whose running text may break inside a phrase (see types())
        self.widows: set[int] = set()  # cards whose headline may end on a widow (see largest())
        inset = sheet.inset  # the office margin (0 with bleed): nothing printed there
        mm = PT_PER_MM
        # Proportional margins (A3: 20 mm), but never less than 4 mm inside the office margin.
        self.margin = max(20 * mm * k, inset + 4 * mm)
        self.safe_margin = max(8 * mm * k, inset + 1 * mm)
        self.band_h = max(30 * mm * k, inset + 22 * mm * k)
        self.stripe_h = 2 * PT_PER_MM * k
        self.width = sheet.width - 2 * self.margin
        self.label = Type(*LABEL, 24 * k, 1.2)
        self.footer = self._footer(content)
        self.top = self.band_h + self.stripe_h + 14 * PT_PER_MM * k
        self.bottom = self.footer[0].y - 10 * PT_PER_MM * k

    def _footer(self, content: Content) -> list[Rect | TextBlock]:
        k, s = self.k, self.sheet
        kind = Type(*LABEL, max(11 * k, 6), 1.35)  # a credit stays legible on a card held in the hand
        lines = kind.wrap(credit_line(content), self.width)
        if lines is None:  # a phrase wider than the page: a long word in one of the credit's parts
            d = content.document
            text = unbreakable([*d.title_lines, d.programme, d.committee, d.date], kind, self.width) or labels()["credit"]
            raise PrintgenError.of(Diagnostic.at(text.source, _("a word of it is too wide for the credit line at the foot of "
                                                               "the cards on {paper} paper; shorten it or add spaces").format(paper=s.paper)))
        y = s.height - max(12 * PT_PER_MM * k, s.inset + 4 * PT_PER_MM) - len(lines) * kind.line
        rule = Rect(self.margin, y - 4 * PT_PER_MM * k, self.width, max(0.8, 1.2 * k), "accent")
        return [rule, TextBlock(self.margin, y, self.width, kind, tuple(lines), "muted")]

    def chrome(self, card: Card) -> list[Rect | TextBlock]:
        """Background, band with kicker and counter: the same on every card (the footer goes last,
        so the PDF's reading order is band, card, footer)."""
        s, m = self.sheet, self.margin
        kicker = self.kicker_type(card)
        # centred in the band, but never in the office margin (an A6 card's band is only
        # 8 mm below it)
        y, kicker_y = (max((self.band_h - t.line) / 2, self.safe_margin) for t in (self.label, kicker))
        pieces: list[Rect | TextBlock] = [
            *background(s),
            band(s, self.band_h),
            across(s, self.band_h, self.stripe_h, "accent"),
            TextBlock(m, kicker_y, self.width, kicker, (card.kicker,), "band-ink"),
        ]
        if card.counter:
            pieces.append(TextBlock(m, y, self.width, self.label, (card.counter,), "band-ink", "right"))
        return pieces

    def kicker_type(self, card: Card) -> Type:
        """The label size, or smaller (down to :data:`KICKER_MIN_SCALE`) so the kicker fits on
        one line beside the counter."""
        room = self.width - 1 - (self.label.measure(card.counter) + self.label.size if card.counter else 0)
        width = self.label.measure(card.kicker)
        if width <= room:
            return self.label
        size = int(self.label.size * room / width * 2) / 2
        if size < KICKER_MIN_SCALE * self.label.size:
            src = card.kicker.source
            raise PrintgenError.of(Diagnostic.at(
                src, _("too long for the band at the top of card {number:02d} ({slug}) on {paper} paper, even at {size:g} pt; "
                       "shorten it").format(number=card.number, slug=card.slug, paper=self.sheet.paper, size=KICKER_MIN_SCALE * self.label.size)
            ))
        return Type(*LABEL, size, self.label.leading)

    def types(self, card: Card, t: float) -> tuple[Type, Type]:
        """The headline and text styles of ``card`` at ``t`` (0 smallest … 1 largest of :data:`LIMITS`)."""
        hmin, hmax, _lines, bmin, bmax = LIMITS[card.kind]
        k = self.k
        if k < 0.7:  # A5, A6: held in the hand, not read from the wall; the floors may go lower
            hmin, bmin = 0.8 * hmin, 0.8 * bmin
        phrase_break = LOOSE_PHRASE_BREAK if card.number in self.loose else PHRASE_BREAK
        return (Type(*HEAD, round(lerp(hmin, hmax, t) * k * 2) / 2, 1.25, phrase_break),
                Type(*BODY, round(lerp(bmin, bmax, t) * k * 2) / 2, 1.4 if card.kind == "viewpoint" else 1.55, phrase_break))

    def largest(self, card: Card) -> float:
        """The largest ``t`` at which ``card`` fits alone; a :class:`PrintgenError` naming it if none."""
        self.kicker_type(card)  # a kicker too long is named before any fitting
        max_lines = LIMITS[card.kind][2]
        t = largest_fit(lambda t: t if self.place(card, *self.types(card, t), max_lines) is not None else None)
        # Rather than not fit at all: a word of the text may break (「ケアマネジメ／ント」), and
        # then the headline may end on a widow (「育つ！」 alone).
        for relaxed in (self.loose, self.widows):
            if t is None:
                relaxed.add(card.number)
                t = largest_fit(lambda t: t if self.place(card, *self.types(card, t), max_lines) is not None else None)
        if t is None:
            raise self.does_not_fit(card, *self.types(card, 0.0), max_lines)
        return t

    def fit(self, card: Card, t: float | None = None) -> Page:
        """``card``'s page at ``t`` (the series' size), or at its own largest size."""
        if t is None:
            t = self.largest(card)
        pieces = self.place(card, *self.types(card, t), LIMITS[card.kind][2])
        if pieces is None:
            raise self.does_not_fit(card, *self.types(card, t), LIMITS[card.kind][2])
        return Page(tuple(self.chrome(card) + pieces + self.footer), f"{card.number:02d} {card.headline}")

    def series(self, cards: list[Card]) -> tuple[list[Page], str]:
        """Every card's page, the cards of a kind set as a series: one headline size and one
        text size for all (the largest all fit), headlines starting at the same height. A card
        that would pull the series down by more than :data:`OUTLIER` gets a second, smaller
        size; the note says which (empty when none)."""
        best = {card.number: self.largest(card) for card in cards}
        chosen: dict[int, float] = {}
        notes = []
        for kind in dict.fromkeys(card.kind for card in cards):
            group = [card for card in cards if card.kind == kind]
            if kind == "words":  # the slogan and the bridge: each its own display size
                chosen.update((card.number, best[card.number]) for card in group)
                continue
            lowest = min(group, key=lambda card: best[card.number])
            rest = [best[card.number] for card in group if card is not lowest]
            small = [lowest] if rest and best[lowest.number] < min(rest) - OUTLIER else []
            main = min(rest) if small else best[lowest.number]
            chosen.update((card.number, main) for card in group)
            if small:
                t_small = min(best[card.number] for card in small)
                chosen.update((card.number, t_small) for card in small)
                head, body = self.types(small[0], t_small)
                notes.append(_(SMALLER_NOTE.get(kind, SMALLER_NOTE["message"])).format(
                    number=small[0].number, head=head.size, body=body.size))
        return [self.fit(card, chosen[card.number]) for card in cards], "; ".join(notes)

    def place(self, card: Card, head: Type, body: Type, max_lines: int) -> list[Rect | TextBlock] | None:
        """The card's own pieces at these sizes, or ``None`` if they do not fit."""
        m, w, k = self.margin, self.width, self.k
        align = "center" if card.kind == "words" else "left"
        lines = head.balance(card.headline, w - 1, max_lines)
        if lines is None:
            return None
        if card.number not in self.widows and has_widow(lines):
            return None  # a headline's widow: a size smaller, on fewer or fuller lines
        bar_w, bar_h = 40 * PT_PER_MM * k, 2.2 * PT_PER_MM * k
        gap_above, gap_below = 0.55 * head.size, 0.9 * body.size if card.kind != "words" else 0.55 * head.size
        blocks: list[tuple[float, list]] = []  # (height, pieces placed at y = 0)
        blocks.append((len(lines) * head.line, [TextBlock(m, 0, w, head, tuple(lines), "headline", align)]))
        bar_x = m + (w - bar_w) / 2 if align == "center" else m
        blocks.append((gap_above + bar_h + gap_below, [Rect(bar_x, gap_above, bar_w, bar_h, "accent")]))
        if card.body:
            body_lines = body.wrap(card.body, w - 1)
            if body_lines is None:
                return None
            blocks.append((len(body_lines) * body.line, [TextBlock(m, 0, w, body, tuple(body_lines), "ink")]))
        # The points: one column, or two side by side on a landscape sheet (short lines).
        columns = 2 if card.points and self.sheet.width > self.sheet.height else 1
        gutter = 10 * PT_PER_MM * self.k
        col_w = (w - (columns - 1) * gutter) / columns
        per_column = -(-len(card.points) // columns)
        stacks: list[tuple[float, list]] = []
        for column in range(columns):
            y, pieces = 0.0, []
            x = m + column * (col_w + gutter)
            for i, (marker, point) in enumerate(card.points[column * per_column : (column + 1) * per_column]):
                indent = body.measure(marker) + 0.25 * body.size
                point_lines = body.fill(point, col_w - indent - 1)
                if point_lines is None:
                    return None
                y += 0.4 * body.size if i else 0
                pieces += [TextBlock(x, y, indent, body, (marker,), "headline"),
                           TextBlock(x + indent, y, col_w - indent, body, tuple(point_lines), "ink")]
                y += len(point_lines) * body.line
            stacks.append((y, pieces))
        if card.points:
            blocks.append((max(h for h, _ in stacks), [p for _, pieces in stacks for p in pieces]))
        used = sum(h for h, _ in blocks)
        room = self.bottom - self.top
        if used > room:
            return None
        # The words cards are centred; a series' headlines all start at the same height.
        y = self.top + (room - used) * 0.5 if card.kind == "words" else self.top
        placed = []
        for height, pieces in blocks:
            placed += [_moved(p, y) for p in pieces]
            y += height
        return placed

    def does_not_fit(self, card: Card, head: Type, body: Type, max_lines: int) -> PrintgenError:
        w = self.width - 1
        paper = self.sheet.paper
        if head.balance(card.headline, w, max_lines) is None:
            text = card.headline
            problem = _("the headline does not fit in {lines} lines at the smallest headline size ({size:g} pt)").format(lines=max_lines, size=head.size)
        else:
            text = card.body or max((p for _, p in card.points), key=len)
            problem = _("the text does not fit at the smallest sizes (headline {head:g} pt, text {body:g} pt)").format(head=head.size, body=body.size)
        message = _("card {number:02d} ({slug}) does not fit on one {paper} page: {problem}; shorten it, or use a larger --paper").format(
            number=card.number, slug=card.slug, paper=paper, problem=problem)
        src = text.source
        return PrintgenError.of(Diagnostic.at(src, message) if src else Diagnostic(f"card {card.number}", None, card.slug, message))


def _moved(piece: Rect | TextBlock, dy: float) -> Rect | TextBlock:
    from dataclasses import replace

    return replace(piece, y=piece.y + dy)


def credit_line(content: Content, words: dict[str, Text] | None = None) -> str:
    """The credit at the foot of cards and poster (``words``: the labels, if already read)."""
    d = content.document
    return (words or labels())["credit"].format(author=d.author, title=d.title, date=d.date)


@register
class CardsRenderer(SheetRenderer):
    """cards.pdf, and with ``split`` each card as its own file in cards/."""

    name = "cards"
    description = _("Message cards in big type, one per page (A3 by default), or several to an office sheet (--sheet).")
    options = (*sheet_options(CARD_PAPERS),
               Option("sheet", "choice", _("Print the cards several to a sheet of this size for an office printer, "
                                           "with cut marks (A5 cards: 2 to an A4, A6: 4 to an A4, A4: 2 to an A3)."),
                      choices=OFFICE_SHEETS, metavar="[A4|A3]"),
               Option("split", "flag", _("Also write each card as its own file, OUT/cards/NN-<id>.pdf."), default=False))
    content_files = ("document.yaml", "viewpoints.yaml", "encouragement.yaml", "messages.yaml")  # what it prints: rebuilt only when these change
    requires = ("messages",)  # the other parts add their cards when the content has them
    template_dirs = ("sheet", "cards")
    file_name = "cards.pdf"
    template = "cards/cards.html.j2"

    @classmethod
    def check_settings(cls, settings: dict) -> None:
        check_print_settings(settings)
        paper = settings.get("sheet")
        if paper is None:
            return
        if settings.get("print_shop"):
            raise OptionError(_("--print-shop prints each card on its own page for the print shop to impose; "
                                "leave out --sheet"), "sheet")
        if settings.get("bleed") or settings.get("crop_marks"):
            raise OptionError(_("cards printed several to a sheet have cut marks and no bleed; "
                                "leave out --bleed and --crop-marks"), "sheet")
        if settings.get("split"):
            raise OptionError(_("--split writes each card on its own page; leave out --sheet"), "sheet")
        card = Sheet.plain(settings.get("paper") or CARD_PAPERS[0], bool(settings.get("landscape")))
        _sheet, cols, rows = grid(card.width, card.height, paper)
        if cols * rows < 2:
            fitting = [p for p in CARD_PAPERS if (lambda g: g[1] * g[2] >= 2)(grid(*(v * PT_PER_MM for v in PAPER_SIZES[p]), paper))]
            raise OptionError(_("{card} cards do not fit two to an {paper} sheet; use --paper {fitting} with --sheet {paper}").format(
                card=card.paper, paper=paper, fitting=_(" or ").join(fitting)), "sheet")

    def title(self, content: Content) -> str:
        return f"{content.document.title}　メッセージカード"

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        layout = CardLayout(sheet, content)
        self.cards = cards_of(content)
        pages, self.note = layout.series(self.cards)
        return pages, layout.safe_margin

    def office(self, pages, sheet, content):
        if self.settings["sheet"] is None:
            return None
        out, imposed = impose(pages, sheet, self.settings["sheet"])
        return out, imposed, out.inset

    def render(self, content: Content) -> list[Artifact]:
        artifacts = super().render(content)
        if self.settings["split"]:  # (refused with --sheet: see check_settings)
            for card, page in zip(self.cards, self.document.pages):
                name = f"cards/{card.number:02d}-{card.slug}.pdf"
                artifacts.append(Artifact(name, write_pdf(self.document, self.sheet, [page]), 1))
        return artifacts
