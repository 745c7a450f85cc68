"""Benchmark of ``printgen cards`` and ``printgen poster``: time and size against the targets.

Run from the project folder: ``python bench/bench_cards.py [--runs 5] [--against DIR]``. Each run
is a fresh process (as a user runs printgen); the figure is the median of the runs. With
``--against`` another checkout of printgen (say the main branch's) renders too, its runs
alternating with these, and only the render's CPU time is compared (min and median): the way
to see a change on a machine whose speed varies. Measured per run:
- render: all cards (or the poster) laid out and written as PDF bytes, in that one process,
  after WeasyPrint is imported and the content loaded (target for cards: < 1.5 s), and the
  CPU time it took (a fairer comparison on a busy machine);
- command: the whole ``printgen cards`` / ``printgen poster`` process, start-up included;
- size of cards.pdf (target < 250 KB) and poster.pdf.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# As the CLI and build do: load_project() also renders with the font subsets (without them
# WeasyPrint subsets the whole 5 MB fonts when it writes, and the figure means nothing).
PHASES = r"""
import gc, json, sys, time
t0 = time.perf_counter()
from generator.build import load_project
from generator.render.pdf import font_config
from generator.render import REGISTRY
import generator.render.cards, generator.render.poster
from generator.render.sheet import PrintOptions
content = load_project("content")  # before font_config(), which fixes the fonts WeasyPrint uses
font_config()
gc.set_threshold(50_000, 20, 10)  # as in a build's workers
t1, c1 = time.perf_counter(), time.process_time()
artifacts = REGISTRY[sys.argv[1]]({"print": PrintOptions(sys.argv[2])}).render(content)
t2, c2 = time.perf_counter(), time.process_time()
from weasyprint.text import ffi
print(json.dumps({"hb_subset": ffi.harfbuzz_subset is not None, "setup": t1 - t0, "render": t2 - t1, "cpu": c2 - c1, "bytes": len(artifacts[0].data), "pages": artifacts[0].pages}))
"""

TARGETS = {"cards": {"render": 1.5, "kb": 250}, "poster": {}}
DEFAULT_PAPER = {"cards": "A3", "poster": "A2"}


def env(project_dir: Path = PROJECT_DIR) -> dict:
    return {**os.environ, "PYTHONPATH": str(project_dir)}


def render_run(material: str, project_dir: Path = PROJECT_DIR) -> dict:
    """The render phases of one fresh process (first render in it, as in a build's worker)."""
    proc = subprocess.run([sys.executable, "-c", PHASES, material, DEFAULT_PAPER[material]], cwd=project_dir,
                          capture_output=True, text=True, env=env(project_dir), check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def one_run(material: str) -> dict:
    phases = render_run(material)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "generator", "-q", material, "--out", out], cwd=PROJECT_DIR, env=env(), check=True)
        phases["command"] = time.perf_counter() - start
    return phases


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"  (target < {target:g}: {'OK' if value < target else 'MISSED'})"


def compare(other: Path, runs: int) -> None:
    """Render CPU of this checkout and ``other``, runs alternating."""
    for material in ("cards", "poster"):
        cpu: dict[Path, list[float]] = {PROJECT_DIR: [], other: []}
        for _ in range(runs):
            for project_dir in cpu:
                cpu[project_dir].append(render_run(material, project_dir)["cpu"])
        print(f"{material}: render CPU, {runs} runs each, alternating")
        for project_dir, times in cpu.items():
            print(f"  {str(project_dir):40s} min {min(times):.3f} s  median {statistics.median(times):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, metavar="DIR", help="another printgen checkout to compare with")
    args = parser.parse_args()
    if args.against:
        compare(args.against.resolve(), args.runs)
        return
    hb_subset = one_run("poster")["hb_subset"]
    print(f"cards and poster, median of {args.runs} runs; libharfbuzz-subset0 "
          f"{'found' if hb_subset else 'NOT found: WeasyPrint subsets fonts with fontTools, much slower'}")
    for material in ("cards", "poster"):
        runs = [one_run(material) for _ in range(args.runs)]
        med = {key: statistics.median(r[key] for r in runs) for key in ("setup", "render", "cpu", "command", "bytes")}
        cpus = sorted(r["cpu"] for r in runs)
        target = TARGETS[material]
        pages = runs[0]['pages']
        name = f"{material}.pdf ({pages} page{'s' if pages != 1 else ''}, {DEFAULT_PAPER[material]})"
        print(f"{name}")
        print(f"  render in one process: {med['render']:.2f} s{verdict(med['render'], target.get('render'))}")
        print(f"  its CPU time:          {med['cpu']:.2f} s ({cpus[0]:.2f}-{cpus[-1]:.2f}; compare CPU times, wall time varies with load)")
        print(f"  import + content load: {med['setup']:.2f} s")
        print(f"  whole command:         {med['command']:.2f} s")
        print(f"  size:                  {med['bytes'] / 1024:.0f} KB{verdict(med['bytes'] / 1024, target.get('kb'))}")


if __name__ == "__main__":
    main()
