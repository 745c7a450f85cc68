"""Benchmark of `printgen handout`: wall time of the command as a user runs it, page count, size.

    PYTHONPATH=. python bench/bench_handout.py [--runs 5] [--paper A4]

Prints the median of the runs, each figure against its target (issue 3): under 0.5 s from the
command line, under 200 KB. Wall-clock time on a shared 2-core machine varies by 2x from minute
to minute, so each run is paired with a bare ``import weasyprint`` (the floor no handout can go
below) and printgen's own share is the median of the differences. Also times the stages in one
process (content, import, layout, write) so a slow figure can be traced. Exit status 0 whatever
the figures: a report, not a test.

    PYTHONPATH=. python bench/bench_handout.py --cpu [--runs 9] [--against ../main]

CPU time (not wall time: the machine is shared) of ``HandoutRenderer.render`` as a build's
worker runs it: the first render in a fresh process that has imported WeasyPrint, made the
FontConfiguration and raised the GC threshold. With ``--against``, runs alternate between this
checkout and the other one; min and median of each.
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


def cli_runs(runs: int, paper: str) -> tuple[list[float], list[float], Path]:
    """Seconds of each command run, and of a bare WeasyPrint import right after it."""
    out = Path(tempfile.mkdtemp(prefix="bench-handout-"))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    command = [sys.executable, "-m", "generator", "-q", "handout", "--paper", paper, "--out", str(out)]
    floor = [sys.executable, "-c", "from generator.render.pdf import weasyprint; weasyprint()"]
    times, floors = [], []
    for _ in range(runs):
        for argv, into in ((command, times), (floor, floors)):
            started = time.perf_counter()
            subprocess.run(argv, cwd=PROJECT_DIR, env=env, check=True, stderr=subprocess.DEVNULL)
            into.append(time.perf_counter() - started)
    return times, floors, out / "handout.pdf"


def stages(paper: str) -> dict[str, float]:
    """Seconds per stage of one build in this process (first build: imports included)."""
    sys.path.insert(0, str(PROJECT_DIR))
    t = [time.perf_counter()]
    from generator.build import load_project

    content = load_project(PROJECT_DIR / "content")
    t.append(time.perf_counter())
    from generator.render.handout import PAPERS, handout_html
    from generator.render.pdf import compact_pdf, font_config, render_html, weasyprint

    weasyprint()
    font_config()
    t.append(time.perf_counter())
    html = handout_html(content, PAPERS[paper])
    document = render_html(html)  # as HandoutRenderer does
    t.append(time.perf_counter())
    document.write_pdf(finisher=compact_pdf)
    t.append(time.perf_counter())
    names = ("load and check content, fonts", "import WeasyPrint", "HTML and layout", "write PDF (font subsetting)")
    return {name: b - a for name, a, b in zip(names, t, t[1:])}


# One first render, as in a build's worker (generator/build.py); prints its CPU seconds.
_FIRST_RENDER = """
import gc, sys, time
from pathlib import Path
from generator.build import load_project
from generator.render.handout import HandoutRenderer
from generator.render.pdf import font_config, weasyprint
content = load_project(Path("content"))
weasyprint()
font_config()
gc.set_threshold(50_000, 20, 10)
renderer = HandoutRenderer({"paper": sys.argv[1]})
start = time.process_time()
renderer.render(content)
print(time.process_time() - start)
"""


def cpu_runs(runs: int, paper: str, against: Path | None) -> dict[Path, list[float]]:
    """CPU seconds of the first render in each of ``runs`` fresh processes, per checkout."""
    roots = [PROJECT_DIR] + ([against.resolve()] if against else [])
    seconds: dict[Path, list[float]] = {root: [] for root in roots}
    for _ in range(runs):
        for root in roots:
            env = {**os.environ, "PYTHONPATH": str(root)}
            out = subprocess.run([sys.executable, "-c", _FIRST_RENDER, paper], cwd=root, env=env, check=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
            seconds[root].append(float(out))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--paper", default="A4", choices=("A4", "B5", "A3"))
    parser.add_argument("--cpu", action="store_true", help="CPU time of the first render in fresh processes")
    parser.add_argument("--against", type=Path, help="with --cpu: another checkout to alternate with")
    args = parser.parse_args()

    if args.cpu:
        print(f"HandoutRenderer.render --paper {args.paper}: CPU seconds of the first render in a process")
        for root, seconds in cpu_runs(args.runs, args.paper, args.against).items():
            print(f"  {str(root):40s} min {min(seconds):.3f}  median {statistics.median(seconds):.3f}  n={len(seconds)}"
                  f"   ({', '.join(f'{x:.2f}' for x in seconds)})")
        return

    times, floors, pdf = cli_runs(args.runs, args.paper)
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf)).pages)
    size = pdf.stat().st_size
    size_kb = size / 1000  # the target's KB: 1000 bytes
    median = statistics.median(times)

    def verdict(ok: bool) -> str:
        return "ok" if ok else "OVER"

    print(f"printgen handout --paper {args.paper}: median of {args.runs} runs")
    print(f"  time   {median:6.2f} s    target < {TARGET_SECONDS} s   {verdict(median < TARGET_SECONDS)}"
          f"   (runs: {', '.join(f'{x:.2f}' for x in times)})")
    print(f"  floor  {statistics.median(floors):6.2f} s    (python + import weasyprint as printgen does it)")
    print(f"  own    {statistics.median(t - f for t, f in zip(times, floors)):6.2f} s    (time - floor, median of pairs)")
    print(f"  size   {size_kb:6.1f} KB   target < {TARGET_KB} KB  {verdict(size_kb < TARGET_KB)}   ({size:,} bytes)")
    print(f"  pages  {pages:6d}")
    print("stages of one build in one process:")
    for name, seconds in stages(args.paper).items():
        print(f"  {name:30s} {seconds:5.2f} s")


if __name__ == "__main__":
    main()
