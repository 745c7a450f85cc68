"""The training handout: the whole text as one PDF, with an overview, message cards and a worksheet.

Layout and all fixed wording live in ``templates/handout/``; this module chooses the paper,
picks the worksheet questions out of the content and hands the model to the template.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from generator.i18n import _
from generator.model import POINT_MARKERS, Content
from generator.render import Artifact, Option, Renderer, register
from generator.render.compose import COMPOSE_CSS, Column
from generator.render.style import PAPER_SIZES
from generator.render.typeset import TYPESET_CSS, is_question, sentences


@dataclass(frozen=True)
class Paper:
    """A paper size and the type size and margins that suit it.

    The text block is exactly ``measure`` em of the body size wide (Japanese lines are a whole
    number of characters) and centred: the side margins are what the paper leaves, so the
    running head, the tables and the card grid share one width with the body.
    """

    name: str  # a key of PAPERS
    font_pt: float  # body text; everything else is sized in em/rem from it
    top_mm: float
    bottom_mm: float
    measure: int  # characters per line
    cards_per_page: int = 10
    dense: float = 1.0  # scale of the tables' and cards' type (small pages need it smaller)
    min_side_mm: float = 15.0  # office printers clip up to ~5 mm; the folio sits in the margin

    @property
    def width_mm(self) -> float:
        return PAPER_SIZES[self.name][0]

    @property
    def height_mm(self) -> float:
        return PAPER_SIZES[self.name][1]

    @property
    def text_width_pt(self) -> float:
        return self.measure * self.font_pt

    @property
    def side_mm(self) -> float:
        return (self.width_mm - self.text_width_pt / MM) / 2

    def __post_init__(self):
        if self.side_mm < self.min_side_mm:
            raise ValueError(f"{self.name}: {self.measure} characters leave side margins under {self.min_side_mm} mm")

    @property
    def margin(self) -> str:
        """CSS margin of @page: top right bottom left."""
        return f"{self.top_mm:g}mm {self.side_mm:.3f}mm {self.bottom_mm:g}mm {self.side_mm:.3f}mm"

    @property
    def cover_height_mm(self) -> float:
        """Height of the cover's content box (the page minus its top and bottom margins)."""
        return self.height_mm - self.top_mm - self.bottom_mm - 1

    @property
    def css_size(self) -> str:
        return f"{self.width_mm:g}mm {self.height_mm:g}mm"


MM = 72 / 25.4  # points in a millimetre


def whole(width: float, size: float) -> float:
    """``width`` rounded down to a whole number of characters of ``size``."""
    return math.floor(width / size + 1e-6) * size

# Margins stay ≥ 15 mm everywhere: office printers clip up to ~5 mm, the running head and
# folio sit inside the margin. B5 is JIS B5 (182 × 257 mm), not ISO B5 (176 × 250 mm).
PAPERS = {
    "A4": Paper("A4", 10.5, 22, 20, 45),
    "B5": Paper("B5", 10.5, 19, 18, 40, cards_per_page=8, dense=0.9),
    "A3": Paper("A3", 14.5, 30, 28, 47),
}


class Layout:
    """Every column the handout sets text in, for one paper: what templates/handout/handout.css
    draws round them (paddings, borders, gutters) is set here too, so the composed lines
    (generator/render/compose.py) are exactly as wide as their boxes."""

    def __init__(self, paper: Paper, heads: tuple[str, ...] = ()):
        """``heads``: the overview's row heads (「1.利用者・家族との関係において、…」): its first
        column is made wide enough for the widest phrase of any of them."""
        from generator.fonts import FACES, wakan_available
        from generator.render.compose import line_width
        from generator.render.phrases import phrases

        mincho, bold = FACES[0], FACES[2]
        rem, mm, d = paper.font_pt, MM, paper.dense
        full = paper.text_width_pt
        self.paper = paper
        self.full = full
        # the overview table: a viewpoint column and one per point, 0.5 pt rules, 1.6 mm padding
        self.rule = 0.5
        self.cell_pad = 1.6 * mm
        table = 0.74 * d * rem
        # Narrow columns of justified text are a whole number of characters wide (JLReq: a line
        # length is a multiple of the type size), so a full line has no slack to spread; what
        # is left goes to the column beside them or to the padding.
        self.point_cols = 4
        head_size = 1.05 * table
        widest = max((line_width(p, bold, head_size) for head in heads for p in phrases(head)), default=0.0)
        # (at most a third of the table: a longer phrase breaks by characters)
        vp_share = min(max(full * 0.2, widest + 2 * self.cell_pad + 2 * self.rule + 0.5), full / 3)
        point_text = whole((full - vp_share) / self.point_cols - 2 * self.cell_pad - self.rule, table)
        self.point_col = point_text + 2 * self.cell_pad + self.rule
        self.vp_col = full - self.point_cols * self.point_col
        # the checklist: point, three boxes, memo
        self.check_pad = 1.5 * mm
        check_hang = 1.3 * table
        self.check_point_col = whole(full * 0.55 - 2 * self.check_pad - 2 * self.rule - check_hang, table) \
            + 2 * self.check_pad + 2 * self.rule + check_hang
        self.check_box_col = round(full * 0.095, 3)  # 「できている」 on one line (the heads are 0.85 em)
        self.check_memo_col = full - self.check_point_col - 3 * self.check_box_col
        # the message cards: two a row
        self.gutter = 3.5 * mm
        self.card_w = (full - self.gutter) / 2
        self.card_rule = 0.6
        card_inner = whole(self.card_w - 6 * mm - 2 * self.card_rule, 0.82 * d * rem)
        self.card_pad = (self.card_w - 2 * self.card_rule - card_inner) / 2
        card_head = 0.9 * d * rem
        # the tinted boxes (about 4 mm padding) and the quotes (about 3 mm and a 2 pt rule)
        lead_text, box_text = whole(full - 8 * mm, 0.95 * rem), whole(full - 8 * mm, rem)
        quote_text = whole(full - 6 * mm - 2, rem)
        self.lead_pad, self.box_pad, self.quote_pad = (full - lead_text) / 2, (full - box_text) / 2, (full - 2 - quote_text) / 2
        c = functools.partial(Column, wakan=wakan_available())
        self.columns = {
            "body": c(mincho, rem, full, indent=1),
            "plain": c(mincho, rem, full),
            "ragged": c(mincho, rem, full, justify=False),
            "h2": c(bold, 1.55 * rem, full, justify=False),
            "h3": c(bold, 1.1 * rem, full - 2.5 * mm - 3, justify=False),
            "viewpoint": c(bold, 1.15 * rem, full - 2.5 * mm - 3, justify=False),
            "lead": c(mincho, 0.95 * rem, lead_text),
            "box": c(mincho, rem, box_text),
            "point": c(mincho, rem, full - 1.5 * rem),
            "cell": c(mincho, table, self.point_col - 2 * self.cell_pad - self.rule),
            # (the first column also draws the table's left rule)
            "vp_head": c(bold, 1.05 * table, self.vp_col - 2 * self.cell_pad - 2 * self.rule, justify=False),
            "check_point": c(mincho, table, self.check_point_col - 2 * self.check_pad - 2 * self.rule - 1.3 * table),
            "check_vp": c(bold, 1.05 * table, full - 2 * self.check_pad - 2 * self.rule, justify=False),
            "caption": c(bold, rem, full, justify=False),
            "card_head": c(bold, card_head, card_inner - 2.3 * card_head, justify=False),
            "card_body": c(mincho, 0.82 * d * rem, card_inner),
            "note": c(mincho, 0.88 * rem, full),
            "q_head": c(mincho, 0.85 * rem, full, justify=False),
            "quote": c(mincho, rem, quote_text),
            "small": c(mincho, 0.8 * rem, full),
            "imprint": c(mincho, 0.9 * rem, full, justify=False),
            "source": c(mincho, 0.7 * rem, full),
            "yell_title": c(bold, 1.35 * rem, full, justify=False),
            "cover_title": c(bold, 2.4 * rem, full, justify=False),
            "cover_kicker": c(bold, 0.7 * 2.4 * rem, full, justify=False),
        }

    def __getitem__(self, name: str) -> Column:
        return self.columns[name]


PDF_VARIANTS = ("pdf/ua-1", "pdf/a-2b")
ORDER = 1  # build order: handout, cards, poster, deck


@dataclass(frozen=True)
class Question:
    """Sentences of the text that ask the reader something, quoted as printed, and where."""

    sentences: tuple[str, ...]
    section: str  # heading of the part they come from
    item: str  # title of the message (or section) that holds them


def worksheet_questions(content: Content) -> list[Question]:
    """The questions the text itself asks, in reading order.

    Consecutive questions of one paragraph are kept together as one prompt. Only sentences that
    really end as questions (…か。 …？) are taken, so the worksheet quotes and never paraphrases.
    """
    found: list[Question] = []

    def collect(paragraphs, section: str, item: str) -> None:
        for paragraph in paragraphs:
            run: list[str] = []
            for sentence in [s.strip() for s in sentences(paragraph)] + [""]:
                if sentence and is_question(sentence):
                    run.append(sentence)
                elif run:
                    found.append(Question(tuple(run), section, item))
                    run = []

    intro = content.introduction
    if intro:
        collect(intro.opening, intro.heading, intro.heading)
        for section in intro.sections:
            collect(section.paragraphs, intro.heading, section.heading)
    enc = content.encouragement
    if enc:
        collect((enc.lead, *enc.paragraphs), enc.title, enc.message_heading)
    for message in content.messages.messages if content.messages else ():
        collect((message.body,), content.messages.heading, f"{message.number} {message.title}")
    return found


def overview_heads(content: Content) -> tuple[str, ...]:
    """The overview table's row heads as printed (number and title)."""
    return tuple(f"{vp.number}.{vp.title}" for vp in content.viewpoints.viewpoints) if content.viewpoints else ()


def handout_html(content: Content, paper: Paper) -> str:
    """The handout as one HTML document (see templates/handout/handout.html)."""
    from generator.templates import counted, environment

    env = environment()
    messages = content.messages.messages if content.messages else ()
    pages = [messages[i:i + paper.cards_per_page] for i in range(0, len(messages), paper.cards_per_page)]
    questions = worksheet_questions(content)
    counts = content.counts()
    # What the handout holds, as its cover and metadata say it (only the parts the content has).
    parts = [content.introduction.heading] if content.introduction else []
    if content.viewpoints:
        parts.append(f"{counted(counts['viewpoints'])}の視点と{counted(counts['points'])}のポイント")
    if content.encouragement:
        parts.append(content.encouragement.title)
    if content.messages:
        parts.append(content.messages.heading)
    if content.viewpoints or questions:
        parts.append("ワークシート")
    cover = ["全文"] + (["視点の一覧"] if content.viewpoints else []) + ([content.messages.heading] if content.messages else []) \
        + (["グループワーク用ワークシート"] if content.viewpoints or questions else [])
    worksheet = "（" + "と".join((["問いかけ"] if questions else []) + (["自己チェック"] if content.viewpoints else [])) + "）"
    return env.get_template("handout/handout.html").render(
        c=content, doc=content.document, paper=paper, typeset_css=TYPESET_CSS + COMPOSE_CSS, L=Layout(paper, overview_heads(content)), markers=POINT_MARKERS,
        card_pages=pages, questions=questions, parts=parts, subtitle="・".join(cover), worksheet_sub=worksheet,
    )


@register
class HandoutRenderer(Renderer):
    """``handout.pdf``."""

    name = "handout"
    description = _("Training handout PDF: the whole text, an overview of the viewpoints, the messages as cards, a worksheet.")
    options = (
        Option("paper", "choice", _("Paper size. B5 is JIS B5 (182 × 257 mm), the size Japanese offices use."),
               default="A4", choices=tuple(PAPERS)),
        Option("pdf_variant", "choice", _("pdf/ua-1: tagged, accessible PDF; pdf/a-2b: archival PDF."), choices=PDF_VARIANTS),
    )

    def render(self, content: Content) -> list[Artifact]:
        from generator.render.pdf import render_html

        document = render_html(handout_html(content, PAPERS[self.settings["paper"]]))
        variant = self.settings["pdf_variant"]
        pdf = document.write_pdf(**({"pdf_variant": variant} if variant else {}))
        return [Artifact("handout.pdf", pdf, len(document.pages))]
