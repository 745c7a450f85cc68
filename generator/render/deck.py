"""The lecture deck: one slide model feeding deck.pptx, deck.pdf and slides-handout.pdf.

A lecture shows one idea a slide, in type read from the back of a room, and the speaker says
the rest. :func:`outline` turns the content into :class:`Draft` slides in the order a lecture
follows: section dividers, then one paragraph, point or message a slide, showing the text
itself when it is short and otherwise its first sentences (:func:`key_phrase`); the full
published text of what a slide stands for goes into its speaker notes. :func:`fit` measures
each draft against the real boxes of the PowerPoint layouts (:mod:`generator.render.measure`)
and picks the largest size that fits, one size for every slide of a kind. The fitted
:class:`Slide` list is then written as PowerPoint (:mod:`generator.render.powerpoint`) and drawn
as HTML for the two PDFs, with the same boxes, sizes and line breaks.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, replace

from generator.errors import Diagnostic, PrintgenError
from generator.i18n import _
from generator.fonts import FACES, PGOTHIC
from generator.model import Content
from generator.render import Artifact, Option, Renderer, register
from generator.render.measure import AUTOSPACE_EM, font_metrics, has_widow, wrap
from generator.render.style import THEMES
from generator.render.typeset import sentences
from generator.templates import counted

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

# Visible characters (title and body) a content slide shows at most: about what a lecturer's
# audience reads in the time the speaker says it. Longer text shows its first sentences.
SLIDE_CHARS = 120
# The smallest size text may be set at on a slide (a template's small box). printgen's own
# layouts keep to the lecture sizes (LECTURE_MIN): they are only reached on a template.
READABLE_MIN = 12
LECTURE_MIN = {"title": 32, "body": 24}  # at 16:9; checked by tests/test_deck.py's audit


TYPE_SCALE = (60, 54, 48, 44, 40, 36, 32, 28, 24)


def _down(largest: int) -> tuple[int, ...]:
    """The sizes of the type scale from ``largest`` to 24 pt, then every size down to
    :data:`READABLE_MIN`: a template's box that holds the text only at 13 pt gets 13 pt, not
    an error at the lecture minimum."""
    return tuple(s for s in TYPE_SCALE if s <= largest) + tuple(range(23, READABLE_MIN - 1, -1))


# Font sizes in points, largest first: text is set at the first size that fits.
SIZES = {
    # kind: (title sizes, body sizes)
    "content": (_down(40), _down(32)),
    "title": (_down(44), _down(28)),
    "section": (_down(48), _down(28)),
    "statement": (_down(60), _down(28)),
}
NUMBER_SIZE = 18  # slide numbers: 7 pt on the handout's A4 page
# Line pitch / size. deck.pptx writes them as proportional spacing (PowerPoint's "multiple"),
# divided by what PowerPoint and LibreOffice take one line to be (powerpoint.SINGLE_LINE).
TITLE_LEADING = 1.15
BODY_LEADING = 1.4
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
    "item": ParaStyle(bullet=BULLET, before=0.5),  # the master's bullet list
    "point": ParaStyle(before=0.5),  # with a marker (①, 1.) hung in the margin
    "key": ParaStyle(before=0.5),  # a paragraph's key sentence: plain, large
    "heading": ParaStyle(bold=True, accent=True, before=0.5),
    "sub": ParaStyle(before=0.25, align=""),  # as the layout aligns it
}


@dataclass(frozen=True)
class Para:
    """One paragraph of a slide body."""

    text: str
    style: str = "key"
    marker: str = ""  # typed before the text and hung in the margin (①, 1.)
    source: object = None

    @property
    def shown(self) -> str:
        """The text as it appears on the slide (with its marker)."""
        return self.marker + self.text

    def indent(self, size: float) -> float:
        """Left margin in points at body ``size`` (hanging indent for bullets and markers)."""
        st = STYLES[self.style]
        size *= st.scale
        if st.bullet:
            return BULLET_INDENT * size
        if self.marker:
            # LibreOffice puts its Asian/non-Asian space after ① and 1. as well: counted, the
            # text after the marker starts where the paragraph's other lines do
            return metrics(st.bold).width(self.marker, size) + AUTOSPACE_EM * size
        return st.indent * size


@dataclass(frozen=True)
class Draft:
    """A slide before fitting."""

    kind: str  # "title", "section", "content" or "statement"
    title: str
    paras: tuple[Para, ...]
    notes: tuple[str, ...] = ()  # the speaker notes: the full text the slide stands for
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
    # kind -> (layout name, title box name, body box name); and the template file, if any:
    # a box too small for the text is the template's to fix, and the error names them.
    names: dict = field(default_factory=dict)
    template: str | None = None
    anchors: dict = field(default_factory=dict)  # kind -> (title anchor, body anchor): top, middle, bottom
    title_bold: dict = field(default_factory=dict)  # kind -> whether the layout sets its title bold


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

    @property
    def visible_chars(self) -> int:
        """Characters of text the slide shows (title and body, not the slide number)."""
        return len(self.title.replace("\n", "")) + sum(len(p.shown) for p in self.paras)


@functools.lru_cache(maxsize=None)
def metrics(bold: bool):
    face = next(f for f in FACES if f.family == FAMILY and f.weight == (700 if bold else 400))
    return font_metrics(face)


def slack(size: float) -> float:
    """Width kept free on each line. None: measured against LibreOffice's rendering of
    deck.pptx, keeping 0.6 em free broke 38 of 59 slides differently from deck.pdf, none
    (with the space after markers counted, :meth:`Para.indent`) breaks 4, where LibreOffice
    hangs 、 or 。 past the line end. The boxes keep room below for a line PowerPoint may add."""
    return 0.0 * size


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
    is refused by its width alone, without breaking it into lines: no paragraph takes fewer
    lines than its ink width over the line width."""
    least = 0.0
    for i, para in enumerate(paras):
        st = STYLES[para.style]
        s = size * st.scale
        width = box.inner_w - para.indent(size) - slack(s)
        if width <= 0:
            return False
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


def _correction_notes(corrections, L: dict[str, str]) -> tuple[str, ...]:
    return tuple(L["correction_note"].format(original=c.original, corrected=c.corrected) for c in corrections)


def key_phrase(text: str, budget: int) -> str:
    """What a slide shows of ``text`` in at most ``budget`` characters: all of it if it is
    that short, else its first sentences, else its first sentence up to a 、 (or cut) with …
    — only words of the text itself, never a summary."""
    text = str(text)
    if len(text) <= budget:
        return text
    shown = ""
    for sentence in sentences(text):
        if len(shown) + len(sentence) > budget:
            break
        shown += sentence
    if shown:
        return shown
    head = text[: max(budget - 1, 1)]
    cut = max((i for i, c in enumerate(head) if c in "、，"), default=-1)
    return (head[:cut] if cut >= budget // 3 else head) + "…"


def outline(content: Content) -> list[Draft]:
    """The lecture, slide by slide, before fitting."""
    L = labels()
    d, intro, vps, enc, msgs = (content.document, content.introduction, content.viewpoints,
                                content.encouragement, content.messages)
    facts = dict(programme=d.programme, committee=d.committee, date=d.date, title=d.title)

    def one_idea(title, text, source_title=None, style="key", marker="", notes=(), extra=()):
        """A content slide for ``text``: its key phrase on the slide, all of it in the notes."""
        shown = key_phrase(text, SLIDE_CHARS - len(title.replace("\n", "")) - len(marker))
        return Draft("content", title, (Para(shown, style, marker=marker, source=text),),
                     notes=(*notes, marker + str(text), *extra), title_source=source_title or title)

    drafts = [
        Draft("title", "\n".join(d.title_lines),
              (Para(d.programme, "sub"), Para(d.committee, "sub"), Para(d.date, "sub")),
              notes=(L["title_notes"].format(**facts),), title_source=d.title_lines[0]),
    ]
    agenda = tuple(item for item in (
        f"{intro.heading}{intro.subheading}" if intro else None,
        vps.heading + L["viewpoint_count"].format(count=counted(len(vps.viewpoints))) if vps else None,
        enc.title if enc else None,
        msgs.heading if msgs else None,
        L["slogan_item"] if enc else None,
    ) if item)
    drafts.append(Draft("content", L["agenda_title"], tuple(Para(a, "item") for a in agenda),
                        notes=(L["agenda_notes"], *agenda)))

    # Each part the content has (another training's text may leave any of them out).
    # 1. the introduction: a divider, then one slide a paragraph
    if intro:
        drafts.append(Draft("section", intro.heading, (Para(intro.subheading, "sub", source=intro.subheading),),
                            notes=(intro.heading + intro.subheading,), title_source=intro.heading))
        for p in intro.opening:
            drafts.append(one_idea(intro.heading, p, intro.heading))
        for section in intro.sections:
            for p in section.paragraphs:
                drafts.append(one_idea(section.heading, p, section.heading, notes=(section.heading,)))

    # 2. the viewpoints: a divider, the lead, all of them at a glance, then one slide a point
    if vps:
        count = L["viewpoint_count"].format(count=counted(len(vps.viewpoints)))
        drafts.append(Draft("section", vps.heading, (Para(count, "sub"),), notes=(vps.heading + count,),
                            title_source=vps.heading))
        drafts.append(one_idea(vps.heading, vps.lead, vps.heading))
        drafts.append(Draft("content", vps.heading,
                            tuple(Para(v.title, "point", marker=f"{v.number}.", source=v.title) for v in vps.viewpoints),
                            notes=tuple(v.label for v in vps.viewpoints), title_source=vps.heading))
        for v in vps.viewpoints:
            points = v.numbered_points()
            for i, (marker, p) in enumerate(points):
                extra = _correction_notes(v.corrections, L) if i == len(points) - 1 else ()
                drafts.append(one_idea(v.label, p, v.title, style="point", marker=marker,
                                       notes=(v.label,) if i == 0 else (), extra=extra))

    # 3. the message of encouragement: a divider, its lead, one slide a paragraph
    if enc:
        drafts.append(Draft("section", "\n".join(enc.title_lines), (Para(enc.subtitle, "sub", source=enc.subtitle),),
                            notes=(enc.title, enc.subtitle), title_source=enc.title_lines[0]))
        drafts.append(one_idea(enc.bridge, enc.lead, enc.subtitle))
        for p in enc.paragraphs:
            drafts.append(one_idea(enc.message_heading, p, enc.message_heading, notes=(enc.message_heading,)))

    # 4. the one-line messages: a divider, then one message a slide (its title large)
    if msgs:
        drafts.append(Draft("section", msgs.heading, (), notes=(msgs.heading,), title_source=msgs.heading))
        for m in msgs.messages:
            drafts.append(one_idea(m.title, m.body, m.title, notes=(m.title,),
                                   extra=_correction_notes(m.corrections, L)))

    if enc:
        drafts.append(Draft("statement", enc.slogan, (Para(enc.subtitle, "sub", source=enc.subtitle),),
                            notes=(enc.slogan, enc.subtitle), title_source=enc.slogan))
    drafts.append(Draft("content", L["closing_title"],
                        (Para("「" + "\n".join(d.title_lines) + "」", "heading"),  # broken as the leaflet breaks it
                         Para(d.programme, "key"), Para(d.committee, "key"), Para(d.date, "key")),
                        notes=(L["closing_source"].format(**facts), d.credit)))
    return drafts


# --- fitting ----------------------------------------------------------------------------


def _sizes(geometry: Geometry, kind: str, which: int) -> tuple[int, ...]:
    """The sizes to try: on printgen's own layouts down to the lecture minimum (titles 32 pt,
    text 24 pt: read from the back of a room); on a template's boxes, which may be small,
    down to the smallest readable size."""
    sizes = SIZES[kind][which]
    if geometry.template is None:
        least = LECTURE_MIN["title"] if which == 0 and kind == "content" else LECTURE_MIN["body"]
        sizes = tuple(s for s in sizes if s >= least)
    return sizes


def _too_small(geometry: Geometry, draft: Draft, which: int, text, what: str) -> PrintgenError:
    """The error for a text that fits its box at no readable size: on a template the box is
    the template's to fix (its file, layout and box are named); on printgen's own layouts the
    text is the content's (its file and line)."""
    least = _sizes(geometry, draft.kind, which)[-1]
    if geometry.template:
        layout, *boxes = geometry.names[draft.kind]
        box = (draft_box := geometry.boxes[draft.kind][which])
        return PrintgenError.of(Diagnostic(
            geometry.template, None, "--template",
            (_("layout 「{layout}」, box 「{box}」 ({w:.0f} × {h:.0f} pt): too small for the title of a slide even at {size} pt "
               "({inner:.0f} pt wide inside); make the box larger in the template") if what == "title" else
             _("layout 「{layout}」, box 「{box}」 ({w:.0f} × {h:.0f} pt): too small for the text of a slide even at {size} pt "
               "({inner:.0f} pt wide inside); make the box larger in the template")).format(
                layout=layout, box=boxes[which], w=box.w, h=box.h, size=least, inner=draft_box.inner_w)))
    src = getattr(text, "source", None)
    message = (_("too long for a slide title even at {size} pt; shorten it") if which == 0 else
               _("too long for one slide even at {size} pt (a word too long to break?); shorten it")).format(size=least)
    return PrintgenError.of(Diagnostic.at(src, message) if src else Diagnostic("deck", None, "slide", message))


def _title_size(sizes, title: str, box: Box) -> float | None:
    return next((s for s in sizes if title_height(title, s, box) <= box.inner_h), None)


def _body_size(sizes, draft: Draft, box: Box) -> float | None:
    if not draft.paras:
        return sizes[0]
    return next((s for s in sizes if fits(draft.paras, s, box)), None)


def _break_title(title: str, size: float, box: Box) -> str:
    """A title too long for one line breaks between phrases (文節), into lines as even as the
    same number of lines allows, preferring a break after 、 (「どうあるべき／か」 and
    「頑張ろ／う」 were where the line happened to end). The break is written into the title.
    A title broken in the content keeps its breaks; a line of it too long for one line is
    broken the same way (not 「…介護支援／専門員の」)."""
    if "\n" in title:
        parts = title.split("\n")
        if all(_at_phrase("".join(parts), len("".join(parts[:i]))) for i in range(1, len(parts))):
            return "\n".join(_break_title(part, size, box) for part in parts)
        title = "".join(parts)  # broken inside a phrase (「…専門員の／みなさん…」): broken here instead
    width = title_width(box, size)
    greedy = wrap(title, width, size, metrics(True))
    if len(greedy) < 2:
        return title
    from generator.render.phrases import balance

    lines = balance(title, width, lambda text: metrics(True).width(text, size))
    return "\n".join(lines) if lines and len(lines) == len(greedy) else title


def _at_phrase(text: str, at: int) -> bool:
    """Whether a line may break before ``text[at]`` in a title: a BudouX phrase boundary that
    generator/render/phrases.py's ``may_break`` allows (what bench/audit_composition.py checks)."""
    from generator.render.phrases import budoux_phrases, may_break

    ends, end = set(), 0
    for phrase in budoux_phrases(text):
        end += len(phrase)
        ends.add(end)
    return at in ends and may_break(text, at, strict=False)


def _title_at_phrases(title: str, size: float, box: Box) -> bool:
    """Whether ``title`` set at ``size`` in ``box`` breaks only at phrase boundaries (never
    「介護支援／専門員」), where it was broken and where its lines wrap."""
    lines = wrap(title, title_width(box, size), size, metrics(True))
    text, at = "".join(lines), 0
    for line in lines[:-1]:
        at += len(line)
        if not _at_phrase(text, at):
            return False
    return True


def _phrased_title(title: str, size: float, box: Box) -> str | None:
    """``title`` broken between phrases for ``size`` (:func:`_break_title`), or None when
    it does not fit ``box`` there or a line would still break inside a word."""
    title = _break_title(title, size, box)
    if title_height(title, size, box) > box.inner_h or not _title_at_phrases(title, size, box):
        return None
    return title


# A body box is made at most this much narrower (in ems of the body size) to end no paragraph
# on a widow, in steps of WIDOW_STEP points, to a width whose lines stay the same when the box
# is WIDOW_MARGIN points wider or narrower: LibreOffice's 和欧間 is not exactly measure.py's
# (at 0.2 pt too wide, slide 4 broke differently there).
WIDOW_NARROWING_EM = 4.0
WIDOW_STEP = 2.0
WIDOW_MARGIN = 1.5


def widowless_box(paras, size: float, box: Box) -> Box:
    """``box``, or the widest narrower box (its left edge kept) where no paragraph of
    ``paras`` set at body ``size`` ends on a widow and the text still fits. A layout choice,
    not a line break: deck.pptx gets the same box, and PowerPoint the same lines, so a
    lecturer who edits the text has no hard break in it."""
    def clean(b: Box) -> bool:
        return not any(has_widow(para_lines(p, size, b)) for p in paras)

    def stable(b: Box) -> bool:
        return all(para_lines(p, size, replace(b, w=b.w + d)) == para_lines(p, size, b)
                   for p in paras for d in (-WIDOW_MARGIN, WIDOW_MARGIN))

    if not paras or clean(box):
        return box
    narrower = 1
    while narrower * WIDOW_STEP <= WIDOW_NARROWING_EM * size:
        candidate = replace(box, w=box.w - narrower * WIDOW_STEP)
        if clean(candidate) and fits(paras, size, candidate) and stable(candidate):
            return candidate
        narrower += 1
    return box


def _notes(draft: Draft) -> str:
    """The speaker notes: the full text the slide stands for, without repeating a line."""
    parts = [draft.title.replace("\n", "")]
    for text in draft.notes:
        if text and text not in parts:
            parts.append(text)
    return "\n\n".join(parts)


def fit(drafts: list[Draft], geometry: Geometry) -> list[Slide]:
    """Fitted slides: one a draft, never continued. Each slide kind gets one title size and
    one body size, the largest at which every slide of the kind fits (a type scale the
    audience can follow); a slide that fits only smaller gets its own largest size. Titles
    break only between phrases (a size at which they cannot is skipped); a body box whose
    text would end a paragraph on a widow is made slightly narrower (:func:`widowless_box`)."""
    sized = []
    for draft in drafts:
        title_box, body_box = geometry.boxes[draft.kind]
        title_sizes, body_sizes = _sizes(geometry, draft.kind, 0), _sizes(geometry, draft.kind, 1)
        size = _title_size(title_sizes, draft.title, title_box)
        if size is None:
            raise _too_small(geometry, draft, 0, draft.title_source, "title")
        # the largest size at which the title breaks between phrases, else the largest that fits
        phrased = next(((s, t) for s in title_sizes if s <= size
                        for t in [_phrased_title(draft.title, s, title_box)] if t is not None), None)
        title = phrased[1] if phrased else _break_title(draft.title, size, title_box)
        title_size = phrased[0] if phrased else _title_size(title_sizes, title, title_box) or size
        body_size = _body_size(body_sizes, draft, body_box)
        if body_size is None:
            raise _too_small(geometry, draft, 1, max(draft.paras, key=lambda p: len(p.text)).source, "text")
        sized.append((draft, title, title_size, body_size))
    def shared(sizes, least):
        """The size every slide of a kind gets: the smallest of their largest, unless that is
        below ``least`` (then the slides that need less keep their own)."""
        sizes = list(sizes)
        return min([s for s in sizes if s >= least] or sizes or [0])

    common = {}
    for kind in SIZES:
        group = [s for s in sized if s[0].kind == kind]
        if group:
            common[kind] = (shared((s[2] for s in group), LECTURE_MIN["title"]),
                            shared((s[3] for s in group if s[0].paras), LECTURE_MIN["body"]))
    slides: list[Slide] = []
    for draft, title, title_size, body_size in sized:
        title_box, body_box = geometry.boxes[draft.kind]
        ct, cb = common[draft.kind]
        if ct != title_size and (shared_title := _phrased_title(draft.title, ct, title_box)) is not None:
            title, title_size = shared_title, ct
        if draft.paras and fits(draft.paras, cb, body_box):
            body_size = cb
        body_box = widowless_box(draft.paras, body_size, body_box)
        slides.append(Slide(
            kind=draft.kind, title=title, paras=draft.paras, notes=_notes(draft),
            title_size=title_size, body_size=body_size,
            title_box=title_box, body_box=body_box, number=len(slides) + 1,
        ))
    return slides


# --- the renderer -----------------------------------------------------------------------


@register
class DeckRenderer(Renderer):
    """deck.pptx, deck.pdf and slides-handout.pdf from one fitted slide model."""

    name = "deck"
    description = _("PowerPoint lecture deck (deck.pptx), its PDF twin (deck.pdf) and slide handouts.")
    options = (
        Option("template", "file", _("Build the deck on this PowerPoint template (.pptx or .potx: its slide size, masters, layouts and colours)."),
               metavar="FILE.pptx"),
        Option("theme", "choice", _("Colour theme. Default: {theme}, or the template's own colours with --template.").format(theme=DEFAULT_THEME),
               choices=DECK_THEMES),
        Option("template_fonts", "flag", _("Keep the template's own fonts (--no-template-fonts: BIZ UDPGothic throughout). "
                                           "Japanese text the template has no font for is set in BIZ UDPGothic."), default=True),
    )

    def render(self, content: Content) -> list[Artifact]:
        from generator.render import powerpoint

        template = self.settings["template"]
        theme = self.settings["theme"] or (None if template else DEFAULT_THEME)
        deck = powerpoint.DeckFile(template, theme, keep_fonts=bool(self.settings["template_fonts"]))
        slides = fit(outline(content), deck.geometry())
        pptx = Artifact("deck.pptx", deck.build(slides, content.document), len(slides), "slides")
        L = labels()
        html = pdfs_html(slides, deck.geometry(), deck.colours(), content, L, deck.pictures())
        deck_pdf, handout_pdf = write_pdfs(html, len(slides), content.document.title,
                                           f"{content.document.title}（{L['handout_title']}）")
        return [pptx, deck_pdf, handout_pdf]


# Two slides an A4 page, each 136 mm wide: a 16:9 slide's 24 pt body prints at 9.6 pt and its
# 18 pt slide number at 7.2 pt (three a page printed the body at 7 pt and the number at 3.5).
SLIDES_PER_HANDOUT_PAGE = 2
HANDOUT_SLIDE_MM = 136


class StyleClasses(dict):
    """CSS declarations -> a class name, for the slides' templates: each distinct set becomes
    one rule, where inline ``style`` attributes would be parsed again for every element
    (265 attributes, 60 distinct, in the bundled deck)."""

    def __call__(self, declarations: str) -> str:
        return self.setdefault(declarations, f"s{len(self)}")


def pdfs_html(slides, geometry, colours, content, L: dict[str, str], pictures=None) -> str:
    """The HTML of deck.pdf and slides-handout.pdf (see templates/deck/pdfs.html); ``L``: :func:`labels`;
    ``pictures``: a template's pictures under each kind of slide (``DeckFile.pictures``)."""
    from generator.render.typeset import TYPESET_CSS
    from generator.templates import environment

    d, n = content.document, SLIDES_PER_HANDOUT_PAGE
    return environment().get_template("deck/pdfs.html").render(
        typeset_css=TYPESET_CSS,
        geometry=geometry, colours=colours, labels=L, styles=STYLES, leading=(TITLE_LEADING, BODY_LEADING),
        number_size=NUMBER_SIZE, style_class=StyleClasses(), slide_mm=HANDOUT_SLIDE_MM,
        meta=dict(title=d.title, author=d.author, date=d.date_iso), document=d,
        slides=slides, sheets=[slides[i:i + n] for i in range(0, len(slides), n)], pictures=pictures or {},
    )


def write_pdfs(html: str, slide_count: int, title: str, handout_title: str) -> tuple[Artifact, Artifact]:
    """deck.pdf (one page per slide, the slides' size) and slides-handout.pdf (A4 portrait, two
    slides a page with memo lines) from :func:`pdfs_html`, laid out once; the last ``slide_count``
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
