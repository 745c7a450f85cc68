import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import CONTENT_DIR  # noqa: E402


@pytest.fixture(scope="session")
def content():
    """The bundled content, loaded and validated."""
    from generator.content import load_content

    return load_content(CONTENT_DIR)
