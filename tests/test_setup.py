"""scripts/setup.sh, as far as a test can run it: an old Python is named before anything else."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import PROJECT_DIR

FAKE_PYTHON = f"""#!{sys.executable}
# python3 as an old one would answer: version 3.10
import sys
sys.version_info = (3, 10, 12, "final", 0)
if sys.argv[1:2] == ["-c"]:
    exec(sys.argv[2])
"""


def test_an_old_python_first_in_path_gets_the_version_message(tmp_path):
    fake = tmp_path / "bin" / "python3"
    fake.parent.mkdir()
    fake.write_text(FAKE_PYTHON, encoding="utf-8")
    fake.chmod(0o755)
    before = sorted(p.name for p in PROJECT_DIR.iterdir())
    proc = subprocess.run(["sh", str(PROJECT_DIR / "scripts" / "setup.sh")], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{fake.parent}:{os.environ['PATH']}", "PYTHON": "python3"})
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        "setup: printgen needs Python 3.11 or newer; python3 is 3.10. Install a newer one (Debian 12: sudo apt-get "
        "install python3 python3-venv) and run: make PYTHON=python3.11",
        "setup: printgen には Python 3.11 以上が必要です（python3 は 3.10）。新しい Python を入れ、make PYTHON=python3.11 のように実行してください",
    ]
    assert sorted(p.name for p in PROJECT_DIR.iterdir()) == before  # nothing made, the .venv untouched
