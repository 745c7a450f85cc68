"""printgen deck: the real deck.pptx, deck.pdf and slides-handout.pdf, built once per module."""

from __future__ import annotations

import math
import re

import pytest
from helpers import BUNDLED_FONT_NAMES, pdf_font_names, pdf_page_sizes, pdf_page_texts, run_printgen, squeeze
from pptx.enum.shapes import PP_PLACEHOLDER

from generator.render import deck as deck_module
from generator.render.measure import font_metrics, wrap

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
EMU_PER_PT = 12700
A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck")
    result = run_printgen("deck", "--out", out)
    assert result.exit_code == 0, result.stderr
    for name in ("deck.pptx", "deck.pdf", "slides-handout.pdf"):
        assert name in result.stdout
    return out


@pytest.fixture(scope="module")
def prs(out_dir):
    from pptx import Presentation

    return Presentation(str(out_dir / "deck.pptx"))


def _paragraphs(shape) -> list:
    """The ``a:p`` elements of ``shape``'s text (python-pptx's paragraphs do not hand out their XML)."""
    return shape.element.findall(f"{P}txBody/{A}p")


def _paragraph_text(p) -> str:
    return "".join("\n" if el.tag == f"{A}br" else (el.findtext(f"{A}t") or "") for el in p if el.tag in (f"{A}r", f"{A}br"))


def _all_text(prs) -> str:
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts += [_paragraph_text(p) for p in _paragraphs(shape)]
        parts.append(slide.notes_slide.notes_text_frame.text)
    return squeeze("".join(parts))


def test_slides_are_16_9(prs):
    assert round(prs.slide_width / prs.slide_height, 3) == round(16 / 9, 3)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)


def test_audit_of_the_lecture_deck(out_dir, capsys):
    """What a lecturer and a designer check, in effect after inheritance (tests/deck_audit.py):
    about 120 characters a content slide at most, body >= 24 pt and titles >= 32 pt, no
    「続き」 slides, every run (slides and notes) in Japanese, Japanese set in BIZ UDPGothic."""
    from deck_audit import audit

    result = audit(out_dir / "deck.pptx")
    with capsys.disabled():
        print("\n" + "\n".join("  audit: " + line for line in result.lines()))
    assert result.max_chars <= deck_module.SLIDE_CHARS
    assert result.min_size >= deck_module.LECTURE_MIN["body"]
    assert result.min_title_size >= deck_module.LECTURE_MIN["title"]
    assert result.min_number_size == deck_module.NUMBER_SIZE
    assert result.continued == []
    assert result.runs > 100 and result.runs_not_japanese == 0
    assert result.notes_runs > 100 and result.notes_not_japanese == 0
    assert set(result.runs_other_ea) == {"BIZ UDPGothic"}


def test_runs_carry_only_their_size_and_language(prs):
    """The look is in the master: a run names no font and no colour of its own (an accent
    heading its colour), and paragraphs no line pitch in points."""
    for number, slide in enumerate(prs.slides, 1):
        for r in slide.shapes.element.iter(f"{A}r"):
            rpr = r.find(f"{A}rPr")
            assert rpr.find(f"{A}latin") is None and rpr.find(f"{A}ea") is None, number
        assert not slide.shapes.element.findall(f".//{A}lnSpc"), number


def test_the_master_holds_the_deck_styles(prs):
    from lxml import etree

    master = prs.slide_master.element
    title = master.find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr")
    body = master.find(f"{P}txStyles/{P}bodyStyle/{A}lvl1pPr")
    for lvl in (title, body):
        rpr = lvl.find(f"{A}defRPr")
        assert rpr.get("lang") == "ja-JP"
        assert rpr.find(f"{A}ea").get("typeface") == "BIZ UDPGothic"
        assert lvl.find(f"{A}lnSpc/{A}spcPct") is not None, etree.tostring(lvl)  # proportional
    assert title.find(f"{A}defRPr").get("b") == "1"
    assert body.find(f"{A}buChar").get("char") == "■"


def test_theme_fonts_are_the_bundled_family(prs):
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
    for font in ("majorFont", "minorFont"):
        for tag in ("latin", "ea"):
            assert theme.find(f".//{A}{font}/{A}{tag}").get("typeface") == "BIZ UDPGothic"


def test_every_slide_has_a_title_placeholder_and_notes(prs):
    from pptx.enum.shapes import PP_PLACEHOLDER

    for number, slide in enumerate(prs.slides, 1):
        titles = [s for s in slide.placeholders
                  if s.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)]
        assert titles and titles[0].text_frame.text.strip(), f"slide {number}"
        assert slide.notes_slide.notes_text_frame.text.strip(), f"slide {number}"
        bodies = [s for s in slide.placeholders if s not in titles]
        if slide.slide_layout.name != "Title Slide":  # a section divider may have no subtitle
            assert bodies and any(b.text_frame.text.strip() for b in bodies), f"slide {number}"


def test_deck_and_notes_hold_every_sentence_of_the_source(prs, content):
    deck_text = _all_text(prs)
    corrections = list(content.corrections())
    missing = []
    for text in content.published_texts():
        for sentence in re.split(r"(?<=[。？！])", text):
            sentence = squeeze(sentence)
            if not sentence or sentence in deck_text:
                continue
            # a recorded typo correction: the corrected sentence is shown, and the notes say so
            fixed = sentence
            for c in corrections:
                fixed = fixed.replace(c.original, c.corrected)
            if fixed != sentence and fixed in deck_text and all(squeeze(c.original) in deck_text for c in corrections):
                continue
            missing.append(sentence)
    assert not missing


def _box_inner(shape):
    return shape.width / EMU_PER_PT - 14.4, shape.height / EMU_PER_PT - 7.2


def test_no_text_box_is_measured_taller_than_its_box(prs):
    """Measure the saved file itself: every paragraph's runs, size, indent and exact line pitch."""
    fonts = {b: font_metrics(next(f for f in deck_module.FACES if f.family == "BIZ UDPGothic"
                                  and f.weight == (700 if b else 400))) for b in (False, True)}
    checked = 0
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.placeholders:
            if shape.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER:  # a field, placed by the template
                continue
            inner_w, inner_h = _box_inner(shape)
            height = 0.0
            for i, p in enumerate(_paragraphs(shape)):
                rpr = p.find(f"{A}r/{A}rPr")
                ppr = p.find(f"{A}pPr")
                size = int(rpr.get("sz")) / 100
                is_title = shape == slide.shapes.title
                pitch = size * (deck_module.TITLE_LEADING if is_title else deck_module.BODY_LEADING)  # the master's
                spc = ppr.find(f"{A}spcBef/{A}spcPts") if ppr is not None else None
                before = int(spc.get("val")) / 100 if spc is not None else 0
                mar_l = int(ppr.get("marL", 0)) / EMU_PER_PT if ppr is not None else 0
                indent = int(ppr.get("indent", 0)) / EMU_PER_PT if ppr is not None else 0
                bold = is_title or rpr.get("b") == "1"
                text = _paragraph_text(p)
                # a hanging marker (①, 1.) sits in the indent: measure the text after it
                if indent < 0 and ppr.find(f"{A}buNone") is not None:
                    text = re.sub(r"^(\d+\. ?|\d+\.|[①-⑩])", "", text)
                lines = wrap(text, inner_w - mar_l, size, fonts[bold])
                height += (before if i else 0) + len(lines) * pitch
            assert height <= inner_h + 0.01, f"slide {number}, {shape.name}: {height:.1f} pt > {inner_h:.1f} pt"
            checked += 1
    assert checked >= 2 * len(prs.slides) - 1  # the one divider without a subtitle


def test_deck_pdf_has_one_16_9_page_per_slide(prs, out_dir):
    sizes = pdf_page_sizes(out_dir / "deck.pdf")
    assert len(sizes) == len(prs.slides)
    assert set(sizes) == {(960.0, 540.0)}
    assert pdf_font_names(out_dir / "deck.pdf") <= set(BUNDLED_FONT_NAMES)


def test_handout_has_two_slides_an_a4_page(prs, out_dir):
    sizes = pdf_page_sizes(out_dir / "slides-handout.pdf")
    assert len(sizes) == math.ceil(len(prs.slides) / 2)
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in sizes)
    assert pdf_font_names(out_dir / "slides-handout.pdf") <= set(BUNDLED_FONT_NAMES)


def test_handout_pages_show_their_slides(prs, out_dir):
    """The handout draws deck.pdf's laid-out slides: each page shows its two slides' titles, in order."""
    pages = [squeeze(text) for text in pdf_page_texts(out_dir / "slides-handout.pdf")]
    titles = [squeeze(slide.shapes.title.text_frame.text) for slide in prs.slides]
    for number, text in enumerate(pages, 1):
        positions = [text.find(title) for title in titles[2 * number - 2:2 * number]]
        assert -1 not in positions and positions == sorted(positions), number
        assert text.endswith(f"{number}/{len(pages)}")


def _reachable(reader) -> set[int]:
    """Numbers of the indirect objects reachable from the trailer (Root, Info)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen, todo = set(), [reader.trailer.raw_get("/Root"), reader.trailer.raw_get("/Info")]
    while todo:
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            todo += list(item.values())
            if hasattr(item, "get_data"):  # a stream: its dictionary is the item itself
                continue
        elif isinstance(item, ArrayObject):
            todo += list(item)
    return seen


def test_deck_pdf_holds_only_the_slides(out_dir):
    """deck.pdf is copied out of the document written as the handout: none of the handout
    sheets' pages or content streams are left in it, and each file has its own title."""
    from pypdf import PdfReader

    deck, handout = PdfReader(out_dir / "deck.pdf", strict=True), PdfReader(out_dir / "slides-handout.pdf", strict=True)
    stored = {number for number, _ in deck.xref_objStm.items()}
    stored |= {number for numbers in deck.xref.values() for number in numbers
               if deck.get_object(number).get("/Type") not in ("/ObjStm", "/XRef")}
    assert stored - {0} == _reachable(deck)
    assert "/Names" not in deck.trailer["/Root"]  # the handout's named destinations (its slide boxes)
    assert deck.trailer["/Root"]["/Lang"] == "ja"
    assert deck.metadata.title == "介護支援専門員自身が考える今後の“目指すべき介護支援専門員像”"
    assert handout.metadata.title == deck.metadata.title + "（配布資料）"
    assert "メモ" not in "".join(page.extract_text() for page in deck.pages)


def test_pdfs_are_reproducible(out_dir, tmp_path):
    result = run_printgen("deck", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    for name in ("deck.pdf", "slides-handout.pdf"):
        assert (tmp_path / name).read_bytes() == (out_dir / name).read_bytes(), name


def test_content_slides_are_numbered(prs, out_dir):
    """A content slide carries a slide-number field (PowerPoint renumbers it when slides move)
    and deck.pdf shows the same number; the title and statement slides have none."""
    pages = [squeeze(text) for text in pdf_page_texts(out_dir / "deck.pdf")]
    numbered = 0
    for number, (slide, text) in enumerate(zip(prs.slides, pages), 1):
        fields = [f.xpath("string(a:t)") for f in slide.shapes.element.xpath(".//a:fld[@type='slidenum']")]
        if slide.slide_layout.name == "Title and Content":
            assert fields == [str(number)] and text.endswith(str(number)), number
            numbered += 1
        else:
            assert fields == [], number
    assert numbered == sum(s.slide_layout.name == "Title and Content" for s in prs.slides) > 40


def test_deck_pdfs_pass_the_composition_audit(out_dir):
    """Issue 13: no slide number within 5 mm of the slide's edge, no paragraph ending on a
    widow (「ます。」), no kinsoku fault, no title broken inside a word (「介護支援／専門員」):
    in deck.pdf and in the slide handout that places its pages."""
    import sys

    from helpers import PROJECT_DIR

    sys.path.insert(0, str(PROJECT_DIR / "bench"))
    import audit_composition

    for name in ("deck.pdf", "slides-handout.pdf"):
        result = audit_composition.audit(out_dir / name)
        assert result["total"] == dict.fromkeys(audit_composition.KINDS, 0), (name, result["faults"])


def test_deck_pdf_has_wakan_space(out_dir):
    """A quarter em between Japanese and Latin letters (「ICT を」), where LibreOffice puts its
    autospace in deck.pptx and measure.wrap counts it; copied text has no space."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(out_dir / "deck.pdf"))
    try:
        for page in document:
            text = page.get_textpage()
            found = text.get_text_range().find("ICTを")
            if found >= 0:
                break
        else:
            pytest.fail("no 「ICTを」 in deck.pdf")
        c_box, t_box = (text.get_charbox(found + i, loose=True) for i in (1, 2))
    finally:
        document.close()
    metrics = deck_module.metrics(False)
    em = 32  # the body size of the slide: T's advance and the gap after it
    assert (t_box[2] - t_box[0]) - metrics.width("T", em) == pytest.approx(0.25 * em, abs=0.5)
    assert (c_box[2] - c_box[0]) == pytest.approx(metrics.width("C", em), abs=0.5)


def test_a_widow_narrows_the_body_box_in_both_outputs():
    """A paragraph whose last line would hold 「う。」 gets a slightly narrower box instead of a
    hard line break; its lines are the same a point and a half either way (LibreOffice)."""
    box = deck_module.Box(40, 128, 880, 372)
    text = ("また今日、介護保険制度がこれほど国民の生活に浸透しているのは、私たち介護支援専門員が"
            "常に利用者や家族に寄り添い、度重なる制度改正に丁寧に対応してきた証といえるでしょう。")
    para = deck_module.Para(text)
    assert deck_module.has_widow(deck_module.para_lines(para, 32, box))
    narrowed = deck_module.widowless_box((para,), 32, box)
    assert narrowed.w < box.w and (narrowed.x, narrowed.y, narrowed.h) == (box.x, box.y, box.h)
    assert box.w - narrowed.w <= deck_module.WIDOW_NARROWING_EM * 32
    lines = deck_module.para_lines(para, 32, narrowed)
    assert not deck_module.has_widow(lines) and "".join(lines) == text
    assert deck_module.widowless_box((deck_module.Para("短い一行"),), 32, box) == box


def test_narrowed_body_boxes_are_written_to_the_pptx(prs):
    """deck.pptx gives the slides whose box was narrowed that box (the layout keeps its own)."""
    master_body = next(ph for ph in prs.slide_master.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.BODY)
    widths = set()
    for slide in prs.slides:
        for ph in slide.placeholders:
            if (ph.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
                    and slide.slide_layout.name == "Title and Content"):
                assert ph.left == master_body.left and ph.top == master_body.top
                widths.add(ph.width)
    assert master_body.width in widths and min(widths) >= master_body.width - 4 * 32 * EMU_PER_PT
    assert len(widths) > 1


def test_core_properties_are_fixed(prs):
    cp = prs.core_properties
    assert cp.title == "介護支援専門員自身が考える今後の“目指すべき介護支援専門員像”"
    assert cp.author == "居宅介護支援における業務負担等に関する調査研究事業 検討委員会"
    assert cp.created.year == 2021 and cp.created == cp.modified


# --- templates: in-process, PowerPoint only (fast) ---------------------------------------


def _pptx_only(content, template=None, theme=None):
    from generator.render import powerpoint

    deck = powerpoint.DeckFile(template, theme)
    slides = deck_module.fit(deck_module.outline(content), deck.geometry())
    return slides, deck.build(slides, content.document)


def test_pptx_bytes_are_reproducible(content, monkeypatch):
    import io
    import zipfile

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = _pptx_only(content, theme="teal")[1]
    assert data == _pptx_only(content, theme="teal")[1]
    # python-pptx stamps each zip entry with the time of saving; the deck is dated by its content
    year, month = (int(x) for x in str(content.document.date_iso).split("-"))
    assert {item.date_time for item in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {(year, month, 1, 0, 0, 0)}


def test_a_4_3_template_with_slides_of_its_own_keeps_its_size(content, tmp_path):
    import io

    from pptx import Presentation

    template = Presentation()  # 4:3, layouts in another order
    template.slides.add_slide(template.slide_layouts[6])
    layouts = template.slide_layouts
    layouts.element.insert(0, layouts.element[-1])  # p:sldLayoutIdLst: first layout no longer index 0
    path = tmp_path / "org.pptx"
    template.save(path)
    slides, data = _pptx_only(content, template=path)
    built = Presentation(io.BytesIO(data))
    assert (built.slide_width, built.slide_height) == (9144000, 6858000)
    assert built.element.find(f"{P}sldSz").get("type") == "screen4x3"
    assert len(built.slides) == len(slides)
    for slide in built.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text
        assert slide.shapes.title.left + slide.shapes.title.width <= built.slide_width


def test_package_metadata_describes_the_deck(out_dir, prs):
    import io
    import zipfile

    from PIL import Image

    with zipfile.ZipFile(out_dir / "deck.pptx") as z:
        app = z.read("docProps/app.xml").decode()
        thumb = Image.open(io.BytesIO(z.read("docProps/thumbnail.jpeg")))
        presentation = z.read("ppt/presentation.xml").decode()
    assert f"<Slides>{len(prs.slides)}</Slides>" in app and f"<Notes>{len(prs.slides)}</Notes>" in app
    assert "16:9" in app and "4:3" not in app
    assert 'type="screen4x3"' not in presentation
    assert thumb.size == (256, 144)
    assert len(thumb.getcolors(65536)) > 20  # not blank: slide 1's title is drawn


def test_a_potx_template_is_accepted(content, tmp_path):
    import zipfile

    from pptx import Presentation

    plain = tmp_path / "plain.pptx"
    Presentation().save(plain)
    potx = tmp_path / "org.potx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(potx, "w") as dest:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dest.writestr(item, data)
    slides, data = _pptx_only(content, template=potx)
    assert len(Presentation(io_bytes(data)).slides) == len(slides)


def io_bytes(data):
    import io

    return io.BytesIO(data)


def test_a_box_too_small_names_the_template_layout_and_box(content, tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    template = Presentation()
    for layout in template.slide_layouts:
        for body in layout.placeholders:
            if body.placeholder_format.type in (PH.OBJECT, PH.BODY):
                body.width, body.height = 914400, 457200  # 1 × 0.5 in
    path = tmp_path / "tiny.pptx"
    template.save(path)
    result = run_printgen("deck", "--template", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert re.fullmatch(re.escape(f"{path}: error: --template: layout 「") + r"[^」]+」, box 「[^」]+」 \(72 × 36 pt\): "
                        r"too small for the text of a slide even at 12 pt \(58 pt wide inside\); make the box larger in the template\n",
                        result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_powerpoint_is_a_clear_error(tmp_path):
    bad = tmp_path / "org.pptx"
    bad.write_text("not a presentation", encoding="utf-8")
    result = run_printgen("deck", "--template", bad, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "--template: not a PowerPoint presentation (.pptx)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "deck.pptx").exists()


def test_a_template_without_a_title_and_body_layout_is_a_clear_error(tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    template = Presentation()
    for layout in list(template.slide_layouts):
        if any(p.placeholder_format.type in (PH.BODY, PH.OBJECT) for p in layout.placeholders):
            template.slide_layouts.remove(layout)
    path = tmp_path / "bare.pptx"
    template.save(path)
    result = run_printgen("deck", "--template", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "--template: no slide layout with a title placeholder and a body" in result.stderr
    assert "Layouts found: 「Title Slide」" in result.stderr


def test_broken_deck_labels_are_named(tmp_path):
    from helpers import project_copy

    project = project_copy(tmp_path / "project")
    path = project / "templates/deck/labels.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    path.write_text(text.replace("memo: メモ\n", "").replace("viewpoint_count: （{count}", "viewpoint_count: （{number}"),
                    encoding="utf-8")
    line = next(i for i, l in enumerate(lines, 1) if l.startswith("viewpoint_count:"))
    result = run_printgen("deck", "--out", tmp_path / "out", cwd=project, project=project, timeout=60)
    assert result.stderr.splitlines() == [
        f"templates/deck/labels.yaml:{line}: error: viewpoint_count: unknown placeholder {{number}}; this label may use only {{count}}",
        "templates/deck/labels.yaml: error: memo: missing label",
    ]
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists()


def content_at_the_limits(dest):
    """A copy of the content where, in each file, the longest texts become two-character
    sentences (「あ。」: the most places to split a paragraph), each as long as a text may be,
    up to the characters a file may hold."""
    import shutil

    import yaml

    from helpers import CONTENT_DIR

    from generator.content import MAX_LINE_CHARS, MAX_TEXT_CHARS

    MAX_FILE_CHARS = 10_000  # (the limit is 200,000 a file; tests/test_scale.py builds that scale)

    def leaves(node):
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            return [leaf for item in node for leaf in leaves(item)]
        return [node] if isinstance(node, str) else []

    shutil.copytree(CONTENT_DIR, dest)
    for path in sorted(dest.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        texts = leaves(yaml.safe_load(text))
        room = MAX_FILE_CHARS - 10 - sum(map(len, texts))
        for old in sorted(texts, key=len, reverse=True):
            if room > 0 and len(old) > MAX_LINE_CHARS and text.count(old) == 1:
                new = ("あ。" * MAX_TEXT_CHARS)[: min(MAX_TEXT_CHARS - 1, len(old) + room)]
                text = text.replace(old, new)
                room -= len(new) - len(old)
        path.write_text(text, encoding="utf-8")
    return dest


def test_the_longest_content_allowed_makes_a_deck_in_seconds(tmp_path):
    """Every file as long as the limits allow, in sentences of two characters: each slide
    shows the first sentences that fit, the notes hold all of it."""
    from pptx import Presentation

    content = content_at_the_limits(tmp_path / "content")
    result = run_printgen("deck", "--content", content, "--out", tmp_path / "out", timeout=120)
    assert result.exit_code == 0, result.stderr
    prs = Presentation(str(tmp_path / "out" / "deck.pptx"))
    notes = squeeze("".join(s.notes_slide.notes_text_frame.text for s in prs.slides))
    assert notes.count("あ。") > 4 * (4_000 // 2)  # four files of at least two long texts' worth
    from deck_audit import audit

    assert audit(tmp_path / "out" / "deck.pptx").max_chars <= deck_module.SLIDE_CHARS


# --- the measurer ------------------------------------------------------------------------


def test_wrap_keeps_kinsoku_and_latin_words(content):
    from generator.render.measure import NO_LINE_END, NO_LINE_START

    metrics = deck_module.metrics(False)
    for text in content.texts():
        for width in (150, 233, 410):
            lines = wrap(text, width, 18, metrics)
            assert "".join(lines) == text.replace(" ", "") or squeeze("".join(lines)) == squeeze(text)
            for line in lines:
                assert metrics.width(line, 18) <= width + 0.01
            for a, b in zip(lines, lines[1:]):
                assert b[0] not in NO_LINE_START, (a, b)
                assert a[-1] not in NO_LINE_END, (a, b)
                assert not (a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()), (a, b)


def test_handout_prints_slide_text_at_7_pt_or_more(out_dir):
    """Every piece of text on the A4 handout, the slides' scaled down with them, is >= 7 pt."""
    from pypdf import PdfReader

    sizes = []

    def text(t, cm, tm, font, size):
        if t.strip():
            m = [tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]]
            sizes.append(size * math.hypot(*m))

    for page in PdfReader(out_dir / "slides-handout.pdf").pages:
        page.extract_text(visitor_text=text)
    assert len(sizes) > 100 and min(sizes) >= 7, min(sizes)


def test_template_fonts_are_kept_unless_turned_off(content, tmp_path):
    import io

    from lxml import etree
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    path = tmp_path / "org.pptx"
    Presentation().save(path)  # its theme: Calibri, no East Asian font

    def theme_fonts(data):
        prs = Presentation(io.BytesIO(data))
        theme = etree.fromstring(prs.slide_master.part.part_related_by(RT.THEME).blob)
        return {tag: theme.find(f".//{A}minorFont/{A}{tag}").get("typeface") for tag in ("latin", "ea")}

    from generator.render import powerpoint

    for keep, latin in ((True, "Calibri"), (False, "BIZ UDPGothic")):
        deck = powerpoint.DeckFile(path, None, keep_fonts=keep)
        data = deck.build(deck_module.fit(deck_module.outline(content), deck.geometry()), content.document)
        assert theme_fonts(data) == {"latin": latin, "ea": "BIZ UDPGothic"}, keep
