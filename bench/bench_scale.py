"""How build time grows with the size of the training text: 25 to 300 one-line messages
(up to ~60,000 characters in all), a full cold build each, median of --runs.

Run: .venv/bin/python bench/bench_scale.py [--runs 3] [--sizes 25,50,100,200,300]
Prints seconds and seconds per message for each size; a linear build keeps the second
column about flat (the fixed cost of a build shows at the small sizes).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BODY = ("チームの仲間と情報を共有し、利用者の思いに寄り添いながら、できることを一つずつ積み重ねていきましょう。" * 4)[:180]


def training_text(dest: Path, messages: int) -> Path:
    """The bundled content with ``messages`` one-line messages of 180 characters each."""
    content = shutil.copytree(PROJECT / "content", dest)
    (content / "messages.yaml").write_text("heading: ひとことメッセージ\nmessages:\n" + "".join(
        f"  - id: m{i}\n    title: メッセージその{i + 1}\n    body: {BODY}\n" for i in range(messages)), encoding="utf-8")
    return content


def characters(content: Path) -> int:
    sys.path.insert(0, str(PROJECT))
    from generator.content import load_content

    return sum(map(len, load_content(content).texts()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="25,50,100,200,300")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "LANG": "en_US.UTF-8"}
    print(f"{'messages':>8} {'characters':>10} {'seconds':>8} {'ms/message':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            content = training_text(Path(tmp) / f"content{size}", size)
            times = []
            for run in range(args.runs):
                out = Path(tmp) / f"out{size}-{run}"
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "generator", "-q", "build", "--content", str(content), "--out", str(out)],
                               cwd=PROJECT, env=env, check=True)
                times.append(time.perf_counter() - start)
            seconds = statistics.median(times)
            print(f"{size:>8} {characters(content):>10,} {seconds:>8.2f} {1000 * seconds / size:>10.1f}")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
