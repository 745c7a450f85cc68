"""Time and memory of the training-day kit for generated rosters (issue 18).

    python bench/bench_kit.py [--sizes 100 300 1000] [--runs 5] [--json]

For each size, a roster of that many made-up participants (random family and given names,
readings, affiliations, roles and groups; 髙, 﨑 and an IVS among them) is written as CSV in a
temporary project, and ``printgen kit --force`` is run ``--runs`` times in a new process each:
the median wall time and the peak resident memory of the process (the kit renders in one
process: one material, no pool). Prints seconds per 100 participants for each size, which
stays flat when the time grows linearly. Target at 1,000: ≤ 30 s wall, ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

FAMILY = [("髙橋", "たかはし"), ("山﨑", "やまざき"), ("佐藤", "さとう"), ("鈴木", "すずき"), ("田中", "たなか"),
          ("伊藤", "いとう"), ("渡辺", "わたなべ"), ("中村", "なかむら"), ("小林", "こばやし"), ("加藤", "かとう"),
          ("吉田", "よしだ"), ("山田", "やまだ"), ("佐々木", "ささき"), ("松本", "まつもと"), ("井上", "いのうえ"),
          ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"), ("長谷川", "はせがわ"),
          ("葛\U000E0100西", "かさい"), ("五十嵐", "いがらし"), ("德永", "とくなが")]
GIVEN = [("花子", "はなこ"), ("太郎", "たろう"), ("一郎", "いちろう"), ("美咲", "みさき"), ("健太", "けんた"),
         ("由美", "ゆみ"), ("翔", "しょう"), ("陽子", "ようこ"), ("大輔", "だいすけ"), ("恵", "めぐみ"),
         ("真由美", "まゆみ"), ("浩二", "こうじ")]
PLACES = ["居宅介護支援事業所", "地域包括支援センター", "ケアプランセンター", "訪問看護ステーション"]
ROLES = ["介護支援専門員", "主任介護支援専門員", "看護師", "社会福祉士"]


def roster_csv(count: int, seed: int = 18) -> bytes:
    """A roster of ``count`` distinct made-up participants, as CSV in UTF-8."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["番号", "氏名", "ふりがな", "所属", "職種", "グループ"])
    for n in range(1, count + 1):
        (family, kana_f), (given, kana_g) = rng.choice(FAMILY), rng.choice(GIVEN)
        writer.writerow([n, f"{family} {given}", f"{kana_f} {kana_g}", f"第{n}{rng.choice(PLACES)}",
                         rng.choice(ROLES), "ABCDEFGH"[n % 8]])
    return out.getvalue().encode("utf-8")


def run_once(folder: Path) -> tuple[float, float]:
    """``printgen kit --force`` in ``folder``: (wall seconds, peak memory of the process in MB)."""
    command = [sys.executable, "-c",
               "import resource, runpy, sys\n"
               "sys.argv = ['printgen', '-q', 'kit', '--force', '--roster', 'roster.csv', '--out', 'out']\n"
               "try:\n    runpy.run_module('generator', run_name='__main__')\n"
               "finally:\n    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"]
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)})
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"printgen kit failed:\n{proc.stderr}")
    return seconds, int(proc.stderr.split()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-kit-") as tmp:
        folder = Path(tmp)
        shutil.copytree(PROJECT_DIR / "content", folder / "content")
        (folder / "printgen.toml").write_text('[kit]\nvenue = "○○県社会福祉会館"\nhours = "6時間"\n', encoding="utf-8")
        for size in args.sizes:
            (folder / "roster.csv").write_bytes(roster_csv(size))
            runs = [run_once(folder) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in runs)
            results.append({"participants": size, "median_s": round(wall, 2), "min_s": round(min(r[0] for r in runs), 2),
                            "peak_mb": round(max(r[1] for r in runs)), "s_per_100": round(wall / size * 100, 2)})
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"printgen kit, median of {args.runs} runs, {os.cpu_count()} cores")
    print(f"{'participants':>12} {'median s':>9} {'min s':>7} {'peak MB':>8} {'s / 100':>8}")
    for r in results:
        print(f"{r['participants']:>12} {r['median_s']:>9.2f} {r['min_s']:>7.2f} {r['peak_mb']:>8} {r['s_per_100']:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
