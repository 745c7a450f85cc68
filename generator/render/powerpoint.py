"""Writing the fitted slides as a real PowerPoint file with python-pptx.

Titles go into title placeholders and text into body placeholders of the template's layouts
(chosen by placeholder types, not by index), so the outline view, slide titles and the
accessibility checker work, and a lecturer can edit the slides. Every East Asian font detail
PowerPoint needs lives in :func:`set_run_font`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from generator.errors import PrintgenError
from generator.render.deck import BODY_LEADING, BULLET, FAMILY, NUMBER_SIZE, STYLES, TITLE_LEADING, pptx_theme, Box, Geometry

EMU_PER_PT = 12700
SLIDE_16_9 = (12192000, 6858000)  # 13.333 × 7.5 in
NOTES_SIZE = 12
SLIDE_NUMBER_FIELD = "{C1FF6DA9-008F-8B48-92A6-B652298478BF}"  # the default template's: fixed, for the same bytes
# A --template may unpack to at most this many bytes (PowerPoint templates are a few MB).
MAX_TEMPLATE_UNPACKED = 100_000_000

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
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
        _set_theme(self.prs, pptx_theme(theme) if theme else None)
        self._geometry = None

    # geometry and colours, shared with the PDF renderers

    def geometry(self) -> Geometry:
        if self._geometry is None:
            boxes = {}
            for kind, (layout, title_ph, body_ph) in self.layouts.items():
                boxes[kind] = (_box(title_ph), _box(body_ph))
            self._geometry = Geometry(self.prs.slide_width / EMU_PER_PT, self.prs.slide_height / EMU_PER_PT, boxes,
                                      _box(self.number_ph) if self.number_ph is not None else None)
        return self._geometry

    def colours(self) -> dict[str, str]:
        """``dark``, ``accent``, ``light`` as #RRGGBB, from the presentation's theme."""
        theme = _theme_xml(self.prs)
        scheme = theme.find(".//a:clrScheme", NS)
        out = {}
        for key, slot, fallback in (("dark", "dk2", "1F3A5F"), ("accent", "accent1", "3568B0"), ("light", "lt2", "EEEEEE")):
            el = scheme.find(f"a:{slot}/*", NS) if scheme is not None else None
            value = None if el is None else el.get("val") if el.tag == _a("srgbClr") else el.get("lastClr")
            out[key] = "#" + (value if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value) else fallback)  # goes into CSS
        return out

    # the slides

    def build(self, slides, document) -> bytes:
        styled = self.theme is not None
        blanks: dict = {}  # what _add_slide and _notes_slide copy
        for s in slides:
            layout, title_ph, body_ph = self.layouts[s.kind]
            slide = _add_slide(self.prs, layout, blanks)
            title_shape = _slide_placeholder(slide, title_ph)
            body_shape = _slide_placeholder(slide, body_ph)
            align = None
            _fill_title(title_shape, s, styled, align, own_look=self.template is None)
            _fill_body(body_shape, s, styled, align, own_look=self.template is None)
            if s.kind == "content" and self.number_ph is not None:
                _add_slide_number(slide, self.number_ph, s.number, blanks)
            # placeholders of the layout we do not use (date, footer) are not on the slide
            _fill_notes(_notes_slide(slide, blanks), s.notes)
        _set_core_properties(self.prs, document)
        return _save(self.prs, _build_time(document))


# --- opening and preparing the template -------------------------------------------------


def _open_template(path: Path):
    from pptx import Presentation

    if not path.is_file():
        raise PrintgenError(f"{path}: error: --template: file not found")
    try:  # python-pptx reads every part into memory: refuse a zip bomb before it does
        unpacked = sum(item.file_size for item in zipfile.ZipFile(path).infolist())
    except (zipfile.BadZipFile, OSError):
        unpacked = 0  # not a zip: Presentation() says so below
    if unpacked > MAX_TEMPLATE_UNPACKED:
        raise PrintgenError(f"{path}: error: --template: the presentation unpacks to {unpacked:,} bytes; "
                            f"a template may unpack to at most {MAX_TEMPLATE_UNPACKED:,}")
    try:
        prs = Presentation(str(path))
        _theme_xml(prs)  # parsed later for fonts and colours: a broken theme is a broken file
        return prs
    except Exception as exc:  # python-pptx raises many kinds for a file that is not a .pptx
        raise PrintgenError(
            f"{path}: error: --template: not a PowerPoint presentation (.pptx) "
            f"({exc.__class__.__name__}); save the template from PowerPoint as a .pptx file"
        ) from None


def _remove_slides(prs) -> None:
    """Drop a template's own slides: the deck brings its own (their parts are not saved)."""
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        prs.part.drop_rel(sld_id.rId)
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
            for xfrm in _top_level_xfrms(part.shapes._spTree):
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

    tree = shapes._spTree
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
        if kind in (PH.CENTER_TITLE, PH.SUBTITLE):
            txbody = ph.text_frame._txBody
            lst = txbody.find(_a("lstStyle"))
            if lst is None:
                from lxml import etree

                lst = etree.Element(_a("lstStyle"))
                txbody.bodyPr.addnext(lst)
            lvl1 = lst.find(_a("lvl1pPr"))
            if lvl1 is None:
                lvl1 = _sub(lst, "lvl1pPr")
            lvl1.set("algn", "l")
            lvl1.set("indent", "0")
            lvl1.set("marL", "0")
    title_layout._element.set("showMasterSp", "0")  # not the master's line under the title
    _add_rect(title_layout.shapes, "Accent band", 0, 0, 26, 540)
    _add_rect(title_layout.shapes, "Accent line", 91, 302, 220, 4)


def _placeholders(layout) -> list:
    """``(placeholder, its type)`` for each placeholder of ``layout``, in order (python-pptx
    finds them with an XPath query a shape each time they are iterated: here once a layout)."""
    return [(ph, ph.placeholder_format.type) for ph in layout.placeholders]


def _is_vertical(ph) -> bool:
    body_pr = ph._element.find(".//a:bodyPr", NS)
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
        raise PrintgenError(
            f"{where}: error: --template: no slide layout with a title placeholder and a body (text or content) "
            f"placeholder, such as 「タイトルとコンテンツ」(Title and Content); the deck needs one. Layouts found: {found}"
        )
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


def _add_slide_number(slide, layout_ph, number: int, blanks: dict) -> None:
    """The layout's slide-number placeholder on the slide, holding a slide-number field:
    PowerPoint keeps it right when slides move; ``number`` is what it shows until then.
    Made once; later slides (the same placeholders before it, so the same shape id) get a copy
    with their own number, inserted where python-pptx's ``clone_placeholder`` inserts."""
    import copy

    from lxml import etree

    made = blanks.get("number")
    if made is not None:
        sp = copy.deepcopy(made)
        sp.find(".//a:fld[@type='slidenum']/a:t", NS).text = str(number)
        slide.shapes._spTree.insert_element_before(sp, "p:extLst")
        return
    slide.shapes.clone_placeholder(layout_ph)
    p = _slide_placeholder(slide, layout_ph).text_frame.paragraphs[0]._p
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
    blanks["number"] = copy.deepcopy(p.getparent().getparent())  # the p:sp


def _box(ph) -> Box:
    return Box(ph.left / EMU_PER_PT, ph.top / EMU_PER_PT, ph.width / EMU_PER_PT, ph.height / EMU_PER_PT)


def _theme_part(prs):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return prs.slide_master.part.part_related_by(RT.THEME)


def _theme_xml(prs):
    from lxml import etree

    return etree.fromstring(_theme_part(prs).blob)


def _set_theme(prs, theme) -> None:
    """The theme's major and minor fonts (Latin, East Asian, Japanese script) become the
    bundled family, so text a lecturer types later is set in it too; ``theme`` colours, if any."""
    from lxml import etree

    part = _theme_part(prs)
    root = etree.fromstring(part.blob)
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
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- filling slides ---------------------------------------------------------------------


def _slide_placeholder(slide, layout_ph):
    """The placeholder of ``slide`` with ``layout_ph``'s idx, as ``slide.placeholders[idx]``
    finds it (the first such shape), without its XPath query for each shape on the slide."""
    from pptx.shapes.shapetree import SlideShapeFactory

    idx = layout_ph.placeholder_format.idx
    for el in slide.shapes._spTree.iter_shape_elms():
        ph = el.find(_PH)
        if ph is not None and int(ph.get("idx", "0")) == idx:
            return SlideShapeFactory(el, slide.placeholders)
    raise AssertionError(f"placeholder idx {idx} missing on the slide")


_PH = f"./*/{{{P}}}nvPr/{{{P}}}ph"  # a shape's placeholder element (in its p:nvSpPr, p:nvPicPr …)


def _prepare_frame(shape, anchor: str | None = None):
    from pptx.enum.text import MSO_AUTO_SIZE

    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE  # the text was fitted at build time (see deck.fit)
    body_pr = tf._txBody.bodyPr
    for attr, value in zip(("lIns", "tIns", "rIns", "bIns"), (7.2, 3.6, 7.2, 3.6)):
        body_pr.set(attr, str(_emu(value)))
    if anchor:
        body_pr.set("anchor", anchor)
    return tf


def _paragraph(tf, first: bool):
    return tf.paragraphs[0] if first else tf.add_paragraph()


def _add_runs(p, text: str, size: float, bold: bool = False, colour: str | None = None) -> None:
    """``text`` as runs of ``p``; a newline becomes a line break (a:br).

    The elements are made here as python-pptx and :func:`set_run_font` make them on a new run
    (``add_run``, ``run.text``, ``get_or_add_rPr``: the same children, attributes in the same
    order, the text escaped by python-pptx's own function), at a fraction of the cost."""
    from pptx.oxml.text import CT_RegularTextRun

    escape = CT_RegularTextRun._escape_ctrl_chars
    p_el = p._p
    end = p_el.find(_a("endParaRPr"))  # python-pptx adds a run before it (a line break goes last)
    sz = _pts(size)
    for i, line in enumerate(text.split("\n")):
        if i:
            _font_children(_sub(_sub(p_el, "br"), "rPr", sz=sz, lang="ja-JP", altLang="en-US"))
        if end is None:
            r = _sub(p_el, "r")
        else:
            r = p_el.makeelement(_a("r"), {})
            end.addprevious(r)
        rpr = _sub(r, "rPr", sz=sz, b="1" if bold else "0", lang="ja-JP", altLang="en-US")
        if colour:
            _sub(_sub(rpr, "solidFill"), "schemeClr", val=colour)
        _font_children(rpr)
        _sub(r, "t").text = escape(line)


def _font_children(rpr, family: str = FAMILY) -> None:
    """The typeface elements :func:`set_run_font` adds to a new run's ``a:rPr`` (which has its
    ``lang`` and ``altLang`` already, and no typeface or later child)."""
    for tag in ("latin", "ea", "cs"):
        _sub(rpr, tag, typeface=family)


def _set_ppr(p, *, pitch: float, before: float, align: str | None, mar_l: float = 0, indent: float = 0,
             bullet: str = "", bullet_colour: str | None = None) -> None:
    ppr = p._p.get_or_add_pPr()
    ppr.set("marL", str(_emu(mar_l)))
    ppr.set("indent", str(_emu(-indent)))
    if align:
        ppr.set("algn", align)
    for child in list(ppr):
        ppr.remove(child)
    _sub(_sub(ppr, "lnSpc"), "spcPts", val=_pts(pitch))  # exact line pitch, as measured
    _sub(_sub(ppr, "spcBef"), "spcPts", val=_pts(before))
    _sub(_sub(ppr, "spcAft"), "spcPts", val="0")
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
    tf = _prepare_frame(shape, "b" if own_look and s.kind == "content" else None)
    p = _paragraph(tf, True)
    _set_ppr(p, pitch=s.title_size * TITLE_LEADING, before=0, align=align or ("l" if own_look else None))
    _add_runs(p, s.title, s.title_size, bold=True, colour="tx2" if styled else None)


def _fill_body(shape, s, styled: bool, align: str | None, own_look: bool) -> None:
    tf = _prepare_frame(shape, "t" if s.kind == "content" else None)
    for i, para in enumerate(s.paras):
        st = STYLES[para.style]
        size = s.body_size * st.scale
        p = _paragraph(tf, i == 0)
        indent = para.indent(s.body_size)
        # a bullet or marker hangs in the margin; a paragraph continued from the last slide has
        # neither, and all its lines start at mar_l, as measured and as deck.pdf sets them
        hang = bool(st.bullet or para.marker) and not para.continued
        _set_ppr(p, pitch=size * BODY_LEADING, before=0 if i == 0 else st.before * s.body_size,
                 align=align or (st.align if st.align and (st.align != "l" or own_look) else None),
                 mar_l=indent, indent=indent if hang else 0,
                 bullet=st.bullet if not para.continued else "", bullet_colour="accent1" if styled else None)
        _add_runs(p, para.shown, size, bold=st.bold, colour="accent1" if styled and st.accent else None)


def _add_slide(prs, layout, blanks: dict):
    """``prs.slides.add_slide(layout)``, cheaper. python-pptx clones the layout's placeholders
    onto each new slide (~1.5 ms a slide, mostly XPath); the clones are the same on every new
    slide of a layout, so each later slide gets copies of the first one's, in the same order."""
    import copy

    shapes = blanks.get(layout.part)
    if shapes is None:
        slide = prs.slides.add_slide(layout)
        blanks[layout.part] = [copy.deepcopy(el) for el in slide.shapes._spTree.iter_shape_elms()]
        return slide
    r_id, slide = prs.part.add_slide(layout)  # as Slides.add_slide does, with copied placeholders
    tree = slide.shapes._spTree
    for el in shapes:
        tree.append(copy.deepcopy(el))
    prs.slides._sldIdLst.add_sldId(r_id)
    return slide


NOTES_PARTNAME = "/ppt/notesSlides/notesSlide%d.xml"  # python-pptx's


def _notes_slide(slide, blanks: dict):
    """``slide.notes_slide``, cheaper. python-pptx makes each notes slide by cloning the notes
    master's placeholders (~2 ms, mostly XPath); a new notes slide is the same XML every time,
    so later ones are copies of the first one as it was made, related as python-pptx relates
    them (``NotesSlidePart.new``: to the notes master, then to the slide, then the slide to it)."""
    import copy

    from pptx.opc.packuri import PackURI

    blank = blanks.get("notes")
    if blank is None:
        notes = slide.notes_slide
        blanks["notes"] = copy.deepcopy(notes._element)
        # python-pptx names each new part after the names it finds by walking every part of
        # the package (``next_partname``); walked once here, then kept up to date
        prefix = NOTES_PARTNAME[:NOTES_PARTNAME.index("%")]
        blanks["notes_names"] = {p.partname for p in notes.part.package.iter_parts() if p.partname.startswith(prefix)}
        return notes
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.parts.slide import NotesSlidePart

    part = slide.part
    package = part.package
    names = blanks["notes_names"]
    partname = next(PackURI(NOTES_PARTNAME % n) for n in range(len(names) + 1, 0, -1)
                    if NOTES_PARTNAME % n not in names)  # as OpcPackage.next_partname picks it
    names.add(partname)
    notes_part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, package, copy.deepcopy(blank))
    notes_part.relate_to(package.presentation_part.notes_master_part, RT.NOTES_MASTER)
    notes_part.relate_to(part, RT.SLIDE)
    part.relate_to(notes_part, RT.NOTES_SLIDE)
    return slide.notes_slide


def _fill_notes(notes_slide, notes: str) -> None:
    tf = notes_slide.notes_text_frame
    for i, line in enumerate(notes.split("\n")):
        p = _paragraph(tf, i == 0)
        if line:
            _add_runs(p, line, NOTES_SIZE)


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


class _StampedZip:
    """Where python-pptx's package writer writes each item (its ``_ZipPkgWriter`` interface):
    every entry stamped ``when``, not the current time, so the same input gives the same bytes."""

    def __init__(self, zip_file: zipfile.ZipFile, when: dt.datetime):
        self.zip_file = zip_file
        self.stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]

    def write(self, pack_uri, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        self.zip_file.writestr(entry, blob, compresslevel=9)


def _save(prs, when: dt.datetime) -> bytes:
    """``prs.save()`` (the same items in the same order, through python-pptx's PackageWriter) into
    a zip of stamped entries: written once, where saving and then rewriting every entry with a
    fixed time compressed everything twice."""
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))  # as OpcPackage.save
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_file:
        stamped = _StampedZip(zip_file, when)
        writer._write_content_types_stream(stamped)  # as PackageWriter._write
        writer._write_pkg_rels(stamped)
        writer._write_parts(stamped)
    return out.getvalue()

