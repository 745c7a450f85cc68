"""Helpers shared by the tests: run the real command, read real PDFs."""

from __future__ import annotations

import os
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


def run_printgen(*args: str, cwd: Path = PROJECT_DIR, env: dict | None = None, timeout: float = 120) -> Result:
    """Run ``python -m generator ARGS`` as a user would, in a new process."""
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR), **(env or {})},
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def pdf_reader(path: Path):
    from pypdf import PdfReader

    return PdfReader(str(path))


def pdf_page_texts(path: Path) -> list[str]:
    """Text of each page, as a reader copying it out of the PDF gets it."""
    return [page.extract_text() or "" for page in pdf_reader(path).pages]


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
