"""The training handout: the whole text as one PDF, with an overview, message cards and a worksheet.

Layout and all fixed wording live in ``templates/handout/``; this module chooses the paper,
picks the worksheet questions out of the content and hands the model to the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.i18n import _
from generator.model import POINT_MARKERS, Content
from generator.render import Artifact, Option, Renderer, register
from generator.render.style import PAPER_SIZES
from generator.render.typeset import TYPESET_CSS, is_question, sentences


@dataclass(frozen=True)
class Paper:
    """A paper size and the type size and margins that suit it."""

    name: str  # a key of PAPER_SIZES
    font_pt: float  # body text; everything else is sized in em/rem from it
    margin: str  # CSS margin of @page: top right bottom left
    measure: int  # characters per line: the text block is exactly this many em wide
    cards_per_page: int = 10
    dense: float = 1.0  # scale of the tables' and cards' type (small pages need it smaller)

    @property
    def width_mm(self) -> float:
        return PAPER_SIZES[self.name][0]

    @property
    def height_mm(self) -> float:
        return PAPER_SIZES[self.name][1]

    def __post_init__(self):
        # Japanese lines end flush only when the measure is a whole number of em (WeasyPrint
        # cannot justify Japanese); it must fit between the side margins.
        sides = [float(m.removesuffix("mm")) for m in self.margin.split()]
        if self.measure * self.font_pt * 25.4 / 72 > self.width_mm - sides[1] - sides[3]:
            raise ValueError(f"{self.name}: {self.measure} characters do not fit between the margins")

    @property
    def cover_height_mm(self) -> float:
        """Height of the cover's content box (the page minus its top and bottom margins)."""
        top, _right, bottom, _left = (float(m.removesuffix("mm")) for m in self.margin.split())
        return self.height_mm - top - bottom - 1

    @property
    def css_size(self) -> str:
        return f"{self.width_mm:g}mm {self.height_mm:g}mm"


# Margins stay ≥ 15 mm everywhere: office printers clip up to ~5 mm, the running head and
# folio sit inside the margin. B5 is JIS B5 (182 × 257 mm), not ISO B5 (176 × 250 mm).
PAPERS = {
    "A4": Paper("A4", 10.5, "22mm 20mm 20mm 20mm", 45),
    "B5": Paper("B5", 10.5, "19mm 16mm 18mm 16mm", 40, cards_per_page=8, dense=0.9),
    "A3": Paper("A3", 14.5, "30mm 28mm 28mm 28mm", 47),
}
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
        c=content, doc=content.document, paper=paper, typeset_css=TYPESET_CSS, markers=POINT_MARKERS,
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
