"""Audit of cards and poster, measured from the PDFs as a print designer would measure them.

    python bench/audit_sheets.py [--out DIR]

Builds cards (A3) and the poster (A2) with the defaults, then reads the PDFs back with pdfium:
the size of every character of each message, point and headline, where each headline starts,
and whether anything is printed within 5 mm of a sheet's edge. Prints the figures; exits 1 if
one is out of bounds. tests/test_sheets.py runs the same measurements.
"""

from __future__ import annotations

import argparse
import ctypes
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

MM = 72 / 25.4


def page_chars(pdf: Path) -> list[list[tuple[str, float, float, float]]]:
    """Per page, its characters other than white space: ``(char, font size pt, left, baseline)``,
    positions in pt from the page's top left corner. The size is the font size times the
    scale of the character's matrix (WeasyPrint sets text in CSS px under a 0.75 scale)."""
    pages = []
    for height, textpage in text_pages(pdf):
        chars = []
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            size, x, y = char_size_and_origin(textpage, i)
            chars.append((char, round(size, 2), x, height - y))
        pages.append(chars)
    return pages


def text_pages(pdf: Path):
    """Each page of ``pdf`` in turn: ``(page height pt, pdfium text page)``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        for page in document:
            yield page.get_height(), page.get_textpage()
    finally:
        document.close()


def char_size_and_origin(textpage, i: int) -> tuple[float, float, float]:
    """``(size pt, x, y)`` of character ``i`` of a pdfium text page: the font size times the
    scale of the character's matrix, and its origin in PDF coordinates (from the bottom left)."""
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage.raw, i, ctypes.byref(m))
    x, y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
    size = raw.FPDFText_GetFontSize(textpage.raw, i) * abs(m.a * m.d - m.b * m.c) ** 0.5
    return size, x.value, y.value


def find(chars, text: str) -> list[tuple[str, float, float, float]]:
    """The characters of ``text`` (white space ignored) as laid out on a page; [] if absent."""
    target = "".join(text.split())
    line = "".join(c for c, *_ in chars)
    at = line.find(target)
    return [] if at < 0 else chars[at : at + len(target)]


def edge_ink(pdf: Path, margin_mm: float = 5.0, dpi: int = 100) -> list[float]:
    """Per page, the darkest (0 black … 255 white) pixel within ``margin_mm`` of the sheet's
    edge (one pixel in from the edge, where a viewer anti-aliases the page's border)."""
    import pypdfium2 as pdfium

    out = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            w, h = image.size
            m = int(margin_mm * dpi / 25.4)
            strips = [image.crop(box) for box in ((1, 1, w - 1, m), (1, h - m, w - 1, h - 1), (1, 1, m, h - 1), (w - m, 1, w - 1, h - 1))]
            out.append(min(s.getextrema()[0] for s in strips))
    finally:
        document.close()
    return out


def audit(cards_pdf: Path, poster_pdf: Path) -> tuple[list[str], list[str]]:
    """``(figures, failures)`` of the audit."""
    from generator.content import load_content
    from generator.render.cards import cards_of

    content = load_content(PROJECT_DIR / "content")
    figures, failures = [], []

    pages = page_chars(poster_pdf)
    points = [p for v in content.viewpoints.viewpoints for p in v.points]
    sizes = [s for p in points for chars in pages for _, s, *_ in find(chars, p)]
    found = sum(any(find(chars, p) for chars in pages) for p in points)
    headings = [s for v in content.viewpoints.viewpoints for chars in pages for _, s, *_ in find(chars, v.title)]
    title = [s for line in content.document.title_lines for chars in pages for _, s, *_ in find(chars, line)]
    figures.append(f"poster A2: {len(pages)} sheet(s); {found}/16 points found; point text {min(sizes):.1f}-{max(sizes):.1f} pt; "
                   f"viewpoint headings {min(headings):.1f} pt; title {min(title):.1f} pt")
    if found != 16 or min(sizes) < 24 - 0.05 or min(headings) < 36 - 0.05 or min(title) < 72 - 0.05:
        failures.append("poster: points < 24 pt, headings < 36 pt or title < 72 pt, or a point missing")

    pages = page_chars(cards_pdf)
    heads, tops, bodies, vp_text = set(), [], set(), []
    for card, chars in zip(cards_of(content), pages):
        head = find(chars, card.headline)
        if card.kind == "message":
            heads |= {round(s, 1) for _, s, *_ in head}
            tops.append(head[0][3])  # the first baseline
            bodies |= {round(s, 1) for _, s, *_ in find(chars, card.body)}
        for text in [card.body] if card.body else [p for _, p in card.points]:
            vp_text += [s for _, s, *_ in find(chars, text)]
    figures.append(f"cards A3: message headlines {sorted(heads)} pt, texts {sorted(bodies)} pt; headline first baselines "
                   f"{min(tops):.2f}-{max(tops):.2f} pt (spread {max(tops) - min(tops):.2f}); every message and point "
                   f"text {min(vp_text):.1f}-{max(vp_text):.1f} pt")
    if len(heads) > 2 or len(bodies) > 2 or max(tops) - min(tops) > 1 or min(vp_text) < 28 - 0.05:
        failures.append("cards: more than two sizes, headline first baselines spread > 1 pt, or text < 28 pt")

    for name, pdf in (("cards", cards_pdf), ("poster", poster_pdf)):
        darkest = edge_ink(pdf)
        figures.append(f"{name}: lightest-to-darkest pixel within 5 mm of the edge, per page: min {min(darkest)} (255 = paper)")
        if min(darkest) < 250:
            failures.append(f"{name}: ink within 5 mm of the sheet's edge")
    return figures, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="build here (default: a temporary folder)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="printgen-audit-"))
    for material in ("cards", "poster"):
        subprocess.run([sys.executable, "-m", "generator", "-q", material, "--force", "--out", str(out)], cwd=PROJECT_DIR, check=True)
    figures, failures = audit(out / "cards.pdf", out / "poster.pdf")
    print("\n".join(figures))
    print("\n".join(f"FAIL: {f}" for f in failures) or "all within bounds")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
