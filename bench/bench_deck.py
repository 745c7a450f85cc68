"""Benchmark of `printgen deck`: median of 5 runs of the deck build (in-process, after imports)
and the size of deck.pptx against the target.

    PYTHONPATH=. python bench/bench_deck.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

PPTX_TARGET_KB = 150
RUNS = 5


def main() -> int:
    from generator.content import load_content
    from generator.render import powerpoint
    from generator.render.deck import DeckRenderer, fit, outline
    from generator.writer import OutputWriter

    content = load_content(PROJECT_DIR / "content")
    DeckRenderer().render(content)  # warm up: imports, fonts, templates
    totals, pptx_times = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        deck = powerpoint.DeckFile(None, "teal")
        pptx = deck.build(fit(outline(content), deck.geometry()), content.document)
        pptx_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        artifacts = DeckRenderer().render(content)
        totals.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as out:
        writer = OutputWriter(Path(out))
        for a in artifacts:
            writer.write(a.name, a.data)
    sizes = {a.name: len(a.data) / 1024 for a in artifacts}
    pptx_kb = len(pptx) / 1024
    print(f"deck.pptx only (fit + PowerPoint): median {statistics.median(pptx_times):.2f} s")
    print(f"deck, all three files:             median {statistics.median(totals):.2f} s")
    for name, kb in sizes.items():
        print(f"  {name}: {kb:,.0f} KB")
    ok = pptx_kb < PPTX_TARGET_KB
    print(f"deck.pptx {pptx_kb:,.0f} KB (target < {PPTX_TARGET_KB} KB): {'OK' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
