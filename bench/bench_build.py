"""Benchmark of `printgen build`: cold, no-change and first builds, peak memory, file sizes.

Run: .venv/bin/python bench/bench_build.py [--runs 5]
Each figure is the median of the runs, printed against its target. "Cold" is a new process and
an empty output folder (the font caches in ~/.cache/printgen stay warm, as on any second run
on a machine; "first run" is the very first build with empty caches, the median of
--first-runs runs, each with a new cache folder). Python writes
its bytecode caches as it does for a user, even if PYTHONDONTWRITEBYTECODE is set here.

Wall times depend on what else the machine is doing: the CPU time of the build (all its
processes) and the load average are printed too, to tell a slow build from a busy machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Targets (issue 12: median of 5 on 2 cores), each figure at most this; file sizes from issue 6.
TARGETS = {"first run, empty caches (s)": 4.0, "cold build (s)": 2.5, "no-change build (s)": 0.15,
           "peak memory (MB)": 300, "handout.pdf (KB)": 200, "cards.pdf (KB)": 250, "deck.pptx (KB)": 150}


def run_build(out: Path, env: dict) -> tuple[float, float, float]:
    """Wall time, CPU time (s, the build's processes together) and peak RSS (MB) of one `printgen build`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "-q", "build", "--out", str(out)], cwd=PROJECT, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-runs", type=int, default=3, help="first runs, each with new empty caches")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    figures: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        # First runs on a machine: every cache (font metrics and subsets, fontconfig, Jinja)
        # is made; each run gets a new empty cache folder.
        first, first_cpu = [], []
        for i in range(max(1, args.first_runs)):
            env["XDG_CACHE_HOME"] = str(Path(tmp) / f"first-cache{i}")
            wall, seconds, _ = run_build(Path(tmp) / f"first{i}", env)
            first.append(wall)
            first_cpu.append(seconds)
        env["XDG_CACHE_HOME"] = str(Path(tmp) / "first-cache0")  # the later builds: warm caches
        cold, cpu, warm, peaks = [], [], [], []
        for i in range(args.runs):
            out = Path(tmp) / f"out{i}"
            wall, seconds, peak = run_build(out, env)
            cold.append(wall)
            cpu.append(seconds)
            peaks.append(peak)
            warm.append(run_build(out, env)[0])
        figures["first run, empty caches (s)"] = statistics.median(first)
        figures["first run, CPU time (s)"] = statistics.median(first_cpu)
        figures["cold build (s)"] = statistics.median(cold)
        figures["cold build, CPU time (s)"] = statistics.median(cpu)
        figures["no-change build (s)"] = statistics.median(warm)
        figures["peak memory (MB)"] = max(peaks)  # ru_maxrss of children: the largest process
        for name in ("handout.pdf", "cards.pdf", "poster.pdf", "deck.pptx", "deck.pdf", "slides-handout.pdf"):
            figures[f"{name} (KB)"] = (Path(tmp) / "out0" / name).stat().st_size / 1024
    print(f"printgen build, median of {args.runs} runs on {os.cpu_count()} cores "
          f"(cold builds {min(cold):.2f}-{max(cold):.2f} s; first runs {min(first):.2f}-{max(first):.2f} s, median of {len(first)}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)")
    for name, value in figures.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else f"target ≤ {target:g}  {'ok' if value <= target else 'MISSED'}"
        print(f"  {name:<30} {value:8.2f}   {verdict}")


if __name__ == "__main__":
    main()
