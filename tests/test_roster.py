"""Rosters as organisers keep them: CSV from Japanese Excel (CP932) or UTF-8, .xlsx; every bad
row named at once."""

from __future__ import annotations

import pytest

from helpers import roster_csv, roster_xlsx

ROWS = [
    ["令和8年度 主任介護支援専門員研修 受講者名簿"],  # a title row above the header
    [],
    ["受講番号", "氏名", "ふりがな", "所属", "職種", "備考"],
    ["1", "髙橋 花子", "たかはし はなこ", "○○居宅介護支援事業所", "介護支援専門員", "遅刻連絡あり"],
    ["2", "山﨑 太郎", "やまさき たろう", "△△地域包括支援センター", "主任介護支援専門員", ""],
    ["3", "佐藤 一郎", "サトウ イチロウ", "□□ケアプランセンター", "介護支援専門員", ""],
    ["", "", "", "", "", ""],  # an empty row
    ["4", "鈴木 次郎", "すずき じろう", "○○居宅介護支援事業所", "看護師", ""],
    ["5", "田中 三恵", "たなか みえ", "◇◇事業所", "社会福祉士", ""],
]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8", "utf-8-sig"])
def test_csv_in_each_encoding_and_xlsx_give_the_same_participants(tmp_path, encoding):
    from generator.roster import read_roster

    (tmp_path / "roster.csv").write_bytes(roster_csv(ROWS).encode(encoding))
    from_csv = read_roster(tmp_path / "roster.csv")
    from_xlsx = read_roster(roster_xlsx(tmp_path / "roster.xlsx", ROWS))
    assert from_csv.participants == from_xlsx.participants
    assert [p.name for p in from_csv.participants] == ["髙橋 花子", "山﨑 太郎", "佐藤 一郎", "鈴木 次郎", "田中 三恵"]
    assert from_csv.participants[0].row == 4 and from_csv.participants[3].row == 8
    assert from_csv.participants[1].number == "2" and from_csv.participants[1].affiliation == "△△地域包括支援センター"
    assert from_csv.ignored_columns == ("備考",)


def test_every_bad_row_is_named_at_once(tmp_path):
    from generator.errors import ContentError
    from generator.roster import read_roster

    rows = ROWS[:3] + [
        ["1", "", "たかはし", "○○", "", ""],  # no name
        ["2", "山﨑 太郎", "Yamasaki", "△△", "", ""],  # furigana not kana
        ["3", "😀 一郎", "いちろう", "□□", "", ""],  # a character no bundled font has
        ["4", "鈴木 次郎", "すずき じろう", "○○", "", ""],
        ["5", "鈴木 次郎", "すずき じろう", "○○", "", ""],  # the same person again
    ]
    (tmp_path / "roster.csv").write_bytes(roster_csv(rows).encode("utf-8"))
    with pytest.raises(ContentError) as raised:
        read_roster(tmp_path / "roster.csv")
    path = tmp_path / "roster.csv"
    assert raised.value.format_message().splitlines() == [
        f"{path}: row 4: 氏名: the name is empty",
        f"{path}: row 5: ふりがな: 'Yamasaki' is not kana; write the reading in hiragana or katakana",
        f"{path}: row 6: 氏名: character '😀' (U+1F600 GRINNING FACE) is not in the bundled fonts "
        "(BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); replace it or remove it",
        f"{path}: row 8: 氏名: the same person as in row 7 (same name, furigana and affiliation)",
    ]


@pytest.mark.parametrize("data, message", [
    (b"", "the roster file is empty"),
    ("氏名\n高橋\n".encode("utf-16"), "not a spreadsheet or CSV file (it contains NUL bytes); save the roster from Excel as CSV or .xlsx"),
    (b"\x80\x80\xff\xfe\x81", "the text is neither UTF-8 nor Shift_JIS (CP932); save the roster from Excel as CSV UTF-8"),
    ("名簿\n高橋,たかはし\n".encode(), "no column named 氏名 (or name) in the first 5 rows; put a header row with 氏名, ふりがな, 所属 … above the names"),
])
def test_a_file_that_is_no_roster_is_one_message(tmp_path, data, message):
    from generator.errors import ContentError
    from generator.roster import read_roster

    (tmp_path / "roster.csv").write_bytes(data)
    with pytest.raises(ContentError) as raised:
        read_roster(tmp_path / "roster.csv")
    assert raised.value.format_message() == f"{tmp_path / 'roster.csv'}: error: file: {message}"


def test_an_xlsx_that_is_not_a_workbook(tmp_path):
    from generator.errors import ContentError
    from generator.roster import read_roster

    (tmp_path / "roster.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ContentError, match=r"roster.xlsx: error: file: not an Excel workbook \(.xlsx\)"):
        read_roster(tmp_path / "roster.xlsx")
