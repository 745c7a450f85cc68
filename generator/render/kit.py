"""The training-day kit from a participant roster: certificates, name badges, a sign-in sheet
and named worksheets, written to ``OUT/kit/`` (issue 18; design notes in docs/kit.md).

The roster (:mod:`generator.roster`) is personal data. It is read here, while rendering, and
nothing made from it leaves this module but the PDFs: the build fingerprints the file by its
hash (a ``file`` option), the summary counts the people, and the kit is set in the whole
bundled fonts (:attr:`Renderer.private_text`), so no font subset of the names is cached.

What is the same on every participant's page (a certificate's frame and wording, the worksheet
pages) is laid out once; each participant's part (name, number, header) is a page of its own,
drawn over it in the PDF (:func:`stamped_pdf`). A thousand certificates are a thousand small
pages referring to one drawing, laid out in a fraction of the time and the bytes.
"""

from __future__ import annotations

import gc
import math
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator.i18n import _, ngettext
from generator.model import POINT_MARKERS, Content
from generator.render import Artifact, Option, OptionError, Renderer, register
from generator.render.style import PALETTE, PT_PER_MM

ORDER = 6  # after the handout, cards, poster and deck

DEFAULT_WORDING = "あなたは本研修の全課程を修了されたことをここに証します。"
DEFAULT_NUMBER = "第{number}号"


@dataclass(frozen=True)
class BadgeSize:
    """A badge holder's card and how many go on an A4 sheet."""

    width_mm: float
    height_mm: float
    columns: int
    rows: int

    @property
    def scale(self) -> float:
        """Type sizes relative to the 90 × 55 mm card."""
        return min(self.width_mm / 90, self.height_mm / 55)

    @property
    def content_top_mm(self) -> float:
        """Where the furigana starts: the 90 × 55 layout, scaled, centred in a taller card."""
        return 15 * self.scale + (self.height_mm - 55 * self.scale) / 2

    @property
    def label(self) -> str:
        return f"{self.width_mm:g} × {self.height_mm:g} mm"


# Common Japanese badge holders: 名刺 (91 × 55), the 90 × 55 insert most holders take, card
# size (86 × 54), and A7 portrait for large holders.
BADGE_SIZES = {
    "90x55": BadgeSize(90, 55, 2, 4),
    "91x55": BadgeSize(91, 55, 2, 4),
    "86x54": BadgeSize(86, 54, 2, 4),
    "74x105": BadgeSize(74, 105, 2, 2),
}
BADGE_PAD_MM = 4  # text keeps this far from a badge's cut edges
# (largest, smallest) type sizes in pt on a 90 × 55 mm badge; larger or smaller badges scale them
BADGE_NAME_PT = (30, 12)
BADGE_KANA_PT = (9, 6)
BADGE_AFFILIATION_PT = (9.5, 6)
SIGNIN_ROWS = 24  # rows of the sign-in sheet a page
NAME_FACE, KANA_FACE, TEXT_FACE, MINCHO_FACE = 4, 3, 3, 0  # indices in generator.fonts.FACES
PX_PER_MM = 96 / 25.4  # WeasyPrint's layout is in CSS px


def _face(index: int):
    from generator.fonts import FACES

    return FACES[index]


def fitted_size(text: str, width_mm: float, largest: float, smallest: float, face: int, lines: int = 1) -> float | None:
    """The largest size in pt (by half points, at most ``largest``) at which ``text`` set in
    ``face`` fills at most ``lines`` lines of ``width_mm``, or None when it does not at ``smallest``.
    Lines are counted by ink (the sum of the advances): a name is one line, an affiliation two."""
    from generator.render.measure import font_metrics

    if not text:
        return largest
    metrics = font_metrics(_face(face))
    em = metrics.advance(text, 1.0)
    room = width_mm * PT_PER_MM * lines * (0.97 if lines == 1 else 0.85)  # (two lines never break evenly)
    size = min(largest, math.floor(room / em * 2) / 2) if em else largest
    return size if size >= smallest else None


# --- 五十音順 --------------------------------------------------------------------------------

_SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")


def gojuon_key(furigana: str) -> tuple[str, str]:
    """The order of a reading in a Japanese list (五十音順): katakana read as hiragana, small
    kana as large, voiced and semi-voiced kana first as their plain kana (は = ば = ぱ), then
    plain before voiced before semi-voiced; spaces, ・ and the long mark ー take no place."""
    kana = unicodedata.normalize("NFKC", furigana)
    kana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)
    kana = re.sub(r"[\s・ー－-]", "", kana)
    plain = "".join(c for c in unicodedata.normalize("NFD", kana) if c not in "\u3099\u309a")
    return unicodedata.normalize("NFC", plain).translate(_SMALL), kana


def signin_order(participants):
    """Participants in 五十音順 of their furigana; those without one last, in roster order."""
    with_kana = sorted((p for p in participants if p.furigana), key=lambda p: gojuon_key(p.furigana))
    return with_kana + [p for p in participants if not p.furigana]


# --- PDF: pages drawn over pages -------------------------------------------------------------


def stamped_pdf(document, layers: list[tuple[int, int]], **write_options) -> bytes:
    """PDF bytes of ``document`` (laid out by WeasyPrint) whose pages are drawn two by two:
    output page ``n`` is page ``layers[n][0]`` with page ``layers[n][1]`` drawn over it.

    The pages' drawings become form XObjects (ISO 32000 8.10) and each output page draws two
    of them, so what all participants share (a certificate's frame and wording) is in the file
    once, under each participant's own page (the name). Done in WeasyPrint's public
    ``finisher`` hook, on the pydyf objects it is about to write.
    """
    import pydyf

    def compose(_document, pdf) -> None:
        kids = pdf.pages["Kids"]
        pages = [pdf.objects[kids[i]] for i in range(0, len(kids), 3)]  # [number, 0, "R"] each
        forms = []
        for page in pages:
            drawing = pdf.objects[int(page["Contents"].split()[0])]
            drawing.extra.update({"Type": "/XObject", "Subtype": "/Form", "BBox": page["MediaBox"],
                                  "Resources": page["Resources"], **({"Group": page["Group"]} if "Group" in page else {})})
            forms.append(drawing.reference)
        pdf.pages["Kids"] = pydyf.Array()
        pdf.pages["Count"] = 0
        for under, over in layers:
            content = pydyf.Stream(compress=True)
            for name in ("Under", "Over"):
                content.push_state()
                content.draw_x_object(name)
                content.pop_state()
            pdf.add_object(content)
            boxes = {key: pages[under][key] for key in ("MediaBox", "TrimBox", "BleedBox") if key in pages[under]}
            pdf.add_page(pydyf.Dictionary({
                "Type": "/Page", "Parent": pdf.pages.reference, **boxes, "Contents": content.reference,
                "Resources": pydyf.Dictionary({"XObject": pydyf.Dictionary({"Under": forms[under], "Over": forms[over]})}),
            }))

    return document.write_pdf(finisher=compose, **write_options)


# --- the renderer ----------------------------------------------------------------------------


def _text(name: str, help_: str, default: str | None = None, most: int = 200, metavar: str = "TEXT") -> Option:
    return Option(name, "text", help_, default=default, high=most, metavar=metavar)


@register
class KitRenderer(Renderer):
    """``kit/certificates.pdf``, ``kit/badges.pdf``, ``kit/signin.pdf``, ``kit/worksheets.pdf``."""

    name = "kit"
    description = _("Training-day kit from a participant roster (CSV or .xlsx): certificates of completion, name "
                    "badges with cut marks, a sign-in sheet in 五十音順 and worksheets with each name, in OUT/kit/.")
    options = (
        Option("roster", "file", _("The participant roster: CSV (UTF-8 or Shift_JIS as Excel saves it) or .xlsx, with a "
                                   "header row of 氏名, ふりがな, 所属, 職種, 番号, グループ. Without one, build makes no kit."),
               metavar="FILE"),
        _text("sheet", _("The sheet of the .xlsx roster to read (default: the first)."), most=100, metavar="NAME"),
        _text("date", _("Date of the training, as printed (default: the date in document.yaml)."), most=60),
        _text("venue", _("Venue of the training, printed on the certificates and the sign-in sheet."), most=80),
        _text("hours", _("Length of the training, e.g. 6時間 (printed on the certificates)."), most=40),
        _text("organiser", _("Organiser, printed on the certificates (default: the committee in document.yaml)."), most=80),
        _text("signatory", _("Name of the person who signs the certificates."), most=40),
        _text("signatory_title", _("Title of the signatory, e.g. 委員長."), most=40),
        _text("wording", _("The certificate's text; {title}, {date}, {venue}, {hours} and {organiser} are replaced."),
              default=DEFAULT_WORDING, most=200),
        _text("number_format", _("The certificate number; {number} is the roster's 番号 (or the row's place in the roster), "
                                 "{n} the place, e.g. 第{n:03d}号."), default=DEFAULT_NUMBER, most=40),
        _text("honorific", _("Printed after each name on the certificate."), default="殿", most=4),
        Option("seal", "file", _("A seal or logo (PNG or SVG) printed beside the signatory on every certificate."), metavar="FILE"),
        Option("landscape", "flag", _("Landscape certificates instead of portrait."), default=False),
        Option("badge_size", "choice", _("Name badge size in mm: 90x55 and 91x55 (名刺) and 86x54 (card), 8 to an A4 "
                                         "sheet; 74x105 (A7 portrait), 4 to a sheet."), default="90x55", choices=tuple(BADGE_SIZES)),
    )
    template_dirs = ("kit", "handout")  # (the worksheets are the handout's)
    private_text = True

    @classmethod
    def check_settings(cls, settings) -> None:
        for option, fields in (("wording", ("title", "date", "venue", "hours", "organiser")), ("number_format", ("number", "n"))):
            try:
                _fill(settings[option] or "", {name: (1 if name == "n" else "") for name in fields})
            except (KeyError, ValueError, IndexError) as exc:
                raise OptionError(_("cannot use '{value}': {problem}; the fields are {fields}").format(
                    value=settings[option], problem=_format_problem(exc), fields=", ".join("{" + f + "}" for f in fields)), option) from None
        seal = settings["seal"]
        if seal is not None and Path(seal).suffix.lower() not in (".png", ".svg"):
            raise OptionError(_("the seal must be a PNG or SVG image, found '{name}'").format(name=Path(seal).name), "seal")

    def not_made(self) -> str | None:
        if self.settings["roster"] is None:
            return _("no participant roster (give --roster FILE, or roster = \"FILE\" in printgen.toml's [kit])")
        return None

    def render(self, content: Content) -> list[Artifact]:
        from generator.roster import read_roster

        from generator.errors import ContentError

        badge = BADGE_SIZES[self.settings["badge_size"]]
        problems = self._missing_glyphs()
        try:
            roster = read_roster(self.settings["roster"], self.settings["sheet"], check=lambda values: _unfit(values, badge))
        except ContentError as exc:  # with the settings' problems, all at once
            raise ContentError(problems + exc.diagnostics) from None
        if problems:
            raise ContentError(problems)
        people = roster.participants
        facts = self._facts(content)
        certificates = self._certificates(people, facts)
        note = ngettext("{count} participant", "{count} participants", len(people)).format(count=len(people))
        if roster.ignored_columns:  # (the roster's headers, never its rows)
            note += _("; columns not used: {columns}").format(columns=", ".join(roster.ignored_columns))
        made = [Artifact("kit/certificates.pdf", *certificates, note=note)]
        for name, make in (("badges", lambda: self._badges(people, facts, badge)), ("signin", lambda: self._signin(people, facts)),
                           ("worksheets", lambda: self._worksheets(people, content))):
            gc.collect()  # a laid-out document is a web of cycles: free the last before the next (the peak is one's)
            made.append(Artifact(f"kit/{name}.pdf", *make()))
        return made

    # -- what the kit prints besides the names

    def _missing_glyphs(self) -> list:
        """The characters of the text options that the bundled fonts lack."""
        from generator.fonts import check_glyphs
        from generator.settings import SETTINGS_FILE

        return check_glyphs((value, SETTINGS_FILE, None, f"kit.{o.name}") for o in self.options
                            if o.kind == "text" and (value := self.settings[o.name]))

    def _facts(self, content: Content) -> dict:
        from generator.render.phrases import phrases

        doc = content.document
        s = self.settings
        facts = {"title": doc.title, "date": s["date"] or str(doc.date), "venue": s["venue"] or "",
                 "hours": s["hours"] or "", "organiser": s["organiser"] or str(doc.committee)}
        facts["wording"] = _fill(s["wording"], facts)
        # Lines of the facts break between phrases (BudouX), never inside a word (介護支／援).
        facts["phrases"] = {key: phrases(facts[key]) for key in ("title", "venue", "organiser")}
        facts["wording_lines"] = [phrases(line) for line in facts["wording"].split("\n")]  # (a TOML """…""" keeps its breaks)
        return facts

    def _render(self, template: str, **values):
        from generator.render.pdf import render_html
        from generator.templates import environment

        html = environment().get_template(template).render(colours=PALETTE, **values)
        return render_html(html)

    # -- the four files

    def _certificates(self, people, facts) -> tuple[bytes, int]:
        from generator.errors import PrintgenError

        s = self.settings
        landscape = s["landscape"]
        width, height = (297, 210) if landscape else (210, 297)
        name_width = width - (90 if landscape else 60)
        names = []
        for n, person in enumerate(people, 1):
            size = fitted_size(person.name + "\u3000" + s["honorific"], name_width, 36, 12, MINCHO_FACE) or 12
            names.append({"name": person.name, "size": size,
                          "number": _fill(s["number_format"], {"number": person.number or str(n), "n": n})})
        document = self._render("kit/certificates.html", facts=facts, people=names, landscape=landscape,
                                width=width, height=height, honorific=s["honorific"], signatory=s["signatory"] or "",
                                signatory_title=s["signatory_title"] or "", seal=_data_url(s["seal"]))
        anchors = document.pages[0].anchors  # (left, top, right, bottom) of the elements with an id, in px
        below = min(anchors[name][1] for name in ("issued", "signed") if name in anchors)
        if anchors["text-end"][3] > below - 5 * PX_PER_MM:  # the wording and the facts would run into the date or signatory
            from generator.errors import Diagnostic
            from generator.settings import SETTINGS_FILE

            raise PrintgenError.of(Diagnostic(SETTINGS_FILE, None, "kit.wording",
                                              _("the certificate's text does not fit one page; shorten the wording or the venue")))
        return stamped_pdf(document, [(0, 1 + i) for i in range(len(people))]), len(people)

    def _badges(self, people, facts, badge: BadgeSize) -> tuple[bytes, int]:
        from generator.render.phrases import phrases

        s, inner = badge.scale, badge.width_mm - 2 * BADGE_PAD_MM
        cards = []
        for person in people:
            aff_lines = 1 if fitted_size(person.affiliation, inner, BADGE_AFFILIATION_PT[0] * s, 8 * s, TEXT_FACE) else 2
            aff_pt = fitted_size(person.affiliation, inner, BADGE_AFFILIATION_PT[0] * s, BADGE_AFFILIATION_PT[1], TEXT_FACE,
                                 lines=aff_lines) or BADGE_AFFILIATION_PT[1]
            cards.append({
                "p": person,
                "name_pt": fitted_size(person.name, inner, BADGE_NAME_PT[0] * s, BADGE_NAME_PT[1], NAME_FACE),
                "kana_pt": fitted_size(person.furigana, inner, BADGE_KANA_PT[0] * s, BADGE_KANA_PT[1], KANA_FACE),
                "aff_pt": aff_pt, "aff_pad": (9 * s - aff_lines * aff_pt * 1.3 / PT_PER_MM) / 2,
                "aff": (person.affiliation,) if aff_lines == 1 else phrases(person.affiliation),
                "role_pt": fitted_size(person.role, inner, 7.5 * s, 5, TEXT_FACE) or 5,
                "group": _group_label(person.group),
            })
        per_sheet = badge.columns * badge.rows
        sheets = [cards[i:i + per_sheet] for i in range(0, len(cards), per_sheet)]
        title_pt = fitted_size(facts["title"], inner - 14 * s, 6.5 * s, 4.5, TEXT_FACE) or 4.5
        # under the names: the cut marks and each badge's band, for a full sheet and for the last
        document = self._render("kit/badges.html", sheets=sheets, slots=(per_sheet, len(sheets[-1])), badge=badge,
                                pad=BADGE_PAD_MM, facts=facts, title_pt=title_pt)
        layers = [(0 if n < len(sheets) - 1 else 1, 2 + n) for n in range(len(sheets))]
        return stamped_pdf(document, layers), len(sheets)

    def _signin(self, people, facts) -> tuple[bytes, int]:
        from generator.render.phrases import phrases

        ordered = signin_order(people)
        numbers = any(p.number for p in people)
        groups = any(p.group for p in people)
        # A4 less the margins: 182 mm; the signature column keeps 32 mm
        widths = {"no": 9, "name": 36, "kana": 34, "num": 15, "group": 15}
        widths["aff"] = 182 - 32 - 9 - 36 - 34 - (15 if numbers else 0) - (15 if groups else 0)
        rows = []
        for place, person in enumerate(ordered, 1):
            one_line = fitted_size(person.affiliation, widths["aff"] - 3, 9, 7, TEXT_FACE)
            rows.append({
                "place": place, "p": person,
                "name_pt": fitted_size(person.name, widths["name"] - 3, 11, 6.5, TEXT_FACE) or 6.5,
                "kana_pt": fitted_size(person.furigana, widths["kana"] - 3, 9, 6, TEXT_FACE) or 6,
                "aff_pt": one_line or fitted_size(person.affiliation, widths["aff"] - 3, 8, 5.5, TEXT_FACE, lines=2) or 5.5,
                "aff": (person.affiliation,) if one_line else phrases(person.affiliation),  # two lines break between phrases
            })
        pages = [rows[i:i + SIGNIN_ROWS] for i in range(0, len(rows), SIGNIN_ROWS)]
        document = self._render("kit/signin.html", pages=pages, facts=facts, numbers=numbers, groups=groups,
                                widths=widths, total=len(people))
        return document.write_pdf(), len(document.pages)

    def _worksheets(self, people, content: Content) -> tuple[bytes, int]:
        from generator.render.compose import COMPOSE_CSS
        from generator.render.handout import PAPERS, Layout, overview_heads, worksheet_questions

        paper = PAPERS["A4"]
        heads = []
        for person in people:
            heads.append({"p": person,
                          "name_pt": fitted_size(person.name, HEADER_NAME_MM, 12, 7, NAME_FACE) or 7,
                          "aff_pt": fitted_size(person.affiliation, HEADER_AFFILIATION_MM, 8.5, 6, TEXT_FACE) or 6})
        from generator.render.typeset import TYPESET_CSS

        document = self._render("kit/worksheets.html", c=content, doc=content.document, v=content.viewpoints,
                                counts=content.counts(), questions=worksheet_questions(content), markers=POINT_MARKERS,
                                paper=paper, typeset_css=TYPESET_CSS + COMPOSE_CSS, heads=heads,
                                L=Layout(paper, overview_heads(content)))
        base = len(document.pages) - len(people)
        layers = [(page, base + person) for person in range(len(people)) for page in range(base)]
        return stamped_pdf(document, layers), len(layers)


# The worksheet's running head: the affiliation and the name, right of the training's title.
HEADER_NAME_MM = 58
HEADER_AFFILIATION_MM = 78


def _unfit(values: dict[str, str], badge: BadgeSize) -> list[tuple[str, str]]:
    """What of a roster row a badge or a worksheet header cannot hold at their smallest type."""
    inner = badge.width_mm - 2 * BADGE_PAD_MM
    problems = []
    checks = (("name", inner, BADGE_NAME_PT[1], NAME_FACE, 1, _("the name badge ({size})").format(size=badge.label)),
              ("name", HEADER_NAME_MM, 7, NAME_FACE, 1, _("the worksheet's header")),
              ("furigana", inner, BADGE_KANA_PT[1], KANA_FACE, 1, _("the name badge ({size})").format(size=badge.label)),
              ("affiliation", inner, BADGE_AFFILIATION_PT[1], TEXT_FACE, 2, _("the name badge ({size})").format(size=badge.label)),
              ("affiliation", HEADER_AFFILIATION_MM, 6, TEXT_FACE, 1, _("the worksheet's header")))
    for field, width, smallest, face, lines, where in checks:
        value = values.get(field, "")
        if value and fitted_size(value, width, smallest, smallest, face, lines) is None and not any(p[0] == field for p in problems):
            problems.append((field, _("too long to fit {where} even at {size:g} pt ({chars} characters); shorten it").format(
                where=where, size=smallest, chars=len(value))))
    return problems


def _group_label(group: str) -> str:
    """「グループ A」 for a short code, else the group as written (「3班」)."""
    return f"グループ {group}" if group and group.isascii() and len(group) <= 3 else group


class _Fields(string.Formatter):
    """str.format that refuses positional fields and attribute or index access."""

    def get_field(self, field_name, args, kwargs):
        if not field_name.isidentifier():
            raise KeyError(field_name)
        return super().get_field(field_name, args, kwargs)


def _fill(template: str, values: dict) -> str:
    return _Fields().vformat(template, (), values)


def _format_problem(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return _("no field {{{name}}}").format(name=exc.args[0] if exc.args else "")
    return str(exc)


def _data_url(path) -> str:
    """The image at ``path`` as a data: URL (WeasyPrint reads no file outside fonts/ and templates/)."""
    if path is None:
        return ""
    import base64

    from generator.errors import Diagnostic, PrintgenError

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PrintgenError.of(Diagnostic(str(path), None, "kit.seal", _("cannot read the file ({problem})").format(
            problem=exc.strerror or exc))) from None
    kind = "image/svg+xml" if path.suffix.lower() == ".svg" else "image/png"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
