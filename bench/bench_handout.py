"""Benchmark of `printgen handout`: wall time of the command as a user runs it, page count, size.

    PYTHONPATH=. python bench/bench_handout.py [--runs 5] [--paper A4]

Prints the median of the runs, each figure against its target (issue 3): under 0.5 s from the
command line, under 200 KB. Also times the stages in one process (content, import, layout, write)
so a slow figure can be traced. Exit status 0 whatever the figures: a report, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5
TARGET_KB = 200


def cli_runs(runs: int, paper: str) -> tuple[list[float], Path]:
    out = Path(tempfile.mkdtemp(prefix="bench-handout-"))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "-q", "handout", "--paper", paper, "--out", str(out)],
                       cwd=PROJECT_DIR, env=env, check=True)
        times.append(time.perf_counter() - started)
    return times, out / "handout.pdf"


def stages(paper: str) -> dict[str, float]:
    """Seconds per stage of one build in this process (first build: imports included)."""
    sys.path.insert(0, str(PROJECT_DIR))
    t = [time.perf_counter()]
    from generator.content import load_content

    content = load_content(PROJECT_DIR / "content")
    t.append(time.perf_counter())
    from generator.render.handout import PAPERS, handout_html
    from generator.render.pdf import font_config, url_fetcher, weasyprint

    wp = weasyprint()
    font_config()
    t.append(time.perf_counter())
    html = handout_html(content, PAPERS[paper])
    document = wp.HTML(string=html, base_url=str(PROJECT_DIR / "templates") + "/", url_fetcher=url_fetcher()).render(font_config=font_config())
    t.append(time.perf_counter())
    document.write_pdf()
    t.append(time.perf_counter())
    names = ("load and check content", "import WeasyPrint", "HTML and layout", "write PDF (font subsetting)")
    return {name: b - a for name, a, b in zip(names, t, t[1:])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paper", default="A4", choices=("A4", "B5", "A3"))
    args = parser.parse_args()

    times, pdf = cli_runs(args.runs, args.paper)
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf)).pages)
    size_kb = pdf.stat().st_size / 1024
    median = statistics.median(times)

    def verdict(ok: bool) -> str:
        return "ok" if ok else "OVER"

    print(f"printgen handout --paper {args.paper}: median of {args.runs} runs")
    print(f"  time   {median:6.2f} s    target < {TARGET_SECONDS} s   {verdict(median < TARGET_SECONDS)}"
          f"   (runs: {', '.join(f'{x:.2f}' for x in times)})")
    print(f"  size   {size_kb:6.0f} KB   target < {TARGET_KB} KB  {verdict(size_kb < TARGET_KB)}")
    print(f"  pages  {pages:6d}")
    print("stages of one build in one process:")
    for name, seconds in stages(args.paper).items():
        print(f"  {name:30s} {seconds:5.2f} s")


if __name__ == "__main__":
    main()
