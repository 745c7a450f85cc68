"""The training-day kit (issue 18): certificates, badges, sign-in sheet and named worksheets
from a roster, through the command line as an organiser runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from helpers import (BUNDLED_FONT_NAMES, CONTENT_DIR, PROJECT_DIR, pdf_page_sizes, roster_csv, roster_xlsx, run_printgen,
                     snapshot, squeeze)

sys.path.insert(0, str(PROJECT_DIR / "bench"))

HEADER = ["受講番号", "氏名", "ふりがな", "所属", "職種", "グループ", "備考"]
PEOPLE = [
    ["1", "髙橋 花子", "たかはし はなこ", "○○居宅介護支援事業所", "介護支援専門員", "A", "遅刻連絡あり"],
    ["2", "山﨑 太郎", "やまざき たろう", "△△地域包括支援センター", "主任介護支援専門員", "B", ""],
    ["3", "佐藤 一郎", "サトウ イチロウ", "社会福祉法人□□会 □□ケアプランセンター", "介護支援専門員", "A", ""],
    ["4", "葛西 次郎", "かさい じろう", "○○居宅介護支援事業所", "看護師", "B", ""],
    ["5", "田中 三恵", "", "◇◇事業所", "社会福祉士", "A", ""],  # no furigana: last on the sign-in sheet
]
ROWS = [["令和8年度 主任介護支援専門員研修 受講者名簿"], HEADER, *PEOPLE]
NAMES = [row[1] for row in PEOPLE]
TOML = """[kit]
roster = "roster.csv"
date = "令和8年12月5日（土）"
venue = "○○県社会福祉会館 大会議室"
hours = "6時間"
signatory = "山田 一"
signatory_title = "委員長"
number_format = "第{n:03d}号"
"""


def _project(folder, rows=ROWS, toml=TOML, encoding="cp932"):
    """A project folder: content/, printgen.toml and roster.csv (CP932, as Japanese Excel saves it)."""
    shutil.copytree(CONTENT_DIR, folder / "content")
    (folder / "printgen.toml").write_text(toml, encoding="utf-8")
    (folder / "roster.csv").write_bytes(roster_csv(rows).encode(encoding))
    return folder


def _run(folder, *args, cache=None):
    env = {"XDG_CACHE_HOME": str(cache)} if cache else None
    return run_printgen(*args, "--content", folder / "content", cwd=folder, env=env)


def _texts(path) -> list[str]:
    """Each page's text as pdftotext reads it, white space removed."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [squeeze(page) for page in text.split("\f")[:-1]]


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """The kit built twice: from the CP932 CSV named in printgen.toml (`build`), and from the
    same roster as .xlsx on the command line (`printgen kit --roster … --sheet …`)."""
    folder = _project(tmp_path_factory.mktemp("kit-project"))
    roster_xlsx(folder / "roster.xlsx", ROWS, sheet="名簿")
    cache = tmp_path_factory.mktemp("kit-cache")
    from_csv = _run(folder, "build", "--only", "kit", "--out", folder / "out-csv", cache=cache)
    from_xlsx = _run(folder, "kit", "--roster", "roster.xlsx", "--sheet", "名簿", "--out", folder / "out-xlsx", cache=cache)
    assert from_csv.exit_code == 0, from_csv.stderr
    assert from_xlsx.exit_code == 0, from_xlsx.stderr
    return folder, cache, from_csv


def test_csv_and_xlsx_make_the_same_kit(kit):
    folder, _cache, _result = kit
    for name in ("certificates.pdf", "badges.pdf", "signin.pdf", "worksheets.pdf"):
        assert (folder / "out-csv" / "kit" / name).read_bytes() == (folder / "out-xlsx" / "kit" / name).read_bytes(), name


def test_every_name_is_on_its_certificate_badge_signin_row_and_worksheet(kit):
    folder, _cache, _result = kit
    out = folder / "out-csv" / "kit"
    names = [squeeze(n) for n in NAMES]
    certificates = _texts(out / "certificates.pdf")
    assert len(certificates) == 5
    for n, (name, page) in enumerate(zip(names, certificates), 1):
        assert name in page and f"第{n:03d}号" in page and "修了証" in page and "○○県社会福祉会館" in page
    badges = _texts(out / "badges.pdf")
    assert len(badges) == 1 and all(name in badges[0] for name in names)
    signin = _texts(out / "signin.pdf")[0]
    # 五十音順 by furigana (か, さ, た, や), the one without furigana last
    assert [signin.index(name) for name in (names[3], names[2], names[0], names[1], names[4])] == sorted(
        signin.index(name) for name in names)
    assert "受付名簿" in signin and "1/1" in signin
    worksheets = _texts(out / "worksheets.pdf")
    per_person = len(worksheets) // 5
    assert per_person >= 1 and len(worksheets) == 5 * per_person
    for n, name in enumerate(names):
        for page in worksheets[n * per_person:(n + 1) * per_person]:
            assert name in page and squeeze(PEOPLE[n][3]) in page
    assert "自己チェック" in worksheets[0]


def test_the_kit_is_set_in_the_bundled_fonts_on_a4(kit):
    folder, _cache, _result = kit
    out = folder / "out-csv" / "kit"
    for name in ("certificates.pdf", "badges.pdf", "signin.pdf", "worksheets.pdf"):
        # (pdffonts, which reads the fonts of the form XObjects the pages draw too)
        listing = subprocess.run(["pdffonts", str(out / name)], capture_output=True, text=True, check=True).stdout
        fonts = {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:]}
        assert fonts and fonts <= set(BUNDLED_FONT_NAMES), (name, fonts)
        assert set(pdf_page_sizes(out / name)) == {(595.28, 841.89)}, name


def test_badges_and_certificates_keep_their_text_inside_their_boxes(kit):
    import audit_composition

    from generator.render.kit import BADGE_SIZES
    from generator.render.pdf import text_rectangles

    folder, _cache, _result = kit
    out = folder / "out-csv" / "kit"
    # inside the certificate's inner frame (12.2 mm from the edge), and the badges' sheet margin
    assert audit_composition.audit(out / "certificates.pdf", margin_mm=12.2)["total"]["crossings"] == 0
    assert audit_composition.audit(out / "badges.pdf", margin_mm=5)["total"]["crossings"] == 0
    # every text of a badge inside that badge's cut edges
    badge, mm = BADGE_SIZES["90x55"], 72 / 25.4
    left, top = (210 - 2 * badge.width_mm) / 2 * mm, (297 - 4 * badge.height_mm) / 2 * mm
    rects = [r for r in text_rectangles((out / "badges.pdf").read_bytes())[0] if r[4].strip()]
    assert len(rects) >= 5 * 4
    for x0, y0, x1, y1, text in rects:
        column, row = int((x0 - left) // (badge.width_mm * mm)), int((y0 - top) // (badge.height_mm * mm))
        cell = (left + column * badge.width_mm * mm, top + row * badge.height_mm * mm)
        assert 0 <= column < 2 and 0 <= row < 4, text
        # at least 3 mm inside the cut lines sideways (a cut a little off takes no letter), within it downwards
        assert x0 >= cell[0] + 3 * mm - 0.5 and x1 <= cell[0] + (badge.width_mm - 3) * mm + 0.5, text
        assert y1 <= cell[1] + badge.height_mm * mm + 0.5, text


def test_no_personal_data_in_the_manifest_the_cache_or_the_summary(kit):
    folder, cache, result = kit
    private = [value.encode() for row in PEOPLE for value in row[1:4] if value] + [b"\xe9\xab\x99"]  # 髙
    kept = [p for p in (folder / "out-csv" / ".printgen").rglob("*") if p.is_file()]
    kept += [p for p in cache.rglob("*") if p.is_file()]
    assert kept
    for path in kept:
        data = path.read_bytes()
        assert not [v for v in private if v in data], path
    assert "5 participants" in result.stdout and not any(name in result.stdout + result.stderr for name in NAMES)


def test_build_without_a_roster_makes_no_kit_and_says_so(tmp_path):
    folder = _project(tmp_path, toml="")
    result = _run(folder, "build", "--only", "kit", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "kit: not made: no participant roster" in result.stdout
    assert not (tmp_path / "out" / "kit").exists()
    result = _run(folder, "kit", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "no participant roster" in result.stderr


def test_every_bad_row_is_named_at_once_and_nothing_is_written(tmp_path):
    rows = [HEADER,
            ["1", "", "たかはし", "○○", "", "", ""],  # no name
            ["2", "山﨑 太郎", "Yamazaki", "△△", "", "", ""],  # furigana not kana
            ["3", "𠮷田 一郎", "よしだ いちろう", "□□", "", "", ""],  # 𠮷 (つちよし): not in BIZ UD
            ["4", "😀 一郎", "いちろう", "□□", "", "", ""],  # not in the fonts
            ["5", "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末", "じゅげむ", "", "", "", ""],  # too long for a badge
            ["6", "長井 一", "ながい" * 14, "", "", "", ""],  # furigana too long for a badge
            ["7", "鈴木 次郎", "すずき じろう", "○○", "", "", ""],
            ["8", "鈴木 次郎", "すずき じろう", "○○", "", "", ""],  # the same person again
            ["9", "葛\U000E0102西 一", "かさい はじめ", "", "", "", ""]]  # a variation sequence the fonts lack
    folder = _project(tmp_path, rows=rows, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("previous")
    before = snapshot(tmp_path / "out")
    result = _run(folder, "kit", "--roster", "roster.csv", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "roster.csv: row 2: 氏名: the name is empty",
        "roster.csv: row 3: ふりがな: 'Yamazaki' is not kana; write the reading in hiragana or katakana",
        "roster.csv: row 4: 氏名: character '𠮷' (U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7) is not in the bundled fonts "
        "(BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); replace it or remove it",
        "roster.csv: row 5: 氏名: character '😀' (U+1F600 GRINNING FACE) is not in the bundled fonts "
        "(BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); replace it or remove it",
        "roster.csv: row 6: 氏名: too long to fit the name badge (90 × 55 mm) even at 12 pt (28 characters); shorten it",
        "roster.csv: row 7: ふりがな: too long to fit the name badge (90 × 55 mm) even at 6 pt (42 characters); shorten it",
        "roster.csv: row 9: 氏名: the same person as in row 8 (same name, furigana and affiliation)",
        "roster.csv: row 10: 氏名: the variation sequence '\U000E0102' (U+E0102 VARIATION SELECTOR-19) after '葛' "
        "(U+845B CJK UNIFIED IDEOGRAPH-845B) is not in the bundled fonts (the variant glyph is missing); remove the selector",
    ]
    assert snapshot(tmp_path / "out") == before


@pytest.mark.parametrize("data, message", [
    (b"", "the roster file is empty"),
    (b"\x80\x80\xff\xfe\x81", "the text is neither UTF-8 nor Shift_JIS (CP932); save the roster from Excel as CSV UTF-8"),
    (b"PK\x03\x04\x00\x00", "not a spreadsheet or CSV file (it contains NUL bytes); save the roster from Excel as CSV or .xlsx"),
])
def test_a_file_that_is_no_roster_is_one_message(tmp_path, data, message):
    folder = _project(tmp_path)
    (folder / "roster.csv").write_bytes(data)
    result = _run(folder, "kit", "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr.strip()) == (1, f"roster.csv: error: file: {message}")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("toml, message", [
    ('wording = "{name}さんは修了しました"',
     "printgen.toml:3: error: kit.wording: cannot use '{name}さんは修了しました': no field {name}; the fields are "
     "{title}, {date}, {venue}, {hours}, {organiser}"),
    ("venue = 3", "printgen.toml:3: error: kit.venue: expected text in quotes, found 3"),
    ('wording = "' + "研修の全課程を修了しました。" * 13 + '"',
     "printgen.toml: error: kit.wording: the certificate's text does not fit one page; shorten the wording or the venue"),
    ('badge_size = "100x70"', "printgen.toml:3: error: kit.badge_size: expected one of 90x55, 91x55, 86x54, 74x105, found '100x70'"),
])
def test_a_bad_kit_setting_names_its_line(tmp_path, toml, message):
    folder = _project(tmp_path, toml='[kit]\nroster = "roster.csv"\n' + toml + "\n")
    result = _run(folder, "kit", "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr.strip()) == (1, message)


def test_gojuon_order():
    from generator.render.kit import gojuon_key, signin_order
    from generator.roster import Participant

    readings = ["はなだ", "ばば", "はは", "パク", "かとう", "カトウ", "がとう", "きょう", "きよう", "あべ", "いとう"]
    # パク reads as はく first (before はなだ); は before ば before ぱ only where the rest is equal
    assert sorted(readings, key=gojuon_key) == ["あべ", "いとう", "かとう", "カトウ", "がとう", "きょう", "きよう",
                                                "パク", "はなだ", "はは", "ばば"]
    people = [Participant(1, "乙", ""), Participant(2, "甲", "こう"), Participant(3, "丙", ""), Participant(4, "丁", "あ")]
    assert [p.name for p in signin_order(people)] == ["丁", "甲", "乙", "丙"]


def test_landscape_certificates_with_a_seal_and_a_name_with_an_ivs(tmp_path):
    ivs = ["6", "葛\U000E0100西 次郎", "かさい じろう", "", "", "", ""]  # 葛 with its IVS glyph (the fonts have it)
    folder = _project(tmp_path, rows=[HEADER, PEOPLE[0], ivs], toml=TOML + 'landscape = true\nseal = "seal.svg"\n',
                      encoding="utf-8")
    (folder / "seal.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
                                     '<circle cx="50" cy="50" r="45" fill="none" stroke="#c00" stroke-width="6"/></svg>')
    result = _run(folder, "kit", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert pdf_page_sizes(tmp_path / "out" / "kit" / "certificates.pdf") == [(841.89, 595.28)] * 2
    assert "葛\U000E0100西次郎" in _texts(tmp_path / "out" / "kit" / "certificates.pdf")[1]


def test_the_worksheets_are_set_as_the_handouts(kit):
    """The kit's worksheet pages are the handout's worksheet, composed for the same columns:
    nothing crosses the text block, justified lines are flush, no widow (the audit)."""
    import audit_composition

    folder, _cache, _result = kit
    result = audit_composition.audit(folder / "out-csv" / "kit" / "worksheets.pdf", paper="A4")
    assert not any(result["total"].values()), result["faults"]
