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
from generator.model import Content, Text
from generator.render import Artifact, Option, register
from generator.render.sheet import (
    BODY, HEAD, LABEL, PT_PER_MM, Page, Rect, Sheet, SheetRenderer, TextBlock, Type,
    background, band, labels, largest_fit, lerp, safe_slug, sheet_options, unbreakable, write_pdf,
)

ORDER = 2  # build order: handout, cards, poster, deck
CARD_PAPERS = ("A3", "A4", "A2", "B4", "B3", "B2")
REFERENCE = "A3"

# Kickers (the label in the band) shrink to fit beside the counter down to this share of their size.
KICKER_MIN_SCALE = 0.6
# Type limits in pt on the reference paper: (headline min, max, headline max lines, text min, max).
LIMITS = {
    "message": (60, 120, 4, 22, 36),
    "words": (60, 200, 3, 0, 0),
    "viewpoint": (60, 96, 4, 20, 30),
}


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
    for msg in m.messages:
        counter = words["message_counter"].format(number=msg.number, count=len(m.messages))
        specs.append(("message", msg.id, m.heading, counter, msg.title, msg.body, ()))
    specs.append(("words", "slogan", words["slogan_kicker"], "", e.slogan, None, ()))
    specs.append(("words", "bridge", words["bridge_kicker"], "", Text(e.bridge, e.subtitle.source), None, ()))
    for vp in v.viewpoints:
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
        self.margin = 20 * PT_PER_MM * k
        self.safe_margin = 8 * PT_PER_MM * k
        self.band_h = 30 * PT_PER_MM * k
        self.stripe_h = 2 * PT_PER_MM * k
        self.width = sheet.width - 2 * self.margin
        self.label = Type(*LABEL, 24 * k, 1.2)
        self.footer = self._footer(content)
        self.top = self.band_h + self.stripe_h + 14 * PT_PER_MM * k
        self.bottom = self.footer[0].y - 10 * PT_PER_MM * k

    def _footer(self, content: Content) -> list[Rect | TextBlock]:
        k, s = self.k, self.sheet
        kind = Type(*LABEL, 11 * k, 1.35)
        lines = kind.wrap(credit_line(content), self.width)
        if lines is None:  # a phrase wider than the page: a long word in one of the credit's parts
            d = content.document
            text = unbreakable([*d.title_lines, d.programme, d.committee, d.date], kind, self.width) or labels()["credit"]
            raise PrintgenError.of(Diagnostic.at(text.source, "a word of it is too wide for the credit line "
                                                 f"at the foot of the cards on {s.paper} paper; shorten it or add spaces"))
        y = s.height - 12 * PT_PER_MM * k - len(lines) * kind.line
        rule = Rect(self.margin, y - 4 * PT_PER_MM * k, self.width, max(0.8, 1.2 * k), "accent")
        return [rule, TextBlock(self.margin, y, self.width, kind, tuple(lines), "muted")]

    def chrome(self, card: Card) -> list[Rect | TextBlock]:
        """Background, band with kicker and counter: the same on every card (the footer goes last,
        so the PDF's reading order is band, card, footer)."""
        s, m = self.sheet, self.margin
        y = (self.band_h - self.label.line) / 2
        kicker = self.kicker_type(card)
        pieces: list[Rect | TextBlock] = [
            *background(s),
            band(s, self.band_h),
            Rect(-s.bleed, self.band_h, s.width + 2 * s.bleed, self.stripe_h, "accent"),
            TextBlock(m, (self.band_h - kicker.line) / 2, self.width, kicker, (card.kicker,), "band-ink"),
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
                src, f"too long for the band at the top of card {card.number:02d} ({card.slug}) "
                f"on {self.sheet.paper} paper, even at {KICKER_MIN_SCALE * self.label.size:g} pt; shorten it"
            ))
        return Type(*LABEL, size, self.label.leading)

    def fit(self, card: Card) -> Page:
        self.kicker_type(card)  # a kicker too long is named before any fitting
        hmin, hmax, max_lines, bmin, bmax = LIMITS[card.kind]
        k = self.k

        def attempt(t: float) -> list[Rect | TextBlock] | None:
            head = Type(*HEAD, round(lerp(hmin, hmax, t) * k * 2) / 2, 1.28)
            body = Type(*BODY, round(lerp(bmin, bmax, t) * k * 2) / 2, 1.65)
            return self.place(card, head, body, max_lines)

        pieces = largest_fit(attempt)
        if pieces is not None:
            return Page(tuple(self.chrome(card) + pieces + self.footer), f"{card.number:02d} {card.headline}")
        raise self.does_not_fit(card, Type(*HEAD, hmin * k, 1.28), Type(*BODY, bmin * k, 1.65), max_lines)

    def place(self, card: Card, head: Type, body: Type, max_lines: int) -> list[Rect | TextBlock] | None:
        """The card's own pieces at these sizes, or ``None`` if they do not fit."""
        m, w, k = self.margin, self.width, self.k
        align = "center" if card.kind == "words" else "left"
        lines = head.balance(card.headline, w - 1, max_lines)
        if lines is None:
            return None
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
        for i, (marker, point) in enumerate(card.points):
            indent = body.measure(marker) + 0.25 * body.size
            point_lines = body.wrap(point, w - indent - 1)
            if point_lines is None:
                return None
            gap = 0.55 * body.size if i else 0
            blocks.append((gap + len(point_lines) * body.line, [
                TextBlock(m, gap, indent, body, (marker,), "headline"),
                TextBlock(m + indent, gap, w - indent, body, tuple(point_lines), "ink"),
            ]))
        used = sum(h for h, _ in blocks)
        room = self.bottom - self.top
        if used > room:
            return None
        y = self.top + (room - used) * (0.5 if card.kind == "words" else 0.35)
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
            problem = f"the headline does not fit in {max_lines} lines at the smallest headline size ({head.size:g} pt)"
        else:
            text = card.body or max((p for _, p in card.points), key=len)
            problem = f"the text does not fit at the smallest sizes (headline {head.size:g} pt, text {body.size:g} pt)"
        message = (f"card {card.number:02d} ({card.slug}) does not fit on one {paper} page: {problem}; "
                   f"shorten it, or use a larger --paper")
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
    description = "Message cards in big type, one per page (A3 by default)."
    options = (*sheet_options(CARD_PAPERS),
               Option("split", "flag", "Also write each card as its own file, OUT/cards/NN-<id>.pdf.", default=False))
    content_files = ("document.yaml", "viewpoints.yaml", "encouragement.yaml", "messages.yaml")  # what it prints: rebuilt only when these change
    requires = ("messages", "encouragement", "viewpoints")
    template_dirs = ("sheet", "cards")
    file_name = "cards.pdf"
    template = "cards/cards.html.j2"

    def title(self, content: Content) -> str:
        return f"{content.document.title}　メッセージカード"

    def lay_out(self, content: Content, sheet: Sheet) -> tuple[list[Page], float]:
        layout = CardLayout(sheet, content)
        self.cards = cards_of(content)
        return [layout.fit(card) for card in self.cards], layout.safe_margin

    def render(self, content: Content) -> list[Artifact]:
        artifacts = super().render(content)
        if self.settings["split"]:
            for card, page in zip(self.cards, self.document.pages):
                name = f"cards/{card.number:02d}-{card.slug}.pdf"
                artifacts.append(Artifact(name, write_pdf(self.document, self.sheet, [page]), 1))
        return artifacts
