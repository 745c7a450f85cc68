"""The lecture deck: one slide model feeding deck.pptx, deck.pdf and slides-handout.pdf.

:func:`outline` turns the content into :class:`Draft` slides (title, paragraphs, notes) in the
order a lecture follows. :func:`fit` measures each draft against the real box sizes of the
PowerPoint layouts (:mod:`generator.render.measure`) and picks the largest font size within
limits, or continues the text on a next slide titled "…（続き）". The fitted :class:`Slide`
list is then written as PowerPoint (:mod:`generator.render.powerpoint`) and drawn as HTML for
the two PDFs, with the same boxes and sizes, so the three files always show the same slides.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace

from generator.errors import Diagnostic, PrintgenError
from generator.fonts import FACES, PGOTHIC
from generator.model import Content
from generator.render import Artifact, Option, Renderer, register
from generator.render.measure import font_metrics, wrap
from generator.render.style import THEMES
from generator.render.typeset import sentences
from generator.templates import TEMPLATES_DIR

ORDER = 4  # build order: handout, cards, poster, deck
# Slides are light: the themes whose paper is light (dark text on it).
DECK_THEMES = tuple(name for name, theme in THEMES.items() if theme.light_paper)
DEFAULT_THEME = "teal"


def pptx_theme(name: str) -> tuple[str, str, str, str]:
    """The PowerPoint colour scheme of theme ``name``: its name there, dark text and titles,
    accent, light tint (RRGGBB)."""
    t = THEMES[name]
    return f"printgen {name}", t.headline[1:].upper(), t.accent[1:].upper(), t.panel[1:].upper()
FAMILY = PGOTHIC  # the usual Japanese slide face; ships with Windows 10+

# Font size limits in points, largest first: text is set at the first size that fits.
SIZES = {
    # kind: (title sizes, body sizes)
    "content": ((32, 30, 28, 26, 24), (28, 26, 24, 22, 20, 18)),
    "title": ((40, 36, 32, 28), (24, 22, 20, 18, 16)),
    "statement": ((54, 48, 44, 40, 36), (28, 26, 24, 22, 20)),
}
NUMBER_SIZE = 12  # slide numbers (content slides)
TITLE_LEADING = 1.2  # line pitch / size
BODY_LEADING = 1.45
BULLET = "■"
BULLET_INDENT = 1.25  # ems: the bullet and a gap


@dataclass(frozen=True)
class ParaStyle:
    bullet: str = ""  # drawn in the margin before the first line
    bold: bool = False
    accent: bool = False  # in the accent colour
    scale: float = 1.0  # size relative to the slide's body size
    before: float = 0.0  # space before, in ems (not before a box's first paragraph)
    indent: float = 0.0  # left margin in ems when there is no bullet or marker
    align: str = "l"  # l, ctr, r; "" as the layout has it


STYLES = {
    "para": ParaStyle(bullet=BULLET, before=0.6),
    "item": ParaStyle(bullet=BULLET, before=0.7),
    "point": ParaStyle(before=0.6),  # with a marker (①) hung in the margin
    "lead": ParaStyle(before=0.5),
    "heading": ParaStyle(bold=True, accent=True, before=0.7),
    "body": ParaStyle(indent=1.0, before=0.15),
    "emphasis": ParaStyle(bold=True, accent=True, scale=1.1, before=0.3, align="ctr"),
    "sub": ParaStyle(before=0.25, align=""),  # as the layout aligns it
    "credit": ParaStyle(scale=0.8, before=1.2),
}


@dataclass(frozen=True)
class Para:
    """One paragraph of a slide body."""

    text: str
    style: str = "para"
    marker: str = ""  # typed before the text and hung in the margin (①, 1.)
    continued: bool = False  # rest of a paragraph begun on the previous slide: no bullet or marker
    note: str = ""  # added to the speaker notes of the slide that shows this paragraph
    keep_with_next: bool = False
    source: object = None

    @property
    def shown(self) -> str:
        """The text as it appears on the slide (with its marker)."""
        return self.text if self.continued else self.marker + self.text

    def indent(self, size: float) -> float:
        """Left margin in points at body ``size`` (hanging indent for bullets and markers)."""
        st = STYLES[self.style]
        size *= st.scale
        if st.bullet:
            return BULLET_INDENT * size
        if self.marker:
            return metrics(st.bold).width(self.marker, size)
        return st.indent * size


@dataclass(frozen=True)
class Draft:
    """A slide before fitting: it may become several slides."""

    kind: str  # "title", "content" or "statement"
    title: str
    paras: tuple[Para, ...]
    notes: str = ""  # notes beyond the slide's own text
    title_source: object = None


@dataclass(frozen=True)
class Box:
    """A text box in points, with its insets (left, top, right, bottom)."""

    x: float
    y: float
    w: float
    h: float
    insets: tuple[float, float, float, float] = (7.2, 3.6, 7.2, 3.6)

    @property
    def inner_w(self) -> float:
        return self.w - self.insets[0] - self.insets[2]

    @property
    def inner_h(self) -> float:
        return self.h - self.insets[1] - self.insets[3]


@dataclass(frozen=True)
class Geometry:
    """Slide size and the title and body boxes of each slide kind, in points."""

    width: float
    height: float
    boxes: dict  # kind -> (title Box, body Box)
    number_box: Box | None = None  # the slide number of content slides (None: the layout has none)


@dataclass(frozen=True)
class Slide:
    """A fitted slide: what all three outputs draw."""

    kind: str
    title: str
    paras: tuple[Para, ...]
    notes: str
    title_size: float
    body_size: float
    title_box: Box
    body_box: Box
    number: int = 0
    # The lines as measured, broken when the slide is made and kept with it (pickled too): a
    # build draws the PDFs in another process, where breaking them again took ~15 ms.
    measured_title: tuple[str, ...] = field(init=False, compare=False, repr=False)
    measured_paras: tuple[tuple[str, ...], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        title = wrap(self.title, title_width(self.title_box, self.title_size), self.title_size, metrics(True))
        object.__setattr__(self, "measured_title", tuple(title))
        object.__setattr__(self, "measured_paras",
                           tuple(tuple(para_lines(p, self.body_size, self.body_box)) for p in self.paras))

    def title_lines(self) -> list[str]:
        return list(self.measured_title)

    def title_offset(self, anchor: str) -> float:
        """Space above the title lines inside the box's insets for ``anchor`` (top, middle, bottom)."""
        free = self.title_box.inner_h - len(self.title_lines()) * self.title_size * TITLE_LEADING
        return {"top": 0, "middle": free / 2, "bottom": free}[anchor]

    def body_offset(self, anchor: str) -> float:
        free = self.body_box.inner_h - self.body_height()
        return {"top": 0, "middle": free / 2, "bottom": free}[anchor]

    def lines(self, para: Para) -> list[str]:
        """``para`` broken into lines as measured (the PDFs set exactly these lines)."""
        return list(self.measured_paras[self.paras.index(para)])

    def body_height(self) -> float:
        return body_height(self.paras, self.body_size, self.body_box, self.measured_paras)


@functools.lru_cache(maxsize=None)
def metrics(bold: bool):
    face = next(f for f in FACES if f.family == FAMILY and f.weight == (700 if bold else 400))
    return font_metrics(face)


def slack(size: float) -> float:
    """Width kept free on each line: PowerPoint, LibreOffice and Pango break Japanese a little
    differently (punctuation squeezing, hanging punctuation), so a line measured full may not be."""
    return 0.6 * size


def title_width(box: Box, size: float) -> float:
    return box.inner_w - slack(size)


def title_height(title: str, size: float, box: Box) -> float:
    lines = wrap(title, title_width(box, size), size, metrics(True))
    return len(lines) * size * TITLE_LEADING


def para_lines(para: Para, size: float, box: Box) -> list[str]:
    st = STYLES[para.style]
    s = size * st.scale
    width = box.inner_w - para.indent(size) - slack(s)
    return wrap(para.text, width, s, metrics(st.bold))


def body_height(paras, size: float, box: Box, lines=None) -> float:
    """Height of ``paras`` set at body ``size`` in ``box``, in points (``lines``: each
    paragraph's lines, when they are already broken)."""
    height = 0.0
    for i, para in enumerate(paras):
        st = STYLES[para.style]
        s = size * st.scale
        if i:
            height += st.before * size
        height += len(lines[i] if lines is not None else para_lines(para, size, box)) * s * BODY_LEADING
    return height


def fits(paras, size: float, box: Box) -> bool:
    """Whether ``paras`` set at body ``size`` fit in ``box``. A text far too long for the box
    (a long paragraph being paginated) is refused by its width alone, without breaking it
    into lines: no paragraph takes fewer lines than its ink width over the line width."""
    least = 0.0
    for i, para in enumerate(paras):
        st = STYLES[para.style]
        s = size * st.scale
        width = box.inner_w - para.indent(size) - slack(s)
        m = metrics(st.bold)
        lines = max(1, math.ceil(m.ink(para.text, s) / width - 1e-9)) if width >= m.widest * s else 1
        if i:
            least += st.before * size
        least += lines * s * BODY_LEADING  # summed as body_height() sums
    return least <= box.inner_h and body_height(paras, size, box) <= box.inner_h


# --- from content to drafts -------------------------------------------------------------


# The words the deck adds, in templates/deck/labels.yaml, and the placeholders each may use.
FACTS = ("programme", "committee", "title", "date")
LABEL_FIELDS = {
    "agenda_title": (),
    "viewpoint_count": ("count",),
    "slogan_item": (),
    "continued": (),
    "closing_title": (),
    "closing_source": FACTS,
    "correction_note": ("original", "corrected"),
    "title_notes": FACTS,
    "agenda_notes": (),
    "handout_title": (),
    "memo": (),
}


def labels() -> dict[str, str]:
    """The deck's own words, from templates/deck/labels.yaml (read on every call, so `watch`
    sees edits; a missing, unknown or broken label is a PrintgenError naming the line)."""
    from generator.templates import load_labels

    return {key: str(text) for key, text in load_labels("deck/labels.yaml", LABEL_FIELDS).items()}


def _correction_notes(corrections, L: dict[str, str]) -> str:
    return "\n".join(L["correction_note"].format(original=c.original, corrected=c.corrected) for c in corrections)


def outline(content: Content) -> list[Draft]:
    """The lecture, slide by slide, before fitting."""
    L = labels()
    d, intro, vps, enc, msgs = (content.document, content.introduction, content.viewpoints,
                                content.encouragement, content.messages)
    facts = dict(programme=d.programme, committee=d.committee, date=d.date, title=d.title)
    drafts = [
        Draft("title", "\n".join(d.title_lines),
              (Para(d.programme, "sub"), Para(d.committee, "sub"), Para(d.date, "sub")),
              notes=L["title_notes"].format(**facts), title_source=d.title_lines[0]),
    ]
    agenda = [
        f"{intro.heading}{intro.subheading}",
        vps.heading + L["viewpoint_count"].format(count=len(vps.viewpoints)),
        enc.title,
        msgs.heading,
        L["slogan_item"],
    ]
    drafts.append(Draft("content", L["agenda_title"], tuple(Para(a, "item") for a in agenda), notes=L["agenda_notes"]))
    drafts.append(Draft("content", f"{intro.heading}{intro.subheading}",
                        tuple(Para(p, "lead", source=p) for p in intro.opening), title_source=intro.heading))
    for section in intro.sections:
        drafts.append(Draft("content", section.heading, tuple(Para(p, source=p) for p in section.paragraphs),
                            title_source=section.heading))
    drafts.append(Draft("content", vps.heading,
                        (Para(vps.lead, "lead", source=vps.lead),
                         *(Para(v.title, "point", marker=f"{v.number}.", source=v.title) for v in vps.viewpoints)),
                        title_source=vps.heading))
    for v in vps.viewpoints:
        paras = [Para(p, "point", marker=m, source=p) for m, p in v.numbered_points()]
        if v.corrections:
            paras[-1] = replace(paras[-1], note=_correction_notes(v.corrections, L))
        drafts.append(Draft("content", v.label, tuple(paras), title_source=v.title))
    drafts.append(Draft("content", enc.title,
                        (Para(enc.subtitle, "emphasis", source=enc.subtitle), Para(enc.lead, "lead", source=enc.lead)),
                        title_source=enc.title_lines[0]))
    drafts.append(Draft("content", enc.message_heading, tuple(Para(p, source=p) for p in enc.paragraphs),
                        title_source=enc.message_heading))
    paras = []
    for m in msgs.messages:
        paras.append(Para(m.title, "heading", marker=f"{m.number}. ", keep_with_next=True, source=m.title))
        paras.append(Para(m.body, "body", note=_correction_notes(m.corrections, L), source=m.body))
    drafts.append(Draft("content", msgs.heading, tuple(paras), title_source=msgs.heading))
    drafts.append(Draft("statement", enc.slogan, (Para(enc.subtitle, "sub", source=enc.subtitle),),
                        title_source=enc.slogan))
    drafts.append(Draft("content", L["closing_title"],
                        (Para(f"「{d.title}」", "heading"), Para(d.author, "lead"), Para(d.date, "lead"),
                         Para(d.credit, "credit", source=d.credit)),
                        notes=L["closing_source"].format(**facts)))
    return drafts


# --- fitting ----------------------------------------------------------------------------

def _problem(text, message: str) -> PrintgenError:
    """The error for ``text`` (content, so it names its file and line; or the deck's own words)."""
    src = getattr(text, "source", None)
    return PrintgenError.of(Diagnostic.at(src, message) if src else Diagnostic("deck", None, "slide", message))


def _fit_title(draft: Draft, box: Box) -> float:
    for size in SIZES[draft.kind][0]:
        if title_height(draft.title, size, box) <= box.inner_h:
            return size
    raise _problem(draft.title_source, f"too long for a slide title even at {SIZES[draft.kind][0][-1]} pt; shorten it")


def _best_size(paras, kind: str, box: Box) -> float | None:
    for size in SIZES[kind][1]:
        if fits(paras, size, box):
            return size
    return None


def _paginate(paras: list[Para], size: float, box: Box) -> list[list[Para]]:
    """Fill slides at ``size``. A paragraph that does not fit the space left moves whole to the
    next slide when it fits there and this slide is at least half full; otherwise it is split
    after a sentence and continues on the next slide."""
    pages: list[list[Para]] = [[]]
    queue = list(paras)

    def page_fits(page):
        return fits(page, size, box)

    while queue:
        para = queue.pop(0)
        page = pages[-1]
        unit = [para] + ([queue.pop(0)] if para.keep_with_next and queue else [])
        if page_fits(page + unit):
            page.extend(unit)
            continue
        half_full = body_height(page, size, box) >= box.inner_h / 2
        parts = sentences(para.text)
        if len(unit) == 1 and len(parts) > 1 and not (page and half_full and page_fits(unit)):
            k = _most_that_fit(len(parts) - 1, lambda k: page_fits(page + [replace(para, text="".join(parts[:k]))]))
            if k:
                page.append(replace(para, text="".join(parts[:k]), note=""))
                queue.insert(0, replace(para, text="".join(parts[k:]), continued=True))
                pages.append([])
                continue
        if page:
            queue[0:0] = unit
            pages.append([])
            continue
        if len(unit) == 2:  # a heading with a paragraph too long for any slide: the paragraph is split
            page.append(para)
            queue.insert(0, unit[1])
            continue
        raise _problem(para.source, f"a sentence is too long for one slide even at {size} pt; "
                       "split it into shorter sentences")
    return [p for p in pages if p]


def _most_that_fit(most: int, fits) -> int:
    """The largest ``k`` in 1..``most`` for which ``fits(k)`` holds (0 if none), where ``fits``
    holds up to some ``k`` and not after (more sentences never take fewer lines). Galloping,
    then bisecting: about 2·log₂(k) measurements of at most twice the text that fits, so a
    5,000-character paragraph split over many slides takes time near-linear in its length."""
    if most < 1 or not fits(1):
        return 0
    good, bad = 1, None  # fits(good); not fits(bad)
    while bad is None:
        trial = min(2 * good, most)
        if trial == good:
            return good
        if fits(trial):
            good = trial
        else:
            bad = trial
    while bad - good > 1:
        mid = (good + bad) // 2
        if fits(mid):
            good = mid
        else:
            bad = mid
    return good


def _break_title(title: str, size: float, box: Box) -> str:
    """A title too long for one line breaks after its last 、 or before a bracket that lets the
    first line fit, rather than wherever the line happens to end (どうあるべ／き)."""
    if "\n" in title or len(wrap(title, title_width(box, size), size, metrics(True))) < 2:
        return title
    width = title_width(box, size)
    best = None
    for i, char in enumerate(title[:-1]):
        cut = i + 1 if char in "、，" else i if char in "（「『" else None
        if cut and 0 < cut < len(title) and metrics(True).width(title[:cut], size) <= width:
            best = cut
    return title if best is None else title[:best] + "\n" + title[best:]


def _notes(title: str, paras, extra: str) -> str:
    parts = [title.replace("\n", "")]
    parts += [p.shown for p in paras]
    parts += [p.note for p in paras if p.note]
    if extra:
        parts.append(extra)
    return "\n\n".join(parts)


def fit(drafts: list[Draft], geometry: Geometry) -> list[Slide]:
    """Fitted slides: each draft at the largest sizes that fit, continued on more slides if needed.

    A draft that fits one slide at some size between the limits gets the largest such size.
    Otherwise it is spread over as few slides as the smallest size needs, set at the largest
    size that still needs no more slides (one size for the whole group).
    """
    L = labels()
    slides: list[Slide] = []
    for draft in drafts:
        title_box, body_box = geometry.boxes[draft.kind]
        sizes = SIZES[draft.kind][1]
        size = _best_size(draft.paras, draft.kind, body_box)
        if size is not None:
            pages = [list(draft.paras)]
        else:
            pages = _paginate(list(draft.paras), sizes[-1], body_box)
            for size in sizes:
                larger = _paginate(list(draft.paras), size, body_box)
                if len(larger) <= len(pages):
                    pages = larger
                    break
            # even out the slides (no lone paragraph on the last one): fill each less, same count
            for share in (0.7, 0.8, 0.9):
                even = _paginate(list(draft.paras), size, replace(body_box, h=body_box.h - body_box.inner_h * (1 - share)))
                if len(even) == len(pages):
                    pages = even
                    break
        for i, page in enumerate(pages):
            title = draft.title if i == 0 else draft.title.replace("\n", "") + L["continued"]
            title_size = _fit_title(replace(draft, title=title), title_box)
            title = _break_title(title, title_size, title_box)
            title_size = _fit_title(replace(draft, title=title), title_box)
            slides.append(Slide(
                kind=draft.kind, title=title, paras=tuple(page),
                notes=_notes(title, page, draft.notes if i == 0 else ""),
                title_size=title_size, body_size=size,
                title_box=title_box, body_box=body_box, number=len(slides) + 1,
            ))
    return slides


# --- the renderer -----------------------------------------------------------------------


@register
class DeckRenderer(Renderer):
    """deck.pptx, deck.pdf and slides-handout.pdf from one fitted slide model."""

    name = "deck"
    description = "PowerPoint lecture deck (deck.pptx), its PDF twin (deck.pdf) and slide handouts."
    requires = ("introduction", "viewpoints", "encouragement", "messages")
    options = (
        Option("template", "file", "Build the deck on this PowerPoint template (its masters, layouts and colours).",
               metavar="FILE.pptx"),
        Option("theme", "choice", f"Colour theme. Default: {DEFAULT_THEME}, or the template's own colours with --template.",
               choices=DECK_THEMES),
    )

    def render(self, content: Content) -> list[Artifact]:
        from generator.render import powerpoint

        template = self.settings["template"]
        theme = self.settings["theme"] or (None if template else DEFAULT_THEME)
        deck = powerpoint.DeckFile(template, theme)
        slides = fit(outline(content), deck.geometry())
        pptx = Artifact("deck.pptx", deck.build(slides, content.document), len(slides), "slides")
        L = labels()
        html = pdfs_html(slides, deck.geometry(), deck.colours(), content, L)
        deck_pdf, handout_pdf = write_pdfs(html, len(slides), content.document.title,
                                           f"{content.document.title}（{L['handout_title']}）")
        return [pptx, deck_pdf, handout_pdf]


SLIDES_PER_HANDOUT_PAGE = 3


class StyleClasses(dict):
    """CSS declarations -> a class name, for the slides' templates: each distinct set becomes
    one rule, where inline ``style`` attributes would be parsed again for every element
    (265 attributes, 60 distinct, in the bundled deck)."""

    def __call__(self, declarations: str) -> str:
        return self.setdefault(declarations, f"s{len(self)}")


def pdfs_html(slides, geometry, colours, content, L: dict[str, str]) -> str:
    """The HTML of deck.pdf and slides-handout.pdf (see templates/deck/pdfs.html); ``L``: :func:`labels`."""
    from generator.templates import environment

    d, n = content.document, SLIDES_PER_HANDOUT_PAGE
    return environment().get_template("deck/pdfs.html").render(
        geometry=geometry, colours=colours, labels=L, styles=STYLES, leading=(TITLE_LEADING, BODY_LEADING),
        number_size=NUMBER_SIZE, style_class=StyleClasses(),
        meta=dict(title=d.title, author=d.author, date=d.date_iso), document=d,
        slides=slides, sheets=[slides[i:i + n] for i in range(0, len(slides), n)],
    )


def write_pdfs(html: str, slide_count: int, title: str, handout_title: str) -> tuple[Artifact, Artifact]:
    """deck.pdf (one 16:9 page per slide) and slides-handout.pdf (A4 portrait, three slides a
    page with memo lines) from :func:`pdfs_html`, laid out once; the last ``slide_count``
    pages are the slides. deck.pdf's pages are placed, scaled, into the handout's boxes
    (ids ``slide-N``) with pypdf. The files are titled ``title`` and ``handout_title``."""
    import io

    from pypdf import PdfReader, PdfWriter, Transformation

    from generator.render.pdf import render_html

    document = render_html(html)
    sheets = document.pages[: len(document.pages) - slide_count]
    document.metadata.title = title
    deck_pdf = document.copy(document.pages[len(sheets):]).write_pdf()
    document.metadata.title = handout_title
    handout = PdfWriter(clone_from=io.BytesIO(document.copy(sheets).write_pdf()))
    slides = PdfReader(io.BytesIO(deck_pdf)).pages
    px = 0.75  # WeasyPrint's layout is in CSS px, PDF space in pt with the origin at the bottom
    for sheet, layout in zip(handout.pages, sheets):
        # each goes under what is there: the last first, so that they read in order
        for anchor, (left, top, right, bottom) in reversed(layout.anchors.items()):
            if anchor.startswith("slide-"):
                slide = slides[int(anchor.removeprefix("slide-")) - 1]
                scale = (right - left) * px / float(slide.mediabox.width)
                place = Transformation().scale(scale, scale).translate(left * px, (layout.height - bottom) * px)
                sheet.merge_transformed_page(slide, place, over=False)  # under the sheet's own drawing
        sheet.compress_content_streams()  # as WeasyPrint writes them
    out = io.BytesIO()
    handout.write(out)
    return Artifact("deck.pdf", deck_pdf, slide_count), Artifact("slides-handout.pdf", out.getvalue(), len(sheets))
