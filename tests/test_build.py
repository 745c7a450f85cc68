"""`printgen build`: incremental, atomic, reproducible, --only."""

import shutil

import pytest

from helpers import CONTENT_DIR, run_printgen


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A content copy and one full build of it."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(CONTENT_DIR, root / "content")
    result = run_printgen("build", "--content", root / "content", "--out", root / "out")
    assert result.exit_code == 0, result.stderr
    return root


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_full_build_writes_every_material(project):
    names = set(snapshot(project / "out"))
    assert {"handout.pdf", "cards.pdf", "poster.pdf", "deck.pptx", "deck.pdf", "slides-handout.pdf"} <= names


def test_second_build_rebuilds_nothing(project):
    before = snapshot(project / "out")
    result = run_printgen("build", "--content", project / "content", "--out", project / "out")
    assert result.exit_code == 0
    assert "up to date: handout, cards, poster, deck" in result.stdout
    assert "built 0 files" in result.stdout
    assert snapshot(project / "out") == before


def test_changing_messages_rebuilds_only_what_prints_them(project):
    path = project / "content" / "messages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("heading: ひとことメッセージ", "heading: ひとことメッセージ集"), encoding="utf-8")
    result = run_printgen("build", "--content", project / "content", "--out", project / "out")
    assert result.exit_code == 0, result.stderr
    assert "up to date: poster" in result.stdout
    rebuilt = {line.split()[0].rsplit("/", 1)[-1] for line in result.stdout.splitlines() if line.split() and line.split()[0].endswith((".pdf", ".pptx"))}
    assert rebuilt == {"handout.pdf", "cards.pdf", "deck.pptx", "deck.pdf", "slides-handout.pdf"}


def test_two_builds_into_different_folders_are_identical(project, tmp_path):
    result = run_printgen("build", "--force", "--jobs", "1", "--content", project / "content", "--out", tmp_path / "again")
    assert result.exit_code == 0, result.stderr
    first, second = snapshot(project / "out"), snapshot(tmp_path / "again")
    first.pop(".printgen/manifest.json")
    second.pop(".printgen/manifest.json")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_failed_build_leaves_previous_files(project):
    before = snapshot(project / "out")
    path = project / "content" / "viewpoints.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("heading: 目指すにあたってのポイント", "heading: [broken"), encoding="utf-8")
    try:
        result = run_printgen("build", "--content", project / "content", "--out", project / "out")
    finally:
        path.write_text(good, encoding="utf-8")
    assert result.exit_code == 1
    assert "content/viewpoints.yaml" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project / "out") == before
    assert not [p for p in (project / "out").rglob("*.tmp")]


def test_only_accepts_the_registered_material_names():
    from generator.render import RENDERER_MODULES, load_renderers

    assert set(load_renderers()) == set(RENDERER_MODULES)
    result = run_printgen("build", "--only", "flyer")
    assert result.exit_code == 2
    assert "Invalid value for '--only': 'flyer' is not one of 'handout', 'cards', 'poster', 'deck'." in result.stderr
