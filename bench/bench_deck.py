"""Benchmark of the deck: CPU time of its two parts as a build runs them, and the file sizes.

Each run is a fresh process, as in a build: ``DeckRenderer.prepare`` (fitting, deck.pptx) in a
child forked before WeasyPrint is imported, its result pickled back; ``finish`` (deck.pdf and
slides-handout.pdf) in the parent after WeasyPrint and the fonts are loaded, with the workers'
GC threshold. CPU time (process_time) is what to compare: this machine's speed varies ~35 %
and it is shared, so wall time is printed only as a hint. In a build the handout prepares first
in the same child, so Jinja is loaded before the deck's prepare starts; here too. The deck's
prepare includes importing python-pptx (~0.08-0.11 s CPU, also printed alone).

    PYTHONPATH=. python bench/bench_deck.py [RUNS] [--prepare]   (--prepare: no WeasyPrint part)
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


def once(prepare_only: bool = False) -> dict:
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
        from generator.templates import environment

        environment()  # loaded by the handout's prepare before the deck's in a build
        cpu, wall = time.process_time(), time.perf_counter()
        import pptx  # noqa: F401  (the first thing prepare does)

        import_cpu = time.process_time() - cpu
        prepared = renderer.prepare(content)
        data = pickle.dumps((prepared, time.process_time() - cpu, time.perf_counter() - wall, import_cpu))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        os._exit(0)
    os.close(write)
    if prepare_only:
        with os.fdopen(read, "rb") as pipe:
            prepared, prepare_cpu, prepare_wall, import_cpu = pickle.loads(pipe.read())
        os.waitpid(pid, 0)
        return {"prepare_cpu": prepare_cpu, "pptx_import_cpu": import_cpu, "prepare_wall": prepare_wall,
                "sizes": {prepared[0].name: len(prepared[0].data)}}
    from generator.render.pdf import font_config, weasyprint

    weasyprint()
    font_config()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
    with os.fdopen(read, "rb") as pipe:
        prepared, prepare_cpu, prepare_wall, import_cpu = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    cpu, wall = time.process_time(), time.perf_counter()
    artifacts = renderer.finish(content, prepared)
    return {"prepare_cpu": prepare_cpu, "pptx_import_cpu": import_cpu, "prepare_wall": prepare_wall,
            "finish_cpu": time.process_time() - cpu, "finish_wall": time.perf_counter() - wall,
            "sizes": {a.name: len(a.data) for a in artifacts}}


def main(runs: int, prepare_only: bool = False) -> int:
    results = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, __file__, "--once", *(["--prepare"] if prepare_only else [])],
                              capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, cwd=PROJECT_DIR)
        results.append(json.loads(proc.stdout))
    for key in ("prepare_cpu", "pptx_import_cpu", "finish_cpu", "prepare_wall", "finish_wall"):
        if key not in results[0]:
            continue
        values = [r[key] for r in results]
        print(f"{key:15} min {min(values):.3f} s  median {statistics.median(values):.3f} s  (n={runs})")
    for name, size in results[-1]["sizes"].items():
        print(f"  {name}: {size:,} bytes")
    pptx_kb = results[-1]["sizes"]["deck.pptx"] / 1024
    ok = pptx_kb < PPTX_TARGET_KB
    print(f"deck.pptx {pptx_kb:,.0f} KB (target < {PPTX_TARGET_KB} KB): {'OK' if ok else 'OVER'}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    prepare_only = "--prepare" in args
    args = [a for a in args if a != "--prepare"]
    if args == ["--once"]:
        print(json.dumps(once(prepare_only)))
        sys.exit(0)
    sys.exit(main(int(args[0]) if args else RUNS, prepare_only))
