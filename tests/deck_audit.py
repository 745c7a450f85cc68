"""An audit of a deck.pptx as a lecturer and a presentation designer would read it.

For every slide it works out what PowerPoint shows: each run's size, language and fonts *in
effect*, following PowerPoint's inheritance (run → the slide's placeholder → the layout's
placeholder → the master's placeholder → the master's text styles → the theme), not only
what the run says. Run it on a built deck::

    python tests/deck_audit.py output/deck.pptx

It prints the figures tests/test_deck.py holds the bundled deck to: visible characters per
content slide (max), the smallest font size in effect (slide text; slide numbers apart),
slides titled 「続き」, runs (slides and notes) whose language is not ja-JP, and runs whose
East Asian font in effect is not the expected one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
NS = {"a": A[1:-1], "p": P[1:-1]}
TITLES = ("title", "ctrTitle")
FIELDS = ("sldNum", "dt", "ftr", "hdr")


@dataclass
class Audit:
    slides: int = 0
    content_slides: int = 0
    max_chars: int = 0
    max_chars_slide: int = 0
    min_size: float = 999.0  # slide text, pt
    min_size_slide: int = 0
    min_title_size: float = 999.0  # titles of content slides
    min_number_size: float | None = None  # slide numbers
    continued: list[int] = field(default_factory=list)
    runs: int = 0
    runs_not_japanese: int = 0
    notes_runs: int = 0
    notes_not_japanese: int = 0
    runs_other_ea: dict = field(default_factory=dict)  # typeface -> runs

    def lines(self) -> list[str]:
        return [
            f"slides: {self.slides} ({self.content_slides} content slides)",
            f"visible characters per content slide, max: {self.max_chars} (slide {self.max_chars_slide})",
            f"smallest font size in effect, slide text: {self.min_size:g} pt (slide {self.min_size_slide}); "
            f"content slide titles: {self.min_title_size:g} pt; slide numbers: "
            + (f"{self.min_number_size:g} pt" if self.min_number_size else "none"),
            f"slides titled 「続き」: {len(self.continued)}" + (f" {self.continued}" if self.continued else ""),
            f"runs without ja-JP: {self.runs_not_japanese} of {self.runs} on slides, "
            f"{self.notes_not_japanese} of {self.notes_runs} in the notes",
            "East Asian font in effect: " + (", ".join(f"{k} ({v} runs)" for k, v in sorted(self.runs_other_ea.items())) or "none"),
        ]


def _ph(shape_el):
    return shape_el.find("p:nvSpPr/p:nvPr/p:ph", NS)


def _ph_type(ph) -> str:
    return ph.get("type", "body") if ph is not None else ""


def _match(tree, ph):
    """The placeholder of a layout's or master's shape tree that ``ph`` inherits from: by idx,
    then by type (title with title, any body with the body)."""
    kind = _ph_type(ph)
    candidates = [sp for sp in tree.iter(f"{P}sp") if _ph(sp) is not None]
    if ph.get("idx") is not None and kind not in TITLES:
        for sp in candidates:
            if _ph(sp).get("idx") == ph.get("idx"):
                return sp
    family = _family(kind)
    for sp in candidates:
        if _family(_ph_type(_ph(sp))) == family:
            return sp
    return None


def _family(kind: str) -> str:
    if kind in TITLES:
        return "title"
    if kind in ("body", "obj", "subTitle", ""):
        return "body"
    return kind


def _lvl(container, level: int):
    if container is None:
        return None
    return container.find(f"a:lvl{level + 1}pPr", NS)


def _get(chain, attr: str = None, child: str = None):
    """The first value in ``chain`` (defRPr/rPr elements, nearest first)."""
    for rpr in chain:
        if rpr is None:
            continue
        if attr and rpr.get(attr) is not None:
            return rpr.get(attr)
        if child is not None:
            el = rpr.find(f"a:{child}", NS)
            if el is not None and el.get("typeface"):
                return el.get("typeface")
    return None


def _theme_fonts(prs):
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    out = {}
    for key, tag in (("mj", "majorFont"), ("mn", "minorFont")):
        for script in ("latin", "ea"):
            el = theme.find(f".//a:fontScheme/a:{tag}/a:{script}", NS)
            out[f"+{key}-{'lt' if script == 'latin' else 'ea'}"] = el.get("typeface") if el is not None else ""
    return out


def _styles_chain(shape_el, slide):
    """For a slide's shape: a function level -> the defRPr chain above the run (shape, layout,
    master placeholder, master text style)."""
    ph = _ph(shape_el)
    layout = slide.slide_layout
    master = layout.slide_master
    layout_sp = _match(layout.shapes.element, ph) if ph is not None else None
    master_sp = _match(master.shapes.element, ph if layout_sp is None else _ph(layout_sp)) if ph is not None else None
    kind = _family(_ph_type(ph)) if ph is not None else "other"
    styles = master.element.find("p:txStyles", NS)
    style = None if styles is None else styles.find(
        {"title": "p:titleStyle", "body": "p:bodyStyle"}.get(kind, "p:otherStyle"), NS)

    def chain(level: int):
        out = []
        for sp in (shape_el, layout_sp, master_sp):
            lst = sp.find("p:txBody/a:lstStyle", NS) if sp is not None else None
            lvl = _lvl(lst, level)
            out.append(lvl.find("a:defRPr", NS) if lvl is not None else None)
        lvl = _lvl(style, level)
        out.append(lvl.find("a:defRPr", NS) if lvl is not None else None)
        return out

    return chain, kind, ph


def audit(path) -> Audit:
    from pptx import Presentation

    prs = Presentation(str(path))
    fonts = _theme_fonts(prs)
    result = Audit(slides=len(prs.slides))
    for number, slide in enumerate(prs.slides, 1):
        chars = 0
        # a content slide: its layout has a title and no subtitle (title and section slides do)
        types = {_ph_type(_ph(sp)) for sp in slide.slide_layout.shapes.element.iter(f"{P}sp") if _ph(sp) is not None}
        content = "title" in types and "subTitle" not in types
        title_text = ""
        for sp in slide.shapes.element.iter(f"{P}sp"):
            chain, kind, ph = _styles_chain(sp, slide)
            for p in sp.findall("p:txBody/a:p", NS):
                ppr = p.find("a:pPr", NS)
                level = int(ppr.get("lvl", 0)) if ppr is not None else 0
                above = chain(level)
                for r in [*p.findall("a:r", NS), *p.findall("a:fld", NS)]:
                    text = r.findtext("a:t", default="", namespaces=NS)
                    rpr = r.find("a:rPr", NS)
                    full = [rpr, *above]
                    size = int(_get(full, "sz") or 1800) / 100
                    lang = _get(full, "lang")
                    ea = _get(full, child="ea") or ("+mj-ea" if kind == "title" else "+mn-ea")
                    ea = fonts.get(ea, ea) or "(none)"
                    if r.tag == f"{A}fld" or kind in FIELDS:
                        result.min_number_size = min(result.min_number_size or 999, size)
                        continue
                    result.runs += 1
                    result.runs_not_japanese += lang != "ja-JP"
                    result.runs_other_ea[ea] = result.runs_other_ea.get(ea, 0) + 1
                    if text.strip() and size < result.min_size:
                        result.min_size, result.min_size_slide = size, number
                    chars += len(text)
                    if kind == "title":
                        title_text += text
                        if content:
                            result.min_title_size = min(result.min_title_size, size)
        if content:
            result.content_slides += 1
            if chars > result.max_chars:
                result.max_chars, result.max_chars_slide = chars, number
        if "続き" in title_text:
            result.continued.append(number)
        if slide.has_notes_slide:
            for r in slide.notes_slide.notes_placeholder.element.iter(f"{A}r"):
                rpr = r.find("a:rPr", NS)
                result.notes_runs += 1
                result.notes_not_japanese += (rpr is None or rpr.get("lang") != "ja-JP")
    return result


if __name__ == "__main__":
    for line in audit(sys.argv[1] if len(sys.argv) > 1 else "output/deck.pptx").lines():
        print(line)
