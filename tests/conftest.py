import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The tests assert printgen's messages in English (the msgids); tests/test_messages.py runs
# it in Japanese, the default, on purpose. Set before anything imports generator.i18n.
for _name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "en_US.UTF-8"

from helpers import CONTENT_DIR  # noqa: E402


@pytest.fixture(scope="session")
def content():
    """The bundled content, loaded and validated."""
    from generator.content import load_content

    return load_content(CONTENT_DIR)
