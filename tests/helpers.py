"""Helpers shared by the tests: run the real command, read real PDFs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_DIR / "content"
BUNDLED_FONT_NAMES = ("BIZ-UDMincho", "BIZ-UDGothic", "BIZ-UDGothic-Bold", "BIZ-UDPGothic", "BIZ-UDPGothic-Bold")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_printgen(*args: str, cwd: Path = PROJECT_DIR, env: dict | None = None, timeout: float = 120,
                 project: Path = PROJECT_DIR) -> Result:
    """Run ``python -m generator ARGS`` as a user would, in a new process (printgen from ``project``)."""
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(project), **(env or {})},
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


# Sheet sizes in pt, as pypdf reads a PDF's MediaBox (portrait).
A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)
A2 = (1190.55, 1683.78)
B2 = (1459.84, 2063.62)


def build(tmp_path_factory, name: str, *args: str) -> Path:
    """``printgen ARGS --out DIR`` into a new folder named after ``name``; the folder (it must succeed)."""
    out = tmp_path_factory.mktemp(name)
    result = run_printgen(*args, "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def project_copy(dest: Path, *, copy_fonts: bool = False) -> Path:
    """A copy of printgen in ``dest`` (generator/, templates/, content/) to break; fonts/ is a
    link to the bundled fonts unless ``copy_fonts``. Run it with ``run_printgen(..., cwd=dest,
    project=dest)``: fonts/ and templates/ are fixed beside the code, as for a user."""
    for name in ("generator", "templates", "content"):
        shutil.copytree(PROJECT_DIR / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    if copy_fonts:
        shutil.copytree(PROJECT_DIR / "fonts", dest / "fonts")
    else:
        (dest / "fonts").symlink_to(PROJECT_DIR / "fonts")
    return dest


def snapshot(folder: Path) -> dict:
    """Every file under ``folder`` and its bytes, to compare before and after a failed run."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pdf_reader(path: Path):
    from pypdf import PdfReader

    return PdfReader(str(path))


def pdf_page_texts(path: Path) -> list[str]:
    """Text of each page, as a reader copying it out of the PDF gets it."""
    return [page.extract_text() or "" for page in pdf_reader(path).pages]


def pdf_body_texts(path: Path, top: float, bottom: float) -> list[str]:
    """Text of each page without what sits in its top ``top`` pt and bottom ``bottom`` pt (the
    running head and the folio), so a paragraph that runs on to the next page reads on."""
    texts = []
    for page in pdf_reader(path).pages:
        height = float(page.mediabox.height)
        parts: list[str] = []

        def visit(text, cm, tm, _font, _size):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if bottom <= y <= height - top:
                parts.append(text)

        page.extract_text(visitor_text=visit)
        texts.append("".join(parts))
    return texts


def pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pdf_reader(path).pages]


def pdf_font_names(path: Path) -> set[str]:
    """Base names of every font used on any page, without the subset prefix (ABCDEF+)."""
    names = set()
    for page in pdf_reader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", ""))
            names.add(name.lstrip("/").split("+", 1)[-1])
    return names


def squeeze(text: str) -> str:
    """Text with all white space removed, for comparing Japanese text across line breaks."""
    return "".join(text.split())


def roster_csv(rows) -> str:
    """``rows`` (lists of strings) as CSV text, with Excel's line ends."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def roster_xlsx(path: Path, rows, sheet: str | None = None) -> Path:
    """``rows`` as an Excel workbook at ``path`` (numbers typed as numbers, empty cells empty)."""
    import openpyxl

    book = openpyxl.Workbook()
    if sheet:
        book.active.title = sheet
    for row in rows:
        book.active.append([int(v) if v.isdigit() else (v or None) for v in row])
    book.save(path)
    return path
