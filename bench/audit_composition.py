"""Audit of Japanese composition in a PDF, counted as a 組版 proofreader would count it (issue 13).

    python bench/audit_composition.py FILE.pdf [--paper A4] [--margin MM] [--justified|--ragged] [--list] [--json]
    python bench/audit_composition.py --bundled [--out DIR] [--list] [--json]

Reads the text back with pdfium (every character with its advance box, size and weight), sets
it into lines (characters on one baseline, side by side) and lines into blocks (a line and the
line below it that overlaps it, at the same size and weight), and counts per page:

- ``crossings``: lines that reach outside the text block (the running header and folio count
  when they are wider than it). The handout's text block comes from its paper
  (generator/render/handout.py PAPERS: the page margins, and a body exactly ``measure`` em wide,
  centred); any other PDF's is its TrimBox inset by ``--margin`` mm (default: the 5 mm office
  margin that printers clip).
- ``short``: lines of justified text that are not the last of their paragraph and end more
  than 0.1 em short of their column's right edge (the rightmost end of any line of the block).
  Paragraph ends are read as a proofreader reads them: the next line is indented (字下げ), starts
  with a list marker, sits further down than the block's line pitch, or there is none. Only
  for justified text: the handout by default (``--justified``/``--ragged`` to choose).
- ``widows``: the last line of a paragraph of two lines or more that holds fewer than three
  characters besides punctuation (「う。」「こと。」).
- ``kinsoku``: a line within a paragraph that starts with a character of
  generator/render/measure.py NO_LINE_START (、。」）ー ッ ゃ …), or any line that ends with one
  of NO_LINE_END (「（ …).
- ``midword``: breaks inside a heading or table head (bold, or at least 1.3 times the page's
  body size) that are not a BudouX phrase boundary allowed by generator/render/phrases.py
  (「連／携」).

Prints a table of counts (``--list``: every fault with its page and text; ``--json``: all of it
for machines). Always exits 0: it measures, the tests decide.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "bench"))

from audit_sheets import char_size_and_origin, text_pages  # noqa: E402

MM = 72 / 25.4
KINDS = ("crossings", "short", "widows", "kinsoku", "midword")
TOLERANCE = 0.5  # pt: a line may touch the text block's edge
SHORT_EM = 0.1  # a justified line ending further than this from its column's edge is short
LEADERS = re.compile(r"(?:[.．・…]\s*){3,}\d+\s*$")
HEADING_CHARS = 40  # a bold or large paragraph longer than this is emphasised text, no heading
LIST_MARKERS = set("・■□●○◆◇▶▷►※★☆-–•") | set("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
# Every material and paper the tests audit: (file, command-line arguments of `python -m generator`).
BUNDLED = (
    ("handout-A4.pdf", ["handout", "--paper", "A4"]),
    ("handout-B5.pdf", ["handout", "--paper", "B5"]),
    ("handout-A3.pdf", ["handout", "--paper", "A3"]),
    ("cards-A3.pdf", ["cards", "--paper", "A3"]),
    ("cards-A4.pdf", ["cards", "--paper", "A4"]),
    ("cards-A6.pdf", ["cards", "--paper", "A6"]),
    ("poster-A2.pdf", ["poster", "--paper", "A2"]),
    ("poster-B2.pdf", ["poster", "--paper", "B2"]),
    ("deck.pdf", ["deck"]),
    ("slides-handout.pdf", ["deck"]),
)


@dataclass
class Char:
    text: str
    left: float  # pt from the page's top left corner; the advance box, not the ink
    right: float
    top: float
    bottom: float
    baseline: float
    size: float
    bold: bool


@dataclass
class Line:
    chars: list[Char]
    next: Line | None = field(default=None, repr=False)  # the line below it in its block
    prev: Line | None = field(default=None, repr=False)
    ends_paragraph: bool = True
    starts_paragraph: bool = True

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def ink(self) -> list[Char]:
        return [c for c in self.chars if c.text.strip()] or self.chars

    @property
    def left(self) -> float:
        return self.ink[0].left

    @property
    def right(self) -> float:
        return self.ink[-1].right

    @property
    def set_right(self) -> float:
        """Where the line's set width ends: a closing bracket, quotation mark, comma or full stop
        at its end may be set half width (行末の約物を二分, JLReq), its glyph in the left half."""
        from generator.render.compose import CLOSING_PUNCT

        last = self.ink[-1]
        if (last.text in CLOSING_PUNCT or last.text in "”’") and last.right - last.left > 0.9 * last.size:
            return last.left + 0.5 * last.size
        return last.right

    @property
    def top(self) -> float:
        return min(c.top for c in self.chars)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chars)

    @property
    def baseline(self) -> float:
        return Counter(round(c.baseline, 1) for c in self.ink).most_common(1)[0][0]

    @property
    def size(self) -> float:
        return Counter(round(c.size, 1) for c in self.ink).most_common(1)[0][0]

    @property
    def bold(self) -> bool:
        return sum(c.bold for c in self.ink) * 2 > len(self.ink)


@dataclass
class Fault:
    kind: str
    page: int  # from 1
    text: str  # the line (or the heading, with ／ at the break)
    detail: str = ""


def text_block_of(pdf: Path, paper: str | None = None, margin_mm: float | None = None) -> tuple[str, list[tuple[float, float, float, float]]]:
    """``(description, [(left, top, right, bottom) per page])``, pt from each page's top left."""
    import pypdfium2 as pdfium

    from generator.render.handout import PAPERS

    blocks, what = [], ""
    document = pdfium.PdfDocument(str(pdf))
    try:
        for page in document:
            x0, y0, x1, y1 = page.get_mediabox()
            t0, u0, t1, u1 = page.get_trimbox()
            width, height = x1 - x0, y1 - y0
            if paper is not None and margin_mm is None:
                p = PAPERS[paper]
                top, right, bottom, left = (float(m.removesuffix("mm")) * MM for m in p.margin.split())
                measure = p.measure * p.font_pt
                side = left + (width - left - right - measure) / 2
                blocks.append((side, top, side + measure, height - bottom))
                what = f"handout {paper}: {p.measure} em of {p.font_pt:g} pt, margins {p.margin}"
            else:
                m = (margin_mm if margin_mm is not None else 5.0) * MM
                blocks.append((t0 - x0 + m, y1 - u1 + m, t1 - x0 - m, y1 - u0 - m))
                what = f"trim box inset {m / MM:g} mm"
    finally:
        document.close()
    return what, blocks


def paper_of(pdf: Path) -> str | None:
    """The handout paper whose size the PDF's first page has, else None."""
    import pypdfium2 as pdfium

    from generator.render.handout import PAPERS

    document = pdfium.PdfDocument(str(pdf))
    try:
        w, h = document[0].get_size()
    finally:
        document.close()
    for name, p in PAPERS.items():
        if abs(p.width_mm * MM - w) < 2 and abs(p.height_mm * MM - h) < 2:
            return name
    return None


def page_lines(pdf: Path) -> list[list[Line]]:
    """Per page, its lines of text in reading order, linked into blocks (see the module's doc)."""
    import pypdfium2.raw as raw

    pages = []
    for height, textpage in text_pages(pdf):
        chars = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            if raw.FPDFText_IsGenerated(textpage.raw, i) == 1 or text in "\r\n" or not text:
                continue  # line ends pdfium adds itself
            size, _x, y = char_size_and_origin(textpage, i)
            left, bottom, right, top = textpage.get_charbox(i, loose=True)  # the advance, not the ink
            chars.append(Char(text, left, right, height - top, height - bottom, height - y, size, _is_bold(textpage, i)))
        pages.append(link_blocks(split_lines(chars)))
    return pages


def _is_bold(textpage, i: int) -> bool:
    """WeasyPrint writes no weight (pdfium reads 400 for every face): go by the font's name."""
    import pypdfium2.raw as raw

    name = ctypes.create_string_buffer(128)
    raw.FPDFText_GetFontInfo(textpage.raw, i, name, len(name), None)
    face = name.value.decode("latin-1").split("+")[-1].lower()
    return raw.FPDFText_GetFontWeight(textpage.raw, i) >= 600 or any(w in face for w in ("bold", "black", "heavy"))


def split_lines(chars: list[Char]) -> list[Line]:
    """Characters in text order → lines: a new line where the baseline changes, the text goes
    back to the left (more than the half em 約物 adjustment takes), or a gap of more than an em
    opens (the next cell of a table)."""
    lines: list[Line] = []
    for c in chars:
        last = lines[-1].chars[-1] if lines else None
        em = max(c.size, last.size) if last else c.size
        if (last is None or abs(c.baseline - last.baseline) > 0.25 * em
                or c.left < last.right - 0.75 * em or c.left > last.right + 1.0 * em):
            lines.append(Line([c]))
        else:
            lines[-1].chars.append(c)
    return [line for line in lines if line.text.strip()]


def link_blocks(lines: list[Line]) -> list[Line]:
    """Link each line to the line below it in the same block and decide paragraph ends."""
    for line in lines:
        em = line.size
        below = [n for n in lines if n.prev is None and n is not line
                 and 0.5 * em < n.baseline - line.baseline <= 2.2 * em
                 and abs(n.size - em) < 0.05 * em and n.bold == line.bold
                 and min(n.right, line.right) - max(n.left, line.left) > 0.5 * min(n.right - n.left, line.right - line.left)]
        if below:
            n = min(below, key=lambda n: (n.baseline, abs(n.left - line.left)))
            line.next, n.prev = n, line
    for line in lines:
        if line.prev is None:  # the first line of a block: walk it
            block, n = [], line
            while n is not None:
                block.append(n)
                n = n.next
            pitch = min((b.next.baseline - b.baseline for b in block[:-1]), default=0)
            first = block[0]
            for b in block:
                if b.prev is None or b.prev.ends_paragraph:
                    first = b
                    b.starts_paragraph = True
                else:
                    b.starts_paragraph = False
                b.ends_paragraph = ends_paragraph(b, first, pitch)
    return lines


def ends_paragraph(line: Line, first: Line, pitch: float) -> bool:
    n, em = line.next, line.size
    if LEADERS.search(line.text):  # an entry of a table of contents: leader dots, a page number
        return True
    if n is None or n.baseline - line.baseline > pitch * 1.15 + 0.5:
        return True
    if n.ink[0].text in LIST_MARKERS:
        return True
    if n.ink[0].text in "～〜" and n.text.count(n.ink[0].text) >= 2:  # a 「～副題～」 line of its own
        return True
    centred = abs((n.left + n.right) - (line.left + line.right)) < em and abs(n.left - line.left) > 0.5 * em
    if centred:
        return False
    hanging = first.ink[0].text in LIST_MARKERS  # continuation lines of a list item are indented
    return n.left > line.left + 0.5 * em and not (hanging and line is first)


def is_punctuation(char: str) -> bool:
    return not char.strip() or unicodedata.category(char)[0] in "PS"


def audit(pdf: Path, paper: str | None = None, margin_mm: float | None = None, justified: bool | None = None) -> dict:
    """The audit of one PDF: ``{"file", "text_block", "pages": [{kind: count}], "total", "faults"}``.

    ``paper``: the handout's paper (its text block from PAPERS; found from the page size when
    the file is called handout*.pdf and ``margin_mm`` is not given). ``justified``: check
    lines short of the column edge (default: for a handout only)."""
    from generator.render.measure import NO_LINE_END, NO_LINE_START

    pdf = Path(pdf)
    if paper is None and margin_mm is None and pdf.name.startswith("handout"):
        paper = paper_of(pdf)
    if justified is None:
        justified = paper is not None
    what, blocks = text_block_of(pdf, paper, margin_mm)
    faults: list[Fault] = []
    pages = page_lines(pdf)
    # the body size: the size most characters of the document have
    sizes = Counter(round(c.size, 1) for lines in pages for line in lines for c in line.ink)
    body = sizes.most_common(1)[0][0] if sizes else 0
    for number, (lines, (bl, bt, br, bb)) in enumerate(zip(pages, blocks), 1):
        for line in lines:
            em = line.size
            # (1) outside the text block: sideways always; up or down when the line straddles an
            # edge (a running head or folio wholly in the margin is checked sideways only).
            out = [d for d in (bl - line.left, line.set_right - br) if d > TOLERANCE]
            if bt - TOLERANCE > line.top and line.bottom > bt + TOLERANCE:
                out.append(bt - line.top)
            if line.bottom > bb + TOLERANCE and line.top < bb - TOLERANCE:
                out.append(line.bottom - bb)
            if out:
                faults.append(Fault("crossings", number, line.text, f"{max(out) / MM:.1f} mm out"))
            # (2) a justified line short of its column's edge
            if justified and not line.ends_paragraph and not line.bold:
                block_lines = _block(line)
                edge = max(b.set_right for b in block_lines)
                if edge - line.right > SHORT_EM * em:
                    faults.append(Fault("short", number, line.text, f"{(edge - line.right) / em:.2f} em short"))
            # (3) widows
            if line.ends_paragraph and not line.starts_paragraph:
                letters = [c for c in line.text if not is_punctuation(c)]
                if len(letters) < 3:
                    faults.append(Fault("widows", number, line.text, f"{len(letters)} character(s)"))
            # (4) kinsoku
            if not line.starts_paragraph and line.ink[0].text in NO_LINE_START:
                faults.append(Fault("kinsoku", number, line.text, f"starts with {line.ink[0].text}"))
            if line.ink[-1].text in NO_LINE_END:
                faults.append(Fault("kinsoku", number, line.text, f"ends with {line.ink[-1].text}"))
            # (5) a heading broken inside a word
            if line.starts_paragraph and not line.ends_paragraph and (line.bold or em >= 1.3 * body):
                faults += _midword(line, number)
    counts = [{kind: 0 for kind in KINDS} for _ in pages]
    for f in faults:
        counts[f.page - 1][f.kind] += 1
    total = {kind: sum(c[kind] for c in counts) for kind in KINDS}
    return {"file": str(pdf), "text_block": what, "justified": justified, "pages": counts, "total": total,
            "faults": [asdict(f) for f in faults]}


def _block(line: Line) -> list[Line]:
    first = line
    while first.prev is not None:
        first = first.prev
    out = []
    while first is not None:
        out.append(first)
        first = first.next
    return out


def _midword(first: Line, page: int) -> list[Fault]:
    """The breaks of the paragraph that starts at ``first`` that are no phrase boundary."""
    from generator.render.phrases import budoux_phrases, may_break

    parts, line = [], first
    while line is not None:
        parts.append(line.text.strip())
        if line.ends_paragraph:
            break
        line = line.next
    text = "".join(parts)
    if len(text) > HEADING_CHARS:
        return []
    bounds, at = set(), 0
    for phrase in budoux_phrases(text):
        at += len(phrase)
        bounds.add(at)
    faults, at = [], 0
    for part in parts[:-1]:
        at += len(part)
        if not (at in bounds and may_break(text, at, strict=False)):
            faults.append(Fault("midword", page, text[:at] + "／" + text[at:], "not a phrase boundary"))
    return faults


def build_bundled(out_dir: Path) -> dict[str, Path]:
    """Build every bundled material on every paper the audit covers into ``out_dir``; their paths."""
    import os

    env = {**os.environ, "LANG": "en_US.UTF-8"}
    paths = {}
    for name, args in BUNDLED:
        material = args[0]
        dest = out_dir / "-".join([material] + args[2:])  # deck.pdf and slides-handout.pdf: one build
        made = "slides-handout.pdf" if name == "slides-handout.pdf" else f"{material}.pdf"
        if not (dest / made).exists():
            subprocess.run([sys.executable, "-m", "generator", "-q", *args, "--force", "--out", str(dest)],
                           cwd=PROJECT_DIR, env=env, check=True)
        paths[name] = dest / made
    return paths


def audit_bundled(out_dir: Path) -> dict[str, dict]:
    """The audit of every bundled material and paper, built into ``out_dir``."""
    results = {}
    for name, path in build_bundled(out_dir).items():
        paper = name.split("-")[1].removesuffix(".pdf") if name.startswith("handout") else None
        results[name] = audit(path, paper=paper)
    return results


def table(results: dict[str, dict], per_page: bool = False) -> str:
    """The counts of each file (and with ``per_page`` of each page with a fault) as a table."""
    w = max([22, *(len(name) + 2 for name in results)])
    rows = [f"{'file':<{w}}{'pages':>6}" + "".join(f"{k:>11}" for k in KINDS)]
    for name, r in results.items():
        rows.append(f"{name:<{w}}{len(r['pages']):>6}" + "".join(f"{r['total'][k]:>11}" for k in KINDS))
        if per_page:
            for i, c in enumerate(r["pages"], 1):
                if any(c.values()):
                    rows.append(f"{'  page ' + str(i):<{w}}{'':>6}" + "".join(f"{c[k]:>11}" for k in KINDS))
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path, nargs="*", help="PDF files to audit")
    parser.add_argument("--paper", choices=("A4", "B5", "A3"), help="the handout's paper (default: from the page size)")
    parser.add_argument("--margin", type=float, metavar="MM", help="text block: the trim box inset by this much (not a handout)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--justified", action="store_true", default=None, help="count short lines (default: handouts only)")
    group.add_argument("--ragged", dest="justified", action="store_false", help="do not count short lines")
    parser.add_argument("--bundled", action="store_true", help="build and audit every bundled material and paper")
    parser.add_argument("--out", type=Path, help="with --bundled: build here (default: a temporary folder)")
    parser.add_argument("--list", action="store_true", help="also list every fault")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    results = {}
    if args.bundled:
        results.update(audit_bundled(args.out or Path(tempfile.mkdtemp(prefix="printgen-audit-"))))
    for pdf in args.pdf:
        results[str(pdf)] = audit(pdf, paper=args.paper, margin_mm=args.margin, justified=args.justified)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    for name, r in results.items():
        print(f"{name}: text block {r['text_block']}; short lines {'counted' if r['justified'] else 'not counted (ragged)'}")
    print(table(results, per_page=len(results) == 1))
    if args.list:
        for name, r in results.items():
            for f in r["faults"]:
                print(f"{name} p{f['page']} {f['kind']}: {f['text']} ({f['detail']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
