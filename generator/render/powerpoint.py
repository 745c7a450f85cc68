"""Writing the fitted slides as a real PowerPoint file with python-pptx.

Titles go into title placeholders and text into body placeholders of the template's layouts
(chosen by placeholder types, not by index), so the outline view, slide titles and the
accessibility checker work, and a lecturer can edit the slides. Every East Asian font detail
PowerPoint needs lives in :func:`set_run_font`.

Only python-pptx's public API is used. What it has no API for (East Asian fonts, bullets and
hanging indents, the slide-number field, shapes on masters and layouts, the theme) is written
with lxml into the elements python-pptx hands out (``shape.element``, ``layout.element`` …).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from generator.errors import Diagnostic, PrintgenError
from generator.render.deck import BODY_LEADING, FAMILY, NUMBER_SIZE, STYLES, TITLE_LEADING, Box, Geometry, pptx_theme

EMU_PER_PT = 12700
SLIDE_16_9 = (12192000, 6858000)  # 13.333 × 7.5 in
NOTES_SIZE = 12
SLIDE_NUMBER_FIELD = "{C1FF6DA9-008F-8B48-92A6-B652298478BF}"  # the default template's: fixed, for the same bytes
# A --template may unpack to at most this many bytes (PowerPoint templates are a few MB).
MAX_TEMPLATE_UNPACKED = 100_000_000
# Slide sizes PowerPoint allows: 1 to 56 inches a side (EMU).
MIN_SLIDE_EMU, MAX_SLIDE_EMU = 914400, 56 * 914400

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS = {"a": A, "p": P}


def _a(tag: str) -> str:
    return f"{{{A}}}{tag}"


def set_run_font(rpr, family: str = FAMILY) -> None:
    """Name ``family`` as the Latin, East Asian and complex-script typeface of a run, in Japanese.

    PowerPoint takes the typeface of Japanese characters from ``<a:ea>``, which python-pptx has
    no API for (``font.name`` writes only ``<a:latin>``); without it the kana and kanji come out
    in whatever East Asian font the viewer picks (MS P Gothic, Noto …) beside BIZ UD Latin.
    ``lang="ja-JP"`` makes PowerPoint and LibreOffice apply Japanese line breaking and spell
    checking. Schema order inside ``a:rPr``: … fill, …, latin, ea, cs, sym, hlinkClick ….
    """
    from lxml import etree

    rpr.set("lang", "ja-JP")
    rpr.set("altLang", "en-US")
    for tag in ("latin", "ea", "cs"):
        for old in rpr.findall(_a(tag)):
            rpr.remove(old)
    anchor = None
    for tag in ("sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst"):
        anchor = rpr.find(_a(tag))
        if anchor is not None:
            break
    for tag in ("latin", "ea", "cs"):
        el = etree.Element(_a(tag), typeface=family)
        if anchor is not None:
            anchor.addprevious(el)
        else:
            rpr.append(el)


def _sub(parent, tag: str, **attrs):
    from lxml import etree

    return etree.SubElement(parent, _a(tag), {k: str(v) for k, v in attrs.items()})


def _pts(value: float) -> str:
    return str(round(value * 100))


def _emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


def _length(pt: float):
    """``pt`` points as a python-pptx length, rounded to the hundredths of a point PowerPoint
    stores (``Pt()`` truncates to EMU, then python-pptx floors to hundredths: Pt(10.2) is 10.19)."""
    from pptx.util import Centipoints

    return Centipoints(round(pt * 100))


class DeckFile:
    """A presentation opened from the default template or the user's, ready for the slides."""

    def __init__(self, template: str | Path | None, theme: str | None):
        from pptx import Presentation

        self.template = Path(template) if template else None
        self.theme = theme
        self.prs = _open_template(self.template) if self.template else Presentation()
        _remove_slides(self.prs)
        _make_16_9(self.prs)
        if self.template is None:
            _style_default_template(self.prs)
        self.layouts = _choose_layouts(self.prs, self.template)
        self.number_ph = _slide_number_placeholder(self.layouts["content"][0])
        self.theme_xml = _themed(_theme_xml(self.prs), pptx_theme(theme) if theme else None)

    # geometry and colours, shared with the PDF renderers

    def geometry(self) -> Geometry:
        boxes = {kind: (_box(title_ph), _box(body_ph)) for kind, (layout, title_ph, body_ph) in self.layouts.items()}
        return Geometry(self.prs.slide_width / EMU_PER_PT, self.prs.slide_height / EMU_PER_PT, boxes,
                        _box(self.number_ph) if self.number_ph is not None else None)

    def colours(self) -> dict[str, str]:
        """``dark``, ``accent``, ``light`` as #RRGGBB, from the presentation's theme."""
        scheme = self.theme_xml.find(".//a:clrScheme", NS)
        out = {}
        for key, slot, fallback in (("dark", "dk2", "1F3A5F"), ("accent", "accent1", "3568B0"), ("light", "lt2", "EEEEEE")):
            el = scheme.find(f"a:{slot}/*", NS) if scheme is not None else None
            value = None if el is None else el.get("val") if el.tag == _a("srgbClr") else el.get("lastClr")
            out[key] = "#" + (value if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value) else fallback)  # goes into CSS
        return out

    # the slides

    def build(self, slides, document) -> bytes:
        from lxml import etree

        styled = self.theme is not None
        for s in slides:
            layout, title_ph, body_ph = self.layouts[s.kind]
            # the layout's placeholders but date, footer and slide number (python-pptx leaves those out)
            slide = self.prs.slides.add_slide(layout)
            align = None
            _fill_title(_slide_placeholder(slide, title_ph), s, styled, align, own_look=self.template is None)
            _fill_body(_slide_placeholder(slide, body_ph), s, styled, align, own_look=self.template is None)
            if s.kind == "content" and self.number_ph is not None:
                _add_slide_number(slide, self.number_ph, s.number)
            _fill_notes(slide.notes_slide.notes_placeholder, s.notes)
        _set_core_properties(self.prs, document)
        theme = etree.tostring(self.theme_xml, xml_declaration=True, encoding="UTF-8", standalone=True)
        return _save(self.prs, _build_time(document), {_theme_part(self.prs).partname.membername: theme})


# --- opening and preparing the template -------------------------------------------------


def _template_problem(path, message: str) -> PrintgenError:
    return PrintgenError.of(Diagnostic(str(path), None, "--template", message))


def _open_template(path: Path):
    from pptx import Presentation

    if not path.is_file():
        raise _template_problem(path, "file not found")
    try:  # python-pptx reads every part into memory: refuse a zip bomb before it does
        with zipfile.ZipFile(path) as package:
            unpacked = sum(item.file_size for item in package.infolist())
            names = package.namelist()
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        unpacked, names, types = 0, [], b""  # not a zip: Presentation() says so below
    if unpacked > MAX_TEMPLATE_UNPACKED:
        raise _template_problem(path, f"the presentation unpacks to {unpacked:,} bytes; "
                                      f"a template may unpack to at most {MAX_TEMPLATE_UNPACKED:,}")
    # deck.pptx is a plain presentation: a template's macros would come along into it
    if b"macroEnabled" in types or any("vbaproject" in name.lower() for name in names):
        raise _template_problem(path, "a presentation with macros (.pptm); printgen writes no macros: save the "
                                      "template as a PowerPoint presentation (.pptx) without macros")
    try:
        prs = Presentation(str(path))
        _theme_xml(prs)  # parsed later for fonts and colours: a broken theme is a broken file
    except Exception as exc:  # python-pptx raises many kinds for a file that is not a .pptx
        raise _template_problem(path, f"not a PowerPoint presentation (.pptx) ({exc.__class__.__name__}); "
                                      "save the template from PowerPoint as a .pptx file") from None
    width, height = prs.slide_width, prs.slide_height
    if not width or not height or not (MIN_SLIDE_EMU <= width <= MAX_SLIDE_EMU and MIN_SLIDE_EMU <= height <= MAX_SLIDE_EMU):
        found = "none" if not width or not height else f"{width / 914400:.2f} × {height / 914400:.2f} in"
        raise _template_problem(path, f"the slide size is missing or broken (found {found}); set it in PowerPoint "
                                      "(デザイン > スライドのサイズ) and save the template again")
    return prs


def _remove_slides(prs) -> None:
    """Drop a template's own slides: the deck brings its own (their parts are not saved).
    python-pptx has no API for it: the presentation's relationship to each slide goes (while
    the slide list still names it once: ``drop_rel`` keeps a relationship named twice), then
    its entry in the slide list (``p:sldIdLst``, the element of ``prs.slides``)."""
    sld_ids = prs.slides.element
    for sld_id in list(sld_ids):
        prs.part.drop_rel(sld_id.get(R_ID))
        sld_ids.remove(sld_id)


def _top_level_xfrms(tree):
    return tree.xpath("./p:sp/p:spPr/a:xfrm | ./p:pic/p:spPr/a:xfrm | ./p:grpSp/p:grpSpPr/a:xfrm "
                      "| ./p:graphicFrame/p:xfrm | ./p:cxnSp/p:spPr/a:xfrm")  # python-pptx elements know a: and p:


def _make_16_9(prs) -> None:
    """Make the slides 16:9. Changing the slide size does not move the masters' and layouts'
    shapes, so scale their positions and widths with it (heights stay)."""
    width, height = prs.slide_width, prs.slide_height
    if abs(width / height - 16 / 9) < 0.005:
        return
    new_width = round(height * 16 / 9)
    factor = new_width / width
    for master in prs.slide_masters:
        for part in (master, *master.slide_layouts):
            for xfrm in _top_level_xfrms(part.shapes.element):
                off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
                if off is not None:
                    off.set("x", str(round(int(off.get("x")) * factor)))
                if ext is not None:
                    ext.set("cx", str(round(int(ext.get("cx")) * factor)))
    prs.slide_width = new_width


def _set_xfrm(shape, x, y, w, h) -> None:
    shape.left, shape.top, shape.width, shape.height = _emu(x), _emu(y), _emu(w), _emu(h)


def _add_rect(shapes, name: str, x, y, w, h, colour: str = "accent1") -> None:
    """A decorative filled rectangle on a master or layout (python-pptx cannot add shapes there)."""
    from lxml import etree

    tree = shapes.element  # p:spTree
    next_id = max([int(i) for i in tree.xpath(".//p:cNvPr/@id")] + [1]) + 1
    tree.append(etree.fromstring(
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr><p:cNvPr id="{next_id}" name="{name}" descr=""/>'
        f'<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{_emu(x)}" y="{_emu(y)}"/>'
        f'<a:ext cx="{_emu(w)}" cy="{_emu(h)}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'
    ))


def _style_default_template(prs) -> None:
    """printgen's own look on python-pptx's plain default template (16:9 already)."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    master = prs.slide_master
    for ph in master.placeholders:
        kind = ph.placeholder_format.type
        if kind == PH.TITLE:
            _set_xfrm(ph, 40, 22, 880, 88)
        elif kind == PH.BODY:
            _set_xfrm(ph, 40, 128, 880, 384)
        elif kind == PH.SLIDE_NUMBER:
            _set_xfrm(ph, 720, 512, 200, 24)  # under the body box, never over its last line
    _add_rect(master.shapes, "Accent line", 47, 113, 866, 2.5)
    title_layout = next(l for l in master.slide_layouts
                        if {p.placeholder_format.type for p in l.placeholders} >= {PH.CENTER_TITLE, PH.SUBTITLE})
    for ph in title_layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == PH.CENTER_TITLE:
            _set_xfrm(ph, 84, 110, 800, 180)
        elif kind == PH.SUBTITLE:
            _set_xfrm(ph, 84, 318, 800, 150)
        if kind in (PH.CENTER_TITLE, PH.SUBTITLE):  # left-aligned: the list style has no API
            txbody = ph.element.find("p:txBody", NS)
            lst = txbody.find(_a("lstStyle"))
            if lst is None:
                from lxml import etree

                lst = etree.Element(_a("lstStyle"))
                txbody.find(_a("bodyPr")).addnext(lst)
            lvl1 = lst.find(_a("lvl1pPr"))
            if lvl1 is None:
                lvl1 = _sub(lst, "lvl1pPr")
            lvl1.set("algn", "l")
            lvl1.set("indent", "0")
            lvl1.set("marL", "0")
    title_layout.element.set("showMasterSp", "0")  # not the master's line under the title
    _add_rect(title_layout.shapes, "Accent band", 0, 0, 26, 540)
    _add_rect(title_layout.shapes, "Accent line", 91, 302, 220, 4)


def _placeholders(layout) -> list:
    """``(placeholder, its type)`` for each placeholder of ``layout``, in order (python-pptx
    finds them with an XPath query a shape each time they are iterated: here once a layout)."""
    return [(ph, ph.placeholder_format.type) for ph in layout.placeholders]


def _is_vertical(ph) -> bool:
    body_pr = ph.element.find(".//a:bodyPr", NS)
    return body_pr is not None and body_pr.get("vert") not in (None, "horz")


def _choose_layouts(prs, template: Path | None) -> dict:
    """``{kind: (layout, title placeholder, body placeholder)}`` by placeholder types."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    layouts = [l for m in prs.slide_masters for l in m.slide_layouts]
    placeholders = [_placeholders(l) for l in layouts]
    content = None
    best = None
    for layout, phs in zip(layouts, placeholders):
        types = [t for _, t in phs]
        titles = [p for p, t in phs if t == PH.TITLE]
        bodies = [p for p, t in phs if t in (PH.BODY, PH.OBJECT) and not _is_vertical(p)]
        if not titles or not bodies:
            continue
        others = sum(t in (PH.PICTURE, PH.CHART, PH.TABLE, PH.MEDIA_CLIP, PH.ORG_CHART) for t in types)
        body = max(bodies, key=lambda p: p.width * p.height)
        score = (len(bodies) + others, -(body.width * body.height))
        if best is None or score < best:
            best, content = score, (layout, titles[0], body)
    if content is None:
        where = template or "the default template"
        found = ", ".join(f"「{l.name}」" for l in layouts) or "none"
        raise _template_problem(where, "no slide layout with a title placeholder and a body (text or content) "
                                f"placeholder, such as 「タイトルとコンテンツ」(Title and Content); the deck needs one. Layouts found: {found}")
    title = None
    for layout, phs in zip(layouts, placeholders):
        phs = {t: p for p, t in phs}
        head = phs.get(PH.CENTER_TITLE) or phs.get(PH.TITLE)
        if head is not None and PH.SUBTITLE in phs:
            title = (layout, head, phs[PH.SUBTITLE])
            break
    title = title or content
    return {"content": content, "title": title, "statement": title}


def _slide_number_placeholder(layout):
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    return next((p for p in layout.placeholders if p.placeholder_format.type == PH.SLIDE_NUMBER), None)


def _add_slide_number(slide, layout_ph, number: int) -> None:
    """The layout's slide-number placeholder on the slide, holding a slide-number field:
    PowerPoint keeps it right when slides move; ``number`` is what it shows until then.
    python-pptx has no API for fields: the layout's own (or a new one) goes into the XML."""
    import copy

    from lxml import etree

    slide.shapes.clone_placeholder(layout_ph)
    p = _paragraph(_slide_placeholder(slide, layout_ph), True)[1]
    fld = layout_ph.element.find(".//a:fld[@type='slidenum']", NS)
    if fld is None:
        fld = etree.Element(_a("fld"), id=SLIDE_NUMBER_FIELD, type="slidenum")
        _sub(fld, "rPr")
        _sub(fld, "t")
    else:
        fld = copy.deepcopy(fld)
    rpr = fld.find(_a("rPr"))
    rpr.attrib.pop("smtClean", None)
    rpr.set("sz", _pts(NUMBER_SIZE))
    set_run_font(rpr)
    fld.find(_a("t")).text = str(number)
    p.insert(0, fld)


def _box(ph) -> Box:
    return Box(ph.left / EMU_PER_PT, ph.top / EMU_PER_PT, ph.width / EMU_PER_PT, ph.height / EMU_PER_PT)


def _theme_part(prs):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return prs.slide_master.part.part_related_by(RT.THEME)


def _theme_xml(prs):
    from lxml import etree

    return etree.fromstring(_theme_part(prs).blob)


def _themed(root, theme):
    """``root`` (a theme's XML) with its major and minor fonts (Latin, East Asian, Japanese
    script) made the bundled family, so text a lecturer types later is set in it too, and
    ``theme``'s colours if any. python-pptx has the theme part only as bytes: :func:`_save`
    writes these in their place."""
    for font in root.xpath(".//a:fontScheme/a:majorFont | .//a:fontScheme/a:minorFont", namespaces=NS):
        for tag in ("latin", "ea"):
            el = font.find(_a(tag))
            if el is None:
                el = _sub(font, tag)
            el.set("typeface", FAMILY)
        jpan = font.find("a:font[@script='Jpan']", NS)
        if jpan is None:
            jpan = _sub(font, "font", script="Jpan")
        jpan.set("typeface", FAMILY)
    if theme is not None:
        name, dark, accent, light = theme
        scheme = root.find(".//a:clrScheme", NS)
        scheme.set("name", name)
        for slot, value in (("dk2", dark), ("accent1", accent), ("lt2", light)):
            el = scheme.find(f"a:{slot}", NS)
            for child in list(el):
                el.remove(child)
            _sub(el, "srgbClr", val=value)
    return root


# --- filling slides ---------------------------------------------------------------------


def _slide_placeholder(slide, layout_ph):
    """The placeholder of ``slide`` that inherits from ``layout_ph`` (the one with its idx)."""
    return slide.placeholders[layout_ph.placeholder_format.idx]


def _paragraph(shape, first: bool):
    """The first paragraph of ``shape``'s text, or a new one after the others, and its ``a:p``
    element (python-pptx's paragraphs do not hand out their XML; the shape's element does)."""
    tf = shape.text_frame
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    return p, shape.element.findall("p:txBody/a:p", NS)[-1]


def _prepare_frame(shape, anchor=None):
    from pptx.enum.text import MSO_AUTO_SIZE

    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE  # the text was fitted at build time (see deck.fit)
    # The insets the text was measured with, always written: python-pptx's margin_left … leave
    # out a value equal to the schema's default, and the slide would then inherit the layout's.
    body_pr = shape.element.find("p:txBody/a:bodyPr", NS)
    for attr, value in zip(("lIns", "tIns", "rIns", "bIns"), (7.2, 3.6, 7.2, 3.6)):
        body_pr.set(attr, str(_emu(value)))
    if anchor is not None:
        tf.vertical_anchor = anchor


def _add_runs(paragraph, text: str, size: float, bold: bool = False, colour=None) -> None:
    """``text`` as runs of ``paragraph`` (from :func:`_paragraph`), in Japanese; a newline
    becomes a line break (a:br). ``colour``: an ``MSO_THEME_COLOR``."""
    p, p_el = paragraph
    for i, line in enumerate(text.split("\n")):
        if i:
            p.add_line_break()
        run = p.add_run()
        run.text = line
        font = run.font
        font.size = _length(size)
        font.bold = bold
        if colour is not None:
            font.color.theme_color = colour
    _set_paragraph_fonts(p_el, size)


def _set_paragraph_fonts(p_el, size: float) -> None:
    """Every run and line break of ``p_el`` (an ``a:p``) in Japanese and :data:`FAMILY`
    (:func:`set_run_font`). A line break also gets the size of the runs around it: python-pptx
    adds it without run properties (``a:rPr``), so it would take the layout's size."""
    for el in p_el:
        if el.tag == _a("br") and el.find(_a("rPr")) is None:
            _sub(el, "rPr", sz=_pts(size))
        if el.tag in (_a("r"), _a("br")):
            set_run_font(el.find(_a("rPr")))


def _set_ppr(paragraph, *, pitch: float, before: float, align: str | None, mar_l: float = 0, indent: float = 0,
             bullet: str = "", bullet_colour: str | None = None) -> None:
    """Spacing and alignment through python-pptx; the margin, the hanging indent and the bullet
    (or none, rather than the layout's) in the XML: python-pptx has no API for them."""
    from pptx.enum.text import PP_ALIGN

    p, p_el = paragraph
    p.line_spacing = _length(pitch)  # exact line pitch, as measured
    p.space_before = _length(before)
    p.space_after = _length(0)
    ppr = p_el.find(_a("pPr"))
    ppr.set("marL", str(_emu(mar_l)))
    ppr.set("indent", str(_emu(-indent)))
    if align:
        p.alignment = PP_ALIGN.from_xml(align)
    # after the spacing, in schema order (python-pptx added nothing that goes later)
    if bullet:
        if bullet_colour:
            _sub(_sub(ppr, "buClr"), "schemeClr", val=bullet_colour)
        _sub(ppr, "buSzPct", val="80000")
        _sub(ppr, "buFont", typeface=FAMILY)
        _sub(ppr, "buChar", char=bullet)
    else:
        _sub(ppr, "buNone")


def _fill_title(shape, s, styled: bool, align: str | None, own_look: bool) -> None:
    """``styled``: colours from the theme; ``own_look``: printgen's alignment (not a template's)."""
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.text import MSO_ANCHOR

    _prepare_frame(shape, MSO_ANCHOR.BOTTOM if own_look and s.kind == "content" else None)
    paragraph = _paragraph(shape, True)
    _set_ppr(paragraph, pitch=s.title_size * TITLE_LEADING, before=0, align=align or ("l" if own_look else None))
    _add_runs(paragraph, s.title, s.title_size, bold=True, colour=MSO_THEME_COLOR.TEXT_2 if styled else None)


def _fill_body(shape, s, styled: bool, align: str | None, own_look: bool) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR
    from pptx.enum.text import MSO_ANCHOR

    _prepare_frame(shape, MSO_ANCHOR.TOP if s.kind == "content" else None)
    for i, para in enumerate(s.paras):
        st = STYLES[para.style]
        size = s.body_size * st.scale
        paragraph = _paragraph(shape, i == 0)
        indent = para.indent(s.body_size)
        # a bullet or marker hangs in the margin; a paragraph continued from the last slide has
        # neither, and all its lines start at mar_l, as measured and as deck.pdf sets them
        hang = bool(st.bullet or para.marker) and not para.continued
        _set_ppr(paragraph, pitch=size * BODY_LEADING, before=0 if i == 0 else st.before * s.body_size,
                 align=align or (st.align if st.align and (st.align != "l" or own_look) else None),
                 mar_l=indent, indent=indent if hang else 0,
                 bullet=st.bullet if not para.continued else "", bullet_colour="accent1" if styled else None)
        _add_runs(paragraph, para.shown, size, bold=st.bold, colour=MSO_THEME_COLOR.ACCENT_1 if styled and st.accent else None)


def _fill_notes(shape, notes: str) -> None:
    """``notes`` into the notes slide's body placeholder, a paragraph a line."""
    for i, line in enumerate(notes.split("\n")):
        paragraph = _paragraph(shape, i == 0)
        if line:
            _add_runs(paragraph, line, NOTES_SIZE)


# --- reproducibility --------------------------------------------------------------------


def _build_time(document) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set, else the first day of the publication month: never "now"."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    year, month = (int(x) for x in str(document.date_iso).split("-")[:2])
    return dt.datetime(year, month, 1)


def _set_core_properties(prs, document) -> None:
    cp = prs.core_properties
    when = _build_time(document)
    cp.title = document.title
    cp.author = document.committee
    cp.last_modified_by = document.committee
    cp.subject = document.programme
    cp.language = "ja-JP"
    cp.revision = 1
    cp.created = when
    cp.modified = when
    cp.keywords = ""
    cp.comments = ""


def _save(prs, when: dt.datetime, replace: dict[str, bytes]) -> bytes:
    """The presentation as ``prs.save()`` writes it, the entries named in ``replace`` (zip
    member names) with those bytes instead, every entry stamped ``when``: python-pptx stamps
    the current time, and the same input must give the same bytes. Entries keep their order
    and compression method (deflated again at the highest level)."""
    saved = io.BytesIO()
    prs.save(saved)
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w") as dest:
        for item in src.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = item.compress_type
            entry.external_attr = 0o644 << 16
            data = replace[item.filename] if item.filename in replace else src.read(item)
            dest.writestr(entry, data, compresslevel=9)
    return out.getvalue()
