"""Benchmark of the deck: CPU time of its two parts as a build runs them, and the file sizes.

Each run is a fresh process, as in a build: ``DeckRenderer.prepare`` (fitting, deck.pptx) in a
child forked before WeasyPrint is imported, its result pickled back; ``finish`` (deck.pdf and
slides-handout.pdf) in the parent after WeasyPrint and the fonts are loaded, with the workers'
GC threshold. CPU time (process_time) is what to compare: this machine's speed varies ~35 %
and it is shared, so wall time is printed only as a hint.

    PYTHONPATH=. python bench/bench_deck.py [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

PPTX_TARGET_KB = 150
RUNS = 7


def once() -> dict:
    """One first render of the deck in this process; CPU and wall seconds of each part."""
    import gc
    import pickle
    import time

    from generator.build import load_project
    from generator.render.deck import DeckRenderer

    content = load_project(PROJECT_DIR / "content")
    renderer = DeckRenderer()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        cpu, wall = time.process_time(), time.perf_counter()
        prepared = renderer.prepare(content)
        data = pickle.dumps((prepared, time.process_time() - cpu, time.perf_counter() - wall))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        os._exit(0)
    os.close(write)
    from generator.render.pdf import font_config, weasyprint

    weasyprint()
    font_config()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
    with os.fdopen(read, "rb") as pipe:
        prepared, prepare_cpu, prepare_wall = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    cpu, wall = time.process_time(), time.perf_counter()
    artifacts = renderer.finish(content, prepared)
    return {"prepare_cpu": prepare_cpu, "prepare_wall": prepare_wall,
            "finish_cpu": time.process_time() - cpu, "finish_wall": time.perf_counter() - wall,
            "sizes": {a.name: len(a.data) for a in artifacts}}


def main(runs: int) -> int:
    results = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, __file__, "--once"], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, cwd=PROJECT_DIR)
        results.append(json.loads(proc.stdout))
    for key in ("prepare_cpu", "finish_cpu", "prepare_wall", "finish_wall"):
        values = [r[key] for r in results]
        print(f"{key:12} min {min(values):.3f} s  median {statistics.median(values):.3f} s  (n={runs})")
    for name, size in results[-1]["sizes"].items():
        print(f"  {name}: {size:,} bytes")
    pptx_kb = results[-1]["sizes"]["deck.pptx"] / 1024
    ok = pptx_kb < PPTX_TARGET_KB
    print(f"deck.pptx {pptx_kb:,.0f} KB (target < {PPTX_TARGET_KB} KB): {'OK' if ok else 'OVER'}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--once"]:
        print(json.dumps(once()))
        sys.exit(0)
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS))
