"""``printgen cards`` and ``printgen poster``: real PDFs, read back as a reader would.

Each PDF is built once per module (a subprocess each, like a user runs it) and shared.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import A3, A2, A4, B2, build, BUNDLED_FONT_NAMES, CONTENT_DIR, pdf_font_names, pdf_page_sizes, pdf_page_texts, pdf_reader, run_printgen, squeeze

from generator.render.cards import CardLayout, cards_of
from generator.render.phrases import NO_END, NO_START, balance, budoux_phrases, phrases, wrap
from generator.render.sheet import PT_PER_MM, SLUG_MM, PrintOptions, Sheet, TextBlock
from generator.render.style import THEMES, contrast

CARD_COUNT = 20 + 2 + 4


@pytest.fixture(scope="module")
def cards_a3(tmp_path_factory):
    return build(tmp_path_factory, "cards-a3", "cards", "--split")


@pytest.fixture(scope="module")
def cards_b2(tmp_path_factory):
    return build(tmp_path_factory, "cards-b2", "cards", "--paper", "B2", "--theme", "yoru")


@pytest.fixture(scope="module")
def cards_bleed(tmp_path_factory):
    return build(tmp_path_factory, "cards-bleed", "cards", "--paper", "A4", "--bleed", "3", "--theme", "hinata")


@pytest.fixture(scope="module")
def poster_a2(tmp_path_factory):
    return build(tmp_path_factory, "poster-a2", "poster")


@pytest.fixture(scope="module")
def poster_marks(tmp_path_factory):
    return build(tmp_path_factory, "poster-marks", "poster", "--paper", "B2", "--bleed", "3", "--crop-marks")


@pytest.fixture(scope="module")
def a3_texts(cards_a3):
    return pdf_page_texts(cards_a3 / "cards.pdf")


# ------------------------------------------------------------------ cards.pdf


def test_one_page_per_card_at_the_chosen_size(cards_a3, cards_b2, content):
    assert len(cards_of(content)) == CARD_COUNT
    assert pdf_page_sizes(cards_a3 / "cards.pdf") == [A3] * CARD_COUNT
    assert pdf_page_sizes(cards_b2 / "cards.pdf") == [B2] * CARD_COUNT


def test_each_card_text_is_on_its_own_page_and_nowhere_else(a3_texts, content):
    pages = [squeeze(t) for t in a3_texts]
    for index, card in enumerate(cards_of(content)):
        for text in card.texts:
            where = [i for i, page in enumerate(pages) if squeeze(text) in page]
            assert where == [index], f"{text[:20]}… on pages {[i + 1 for i in where]}, expected {index + 1}"


def test_split_writes_one_file_per_card(cards_a3, content):
    files = sorted((cards_a3 / "cards").iterdir())
    cards = cards_of(content)
    assert [f.name for f in files] == [f"{c.number:02d}-{c.slug}.pdf" for c in cards]
    for path, card in zip(files, cards):
        (text,) = pdf_page_texts(path)
        assert squeeze(card.headline) in squeeze(text)
    assert [f.name for f in files][:2] == ["01-take-care-of-yourself.pdf", "02-facility-care-managers.pdf"]


def headline_lines(page_text: str, headline: str) -> list[str]:
    """The lines of ``page_text`` that together make up ``headline``."""
    lines = [line.strip() for line in page_text.splitlines()]
    target = squeeze(headline)
    for start in range(len(lines)):
        joined = ""
        for end in range(start, len(lines)):
            joined += squeeze(lines[end])
            if joined == target:
                return lines[start : end + 1]
            if not target.startswith(joined):
                break
    raise AssertionError(f"headline {headline!r} not found as whole lines in {page_text!r}")


@pytest.mark.parametrize("fixture", ["a3_texts", "b2_texts"])
def test_headlines_break_only_between_budoux_phrases(fixture, request, content):
    texts = request.getfixturevalue(fixture)
    broken = 0
    for page_text, card in zip(texts, cards_of(content)):
        lines = headline_lines(page_text, card.headline)
        boundaries, at = set(), 0
        for phrase in budoux_phrases(squeeze(card.headline)):
            at += len(phrase)
            boundaries.add(at)
        at = 0
        for line in lines[:-1]:
            at += len(squeeze(line))
            assert at in boundaries, f"card {card.number}: break inside a phrase: {' / '.join(lines)}"
        for line in lines[1:]:
            assert line[0] not in NO_START, f"card {card.number}: line starts with {line[0]}: {' / '.join(lines)}"
        broken += len(lines) > 1
    assert broken >= 10  # the check is not vacuous: most headlines do break


@pytest.fixture(scope="module")
def b2_texts(cards_b2):
    return pdf_page_texts(cards_b2 / "cards.pdf")


def test_only_bundled_fonts(cards_a3, cards_b2, poster_a2):
    for pdf in (cards_a3 / "cards.pdf", cards_b2 / "cards.pdf", poster_a2 / "poster.pdf"):
        names = pdf_font_names(pdf)
        assert names and names <= set(BUNDLED_FONT_NAMES), names


def test_bleed_3_puts_the_trim_3mm_inside_the_media(cards_bleed):
    bleed = 3 * PT_PER_MM
    for page in pdf_reader(cards_bleed / "cards.pdf").pages:
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.trimbox]
        bleedbox = [float(v) for v in page.bleedbox]
        assert trim[0] - media[0] == pytest.approx(bleed, abs=0.01)
        assert trim[1] - media[1] == pytest.approx(bleed, abs=0.01)
        assert media[2] - trim[2] == pytest.approx(bleed, abs=0.01)
        assert media[3] - trim[3] == pytest.approx(bleed, abs=0.01)
        assert bleedbox == pytest.approx(media, abs=0.01)
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4, abs=0.02)


def test_crop_marks_go_outside_the_bleed(poster_marks):
    (page,) = pdf_reader(poster_marks / "poster.pdf").pages
    media, bleedbox, trim = ([float(v) for v in box] for box in (page.mediabox, page.bleedbox, page.trimbox))
    assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(B2, abs=0.02)
    assert trim[0] - bleedbox[0] == pytest.approx(3 * PT_PER_MM, abs=0.01)
    assert bleedbox[0] - media[0] > 8 * PT_PER_MM  # room for the marks beyond the bleed


def test_crop_marks_are_japanese_tombo_and_not_covered(poster_marks, tmp_path):
    """In the top left corner, outside the bleed: two vertical marks (on the trim line and on
    the bleed line) and two horizontal ones; everything else in the slug is white paper."""
    import subprocess

    from PIL import Image

    dpi = 300
    px = dpi / 72
    edge = round((3 + SLUG_MM) * PT_PER_MM * px)  # media edge to trim: bleed + slug
    bleed = round(3 * PT_PER_MM * px)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-x", "0", "-y", "0", "-W", str(edge + 3), "-H", str(edge + 3),
         poster_marks / "poster.pdf", tmp_path / "p"], check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("L")
    slug = edge - bleed - 2  # outside the bleed
    dark = lambda xs, ys: min(image.getpixel((x, y)) for x in xs for y in ys) < 200
    for line in (edge, edge - bleed):  # the trim line and the bleed line
        assert dark(range(line - 2, line + 1), range(slug)), line  # vertical mark above the sheet
        assert dark(range(slug), range(line - 2, line + 1)), line  # horizontal mark left of the sheet
    marks = {edge - 2, edge - 1, edge, edge + 1, edge - bleed - 2, edge - bleed - 1, edge - bleed, edge - bleed + 1}
    assert all(image.getpixel((x, y)) > 250 for x in range(slug) for y in range(slug) if x not in marks and y not in marks)


@pytest.mark.parametrize("paper", ["A3", "B2", "A6"])
def test_every_tombo_is_outside_the_bleed_box(paper):
    """Corner marks at the trim and bleed lines, centre marks at the middle of each side, all
    outside trim + bleed."""
    sheet = Sheet.from_options(PrintOptions(paper, print_shop=True))
    marks = sheet.marks()
    assert len(marks) == 4 * 4 + 4 * 2  # 4 corners x (2 horizontal + 2 vertical), 4 centre crosses
    b = sheet.bleed
    for x, y, w, h in marks:
        inside = x + w > -b + 0.01 and x < sheet.width + b - 0.01 and y + h > -b + 0.01 and y < sheet.height + b - 0.01
        assert not inside, (x, y, w, h)
        assert -sheet.extent <= x and x + w <= sheet.width + sheet.extent  # on the media
        assert -sheet.extent <= y and y + h <= sheet.height + sheet.extent


@pytest.mark.parametrize(("fixture", "theme"), [("cards_b2", "yoru"), ("cards_bleed", "hinata")])
def test_the_paper_colour_fills_the_sheet_and_its_bleed(fixture, theme, request, tmp_path):
    """With bleed, the theme's paper colour reaches into the bleed; without, it stops at the
    office margin (5 mm, nothing printed there) and the sheet's edge is white."""
    import subprocess

    from PIL import Image

    pdf = request.getfixturevalue(fixture) / "cards.pdf"
    subprocess.run(["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-png", pdf, tmp_path / "p"], check=True)
    (png,) = tmp_path.glob("p*.png")
    image = Image.open(png).convert("RGB")
    paper = THEMES[theme].paper
    expected = tuple(int(paper[i : i + 2], 16) for i in (1, 3, 5))
    w, h = image.size
    # The top corners are the band's colour; the bottom ones show the paper (2 pixels in: the
    # last row and column of the image may be only partly on the page), inside the office
    # margin (6 mm at 20 dpi: 5 pixels) without bleed.
    inset = 2 if fixture == "cards_bleed" else 6
    for x, y in ((inset, h - 1 - inset), (w - 1 - inset, h - 1 - inset), (w // 2, h - 1 - inset)):
        assert image.getpixel((x, y)) == pytest.approx(expected, abs=2), (x, y)
    if fixture != "cards_bleed":
        assert image.getpixel((1, h - 2)) == (255, 255, 255)


# ------------------------------------------------------------------ type sizes and fitting


@pytest.mark.parametrize(("paper", "minimum"), [("A3", 60), ("B2", 60 * (515 / 297))])
def test_headlines_are_big_and_scale_with_the_paper(content, paper, minimum):
    layout = CardLayout(Sheet.from_options(PrintOptions(paper)), content)
    for card in cards_of(content):
        page = layout.fit(card)
        headline = next(p for p in page.pieces if isinstance(p, TextBlock) and p.role == "headline")
        assert headline.type.size >= minimum - 0.5, (card.number, headline.type.size)


def test_a_card_too_long_fails_naming_it(tmp_path):
    content_dir = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content_dir)
    messages = content_dir / "messages.yaml"
    lines = messages.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("    body: ケアマネジャーの悩みは全国共通"))
    lines[number - 1] += "悩みは一人で抱え込まず、仲間に話してみましょう。" * 30
    messages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_printgen("cards", "--content", content_dir, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.stderr
    assert f"messages.yaml:{number}: error: messages[3].body: card 04 (growing-through-worries) does not fit on one A3 page" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "cards.pdf").exists()


def test_a_headline_too_long_is_named(content):
    from dataclasses import replace

    from generator.errors import PrintgenError

    layout = CardLayout(Sheet.from_options(PrintOptions("A3")), content)
    card = cards_of(content)[0]
    long = type(card.headline)(card.headline * 4, card.headline.source)
    with pytest.raises(PrintgenError, match=r"messages\.yaml:\d+: error: messages\[0\]\.title: card 01 .* the headline does not fit in 4 lines"):
        layout.fit(replace(card, headline=long))


def test_measured_type_that_disagrees_with_weasyprint_is_an_error(content, monkeypatch):
    """The check after layout works: text measured too narrow would run out of its box."""
    from generator.render import cards as cards_module
    from generator.render.sheet import Type

    measure = Type.measure
    monkeypatch.setattr(Type, "measure", lambda self, text: 0.6 * measure(self, text))
    with pytest.raises(RuntimeError, match="outside the safe area"):
        cards_module.CardsRenderer({"paper": "A4"}).render(content)


# ------------------------------------------------------------------ themes


def grey(colour: str) -> str:
    """``colour`` as a greyscale printer or viewer makes it (Rec. 601 luma of the sRGB values)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    y = round(0.299 * r + 0.587 * g + 0.114 * b)
    return f"#{y:02x}{y:02x}{y:02x}"


def test_at_least_two_themes():
    assert len(THEMES) >= 2


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_theme_text_contrast_is_wcag_aa_in_colour_and_in_greyscale(theme):
    for what, fg, bg in THEMES[theme].text_pairs():
        assert contrast(fg, bg) >= 4.5, (theme, what, round(contrast(fg, bg), 2))
        assert contrast(grey(fg), grey(bg)) >= 4.5, (theme, what, "greyscale", round(contrast(grey(fg), grey(bg)), 2))


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


# ------------------------------------------------------------------ poster


def test_poster_holds_all_sixteen_points(poster_a2, content):
    """At A2 the legible sizes need two sheets (see docs/sheets.md); every point is on one."""
    assert pdf_page_sizes(poster_a2 / "poster.pdf") == [A2, A2]
    text = "".join(pdf_page_texts(poster_a2 / "poster.pdf"))
    points = [p for v in content.viewpoints.viewpoints for p in v.points]
    assert len(points) == 16
    for point in points:
        assert squeeze(point) in squeeze(text)
    assert squeeze(content.viewpoints.lead) in squeeze(text)
    assert squeeze(content.document.title) in squeeze(text)


# ------------------------------------------------------------------ phrases


@pytest.mark.parametrize("strict", [True, False])
def test_phrases_keep_kinsoku(content, strict):
    for text in content.texts():
        units = phrases(text, strict)
        assert "".join(units) == text
        for before, after in zip(units, units[1:]):
            assert after[0] not in NO_START, (before, after)
            assert before.rstrip()[-1] not in NO_END, (before, after)


def test_wrap_and_balance_keep_every_character():
    text = "私たちは一人じゃない、力を合わせて共に歩んでいこう"
    measure = len
    for width in (7, 9, 14, 30):
        for lines in (wrap(text, width, measure), balance(text, width, measure)):
            assert "".join(lines) == text
            assert all(len(line) <= width for line in lines)
    # Fewest lines, then a break after the comma rather than the more even 「…力を／合わせて…」.
    assert balance(text, 14, measure) == ["私たちは一人じゃない、", "力を合わせて共に歩んでいこう"]
    assert wrap(text, 3, measure) is None  # 一人じゃない、 cannot fit: no break inside a phrase


def test_wave_dash_never_starts_a_phrase():
    assert all(not unit.startswith("～") for unit in phrases("ケアマネジャーは～人と人を結ぶ架け橋～です"))


@pytest.mark.parametrize(("text", "word"), [
    ("笑顔で前を向いていこう", "笑顔"),
    ("やりがいや感謝はかけがえのない喜び", "やりがい"),
    ("やりがいや感謝はかけがえのない喜び", "かけがえのない"),
    ("介護の代表として多職種と協働しよう", "として"),
    ("多（他）職種連携において、どうあるべきか", "多（他）職種連携において"),
    ("すべての人の可能性を広げる扇の要", "扇の要"),
    ("検討委員会（令和3年3月）", "（令和3年3月）"),
])
def test_no_phrase_boundary_inside_a_word_budoux_splits(text, word):
    """BudouX splits these words; the phrases used for line breaks must not."""
    assert any(word in unit for unit in phrases(text)), phrases(text)
    assert not any(word in unit for unit in budoux_phrases(text))  # BudouX alone does split it


@pytest.mark.parametrize("landscape", [False, True])
def test_every_offered_paper_fits_the_bundled_content(content, landscape):
    """Layout only (no PDF): every card and the poster fit on every paper the commands offer."""
    from generator.render.cards import CARD_PAPERS
    from generator.render.poster import POSTER_PAPERS, PosterLayout

    from generator.render.sheet import TextBlock

    for paper in CARD_PAPERS:
        layout = CardLayout(Sheet.from_options(PrintOptions(paper, landscape)), content)
        for card in cards_of(content):
            page = layout.fit(card)
            # every text inside the safe area (the A6 card's band once set its kicker in the office margin)
            for piece in page.pieces:
                if isinstance(piece, TextBlock):
                    assert piece.y >= layout.safe_margin - 0.01 and piece.x >= layout.safe_margin - 0.01, (paper, card.number, piece.lines)
    for paper in POSTER_PAPERS:
        PosterLayout(Sheet.from_options(PrintOptions(paper, landscape)), content).fit()
