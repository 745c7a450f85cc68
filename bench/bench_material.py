"""Benchmark of one material's render: CPU and wall seconds, and the bytes of each file.

Run from the project folder: ``python bench/bench_material.py [--runs 5] [--only NAME …]
[--against DIR]``. Each run is a fresh process that loads the content and the font subsets,
imports WeasyPrint (as a build's worker does before its first material), then times
``Renderer.render`` alone. With ``--against`` another checkout of printgen renders too, its
runs alternating with these: the way to see a change on a machine whose speed varies.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

ONE_RUN = r"""
import json, sys, time
from generator.build import load_content, prepare_project_fonts
from generator.fonts import use_subsets
from generator.render import import_libraries, load_renderers
content = load_content("content")
use_subsets(prepare_project_fonts(content))
import_libraries()
renderer = load_renderers()[sys.argv[1]]()
cpu, wall = time.process_time(), time.perf_counter()
artifacts = renderer.render(content)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "files": {a.name: len(a.data) for a in artifacts}}))
"""


def one_run(material: str, root: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", ONE_RUN, material], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)}, check=True)
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", help="a material (repeatable); default: all")
    parser.add_argument("--against", type=Path, help="another checkout of printgen to alternate with")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT_DIR))
    from generator.render import load_renderers

    roots = [PROJECT_DIR] + ([args.against.resolve()] if args.against else [])
    for material in args.only or list(load_renderers()):
        for root, results in _alternating(material, roots, args.runs).items():
            cpu = [r["cpu"] for r in results]
            wall = [r["wall"] for r in results]
            label = material if root == PROJECT_DIR else f"{material} ({root})"
            print(f"{label:<12} CPU median {statistics.median(cpu):.3f} s (min {min(cpu):.3f})   "
                  f"wall median {statistics.median(wall):.3f} s   n={len(results)}")
            for name, size in results[-1]["files"].items():
                print(f"  {name:<22} {size / 1024:8,.0f} KB")
    print(f"load average {os.getloadavg()[0]:.2f}")


def _alternating(material: str, roots: list[Path], runs: int) -> dict[Path, list[dict]]:
    results: dict[Path, list[dict]] = {root: [] for root in roots}
    for _ in range(runs):
        for root in roots:
            results[root].append(one_run(material, root))
    return results


if __name__ == "__main__":
    main()
