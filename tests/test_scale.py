"""A training text far larger than the leaflet builds: 300 one-line messages, 60,000+
characters (bench/bench_scale.py prints how the time grows with it)."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import PROJECT_DIR, pdf_reader, run_printgen

sys.path.insert(0, str(PROJECT_DIR / "bench"))

from bench_scale import characters, training_text  # noqa: E402


def test_a_text_of_300_messages_builds_every_material(tmp_path):
    content = training_text(tmp_path / "content", 300)
    assert characters(content) >= 60_000
    result = run_printgen("build", "--content", content, "--out", tmp_path / "out", timeout=300)
    assert result.exit_code == 0, result.stderr
    cards = pdf_reader(tmp_path / "out" / "cards.pdf")
    assert len(cards.pages) == 300 + 1 + 1 + 4  # the messages, the slogan, the bridge, one per viewpoint
    assert "メッセージその300" in "".join(cards.pages[299].extract_text().split())
