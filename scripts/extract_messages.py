"""Find every message a user can meet, and update the Japanese catalogue with the new ones.

    python scripts/extract_messages.py          # adds untranslated entries to ja/printgen.po
    python scripts/compile_messages.py          # then, after translating them

Messages are the string literals given to ``_()``, ``N_()`` and ``ngettext()`` in generator/,
and Click's own (its ``_()`` calls: usage errors, help headings), which printgen's catalogue
translates too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PO = PROJECT_DIR / "generator" / "locale" / "ja" / "LC_MESSAGES" / "printgen.po"
FUNCTIONS = {"_", "N_", "ngettext"}


def messages_in(path: Path) -> list[str]:
    """The messages of one Python file, in order."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
            count = 2 if node.func.id == "ngettext" else 1
            for arg in node.args[:count]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append(arg.value)
    return found


def click_dir() -> Path:
    import click

    return Path(click.__file__).parent


def all_messages() -> list[str]:
    """printgen's messages, then Click's, each once."""
    paths = sorted((PROJECT_DIR / "generator").rglob("*.py")) + sorted(click_dir().glob("*.py"))
    return list(dict.fromkeys(m for path in paths for m in messages_in(path)))


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from compile_messages import read_po

    known = read_po(PO) if PO.exists() else {}
    new = [m for m in all_messages() if m not in known]
    with PO.open("a", encoding="utf-8") as f:
        for message in new:
            f.write(f"\nmsgid {po_string(message)}\nmsgstr \"\"\n")
    print(f"{len(new)} new messages added to {PO.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
