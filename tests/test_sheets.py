"""Cards and poster on the wall, on the office printer and at the print shop (issue 14).

Measured from the PDFs the command writes: type sizes and positions (the audit of
bench/audit_sheets.py), imposition cells and cut marks, poster tiles, PDF/X and CMYK output,
and the messages for option combinations that cannot work.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import A4, build, PROJECT_DIR, pdf_page_sizes, pdf_page_texts, pdf_reader, run_printgen, squeeze

sys.path.insert(0, str(PROJECT_DIR / "bench"))

from generator.render.cards import CardLayout, cards_of
from generator.render.sheet import OFFICE_MARGIN_MM, PT_PER_MM, TILE_OVERLAP_MM, Sheet, Tiling
from generator.render.style import HANDOUT_VARIABLES, PALETTE, THEMES

MM = PT_PER_MM


@pytest.fixture(scope="module")
def defaults(tmp_path_factory):
    out = build(tmp_path_factory, "defaults", "cards")
    run_printgen("poster", "--out", out)
    return out


@pytest.fixture(scope="module")
def a6_on_a4(tmp_path_factory):
    return build(tmp_path_factory, "a6", "cards", "--paper", "A6", "--sheet", "A4")


@pytest.fixture(scope="module")
def tiled(tmp_path_factory):
    return build(tmp_path_factory, "tiled", "poster", "--tile", "A4")


@pytest.fixture(scope="module")
def print_shop(tmp_path_factory):
    out = build(tmp_path_factory, "shop", "cards", "--print-shop")
    run_printgen("poster", "--print-shop", "--out", out)
    return out


# ------------------------------------------------------------------ the audit


def test_audit_of_type_sizes_positions_and_edges(defaults, capsys):
    from audit_sheets import audit

    figures, failures = audit(defaults / "cards.pdf", defaults / "poster.pdf")
    with capsys.disabled():
        print("\n" + "\n".join(figures))
    assert failures == []


# ------------------------------------------------------------------ office: imposition


def test_a6_cards_four_to_an_a4_sheet(a6_on_a4, content):
    pdf = a6_on_a4 / "cards.pdf"
    cards = cards_of(content)
    assert len(cards) == 26
    assert pdf_page_sizes(pdf) == [A4] * 7  # 26 cards, 4 a sheet
    texts = [squeeze(t) for t in pdf_page_texts(pdf)]
    for index, card in enumerate(cards):
        assert squeeze(card.headline) in texts[index // 4], (card.number, index // 4)


def test_imposed_text_stays_inside_its_cell_and_office_margin(a6_on_a4):
    """Every text run lies inside one A6 cell (2 x 2 on the A4 sheet), at least the office
    margin from the cell's edges, so no card's text crosses a cut."""
    from generator.render.pdf import text_rectangles

    w, h = 105 * MM, 148 * MM
    x0, y0 = (A4[0] - 2 * w) / 2, (A4[1] - 2 * h) / 2
    m = OFFICE_MARGIN_MM * MM - 0.5
    runs = 0
    for rects in text_rectangles((a6_on_a4 / "cards.pdf").read_bytes()):
        for left, top, right, bottom, text in rects:
            col, row = int(((left + right) / 2 - x0) // w), int(((top + bottom) / 2 - y0) // h)
            cx, cy = x0 + col * w, y0 + row * h
            assert cx + m <= left and right <= cx + w - m and cy + m <= top and bottom <= cy + h - m, (text, col, row)
            runs += 1
    assert runs > 100


def test_cut_marks_on_the_cut_lines(a6_on_a4, tmp_path):
    """Dark pixels on the vertical cut (x = 105 mm) near the top and bottom, and a cross at
    the middle of the sheet; white paper within 5 mm of the sheet's edge."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-gray", "-png", a6_on_a4 / "cards.pdf", tmp_path / "s"], check=True)
    (png,) = tmp_path.glob("s*.png")
    image = Image.open(png).convert("L")
    px = 150 / 25.4
    cut_x, cut_y = round(105 * px), round(148.5 * px)
    column = lambda y0, y1: min(image.getpixel((x, y)) for x in range(cut_x - 2, cut_x + 2) for y in range(y0, y1))
    assert column(round(5.5 * px), round(9.5 * px)) < 160  # top mark
    assert column(image.height - round(9.5 * px), image.height - round(5.5 * px)) < 160  # bottom mark
    assert column(cut_y - 3, cut_y + 3) < 160  # centre cross
    edge = round(4.8 * px)
    strips = [image.crop(b) for b in ((1, 1, image.width - 1, edge), (1, 1, edge, image.height - 1))]
    assert min(s.getextrema()[0] for s in strips) > 250


@pytest.mark.parametrize(("paper", "sheet", "per_sheet", "pages"), [("A5", "A4", 2, 13), ("A4", "A3", 2, 13)])
def test_two_up_impositions(tmp_path, paper, sheet, per_sheet, pages):
    result = run_printgen("cards", "--paper", paper, "--sheet", sheet, "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    sizes = pdf_page_sizes(tmp_path / "cards.pdf")
    assert len(sizes) == pages
    w, h = sizes[0]
    assert w > h  # the sheet turned landscape: two portrait cards side by side


# ------------------------------------------------------------------ office: poster tiles


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("poster", ["A2", "B2", "A1"])
def test_tiles_cover_the_poster_with_overlaps(poster, paper):
    sheet = Sheet.plain(poster)
    tiling = Tiling.of(sheet, paper)
    windows = tiling.windows
    assert len(windows) == tiling.cols * tiling.rows >= 2
    xs = sorted({x for x, *_ in windows})
    ys = sorted({y for _, y, *_ in windows})
    w, h = windows[0][2:]
    assert xs[0] <= 0 and xs[-1] + w >= sheet.width and ys[0] <= 0 and ys[-1] + h >= sheet.height
    for a, b in zip(xs, xs[1:]):
        assert a + w - b == pytest.approx(TILE_OVERLAP_MM * MM)
    for a, b in zip(ys, ys[1:]):
        assert a + h - b == pytest.approx(TILE_OVERLAP_MM * MM)
    # The printed window stays out of the office margin.
    assert w <= tiling.sheet.width - 2 * OFFICE_MARGIN_MM * MM and h <= tiling.sheet.height - 2 * OFFICE_MARGIN_MM * MM


def test_tiled_poster_pdf(tiled, tmp_path, content):
    """One A4 page per tile of each poster sheet; put together, the tiles show the poster:
    each tile's pixels equal the poster's under its window."""
    from PIL import Image, ImageChops, ImageFilter, ImageStat

    poster = Sheet.plain("A2")
    tiling = Tiling.of(poster, "A4")
    pages = pdf_page_sizes(tiled / "poster.pdf")
    poster_pages = len(pdf_page_sizes(build_poster(tmp_path) / "poster.pdf"))
    assert len(pages) == len(tiling.windows) * poster_pages
    assert set(pages) == {(round(tiling.sheet.width, 2), round(tiling.sheet.height, 2))}
    dpi = 20
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", tmp_path / "poster.pdf", tmp_path / "p"], check=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", str(len(tiling.windows)), "-png", tiled / "poster.pdf", tmp_path / "t"], check=True)
    whole = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    k = dpi / 72
    margin = 8 * MM * k
    for index, ((x, y, w, h), png) in enumerate(zip(tiling.windows, sorted(tmp_path.glob("t*.png")))):
        tile = Image.open(png).convert("L")
        box = [round(v) for v in (max(x, 0) * k + 2, max(y, 0) * k + 2, min(x + w, poster.width) * k - 2, min(y + h, poster.height) * k - 2)]
        part = whole.crop(box)
        dx, dy = round(margin - x * k), round(margin - y * k)
        shown = tile.crop((box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy))
        blur = ImageFilter.GaussianBlur(1.5)  # pixel grids differ by a fraction of a pixel
        diff = ImageChops.difference(part.filter(blur), shown.filter(blur))
        mean = ImageStat.Stat(diff).mean[0]
        assert mean < 6, (index, mean)  # the same picture (alignment crosses and 20 dpi rounding aside)


def test_tiles_leave_the_office_margin_white(tiled):
    from audit_sheets import edge_ink

    assert min(edge_ink(tiled / "poster.pdf")) > 250


def build_poster(tmp_path: Path) -> Path:
    result = run_printgen("poster", "--out", tmp_path)
    assert result.exit_code == 0, result.stderr
    return tmp_path


# ------------------------------------------------------------------ print shop


@pytest.mark.parametrize("name", ["cards.pdf", "poster.pdf"])
def test_print_shop_pdf_x4_in_cmyk(print_shop, name):
    pdf = print_shop / name
    info = "".join(subprocess.run(["pdfinfo", flag, pdf], capture_output=True, text=True, check=True).stdout for flag in ("-custom", "-box"))
    assert re.search(r"^GTS_PDFXVersion:\s+PDF/X-4$", info, re.M)
    assert "TrimBox:" in info and "BleedBox:" in info
    reader = pdf_reader(pdf)
    k100 = 0
    for page in reader.pages:
        trim, bleed = [float(v) for v in page.trimbox], [float(v) for v in page.bleedbox]
        assert trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)  # 3 mm bleed by default
        stream = page.get_contents().get_data().decode("latin-1")
        assert not re.search(r"\b(rg|RG)\b", stream)  # no RGB colour at all
        assert "/DeviceCMYK" in str(page["/Resources"].get("/ColorSpace", "")) or "DeviceCMYK" in stream
        k100 += "0 0 0 1 scn" in stream  # black text: K100 only
    assert k100 >= len(reader.pages) - 2  # (the slogan and bridge cards have no black text)
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_print_shop_text_is_k100(print_shop):
    """The fill colour in force where the body text of the first card is drawn is 0 0 0 1."""
    reader = pdf_reader(print_shop / "cards.pdf")
    colours = []

    def visit(op, args, cm, tm):
        if op == b"scn":
            colours.append(tuple(float(a) for a in args))
        if op == b"Tj" or op == b"TJ":
            texts.append(colours[-1] if colours else None)

    texts: list = []
    reader.pages[0].extract_text(visitor_operand_before=visit)
    assert (0.0, 0.0, 0.0, 1.0) in texts  # the body text
    assert all(c is not None and len(c) == 4 for c in texts)  # every text in CMYK


def test_the_office_pdf_stays_rgb(defaults):
    stream = pdf_reader(defaults / "cards.pdf").pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"\brg\b", stream)
    info = subprocess.run(["pdfinfo", "-custom", defaults / "cards.pdf"], capture_output=True, text=True, check=True).stdout
    assert "GTS_PDFXVersion" not in info


# ------------------------------------------------------------------ options that do not go together


@pytest.mark.parametrize(("args", "message"), [
    (["cards", "--paper", "A3", "--sheet", "A4"],
     "Error: --sheet: A3 cards do not fit two to an A4 sheet; use --paper A5 or A6 with --sheet A4"),
    (["cards", "--tile", "A4"], "Error: No such option '--tile'."),
    (["cards", "--bleed", "-1"], "Error: Invalid value for '--bleed': expected a number from 0 to 20, found -1"),
    (["poster", "--bleed", "nan"], "Error: Invalid value for '--bleed': expected a number from 0 to 20, found nan"),
    (["cards", "--bleed", "21"], "Error: Invalid value for '--bleed': expected a number from 0 to 20, found 21"),
    (["cards", "--paper", "A6", "--sheet", "A4", "--print-shop"],
     "Error: --sheet: --print-shop prints each card on its own page for the print shop to impose; leave out --sheet"),
    (["poster", "--tile", "A4", "--bleed", "3"],
     "Error: --tile: a tiled poster is for an office printer; leave out --print-shop, --bleed and --crop-marks"),
    (["poster", "--print-shop", "--bleed", "0"],
     "Error: --bleed: --print-shop needs a bleed; leave --bleed out (3 mm) or give more than 0"),
    (["poster", "--paper", "A3", "--tile", "A3"],
     "Error: --tile: the poster (A3) is not larger than a sheet of A3; print it as it is, without --tile"),
    (["cards", "--paper", "A5", "--sheet", "A4", "--split"],
     "Error: --sheet: --split writes each card on its own page; leave out --sheet"),
])
def test_a_bad_combination_is_a_usage_error_naming_the_option(tmp_path, args, message):
    result = run_printgen(*args, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(message), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_bad_combination_in_printgen_toml_names_its_line(tmp_path):
    from helpers import project_copy

    project = project_copy(tmp_path / "p")
    (project / "printgen.toml").write_text('[cards]\npaper = "A3"\nsheet = "A4"\n', encoding="utf-8")
    result = run_printgen("build", cwd=project, project=project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "printgen.toml:3: error: cards.sheet: A3 cards do not fit two to an A4 sheet; use --paper A5 or A6 with --sheet A4"]


def test_printgen_toml_and_command_line_combine(tmp_path):
    """paper from printgen.toml, sheet from the command line: checked together."""
    from helpers import project_copy

    project = project_copy(tmp_path / "p")
    (project / "printgen.toml").write_text('[cards]\npaper = "A6"\n', encoding="utf-8")
    result = run_printgen("cards", "--sheet", "A4", "--out", tmp_path / "out", cwd=project, project=project)
    assert result.exit_code == 0, result.stderr
    assert len(pdf_page_sizes(tmp_path / "out" / "cards.pdf")) == 7


# ------------------------------------------------------------------ the series and the kit


def test_an_outlier_card_gets_a_second_size_and_a_note(content):
    from dataclasses import replace

    from generator.render.sheet import TextBlock

    cards = cards_of(content)
    body = cards[4].body  # three and a fifth times as long: far below the rest of the series
    long = replace(cards[4], body=type(body)(body * 3 + body[:20], body.source))
    series = [c for c in cards if c.kind == "message"]
    series[4] = long
    pages, note = CardLayout(Sheet.plain("A3"), content).series(series)
    sizes = {next(p.type.size for p in page.pieces if isinstance(p, TextBlock) and p.role == "headline") for page in pages}
    assert len(sizes) == 2
    assert note.startswith("message card 05 is set smaller than the rest of its series (headline ")


def test_handout_colours_are_the_palette():
    css = (PROJECT_DIR / "templates" / "handout" / "handout.css").read_text(encoding="utf-8")
    found = dict(re.findall(r"^\s*(--[\w-]+):\s*(#[0-9a-fA-F]{6});", css, re.M))
    assert found == {variable: PALETTE[name] for variable, name in HANDOUT_VARIABLES.items()}
    rules = css.split("}", 1)[1]  # after the html rule that defines them: no colour but through them
    assert not re.findall(r"#[0-9a-fA-F]{3,6}\b", rules)


def test_the_default_theme_is_the_palette():
    ai = THEMES["ai"]
    assert (ai.ink, ai.headline, ai.panel, ai.accent) == (PALETTE["ink"], PALETTE["indigo"], PALETTE["indigo_tint"], PALETTE["gold"])


@pytest.mark.parametrize("paper", ["A5", "A6"])
def test_small_cards_scale_their_type(content, paper):
    from generator.render.sheet import TextBlock

    a3, small = (CardLayout(Sheet.plain(p), content) for p in ("A3", paper))
    card = cards_of(content)[0]
    head = lambda layout: next(p.type.size for p in layout.fit(card).pieces if isinstance(p, TextBlock) and p.role == "headline")
    assert head(small) < head(a3) * (0.55 if paper == "A5" else 0.4)
