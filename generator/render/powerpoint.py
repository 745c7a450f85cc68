"""Writing the fitted slides as a real PowerPoint file with python-pptx.

Titles go into title placeholders and text into body placeholders of the template's layouts
(chosen by placeholder types, not by index), so the outline view, slide titles and the
accessibility checker work, and a lecturer can edit the slides.

The deck's look lives where PowerPoint keeps it: fonts (East Asian included) and colours in
the theme and the slide master's text styles, bullets, line spacing and alignment in the
master and layouts. A slide's runs carry only their fitted size and language, so a slide the
lecturer adds from a layout looks like the others. On a ``--template`` the template's master,
layouts, colours, slide size and (with ``keep_fonts``) fonts stay as they are.

Only python-pptx's public API is used. What it has no API for (East Asian fonts, the master's
text styles, bullets and hanging indents, the slide-number field, shapes on masters and
layouts, the theme, package metadata) is written with lxml into the elements python-pptx
hands out (``shape.element``, ``layout.element``, ``prs.element`` …) or into the saved package.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from generator.errors import Diagnostic, PrintgenError
from generator.i18n import _
from generator.render.deck import (BODY_LEADING, BULLET, FAMILY, NUMBER_SIZE, STYLES, TITLE_LEADING, Box, Geometry,
                                   pptx_theme)

EMU_PER_PT = 12700
# What one line (100 % spacing) is in PowerPoint and LibreOffice, in ems: 1.2 em for BIZ UD
# (measured: at 140 % LibreOffice set 32 pt lines 53.8 pt apart). The deck's leadings are
# line pitches (TITLE_LEADING × size), so the XML says leading / SINGLE_LINE.
SINGLE_LINE = 1.2
NOTES_SIZE = 12
SLIDE_NUMBER_FIELD = "{C1FF6DA9-008F-8B48-92A6-B652298478BF}"  # the default template's: fixed, for the same bytes
# A --template may unpack to at most this many bytes (PowerPoint templates are a few MB).
MAX_TEMPLATE_UNPACKED = 100_000_000
# Slide sizes PowerPoint allows: 1 to 56 inches a side (EMU).
MIN_SLIDE_EMU, MAX_SLIDE_EMU = 914400, 56 * 914400
# Content types of a PowerPoint template (.potx) and presentation: python-pptx opens only the latter.
POTX_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
PPTX_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
NS = {"a": A, "p": P}


def _a(tag: str) -> str:
    return f"{{{A}}}{tag}"


def set_run_font(rpr, family: str = FAMILY) -> None:
    """Name ``family`` as the Latin, East Asian and complex-script typeface of ``rpr`` (a run's
    ``a:rPr`` or a style's ``a:defRPr``), in Japanese.

    PowerPoint takes the typeface of Japanese characters from ``<a:ea>``, which python-pptx has
    no API for (``font.name`` writes only ``<a:latin>``); without it the kana and kanji come out
    in whatever East Asian font the viewer picks (MS P Gothic, Noto …) beside BIZ UD Latin.
    ``lang="ja-JP"`` makes PowerPoint and LibreOffice apply Japanese line breaking and spell
    checking. Schema order inside ``a:rPr``: … fill, …, latin, ea, cs, sym, hlinkClick ….
    """
    set_japanese(rpr)
    for tag in ("latin", "ea", "cs"):
        _set_font(rpr, tag, family)


def set_japanese(rpr) -> None:
    rpr.set("lang", "ja-JP")
    rpr.set("altLang", "en-US")


def _set_font(rpr, tag: str, family: str) -> None:
    """``<a:latin|ea|cs typeface=family>`` in ``rpr``, in schema order."""
    from lxml import etree

    for old in rpr.findall(_a(tag)):
        rpr.remove(old)
    el = etree.Element(_a(tag), typeface=family)
    later = {"latin": ("ea", "cs", "sym"), "ea": ("cs", "sym"), "cs": ("sym",)}[tag]
    for name in (*later, "hlinkClick", "hlinkMouseOver", "rtl", "extLst"):
        anchor = rpr.find(_a(name))
        if anchor is not None:
            anchor.addprevious(el)
            return
    rpr.append(el)


def _sub(parent, tag: str, **attrs):
    from lxml import etree

    return etree.SubElement(parent, _a(tag), {k: str(v) for k, v in attrs.items()})


def _pts(value: float) -> str:
    return str(round(value * 100))


def _pct(value: float) -> str:
    return str(round(value * 100000))


def _emu(pt: float) -> int:
    return round(pt * EMU_PER_PT)


class DeckFile:
    """A presentation opened from the default template or the user's, ready for the slides."""

    def __init__(self, template: str | Path | None, theme: str | None, keep_fonts: bool = True):
        from pptx import Presentation

        self.template = Path(template) if template else None
        self.theme = theme
        self.own_look = self.template is None
        self.prs = _open_template(self.template) if self.template else Presentation()
        _remove_slides(self.prs)
        if self.own_look:
            _make_16_9(self.prs)
            _style_default_template(self.prs)
        _number_placeholders(self.prs)
        self.layouts = _choose_layouts(self.prs, self.template)
        self.number_ph = _slide_number_placeholder(self.layouts["content"][0])
        own_fonts = self.own_look or not keep_fonts
        _japanese_text_styles(self.prs, FAMILY if own_fonts else None)
        _japanese_notes(self.prs)
        self.theme_xml = _themed(_theme_xml(self.prs), pptx_theme(theme) if theme else None, own_fonts)

    # geometry and colours, shared with the PDF renderers

    def geometry(self) -> Geometry:
        boxes = {kind: (_box(title_ph, self.own_look), _box(body_ph, self.own_look))
                 for kind, (layout, title_ph, body_ph) in self.layouts.items()}
        names = {kind: (layout.name, title_ph.name, body_ph.name) for kind, (layout, title_ph, body_ph) in self.layouts.items()}
        anchors = {kind: (_anchor(title_ph), _anchor(body_ph)) for kind, (layout, title_ph, body_ph) in self.layouts.items()}
        bold = {kind: _title_bold(title_ph) for kind, (layout, title_ph, body_ph) in self.layouts.items()}
        return Geometry(self.prs.slide_width / EMU_PER_PT, self.prs.slide_height / EMU_PER_PT, boxes,
                        _box(self.number_ph, True) if self.number_ph is not None else None,
                        names=names, template=str(self.template) if self.template else None, anchors=anchors,
                        title_bold=bold)

    def colours(self) -> dict[str, str]:
        """As #RRGGBB: ``dark``, ``accent``, ``light`` from the presentation's theme, and what
        the slides show: ``title`` and ``text`` colours and the ``background``, from the master."""
        scheme = self.theme_xml.find(".//a:clrScheme", NS)

        def slot(name, fallback):
            el = scheme.find(f"a:{name}/*", NS) if scheme is not None else None
            value = None if el is None else el.get("val") if el.tag == _a("srgbClr") else el.get("lastClr")
            return "#" + (value if _is_hex(value) else fallback)  # goes into CSS

        out = {"dark": slot("dk2", "1F3A5F"), "accent": slot("accent1", "3568B0"), "light": slot("lt2", "EEEEEE")}
        master = self.prs.slide_master.element
        mapping = master.find("p:clrMap", NS)

        def resolve(fill, fallback):
            """A ``solidFill``'s colour (scheme colours through the master's colour map)."""
            if fill is None:
                return fallback
            srgb = fill.find("a:srgbClr", NS)
            if srgb is not None and _is_hex(srgb.get("val")):
                return "#" + srgb.get("val")
            scheme_clr = fill.find("a:schemeClr", NS)
            if scheme_clr is not None:
                name = scheme_clr.get("val")
                name = mapping.get(name, name) if mapping is not None else name
                return slot({"tx1": "dk1", "tx2": "dk2", "bg1": "lt1", "bg2": "lt2"}.get(name, name), fallback[1:])
            return fallback

        styles = master.find("p:txStyles", NS)
        title_fill = styles.find("p:titleStyle/a:lvl1pPr/a:defRPr/a:solidFill", NS) if styles is not None else None
        body_fill = styles.find("p:bodyStyle/a:lvl1pPr/a:defRPr/a:solidFill", NS) if styles is not None else None
        out["text"] = resolve(body_fill, slot("dk1", "1A1A1A"))
        out["title"] = resolve(title_fill, out["text"])
        out["background"] = resolve(master.find("p:cSld/p:bg/p:bgPr/a:solidFill", NS), slot("lt1", "FFFFFF"))
        return out

    def pictures(self) -> dict[str, list[tuple[float, float, float, float, str]]]:
        """On a template, what deck.pdf draws under each kind of slide's text: the master's
        picture background and the pictures of the master (unless the layout hides them) and
        the layout, as ``(x, y, w, h, data URI)`` in points. Shapes drawn in DrawingML are not
        drawn (deck.pptx has them)."""
        from pptx.enum.shapes import MSO_SHAPE_TYPE

        if self.own_look:
            return {}
        out = {}
        for kind, (layout, _, _) in self.layouts.items():
            master = layout.slide_master
            drawn = []
            bg = master.element.find("p:cSld/p:bg/p:bgPr/a:blipFill/a:blip", NS)
            if bg is not None and bg.get(R_EMBED):
                uri = _data_uri(master.part.related_part(bg.get(R_EMBED)))
                if uri:
                    drawn.append((0.0, 0.0, self.prs.slide_width / EMU_PER_PT, self.prs.slide_height / EMU_PER_PT, uri))
            parts = ([master] if layout.element.get("showMasterSp") != "0" else []) + [layout]
            for part in parts:
                for shape in part.shapes:
                    if shape.shape_type == MSO_SHAPE_TYPE.PICTURE and shape.width and shape.height:
                        uri = _data_uri(shape.image)
                        if uri:
                            drawn.append((shape.left / EMU_PER_PT, shape.top / EMU_PER_PT, shape.width / EMU_PER_PT,
                                          shape.height / EMU_PER_PT, uri))
            out[kind] = drawn
        return out

    # the slides

    def build(self, slides, document) -> bytes:
        from lxml import etree

        if self.own_look:
            _master_sizes(self.prs, slides)
        for s in slides:
            layout, title_ph, body_ph = self.layouts[s.kind]
            # the layout's placeholders but date, footer and slide number (python-pptx leaves those out)
            slide = self.prs.slides.add_slide(layout)
            _fill_title(_slide_placeholder(slide, title_ph), s, self.own_look)
            body = _slide_placeholder(slide, body_ph)
            if s.paras:
                _fill_body(body, s, self.own_look, styled=self.theme is not None)
                if s.body_box != _box(body_ph, self.own_look):  # narrowed: no widow (deck.widowless_box)
                    _place(body, s.body_box)
            elif body is not None:  # a section divider without a subtitle: no empty "click to add" box
                body.element.getparent().remove(body.element)
            if s.kind == "content" and self.number_ph is not None:
                _add_slide_number(slide, self.number_ph, s.number)
            _fill_notes(slide.notes_slide.notes_placeholder, s.notes)
        _set_core_properties(self.prs, document)
        theme = etree.tostring(self.theme_xml, xml_declaration=True, encoding="UTF-8", standalone=True)
        replace = {_theme_part(self.prs).partname.membername: theme}
        metadata = {"docProps/app.xml": _app_xml(self.prs, slides),
                    THUMBNAIL: _thumbnail(self.prs, slides[0], self.colours())}
        return _save(self.prs, _build_time(document), replace, metadata)


PICTURE_TYPES = {"image/png", "image/jpeg", "image/gif"}  # what WeasyPrint draws from a data URI


def _data_uri(image) -> str | None:
    """A picture (python-pptx ``Image`` or image part) as a data URI, or None for a type
    WeasyPrint does not draw (EMF, WMF, SVG …)."""
    import base64

    content_type = getattr(image, "content_type", "")
    if content_type not in PICTURE_TYPES:
        return None
    return f"data:{content_type};base64," + base64.b64encode(image.blob).decode("ascii")


def _is_hex(value) -> bool:
    return bool(value) and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value)


# --- opening and preparing the template -------------------------------------------------


def _template_problem(path, message: str) -> PrintgenError:
    return PrintgenError.of(Diagnostic(str(path), None, "--template", message))


def _open_template(path: Path):
    """The template as a presentation. A .potx (a PowerPoint template) differs from a .pptx
    only in its main part's content type, which python-pptx refuses: it is opened from a copy
    in memory with the presentation's content type."""
    from pptx import Presentation

    if not path.is_file():
        raise _template_problem(path, _("file not found"))
    source = path
    try:  # python-pptx reads every part into memory: refuse a zip bomb before it does
        with zipfile.ZipFile(path) as package:
            unpacked = sum(item.file_size for item in package.infolist())
            names = package.namelist()
            types = package.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            if unpacked <= MAX_TEMPLATE_UNPACKED and POTX_MAIN in types:
                copy = io.BytesIO()
                with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as dest:
                    for item in package.infolist():
                        data = package.read(item)
                        dest.writestr(item.filename, data.replace(POTX_MAIN, PPTX_MAIN) if item.filename == "[Content_Types].xml" else data)
                source = copy
    except (zipfile.BadZipFile, OSError, KeyError):
        unpacked, names, types = 0, [], b""  # not a zip: Presentation() says so below
    if unpacked > MAX_TEMPLATE_UNPACKED:
        raise _template_problem(path, _("the presentation unpacks to {size:,} bytes; a template may unpack to at most {most:,}").format(
            size=unpacked, most=MAX_TEMPLATE_UNPACKED))
    # deck.pptx is a plain presentation: a template's macros would come along into it
    if b"macroEnabled" in types or any("vbaproject" in name.lower() for name in names):
        raise _template_problem(path, _("a presentation with macros (.pptm); printgen writes no macros: save the "
                                        "template as a PowerPoint presentation (.pptx) without macros"))
    try:
        prs = Presentation(source if isinstance(source, io.BytesIO) else str(source))
        _theme_xml(prs)  # parsed later for fonts and colours: a broken theme is a broken file
    except Exception as exc:  # python-pptx raises many kinds for a file that is not a .pptx
        raise _template_problem(path, _("not a PowerPoint presentation (.pptx) ({problem}); save the template from "
                                        "PowerPoint as a .pptx file").format(problem=exc.__class__.__name__)) from None
    width, height = prs.slide_width, prs.slide_height
    if not width or not height or not (MIN_SLIDE_EMU <= width <= MAX_SLIDE_EMU and MIN_SLIDE_EMU <= height <= MAX_SLIDE_EMU):
        found = _("none") if not width or not height else f"{width / 914400:.2f} × {height / 914400:.2f} in"
        raise _template_problem(path, _("the slide size is missing or broken (found {found}); set it in PowerPoint "
                                        "(デザイン > スライドのサイズ) and save the template again").format(found=found))
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
    """Make python-pptx's default (4:3) presentation 16:9. Changing the slide size does not
    move the masters' and layouts' shapes, so scale their positions and widths with it
    (heights stay); ``sldSz`` loses its ``type="screen4x3"``, which would still call it 4:3.
    A template keeps its own size."""
    width, height = prs.slide_width, prs.slide_height
    if abs(width / height - 16 / 9) >= 0.005:
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
    size = prs.element.find("p:sldSz", NS)
    if size is not None:
        size.attrib.pop("type", None)


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


def _level(style, n: int = 1):
    """The ``a:lvlNpPr`` of a list style (``a:lstStyle``, ``p:titleStyle`` …), made if missing
    (in level order)."""
    tag = f"lvl{n}pPr"
    el = style.find(_a(tag))
    if el is None:
        from lxml import etree

        el = etree.Element(_a(tag))
        later = [style.find(_a(f"lvl{k}pPr")) for k in range(n + 1, 10)] + [style.find(_a("extLst"))]
        nxt = next((e for e in later if e is not None), None)
        if nxt is not None:
            nxt.addprevious(el)
        else:
            style.append(el)
    return el


def _list_style(shape):
    """The ``a:lstStyle`` of a master's or layout's placeholder, made if missing."""
    from lxml import etree

    txbody = shape.element.find("p:txBody", NS)
    lst = txbody.find(_a("lstStyle"))
    if lst is None:
        lst = etree.Element(_a("lstStyle"))
        txbody.find(_a("bodyPr")).addnext(lst)
    return lst


def _set_level_style(lvl, *, size=None, bold=None, colour=None, align=None, line=None, before=None,
                     mar_l=None, indent=None, bullet=None, bullet_colour=None) -> None:
    """A text style level (``a:lvlNpPr``) rewritten in schema order: spacing, bullet, then the
    default run properties (size, bold, colour, fonts and language: :func:`set_run_font`)."""
    from lxml import etree

    if align:
        lvl.set("algn", align)
    if mar_l is not None:
        lvl.set("marL", str(_emu(mar_l)))
        lvl.set("indent", str(_emu(-indent)))
    old_rpr = lvl.find(_a("defRPr"))
    for child in list(lvl):
        if child.tag in {_a(t) for t in ("lnSpc", "spcBef", "spcAft", "buClrTx", "buClr", "buSzTx", "buSzPct",
                                         "buSzPts", "buFontTx", "buFont", "buNone", "buAutoNum", "buChar",
                                         "buBlip", "tabLst", "defRPr", "extLst")}:
            lvl.remove(child)
    if line:
        _sub(_sub(lvl, "lnSpc"), "spcPct", val=_pct(line))
    if before is not None:
        _sub(_sub(lvl, "spcBef"), "spcPts", val=_pts(before))
        _sub(_sub(lvl, "spcAft"), "spcPts", val="0")
    if bullet:
        if bullet_colour:
            _sub(_sub(lvl, "buClr"), "schemeClr", val=bullet_colour)
        _sub(lvl, "buSzPct", val="80000")
        _sub(lvl, "buFont", typeface=FAMILY)
        _sub(lvl, "buChar", char=bullet)
    elif bullet is not None:
        _sub(lvl, "buNone")
    rpr = old_rpr if old_rpr is not None else etree.Element(_a("defRPr"))
    lvl.append(rpr)
    if size:
        rpr.set("sz", _pts(size))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    if colour:
        for fill in rpr.findall(_a("solidFill")):
            rpr.remove(fill)
        fill = etree.Element(_a("solidFill"))
        _sub(fill, "schemeClr", val=colour)
        rpr.insert(0 if rpr.find(_a("ln")) is None else 1, fill)
    set_run_font(rpr)


def _style_default_template(prs) -> None:
    """printgen's own look on python-pptx's plain default template (made 16:9): the boxes,
    the accent line and band, and the text styles a slide inherits, in the master: a slide
    the lecturer adds from a layout is set like the others."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH
    from pptx.enum.text import MSO_ANCHOR

    master = prs.slide_master
    for ph in master.placeholders:
        kind = ph.placeholder_format.type
        if kind == PH.TITLE:
            _set_xfrm(ph, 40, 22, 880, 88)
            ph.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM  # titles of one or two lines sit on the line
        elif kind == PH.BODY:
            _set_xfrm(ph, 40, 128, 880, 372)
        elif kind == PH.SLIDE_NUMBER:
            # under the body box, never over its last line; its digits 6 mm from the slide's
            # edge: inside the 5 mm a printer (and the composition audit) keeps clear
            _set_xfrm(ph, 720, 500, 200, 28)
            _set_level_style(_level(_list_style(ph)), size=NUMBER_SIZE, colour="tx1", align="r")
    styles = master.element.find("p:txStyles", NS)
    _set_level_style(_level(styles.find("p:titleStyle", NS)), size=36, bold=True, colour="tx2", align="l",
                     line=TITLE_LEADING / SINGLE_LINE)
    body = styles.find("p:bodyStyle", NS)
    size = 28
    _set_level_style(_level(body), size=size, colour="tx1", line=BODY_LEADING / SINGLE_LINE, before=0.5 * size,
                     mar_l=1.25 * size, indent=1.25 * size, bullet=BULLET, bullet_colour="accent1")
    for n in range(2, 10):  # deeper levels: smaller, still in Japanese, the same spacing
        _set_level_style(_level(body, n), size=24, line=BODY_LEADING / SINGLE_LINE)
    _add_rect(master.shapes, "Accent line", 47, 113, 866, 2.5)
    title_layout = next(l for l in master.slide_layouts
                        if {p.placeholder_format.type for p in l.placeholders} >= {PH.CENTER_TITLE, PH.SUBTITLE})
    for ph in title_layout.placeholders:
        kind = ph.placeholder_format.type
        if kind == PH.CENTER_TITLE:
            _set_xfrm(ph, 84, 110, 800, 180)
            _set_level_style(_level(_list_style(ph)), size=44, align="l")
        elif kind == PH.SUBTITLE:
            _set_xfrm(ph, 84, 318, 800, 150)
            _set_level_style(_level(_list_style(ph)), size=24, align="l", mar_l=0, indent=0, bullet="", before=6,
                             colour="tx1")
    title_layout.element.set("showMasterSp", "0")  # not the master's line under the title
    _add_rect(title_layout.shapes, "Accent band", 0, 0, 26, 540)
    _add_rect(title_layout.shapes, "Accent line", 91, 302, 220, 4)


def _master_sizes(prs, slides) -> None:
    """The master's title and body sizes made those most content slides were fitted at: a
    slide the lecturer adds from a layout then matches them."""
    from collections import Counter

    content = [s for s in slides if s.kind == "content"]
    if not content:
        return
    styles = prs.slide_master.element.find("p:txStyles", NS)
    title = Counter(s.title_size for s in content).most_common(1)[0][0]
    body = Counter(s.body_size for s in content if s.paras).most_common(1)[0][0]
    _level(styles.find("p:titleStyle", NS)).find(_a("defRPr")).set("sz", _pts(title))
    lvl1 = _level(styles.find("p:bodyStyle", NS))
    lvl1.find(_a("defRPr")).set("sz", _pts(body))
    for attr, value in (("marL", _emu(1.25 * body)), ("indent", -_emu(1.25 * body))):
        lvl1.set(attr, str(value))
    lvl1.find("a:spcBef/a:spcPts", NS).set("val", _pts(0.5 * body))


def _japanese_text_styles(prs, family: str | None) -> None:
    """Every level of the masters' text styles (titles, bodies, other text) in Japanese, and
    in ``family`` when given (else the template's fonts stay, East Asian from the theme)."""
    for master in prs.slide_masters:
        styles = master.element.find("p:txStyles", NS)
        if styles is None:
            continue
        for rpr in styles.iter(_a("defRPr")):
            if family:
                set_run_font(rpr, family)
            else:
                set_japanese(rpr)


def _number_placeholders(prs) -> None:
    """Give each placeholder of a layout that has no ``idx`` (LibreOffice writes none) one of
    its own. A slide's placeholder inherits from the layout's with the same idx; without one
    every placeholder is idx 0, the title's, and body text would be placed and styled as a
    title. python-pptx has no API to set it: the ``p:ph`` element gets the attribute."""
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            phs = layout.shapes.element.xpath("./p:sp/p:nvSpPr/p:nvPr/p:ph")
            used = {int(ph.get("idx")) for ph in phs if ph.get("idx", "").isdigit()}
            free = (i for i in range(10, 10_000) if i not in used)
            for ph in phs:
                if ph.get("idx") is None and ph.get("type") not in ("title", "ctrTitle"):
                    ph.set("idx", str(next(free)))


def _placeholders(layout) -> list:
    """``(placeholder, its type)`` for each placeholder of ``layout``, in order."""
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
        where = template or _("the default template")
        found = ", ".join(f"「{l.name}」" for l in layouts) or _("none")
        raise _template_problem(where, _("no slide layout with a title placeholder and a body (text or content) placeholder, "
                                         "such as 「タイトルとコンテンツ」(Title and Content); the deck needs one. Layouts found: {found}").format(found=found))
    title = None
    for layout, phs in zip(layouts, placeholders):
        phs = {t: p for p, t in phs}
        head = phs.get(PH.CENTER_TITLE) or phs.get(PH.TITLE)
        if head is not None and PH.SUBTITLE in phs:
            title = (layout, head, phs[PH.SUBTITLE])
            break
    title = title or content
    return {"content": content, "title": title, "section": title, "statement": title}


def _slide_number_placeholder(layout):
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    return next((p for p in layout.placeholders if p.placeholder_format.type == PH.SLIDE_NUMBER), None)


def _add_slide_number(slide, layout_ph, number: int) -> None:
    """The layout's slide-number placeholder on the slide, holding a slide-number field:
    PowerPoint keeps it right when slides move; ``number`` is what it shows until then.
    python-pptx has no API for fields: the layout's own (or a new one) goes into the XML,
    with run properties made when the template's field has none."""
    import copy

    from lxml import etree

    slide.shapes.clone_placeholder(layout_ph)
    p = _paragraph(_slide_placeholder(slide, layout_ph), True)[1]
    fld = layout_ph.element.find(".//a:fld[@type='slidenum']", NS)
    if fld is None:
        fld = etree.Element(_a("fld"), id=SLIDE_NUMBER_FIELD, type="slidenum")
        _sub(fld, "t")
    else:
        fld = copy.deepcopy(fld)
    rpr = fld.find(_a("rPr"))
    if rpr is None:
        rpr = etree.Element(_a("rPr"))
        fld.insert(0, rpr)
    rpr.attrib.pop("smtClean", None)
    set_japanese(rpr)
    t = fld.find(_a("t"))
    if t is None:
        t = _sub(fld, "t")
    t.text = str(number)
    p.insert(0, fld)


def _insets(ph) -> tuple[float, float, float, float]:
    """The text insets of a layout's placeholder in points, as it or its master sets them."""
    values = [7.2, 3.6, 7.2, 3.6]
    chain = [ph.element]
    master_ph = _master_placeholder(ph)
    if master_ph is not None:
        chain.insert(0, master_ph)
    for el in chain:
        body_pr = el.find(".//a:bodyPr", NS)
        if body_pr is not None:
            for i, attr in enumerate(("lIns", "tIns", "rIns", "bIns")):
                if body_pr.get(attr, "").isdigit():
                    values[i] = int(body_pr.get(attr)) / EMU_PER_PT
    return tuple(values)


def _master_placeholder(layout_ph):
    """The master's placeholder a layout's placeholder inherits from (by type), or None."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    kind = layout_ph.placeholder_format.type
    kind = {PH.CENTER_TITLE: PH.TITLE, PH.SUBTITLE: PH.BODY, PH.OBJECT: PH.BODY}.get(kind, kind)
    master = layout_ph.part.slide_layout.slide_master if hasattr(layout_ph.part, "slide_layout") else None
    if master is None:
        return None
    return next((p.element for p in master.placeholders if p.placeholder_format.type == kind), None)


def _anchor(ph) -> str:
    """Where the text of a layout's placeholder sits in its box (``top``, ``middle``,
    ``bottom``), as it or its master says: deck.pdf places the lines there too."""
    for el in (ph.element, _master_placeholder(ph)):
        body_pr = el.find(".//a:bodyPr", NS) if el is not None else None
        if body_pr is not None and body_pr.get("anchor"):
            return {"t": "top", "ctr": "middle", "b": "bottom"}.get(body_pr.get("anchor"), "top")
    return "top"


def _title_bold(ph) -> bool:
    """Whether a layout's title placeholder sets its text bold: its list style, its master's,
    or the master's title style say so (deck.pdf sets titles as deck.pptx shows them)."""
    master_ph = _master_placeholder(ph)
    styles = ph.part.slide_layout.slide_master.element.find("p:txStyles/p:titleStyle", NS)
    for el in (ph.element, master_ph, styles):
        rpr = el.find(".//a:lvl1pPr/a:defRPr", NS) if el is not None else None
        if rpr is not None and rpr.get("b") is not None:
            return rpr.get("b") in ("1", "true")
    return False


def _box(ph, own_look: bool) -> Box:
    insets = (7.2, 3.6, 7.2, 3.6) if own_look else _insets(ph)
    return Box(ph.left / EMU_PER_PT, ph.top / EMU_PER_PT, ph.width / EMU_PER_PT, ph.height / EMU_PER_PT, insets)


def _theme_part(prs):
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return prs.slide_master.part.part_related_by(RT.THEME)


def _theme_xml(prs):
    from lxml import etree

    return etree.fromstring(_theme_part(prs).blob)


# Words in the names of fonts made for Japanese (a template's East Asian font is kept only when
# it is one: LibreOffice's templates name DejaVu Sans, which has no kana or kanji).
JAPANESE_FONT_WORDS = ("ゴシック", "明朝", "Gothic", "Mincho", "Meiryo", "メイリオ", "游", "Yu ", "Hiragino", "ヒラギノ",
                       "CJK JP", "Sans JP", "Serif JP", "BIZ UD", "UD デジタル", "UD Digi", "Kosugi", "M PLUS")


def _is_japanese_font(name: str) -> bool:
    return any(word in name for word in JAPANESE_FONT_WORDS)


def _themed(root, theme, own_fonts: bool):
    """``root`` (a theme's XML) with its major and minor fonts (Latin, East Asian, Japanese
    script) made the bundled family (``own_fonts``), or, keeping a template's fonts, only its
    East Asian fonts where they are not Japanese ones (so Japanese is never set in a viewer's
    fallback);
    and ``theme``'s colours if any. python-pptx has the theme part only as bytes: :func:`_save`
    writes these in their place."""
    for font in root.xpath(".//a:fontScheme/a:majorFont | .//a:fontScheme/a:minorFont", namespaces=NS):
        for tag in ("latin", "ea"):
            el = font.find(_a(tag))
            if el is None:
                el = _sub(font, tag, typeface="")
            if own_fonts or (tag == "ea" and not _is_japanese_font(el.get("typeface", ""))):
                el.set("typeface", FAMILY)
        jpan = font.find("a:font[@script='Jpan']", NS)
        if jpan is None:
            jpan = _sub(font, "font", script="Jpan", typeface="")
        if own_fonts or not _is_japanese_font(jpan.get("typeface", "")):
            jpan.set("typeface", font.find(_a("ea")).get("typeface"))
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
    """The placeholder of ``slide`` that inherits from ``layout_ph``: the one with its idx
    (every layout placeholder has one, see :func:`_number_placeholders`), the title by type."""
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    kind = layout_ph.placeholder_format.type
    for ph in slide.placeholders:
        if kind in (PH.TITLE, PH.CENTER_TITLE):
            if ph.placeholder_format.type in (PH.TITLE, PH.CENTER_TITLE):
                return ph
        elif ph.placeholder_format.idx == layout_ph.placeholder_format.idx:
            return ph
    return None


def _place(shape, box: Box) -> None:
    """``shape`` at ``box``'s place and size, on its slide only (its layout keeps its own)."""
    shape.left, shape.top, shape.width, shape.height = (_emu(v) for v in (box.x, box.y, box.w, box.h))


def _paragraph(shape, first: bool):
    """The first paragraph of ``shape``'s text, or a new one after the others, and its ``a:p``
    element (python-pptx's paragraphs do not hand out their XML; the shape's element does).

    The paragraph does not hang 、。 past its line end (``hangingPunct="0"``; the default
    masters, printgen's own included, hang them): PowerPoint and LibreOffice then break its
    lines where printgen measured them (measure.wrap), and deck.pdf shows the same lines."""
    from lxml import etree

    tf = shape.text_frame
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    p_el = shape.element.findall("p:txBody/a:p", NS)[-1]
    ppr = p_el.find(_a("pPr"))
    if ppr is None:
        ppr = etree.Element(_a("pPr"))
        p_el.insert(0, ppr)
    ppr.set("hangingPunct", "0")
    return p, p_el


def _prepare_frame(shape, box: Box, own_look: bool) -> None:
    """On a template, the insets the text was measured with and no autofit (the text was
    fitted at build time); printgen's own master has both already."""
    from pptx.enum.text import MSO_AUTO_SIZE

    if own_look:
        return
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    body_pr = shape.element.find("p:txBody/a:bodyPr", NS)
    for attr, value in zip(("lIns", "tIns", "rIns", "bIns"), box.insets):
        body_pr.set(attr, str(_emu(value)))


def _add_runs(paragraph, text: str, size: float | None, bold: bool | None = None, colour=None, font: str | None = None) -> None:
    """``text`` as runs of ``paragraph`` (from :func:`_paragraph`), in Japanese; a newline
    becomes a line break (a:br). Runs carry their size (fitted) and what differs from the
    style they inherit: ``bold``, ``colour`` (an ``MSO_THEME_COLOR``), ``font`` (notes only)."""
    from pptx.util import Centipoints

    p, p_el = paragraph
    for i, line in enumerate(text.split("\n")):
        if i:
            p.add_line_break()
        run = p.add_run()
        run.text = line
        f = run.font
        if size:
            f.size = Centipoints(round(size * 100))
        if bold is not None:
            f.bold = bold
        if colour is not None:
            f.color.theme_color = colour
    for el in p_el:
        # python-pptx adds a line break without run properties: it would take the layout's size
        if el.tag == _a("br") and el.find(_a("rPr")) is None and size:
            _sub(el, "rPr", sz=_pts(size))
        if el.tag in (_a("r"), _a("br")):
            rpr = el.find(_a("rPr"))
            if rpr is None:
                from lxml import etree

                rpr = etree.Element(_a("rPr"))
                el.insert(0, rpr)
            set_run_font(rpr, font) if font else set_japanese(rpr)


def _set_ppr(paragraph, *, before: float | None, align: str | None = None, line: float | None = None,
             mar_l: float | None = None, indent: float = 0, bullet: bool | None = None) -> None:
    """What a paragraph sets itself: the space before it and its margin and hanging indent
    (as measured), ``line`` spacing (a template's own may differ from what was measured),
    and ``bullet``: False for none where the layout has one; None or True: the layout's."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Centipoints

    p, p_el = paragraph
    if line:
        p.line_spacing = line  # a float: proportional spacing
    if before is not None:
        p.space_before = Centipoints(round(before * 100))
    if align:
        p.alignment = PP_ALIGN.from_xml(align)
    ppr = p_el.find(_a("pPr"))
    if ppr is None:
        from lxml import etree

        ppr = etree.Element(_a("pPr"))
        p_el.insert(0, ppr)
    if mar_l is not None:
        ppr.set("marL", str(_emu(mar_l)))
        ppr.set("indent", str(_emu(-indent)))
    if bullet is False:
        _sub(ppr, "buNone")  # after the spacing, in schema order (python-pptx added nothing later)


def _fill_title(shape, s, own_look: bool) -> None:
    _prepare_frame(shape, s.title_box, own_look)
    paragraph = _paragraph(shape, True)
    if not own_look:
        _set_ppr(paragraph, before=None, line=TITLE_LEADING / SINGLE_LINE)
    _add_runs(paragraph, s.title, s.title_size)


def _fill_body(shape, s, own_look: bool, styled: bool) -> None:
    from pptx.enum.dml import MSO_THEME_COLOR

    _prepare_frame(shape, s.body_box, own_look)
    for i, para in enumerate(s.paras):
        st = STYLES[para.style]
        size = s.body_size * st.scale
        paragraph = _paragraph(shape, i == 0)
        indent = para.indent(s.body_size)
        hang = bool(st.bullet or para.marker)
        _set_ppr(paragraph, before=0 if i == 0 else st.before * s.body_size,
                 align=st.align if st.align == "ctr" else None, line=None if own_look else BODY_LEADING / SINGLE_LINE,
                 mar_l=None if para.style == "sub" else indent, indent=indent if hang else 0,
                 bullet=None if st.bullet or para.style == "sub" else False)
        _add_runs(paragraph, para.shown, size, bold=True if st.bold else None,
                  colour=MSO_THEME_COLOR.ACCENT_1 if styled and st.accent else None)


def _japanese_notes(prs) -> None:
    """The notes master's text style in Japanese and :data:`FAMILY` at :data:`NOTES_SIZE`
    (it has a theme of its own, MS P Gothic), so the notes' runs carry only their language."""
    style = prs.notes_master.element.find("p:notesStyle", NS)
    if style is not None:
        for n in range(1, 10):
            _set_level_style(_level(style, n), size=NOTES_SIZE if n == 1 else None)


def _fill_notes(shape, notes: str) -> None:
    """``notes`` into the notes slide's body placeholder, a paragraph a line."""
    for i, line in enumerate(notes.split("\n")):
        paragraph = _paragraph(shape, i == 0)
        if line:
            _add_runs(paragraph, line, None)


# --- package metadata -------------------------------------------------------------------

APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" \
xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">\
<TotalTime>0</TotalTime><Words>{words}</Words><Application>Microsoft Office PowerPoint</Application>\
<PresentationFormat>{format}</PresentationFormat><Paragraphs>{paragraphs}</Paragraphs><Slides>{slides}</Slides>\
<Notes>{slides}</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips><ScaleCrop>false</ScaleCrop>\
<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>\
<AppVersion>16.0000</AppVersion></Properties>"""


def _app_xml(prs, slides) -> bytes:
    """docProps/app.xml as PowerPoint writes it for this deck: python-pptx keeps its default
    template's (4:3, 0 slides), which file browsers and PowerPoint's properties show."""
    ratio = prs.slide_width / prs.slide_height
    fmt = next((name for name, r in (("画面に合わせる (16:9)", 16 / 9), ("画面に合わせる (16:10)", 16 / 10),
                                     ("画面に合わせる (4:3)", 4 / 3)) if abs(ratio - r) < 0.01), "ユーザー設定")
    paragraphs = sum(1 + len(s.paras) for s in slides)
    words = sum(len(s.title) + sum(len(p.shown) for p in s.paras) for s in slides)
    return APP_XML.format(words=words, format=fmt, paragraphs=paragraphs, slides=len(slides)).encode()


def _thumbnail(prs, slide, colours: dict[str, str]) -> bytes:
    """A 256-pixel-wide JPEG of slide 1 (its background, title and subtitle lines as fitted,
    drawn with Pillow in the bundled font): what a file browser shows. python-pptx keeps its
    default template's blank 4:3 picture."""
    from PIL import Image, ImageDraw, ImageFont

    from generator.fonts import FACES

    width = 256
    scale = width / (prs.slide_width / EMU_PER_PT)
    height = round(prs.slide_height / EMU_PER_PT * scale)
    image = Image.new("RGB", (width, height), colours["background"])
    draw = ImageDraw.Draw(image)
    face = {w: next(f for f in FACES if f.family == FAMILY and f.weight == w).path for w in (400, 700)}

    def text(lines, box, size, colour, bold, top):
        font = ImageFont.truetype(str(face[700 if bold else 400]), max(1, round(size * scale)))
        y = (box.y + box.insets[1] + top) * scale
        for line in lines:
            draw.text(((box.x + box.insets[0]) * scale, y), line, font=font, fill=colour)
            y += size * TITLE_LEADING * scale

    text(slide.title_lines(), slide.title_box, slide.title_size, colours["title"], True, slide.title_offset("middle"))
    sub_lines = [line for para in slide.paras for line in slide.lines(para)]
    text(sub_lines, slide.body_box, slide.body_size, colours["text"], False, 0)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


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


THUMBNAIL = "docProps/thumbnail.jpeg"
THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def _save(prs, when: dt.datetime, replace: dict[str, bytes], metadata: dict[str, bytes]) -> bytes:
    """The presentation as ``prs.save()`` writes it, the entries named in ``replace`` (zip
    member names) with those bytes instead, and those of ``metadata`` (app.xml, the
    thumbnail) in place of the package's or added (a template converted by LibreOffice has
    no thumbnail: it gets one, with its relationship and content type), every entry stamped
    ``when``: python-pptx stamps the current time, and the same input must give the same
    bytes. Entries keep their order and compression method (deflated again at the highest
    level)."""
    saved = io.BytesIO()
    prs.save(saved)
    replace = {**replace, **metadata}
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(out, "w") as dest:
        names = set(src.namelist())
        added = [name for name in metadata if name not in names and name == THUMBNAIL]
        for item in src.infolist():
            data = replace[item.filename] if item.filename in replace else src.read(item)
            if added and item.filename == "_rels/.rels":
                data = _with_thumbnail_rel(data)
            elif added and item.filename == "[Content_Types].xml" and b'Extension="jpeg"' not in data:
                data = data.replace(b"<Default ", b'<Default Extension="jpeg" ContentType="image/jpeg"/><Default ', 1)
            _write_entry(dest, item.filename, data, item.compress_type, stamp)
        for name in added:
            _write_entry(dest, name, metadata[name], zipfile.ZIP_DEFLATED, stamp)
    return out.getvalue()


def _write_entry(dest, name: str, data: bytes, method: int, stamp) -> None:
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = method
    entry.external_attr = 0o644 << 16
    dest.writestr(entry, data, compresslevel=9)


def _with_thumbnail_rel(rels: bytes) -> bytes:
    """The package relationships (``_rels/.rels``) with one to the thumbnail."""
    from lxml import etree

    root = etree.fromstring(rels)
    ns = root.nsmap.get(None, "http://schemas.openxmlformats.org/package/2006/relationships")
    if not any(r.get("Type") == THUMBNAIL_REL for r in root):
        ids = {r.get("Id") for r in root}
        rid = next(f"rId{n}" for n in range(1, 10_000) if f"rId{n}" not in ids)
        etree.SubElement(root, f"{{{ns}}}Relationship", Id=rid, Type=THUMBNAIL_REL, Target=THUMBNAIL)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
