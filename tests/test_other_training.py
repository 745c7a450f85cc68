"""Materials for another training's text: other counts, a part left out, a new project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import CONTENT_DIR, pdf_page_texts, run_printgen, squeeze

# Words and numbers of the bundled leaflet that no template may print for another text.
LEAFLET = ["介護支援専門員像", "20のメッセージ", "4つの視点", "16のポイント", "4つの視点を読む", "エール", "架け橋", "検討委員会"]


def other_training(dest: Path) -> Path:
    """The bundled content cut to 3 viewpoints (4 points each) and 7 messages, no encouragement.yaml,
    and a document of another training."""
    content = shutil.copytree(CONTENT_DIR, dest)
    (content / "encouragement.yaml").unlink()
    for name in ("viewpoints.yaml", "messages.yaml"):
        text = (content / name).read_text(encoding="utf-8")
        starts = [m.start() for m in re.finditer(r"\n  - id:", text)]
        (content / name).write_text(text[: starts[3 if name == "viewpoints.yaml" else 7]] + "\n", encoding="utf-8")
    (content / "document.yaml").write_text(
        "title:\n  - 令和8年度 主任介護支援専門員研修\n  - 地域で支えるケアマネジメント\n"
        "committee: 研修企画部会\nprogramme: ○○県介護支援専門員協会\n"
        "date: 令和8年4月\ndate_iso: 2026-04\ncredit: ○○県介護支援専門員協会 研修企画部会\n", encoding="utf-8")
    for name in ("introduction.yaml", "viewpoints.yaml", "messages.yaml"):
        path = content / name
        text = path.read_text(encoding="utf-8")
        for word in ("介護支援専門員像", "検討委員会", "４つの視点"):
            text = text.replace(word, "研修")
        path.write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("other")
    content = other_training(root / "content")
    result = run_printgen("build", "--content", content, "--out", root / "out", timeout=300)
    assert result.exit_code == 0, result.stderr
    return root / "out", result


def test_every_material_that_needs_no_missing_part_is_made(built):
    out, result = built
    made = sorted(p.name for p in out.iterdir() if p.is_file())
    assert made == ["cards.pdf", "deck.pdf", "deck.pptx", "handout.pdf", "poster.pdf", "slides-handout.pdf"]


def test_no_output_prints_a_number_or_title_of_the_leaflet(built):
    out, _ = built
    for pdf in sorted(out.glob("*.pdf")):
        text = squeeze("".join(pdf_page_texts(pdf)))
        assert [word for word in LEAFLET if word in text] == [], pdf.name


def test_the_deck_prints_no_number_or_title_of_the_leaflet(built):
    from pptx import Presentation

    out, _ = built
    texts = []
    for slide in Presentation(str(out / "deck.pptx")).slides:
        texts += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        texts.append(slide.notes_slide.notes_text_frame.text)
    text = squeeze("".join(texts))
    assert [word for word in LEAFLET if word in text] == []
    assert "3つの視点" in text


def test_the_handout_counts_what_the_content_has(built):
    out, _ = built
    text = squeeze("".join(pdf_page_texts(out / "handout.pdf")))
    assert "3つの視点と12のポイント" in text  # the overview's caption and the checklist's heading
    assert "4つの視点" not in text and "16のポイント" not in text and "20のメッセージ" not in text  # nothing from the leaflet


def test_a_new_project_builds_at_once(tmp_path):
    result = run_printgen("new", tmp_path / "ours")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "ours" / "content").iterdir()) == [
        "document.yaml", "encouragement.yaml", "introduction.yaml", "messages.yaml", "viewpoints.yaml"]
    build = run_printgen("build", cwd=tmp_path / "ours", timeout=300)
    assert build.exit_code == 0, build.stderr
    assert sorted(p.name for p in (tmp_path / "ours" / "output").iterdir() if p.is_file()) == [
        "cards.pdf", "deck.pdf", "deck.pptx", "handout.pdf", "poster.pdf", "slides-handout.pdf"]
    again = run_printgen("new", tmp_path / "ours")
    assert again.exit_code == 2 and "is not empty" in again.stderr
