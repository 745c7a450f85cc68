"""Property: whatever text is typed into any content field, loading either succeeds or fails
with a ContentError (a message for the user), never with any other exception."""

import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import load_content
from generator.errors import ContentError
from helpers import CONTENT_DIR

# (file, the exact line holding a field, its prefix up to the value)
FIELDS = [
    ("messages.yaml", "    title: みんな悩んで大きくなった", "    title: "),
    ("messages.yaml", "  - id: smile-forward", "  - id: "),
    ("encouragement.yaml", "slogan: 立場を超えた連携・協働を！", "slogan: "),
    ("document.yaml", "date_iso: 2021-03", "date_iso: "),
    ("viewpoints.yaml", "      - 専門職として自身の確固たる職業観、倫理観を持ち深化させていくこと。", "      - "),
    ("introduction.yaml", "heading: 発信によせて", "heading: "),
]

_workdir = Path(tempfile.mkdtemp(prefix="printgen-prop-"))
shutil.copytree(CONTENT_DIR, _workdir / "content")
ORIGINALS = {name: (CONTENT_DIR / name).read_text(encoding="utf-8") for name, _, _ in FIELDS}


def load_with(name: str, line: str, replacement: str):
    path = _workdir / "content" / name
    path.write_text(ORIGINALS[name].replace(line, replacement, 1), encoding="utf-8", errors="surrogatepass")
    try:
        return load_content(_workdir / "content")
    except ContentError as exc:
        assert exc.diagnostics, "a ContentError must carry at least one message"
        for d in exc.diagnostics:
            assert d.path.endswith(".yaml") or d.path.startswith("templates") or d.path.startswith("generator")
        return None
    finally:
        path.write_text(ORIGINALS[name], encoding="utf-8")


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@common
@given(field=st.sampled_from(FIELDS), text=st.text(max_size=80))
def test_any_quoted_text_loads_or_fails_cleanly(field, text):
    name, line, prefix = field
    content = load_with(name, line, prefix + json.dumps(text))
    if content is not None and name == "encouragement.yaml":
        assert content.encouragement.slogan == as_read(text)


def as_read(text: str) -> str:
    """What the content model makes of a typed text: NFC (compatibility ideographs kept),
    invisible marks dropped, tabs as spaces, and line breaks joined as the content format
    says (nothing between two wide characters, a space otherwise)."""
    import unicodedata

    from generator.content import nfc

    text = nfc(text).replace("\u200b", "").replace("\u2060", "").replace("\ufeff", "").replace("\t", " ")
    joined = ""
    for line in (part.strip() for part in text.split("\n")):
        if not line:
            continue
        wide = lambda char: unicodedata.east_asian_width(char) in ("W", "F")  # noqa: E731
        joined += ("" if not joined or wide(joined[-1]) or wide(line[0]) else " ") + line
    return joined.strip()


@common
@given(field=st.sampled_from(FIELDS), text=st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_raw_text_loads_or_fails_cleanly(field, text):
    name, line, prefix = field
    load_with(name, line, prefix + text)
