"""A participant roster (名簿) for the training-day kit: CSV as Japanese Excel saves it, or .xlsx.

- CSV in UTF-8 (with or without a byte-order mark) or Shift_JIS/CP932 (Japanese Excel's
  「CSV」), told apart by the bytes; .xlsx read with openpyxl (cell values, not formulas).
- Columns are found by their header, Japanese or English (:data:`COLUMNS`), in a header row
  that may sit under a title row or two; other columns are ignored, and said so.
- Every problem of every row at once (an empty name, furigana that is not kana, a character
  the bundled fonts lack, the same person twice), as ``roster.csv:12: error: 氏名: …``.

Names keep their 旧字・外字 (髙, 﨑, 𠮷) and variation sequences: the text is NFC with CJK
compatibility ideographs kept, as content is read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from generator.errors import ContentError, Diagnostic
from generator.i18n import _

# Field -> the headers that name it (compared without spaces, full-width folded, lower case).
COLUMNS = {
    "name": ("氏名", "名前", "受講者名", "name"),
    "furigana": ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "furigana", "kana"),
    "affiliation": ("所属", "事業所", "所属事業所", "勤務先", "affiliation", "organization", "organisation"),
    "role": ("職種", "role"),
    "number": ("番号", "受講番号", "no", "no.", "number"),
    "group": ("グループ", "班", "テーブル", "group", "table"),
}
HEADER_ROWS = 5  # the header is looked for in the first rows (a title row or two above it)
MAX_ROSTER_BYTES = 20_000_000
MAX_CELL_CHARS = 100
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309d\u309e\u30fd\u30fe\s・ー－-]+")


RowCheck = Callable[[dict[str, str]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Participant:
    row: int  # the row as the spreadsheet numbers it (1 = the first line of the file)
    name: str
    furigana: str = ""
    affiliation: str = ""
    role: str = ""
    number: str = ""
    group: str = ""


@dataclass(frozen=True)
class Roster:
    """The participants in the file's order, the columns it ignored, and a digest of the file
    (enough to know it changed; no personal data goes anywhere else)."""

    participants: tuple[Participant, ...]
    ignored_columns: tuple[str, ...]
    digest: str


def read_roster(path: Path, sheet: str | None = None, check: RowCheck | None = None) -> Roster:
    """The roster in ``path`` (.csv or .xlsx); raises :class:`ContentError` with every problem.

    ``check(values)``: more problems of one row (``values``: field -> text, as
    :class:`Participant` holds them), as ``(field, message)`` pairs: what a material cannot
    print (a name too long for its badge), reported with the rows' other problems."""
    from generator.content import display_path

    path = Path(path)
    shown = display_path(path)

    def fail(message: str, line: int | None = None, key: str = "file") -> ContentError:
        return ContentError([Diagnostic(shown, line, key, message, row=True)])

    try:
        if not path.is_file():
            raise fail(_("the roster file is missing") if not path.exists() else _("not a file"))
        data = path.read_bytes()[: MAX_ROSTER_BYTES + 1]
    except OSError as exc:
        raise fail(_("cannot read the file ({problem})").format(problem=exc.strerror or exc)) from None
    if len(data) > MAX_ROSTER_BYTES:
        raise fail(_("the file is larger than {most:,} bytes").format(most=MAX_ROSTER_BYTES))
    if not data.strip():
        raise fail(_("the roster file is empty"))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(data, sheet, fail)
    elif path.suffix.lower() in (".xls",):
        raise fail(_("an old Excel file (.xls); save it from Excel as .xlsx or as CSV"))
    else:
        rows = _csv_rows(data, fail)
    return _participants(rows, shown, hashlib.sha256(data).hexdigest(), fail, check)


def _csv_rows(data: bytes, fail) -> list[list[str]]:
    if b"\x00" in data:
        raise fail(_("not a spreadsheet or CSV file (it contains NUL bytes); save the roster from Excel as CSV or .xlsx"))
    for encoding in ("utf-8-sig", "cp932"):  # UTF-8 (with or without BOM), then what Japanese Excel saves
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise fail(_("the text is neither UTF-8 nor Shift_JIS (CP932); save the roster from Excel as CSV UTF-8"))
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(data: bytes, sheet: str | None, fail) -> list[list[str]]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)  # values, not formulas
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise fail(_("not an Excel workbook (.xlsx) ({problem}); save the roster from Excel as .xlsx or CSV").format(
            problem=exc.__class__.__name__)) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise fail(_("no sheet named '{sheet}' (the sheets are: {sheets})").format(sheet=sheet, sheets=", ".join(book.sheetnames)))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        return [["" if v is None else _cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in Excel (受講番号 12 comes back as 12.0)
    return str(value)


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _participants(rows: list[list[str]], shown: str, digest: str, fail, check: RowCheck | None = None) -> Roster:
    from generator.content import nfc
    from generator.fonts import check_glyphs

    wanted = {_header_key(h): field for field, headers in COLUMNS.items() for h in headers}
    header_at = next((i for i, row in enumerate(rows[:HEADER_ROWS]) if any(wanted.get(_header_key(c)) == "name" for c in row)), None)
    if header_at is None:
        raise fail(_("no column named 氏名 (or name) in the first {rows} rows; put a header row with 氏名, ふりがな, 所属 … "
                     "above the names").format(rows=HEADER_ROWS))
    header = rows[header_at]
    fields: dict[str, int] = {}
    ignored = []
    for index, title in enumerate(header):
        field = wanted.get(_header_key(title))
        if field and field not in fields:
            fields[field] = index
        elif title.strip():
            ignored.append(title.strip())
    labels = {field: header[i].strip() for field, i in fields.items()}

    problems: list[Diagnostic] = []
    participants: list[Participant] = []
    seen: dict[tuple[str, str, str], int] = {}
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {field: nfc(row[i].strip()) if i < len(row) else "" for field, i in fields.items()}
        if not any(v for v in values.values()):
            continue  # an empty row
        before = len(problems)

        def problem(field: str, message: str) -> None:
            problems.append(Diagnostic(shown, offset, labels.get(field, field), message, row=True))

        name = values.get("name", "")
        if not name:
            problem("name", _("the name is empty"))
        for field, value in values.items():
            if len(value) > MAX_CELL_CHARS:
                problem(field, _("too long ({chars} characters); at most {most}").format(chars=len(value), most=MAX_CELL_CHARS))
        furigana = values.get("furigana", "")
        if furigana and not _KANA.fullmatch(furigana):
            problem("furigana", _("'{value}' is not kana; write the reading in hiragana or katakana").format(value=furigana))
        for field, value in values.items():
            problems += [replace(d, row=True) for d in check_glyphs([(value, shown, offset, labels.get(field, field))])]
        if check is not None and name:
            for field, message in check(values):
                problem(field, message)
        key = (name, furigana, values.get("affiliation", ""))
        if name and key in seen:
            problem("name", _("the same person as in row {row} (same name, furigana and affiliation)").format(row=seen[key]))
        seen.setdefault(key, offset)
        if len(problems) == before:
            participants.append(Participant(offset, **values))
    if problems:
        raise ContentError(problems)
    if not participants:
        raise fail(_("no participants under the header row"))
    return Roster(tuple(participants), tuple(ignored), digest)
