"""printgen handout: the real command, the real PDF, read back as a reader would copy it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from helpers import (BUNDLED_FONT_NAMES, PROJECT_DIR, pdf_body_texts, pdf_font_names, pdf_page_sizes, pdf_page_texts, pdf_reader,
                     run_printgen, squeeze)

from generator.render.handout import MM, PAPERS

# Characters Japanese rules forbid at the start of a line (JIS X 4051 / JLREQ: closing brackets,
# hyphens incl. the wave dash, dividing punctuation, middle dots, full stops, commas, iteration
# marks, prolonged sound mark, small kana), and the opening brackets forbidden at a line end.
NO_LINE_START = set("、。，．,.・：；:;？！?!ー―‐～〜」』）〕］｝〉》】”’〟々ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
NO_LINE_END = set("「『（〔［｛〈《【“‘")
SEED = PROJECT_DIR / "tests" / "seed.txt"


def split_sentences(text: str) -> list[str]:
    """``text`` cut after each 。？！ (a closing bracket right after stays with its sentence)."""
    return [s.strip() for s in re.findall(r".+?(?:[。？！]+[」』）]*|$)", text, flags=re.S) if s.strip()]


@pytest.fixture(scope="module")
def a4(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout-a4")
    result = run_printgen("handout", "--out", out)
    assert result.exit_code == 0, result.stderr
    return out / "handout.pdf", result


@pytest.fixture(scope="module")
def b5_ua(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout-b5")
    result = run_printgen("handout", "--out", out, "--paper", "B5", "--pdf-variant", "pdf/ua-1")
    assert result.exit_code == 0, result.stderr
    return out / "handout.pdf"


@pytest.fixture(scope="module")
def a4_text(a4):
    """The text of the A4 handout as read on its pages (running heads and folios left out)."""
    paper = PAPERS["A4"]
    return squeeze("".join(pdf_body_texts(a4[0], paper.top_mm * MM, paper.bottom_mm * MM)))


def apply_corrections(text: str, content) -> str:
    for c in content.corrections():
        text = text.replace(c.original, c.corrected)
    return text


def test_command_writes_the_pdf_and_says_so(a4):
    path, result = a4
    assert path.is_file() and path.read_bytes().startswith(b"%PDF-")
    pages = len(pdf_reader(path).pages)
    assert re.fullmatch(rf".*handout\.pdf +{pages} pages +\d+ KB +\d+\.\d\d s\nbuilt 1 file in \d+\.\d\d s\n", result.stdout), result.stdout
    assert result.stderr == ""


def test_every_sentence_in_reading_order(a4_text, content):
    position = 0
    for text in content.texts():
        for sentence in split_sentences(text):
            found = a4_text.find(squeeze(sentence), position)
            assert found >= 0, f"{text.source}: not found after position {position}: {sentence}"
            position = found


def test_published_text_differs_only_by_the_recorded_corrections(a4_text, content):
    originals = [c.original for c in content.corrections()]
    assert originals, "the content records corrections; this test must see them"
    missing = []
    for text in content.published_texts():
        for sentence in split_sentences(text):
            assert squeeze(apply_corrections(sentence, content)) in a4_text, sentence
            if squeeze(sentence) not in a4_text:
                missing.append(sentence)
    assert len(missing) == len(originals)
    assert all(any(o in s for o in originals) for s in missing), missing


def test_every_seed_line_is_printed(a4_text, content):
    lines = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"\s*\(\d+/\d+\)$", "", line.strip())  # page furniture of the leaflet
        lines.append(squeeze(line.lstrip("◼ ").lstrip("①②③④")))
    seed = "\n".join(lines)
    for c in content.corrections():  # a typo may straddle two lines of the seed
        seed, count = re.subn("\n*".join(map(re.escape, c.original)), c.corrected, seed)
        assert count == 1, c.original
    checked = 0
    for line in seed.splitlines():
        if line:
            assert line in a4_text, line
            checked += 1
    assert checked > 200


def test_page_sizes_are_exact(a4, b5_ua):
    assert set(pdf_page_sizes(a4[0])) == {(595.28, 841.89)}
    assert set(pdf_page_sizes(b5_ua)) == {(515.91, 728.5)}  # JIS B5, 182 × 257 mm


def test_only_bundled_fonts_embedded_as_subsets(a4, b5_ua):
    for path in (a4[0], b5_ua):
        names = pdf_font_names(path)
        assert names and names <= set(BUNDLED_FONT_NAMES), names
        # Mincho for text, Gothic Bold for every bold: a third face would cost ~25 KB.
        assert names == {"BIZ-UDMincho", "BIZ-UDGothic-Bold"}, names
        fonts = pdf_reader(path).pages[1]["/Resources"]["/Font"].values()
        assert all(re.match(r"/[A-Z]{6}\+", str(f.get_object()["/BaseFont"])) for f in fonts)


def test_pdffonts_sees_only_embedded_subsets(a4):
    rows = subprocess.run(["pdffonts", str(a4[0])], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_no_line_starts_or_ends_with_a_forbidden_character(a4, b5_ua, content):
    # A text that itself begins with ～ (the subtitle's ornament) starts a paragraph, not a broken line.
    paragraph_starts = {squeeze(t)[:6] for t in content.texts() if t[:1] in NO_LINE_START}
    bad = []
    for path in (a4[0], b5_ua):
        for number, page in enumerate(pdf_page_texts(path), 1):
            for line in page.splitlines():
                line = line.strip()
                if line and ((line[0] in NO_LINE_START and squeeze(line)[:6] not in paragraph_starts) or line[-1] in NO_LINE_END):
                    bad.append(f"{path.parent.name} p{number}: {line}")
    assert not bad, "\n".join(bad)


def test_each_viewpoint_is_read_on_one_page(a4, content):
    """No viewpoint splits from its points across pages; they follow one another in order
    (no forced break between them leaves a page part empty)."""
    pages = [squeeze(t) for t in pdf_page_texts(a4[0])]
    reading = [i for i, page in enumerate(pages) if "（一覧）" not in page and "できている" not in page]  # not the tables
    holding = []
    for vp in content.viewpoints.viewpoints:
        points = [squeeze(marker + point) for marker, point in vp.numbered_points()]
        start = squeeze(f"{vp.number}.{vp.title}") + points[0]
        (page,) = [i for i in reading if start in pages[i]]
        assert all(p in pages[page] for p in points), vp.title
        holding.append(page)
    assert holding == sorted(holding) and len(set(holding)) < len(holding), holding


def test_no_replacement_characters_in_copied_text(a4):
    text = "".join(pdf_page_texts(a4[0]))
    assert "\ufffd" not in text and "◼" not in text


def test_metadata(a4, content):
    reader = pdf_reader(a4[0])
    info = reader.metadata
    assert info.title == content.document.title
    assert info.author == content.document.author
    assert "研修" in info.subject
    assert str(reader.trailer["/Root"]["/Lang"]) == "ja"


def test_pdf_ua_variant_is_tagged(b5_ua):
    root = pdf_reader(b5_ua).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "ja"


def test_worksheet_quotes_the_questions_of_the_text(a4_text, content):
    from generator.render.handout import worksheet_questions

    questions = worksheet_questions(content)
    quoted = [s for q in questions for s in q.sentences]
    assert "みなさんが描く理想の介護支援専門員は身近にいらっしゃいますか？" in quoted
    every_sentence = {s for text in content.texts() for s in split_sentences(text)}
    assert set(quoted) <= every_sentence  # quoted word for word, nothing invented
    worksheet = a4_text[a4_text.index(squeeze("ワークシート（グループワーク用）")):]
    for q in questions:
        assert squeeze("".join(q.sentences)) in worksheet
    for label in ("できている", "もう少し", "これから"):
        assert label in worksheet


def test_wave_dash_never_starts_a_line():
    """Pango lets ～ start a line; the ja filter must stop that (and the test must be able to fail)."""
    from generator.render.pdf import html_to_pdf
    from generator.render.typeset import TYPESET_CSS, typeset

    text = "あ" * 10 + "～です"

    def first_chars(body: str) -> list[str]:
        html = f'<html lang="ja"><style>{TYPESET_CSS} p {{ width: 10em; font: 12pt "BIZ UDMincho"; }}</style><p>{body}</p></html>'
        pdf, _ = html_to_pdf(html)
        return [line.strip()[0] for line in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines() if line.strip()]

    assert "～" in first_chars(text)  # Pango alone: the bug the filter fixes
    assert "～" not in first_chars(str(typeset(text)))


def test_wakan_spacing_adds_markup_not_characters():
    from generator.render.typeset import typeset

    html = str(typeset("令和2年度、ICT等の活用。(a<b) 計７回"))
    assert html == (
        '<span class="nobr wa-lr">令和2年度</span>、IC<span class="wa-r">T</span>等の活用。(a&lt;b) 計７回'
    )
    assert str(typeset("第ICT等")) == '<span class="nobr wa-l">第I</span>C<span class="wa-r">T</span>等'
    assert str(typeset("ICT～です")) == '<span class="nobr">ICT～</span>です'  # ～ bound, no gap
    assert re.sub(r"<[^>]+>", "", html).replace("&lt;", "<") == "令和2年度、ICT等の活用。(a<b) 計７回"


def test_dates_never_break_across_lines():
    """Pango breaks 令|和 and 3|年; the ja filter keeps each date in one piece."""
    from generator.render.pdf import html_to_pdf
    from generator.render.typeset import TYPESET_CSS, typeset

    assert str(typeset("一同 令和3年3月")) == (
        '一同 <span class="nobr wa-lr">令和3年3月</span>'
    )  # one span: its one-digit numbers all take the gap on both sides, and ss20 changes only Latin glyphs
    # A date that starts in a 和欧間 span or ends in a ～ span takes the whole span.
    html = str(typeset("は2021年3月～令和元年"))
    assert html.startswith('<span class="nobr"><span class="nobr wa-l">は2</span>') and html.endswith('<span class="nobr">令和元年</span>')
    # Not one span when a number has more digits (only its first and last take a gap).
    assert str(typeset("令和10年3月")).startswith('<span class="nobr">令<span class="nobr wa-l">和1</span>')
    assert re.sub(r"<[^>]+>", "", html) == "は2021年3月～令和元年" and html.count("<span") == html.count("</span>")

    text = "あ" * 8 + "、令和3年3月"  # 令 would end the first line of a 10 em box

    def lines(body: str) -> list[str]:
        html = f'<html lang="ja"><style>{TYPESET_CSS} p {{ width: 10em; font: 12pt "BIZ UDMincho"; }}</style><p>{body}</p></html>'
        pdf, _ = html_to_pdf(html)
        return [line.strip() for line in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines() if line.strip()]

    assert not any(line.endswith("令和3年3月") for line in lines(text))  # Pango alone breaks the date
    assert lines(str(typeset(text)))[-1] == "令和3年3月"


def test_wakan_css_turns_on_the_font_subsets_stylistic_sets(monkeypatch):
    from fontTools.ttLib import TTFont

    from generator import fonts
    from generator.fonts import FACES, WAKAN_CHARS, WAKAN_FEATURES, prepare_fonts
    from generator.render.typeset import TYPESET_CSS

    # prepare_fonts makes this process render with subsets of 令和 only: not after this test
    monkeypatch.setattr(fonts, "_render_font_dir", fonts._render_font_dir)

    for tag in WAKAN_FEATURES:
        assert f'font-feature-settings: "{tag}"' in TYPESET_CSS
    folder = prepare_fonts("令和")
    for face in FACES:
        font = TTFont(folder / face.file, lazy=True)
        gsub = font["GSUB"].table
        tags = [r.FeatureTag for r in gsub.FeatureList.FeatureRecord]
        assert tags == sorted(tags) and set(WAKAN_FEATURES) <= set(tags), tags
        original = {r.FeatureTag for r in TTFont(face.path, lazy=True)["GSUB"].table.FeatureList.FeatureRecord}
        assert not set(WAKAN_FEATURES) & original  # tags the fonts do not use themselves
        hmtx, cmap = font["hmtx"], font.getBestCmap()
        for record in gsub.FeatureList.FeatureRecord:
            if record.FeatureTag in WAKAN_FEATURES:
                before, after = WAKAN_FEATURES[record.FeatureTag]
                (lookup,) = record.Feature.LookupListIndex
                mapping = gsub.LookupList.Lookup[lookup].SubTable[0].mapping
                assert len(mapping) == len(WAKAN_CHARS)
                two = cmap[ord("2")]
                assert hmtx[mapping[two]][0] - hmtx[two][0] == round((before + after) * font["head"].unitsPerEm)
        for script in gsub.ScriptList.ScriptRecord:  # every script and language can turn them on
            langs = [script.Script.DefaultLangSys] + [r.LangSys for r in script.Script.LangSysRecord]
            for lang in filter(None, langs):
                assert set(WAKAN_FEATURES) <= {tags[i] for i in lang.FeatureIndex}


def test_wakan_gap_is_on_paper_and_not_in_copied_text(a4, content):
    """令和2年: a quarter em between 和 and 2 (measured with pdfium), and no space when copied."""
    import pypdfium2 as pdfium
    from fontTools.ttLib import TTFont

    from generator.fonts import FACES, MINCHO

    # Copied as pypdf and pdftotext read it (line ends joined, spaces kept): every Latin run of
    # the content with the Japanese around it, exactly as in the content.
    copies = ["".join(pdf_page_texts(a4[0])).replace("\n", "")]
    copies.append(subprocess.run(["pdftotext", str(a4[0]), "-"], capture_output=True, text=True, check=True).stdout.replace("\n", ""))
    snippets = {m.group(0) for t in content.texts() for m in re.finditer(r"[^\s、。（]{0,2}[A-Za-z0-9]+[^\s、。）]{0,2}", t)}
    assert {"令和2年度", "令和3年3", "から20年", "ICT等の", "新のICTを使"} <= snippets
    for copy in copies:
        assert not [s for s in snippets if s not in copy]

    # Ink gap between two glyphs in em when set solid: right side bearing + left side bearing.
    mincho = TTFont(next(f for f in FACES if f.family == MINCHO).path, lazy=True)
    cmap, glyf, hmtx = mincho.getBestCmap(), mincho["glyf"], mincho["hmtx"]
    upem = mincho["head"].unitsPerEm

    def solid_gap(left: str, right: str) -> float:
        a, b = cmap[ord(left)], cmap[ord(right)]
        return (hmtx[a][0] - glyf[a].xMax + glyf[b].xMin) / upem

    page = pdfium.PdfDocument(str(a4[0]))[1]  # 発信によせて: body text in Mincho
    text = page.get_textpage()
    chars = text.get_text_range(0, text.count_chars())
    start = chars.index("令和2年")
    ink = [text.get_charbox(start + k) for k in range(4)]  # (left, bottom, right, top), pt
    em = text.get_charbox(start + 1, loose=True)[2] - text.get_charbox(start + 1, loose=True)[0]  # 和 is 1 em wide
    gaps = [(b[0] - a[2]) / em for a, b in zip(ink, ink[1:])]
    assert gaps[0] == pytest.approx(solid_gap("令", "和"), abs=0.02)  # the method: Japanese set solid
    assert gaps[1] == pytest.approx(solid_gap("和", "2") + 0.25, abs=0.02)
    assert gaps[2] == pytest.approx(solid_gap("2", "年") + 0.25, abs=0.02)


def test_unknown_paper_is_a_usage_error(tmp_path):
    result = run_printgen("handout", "--out", tmp_path, "--paper", "Letter")
    assert result.exit_code == 2
    assert "Letter" in result.stderr and not (tmp_path / "handout.pdf").exists()
