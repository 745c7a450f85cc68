"""Compile the message catalogues: generator/locale/*/LC_MESSAGES/printgen.po -> printgen.mo.

Run after editing a .po file: ``python scripts/compile_messages.py``. The .mo files are
committed (printgen reads them with the standard library's gettext); tests/test_messages.py
checks that each is what this script makes of its .po.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "generator" / "locale"


def read_po(path: Path) -> dict[str, str]:
    """``{msgid: msgstr}`` of a .po file (plain entries and the header; no plurals or contexts)."""
    entries: dict[str, str] = {}
    msgid = msgstr = None
    field = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            if msgid is not None:
                entries[msgid] = msgstr or ""
            msgid, msgstr, field = _string(line[6:], path, number), None, "id"
        elif line.startswith("msgstr "):
            msgstr, field = _string(line[7:], path, number), "str"
        elif line.startswith('"'):
            if field == "id":
                msgid += _string(line, path, number)
            elif field == "str":
                msgstr += _string(line, path, number)
            else:
                raise ValueError(f"{path}:{number}: a string outside an entry")
        else:
            raise ValueError(f"{path}:{number}: not a .po line: {line}")
    if msgid is not None:
        entries[msgid] = msgstr or ""
    return entries


def _string(text: str, path: Path, number: int) -> str:
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string")
    return ast.literal_eval(text)


def write_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo bytes of ``entries`` (untranslated entries are left out)."""
    items = sorted((k, v) for k, v in entries.items() if v or k == "")
    ids = [k.encode("utf-8") for k, _ in items]
    strs = [v.encode("utf-8") for _, v in items]
    header = 7 * 4
    ids_at = header
    strs_at = ids_at + 8 * len(items)
    data_at = strs_at + 8 * len(items)
    tables, data = [], b""
    for table in (ids, strs):
        offsets = []
        for item in table:
            offsets.append((len(item), data_at + len(data)))
            data += item + b"\0"
        tables.append(offsets)
    out = struct.pack("<7I", 0x950412DE, 0, len(items), ids_at, strs_at, 0, data_at)
    for offsets in tables:
        out += b"".join(struct.pack("<2I", length, offset) for length, offset in offsets)
    return out + data


def main() -> int:
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(write_mo(read_po(po)))
        print(f"compiled {po.relative_to(LOCALE_DIR.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
