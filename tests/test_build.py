"""`printgen build`: incremental, atomic, reproducible, --only."""

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys

import pytest

from helpers import CONTENT_DIR, PROJECT_DIR, pdf_reader, run_printgen


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
    from generator.render import load_renderers

    assert list(load_renderers()) == ["handout", "cards", "poster", "deck", "kit"]
    result = run_printgen("build", "--only", "flyer")
    assert result.exit_code == 2
    assert "Invalid value for '--only': 'flyer' is not one of 'handout', 'cards', 'poster', 'deck', 'kit'." in result.stderr


@pytest.mark.parametrize("files", [
    {"../secret.txt": None},  # None: the true digest of the file outside the folder
    {"/secret-abs": None},
    {"link/secret.txt": None},  # through a symbolic link to the folder outside
    {"poster.pdf": 42},
    "poster.pdf",
])
def test_a_hostile_manifest_reads_nothing_outside_the_output_folder(tmp_path, monkeypatch, files):
    """OUT/.printgen/manifest.json is only a file in the output folder: an entry naming a file
    outside it counts as no entry (the material is rebuilt) and the file is not read."""
    import hashlib
    import json

    from generator import build
    from generator.render import load_renderers

    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_bytes(b"not printgen's")
    out = tmp_path / "out"
    (out / ".printgen").mkdir(parents=True)
    (out / "link").symlink_to(outside)
    if isinstance(files, dict):
        files = {name.replace("/secret-abs", str(secret)): digest or hashlib.sha256(secret.read_bytes()).hexdigest()
                 for name, digest in files.items()}
    renderer = load_renderers()["poster"]()
    print_ = build.fingerprint(renderer, CONTENT_DIR)
    (out / build.MANIFEST).write_text(json.dumps({"poster": {"fingerprint": print_, "files": files}}))
    read = []
    monkeypatch.setattr(build, "read_output", lambda out_dir, name: read.append(name))
    manifest = build._read_manifest(out)
    assert not build.up_to_date(renderer, print_, manifest, out)
    assert [name for name in read if name != build.MANIFEST] == []


# --- a build stopped midway ------------------------------------------------------------------

# Runs `printgen ARGS` and stops at STAGE until killed, printing "paused" when it gets there:
# "render" inside the deck's render, in the worker process that renders it (the build renders
# the poster and the deck, two workers); "staged" in the parent when every new file is
# written to its temporary name and none renamed yet. "committing" does not stop: it says
# "paused" after the first rename and then renames slowly (a slow disk), to be stopped midway.
# Only the test adds the pause; the build itself runs unchanged.
PAUSING_BUILD = r"""
import os, sys, time
stage, sys.argv = sys.argv[1], ["printgen", *sys.argv[2:]]

def pause(announce=True):
    if announce:
        print("paused", os.getpid(), flush=True)
    time.sleep(120)

if stage == "render":
    from generator.render import load_renderers
    deck = load_renderers()["deck"]
    render = deck.render

    def paused_render(self, content):
        pause()
        return render(self, content)

    deck.render = paused_render
else:
    from generator import writer
    renames = [0]

    class PausingOs:
        def __getattr__(self, name):
            return getattr(os, name)

        def replace(self, src, dst):
            # rename 0 puts the commit's record (.printgen/commit.json) in place, 1 the first file
            if stage == "staged" and renames[0] == 1:
                pause()
            if stage == "committing" and renames[0] >= 2:  # a slow disk: each rename takes 0.5 s
                if renames[0] == 2:
                    print("paused", os.getpid(), flush=True)
                time.sleep(0.5)
            os.replace(src, dst)
            renames[0] += 1

    writer.os = PausingOs()

from generator.cli import main
main()
"""
BUILT = ("--only", "poster", "--only", "deck", "--jobs", "2")
FILES = ("poster.pdf", "deck.pptx", "deck.pdf", "slides-handout.pdf", ".printgen/manifest.json")


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    """The poster and deck built from the content (old), and from changed content (new), as bytes."""
    root = tmp_path_factory.mktemp("interrupted")
    shutil.copytree(CONTENT_DIR, root / "content")
    shutil.copytree(CONTENT_DIR, root / "changed")
    path = root / "changed" / "viewpoints.yaml"  # printed by both
    path.write_text(path.read_text(encoding="utf-8").replace("heading: 目指すにあたってのポイント", "heading: 目指すにあたってのポイント集"), encoding="utf-8")
    for content, out in (("content", "old"), ("changed", "new")):
        result = run_printgen("build", *BUILT, "--content", root / content, "--out", root / out)
        assert result.exit_code == 0, result.stderr
    old, new = snapshot(root / "old"), snapshot(root / "new")
    assert [name for name in FILES if old[name] == new[name]] == []
    return root, old, new


def _start_paused_build(stage, content, out):
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSING_BUILD, stage, "-q", "build", *BUILT, "--content", str(content), "--out", str(out)],
        cwd=PROJECT_DIR, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,  # its own process group
    )
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline().decode() if ready else ""
    assert line.startswith("paused "), proc.stderr.read().decode() if not ready else line
    pid = int(line.split()[1])
    # The render stage is paused in a worker process; the writing stages in the parent.
    assert (pid != proc.pid) == (stage == "render"), (stage, pid, proc.pid)
    return proc


@pytest.mark.parametrize("stage, signum, whom", [
    ("render", signal.SIGKILL, "group"),  # the machine goes down, or kill -9
    ("render", signal.SIGINT, "group"),  # Ctrl+C in a terminal reaches every process of the build
    ("render", signal.SIGTERM, "parent"),  # kill PID
    ("staged", signal.SIGKILL, "group"),
    ("committing", signal.SIGKILL, "group"),
    ("committing", signal.SIGINT, "group"),
    ("committing", signal.SIGTERM, "parent"),
])
def test_a_build_stopped_midway_leaves_each_file_old_or_complete(interrupted, tmp_path, stage, signum, whom):
    root, old, new = interrupted
    out = tmp_path / "out"
    shutil.copytree(root / "old", out)
    proc = _start_paused_build(stage, root / "changed", out)
    try:
        (os.killpg if whom == "group" else os.kill)(proc.pid, signum)
        _, stderr = proc.communicate(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = stderr.decode()

    # The command says so in one line, without a traceback, and leaves no process behind.
    expected = {signal.SIGKILL: (-9, ""), signal.SIGINT: (130, "printgen: interrupted"),
                signal.SIGTERM: (143, "printgen: terminated")}[signum]
    assert (proc.returncode, stderr.strip()) == expected
    assert _group_ends(proc.pid), "a process of the build is still running"

    # Every file is either the previous one or the new one, complete. A stop before the commit
    # replaces nothing; Ctrl+C or SIGTERM during the commit takes effect once every file is in
    # place; only SIGKILL (which nothing can hold back) leaves a commit half done, recorded in
    # .printgen/commit.json with its hidden temporary files for the next run to complete.
    after = snapshot(out)
    left = [name for name in after if name not in FILES]
    assert all(name.rsplit("/", 1)[-1].startswith(".") and name.endswith(".tmp") or name == ".printgen/commit.json" for name in left)
    killed_while_writing = signum == signal.SIGKILL and stage != "render"
    assert bool(left) == killed_while_writing
    assert [name for name in FILES if after[name] not in (old[name], new[name])] == []
    replaced = [name for name in FILES if after[name] == new[name]]
    assert replaced == {"render": [], "staged": [], "committing": ["poster.pdf"] if killed_while_writing else list(FILES)}[stage]
    _check_complete(out, root / "new")

    # The next run completes a commit left half done, then builds: everything is new, nothing left.
    result = run_printgen("build", *BUILT, "--content", root / "changed", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert snapshot(out) == {name: new[name] for name in FILES}


def _group_ends(pgid, seconds=10):
    """Whether process group ``pgid`` is gone within ``seconds`` (workers killed with their
    parent are reaped by init, not by the test, a moment later)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _check_complete(out, reference):
    """Every file of the deck in ``out`` reads as a whole: as many pages or slides as ``reference``'s."""
    from pptx import Presentation

    for name in ("deck.pdf", "slides-handout.pdf"):
        assert len(pdf_reader(out / name).pages) == len(pdf_reader(reference / name).pages)
    assert len(Presentation(str(out / "deck.pptx")).slides) == len(Presentation(str(reference / "deck.pptx")).slides)


# Two builds in one process, as `printgen watch` makes them; the second prints a character the
# first content did not have, so its font subsets are new ones.
_TWO_BUILDS = """
import shutil, sys
from pathlib import Path
from generator.build import build
from generator.settings import Project
content, out, edited, jobs = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
build(Project.at(content), out, only=["cards", "poster"], jobs=jobs)
shutil.copy(edited, content / "messages.yaml")
build(Project.at(content), out, only=["cards", "poster"], jobs=jobs)
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_character_new_to_the_content_is_drawn_in_the_next_build_of_a_process(tmp_path, jobs):
    """`watch` builds again in its process: the fonts WeasyPrint uses must be the new subsets,
    or the new character is drawn as .notdef (a box)."""
    import io
    import re

    from fontTools.ttLib import TTFont

    new = "鬱"  # in the bundled fonts, not in the content
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    text = (tmp_path / "content" / "messages.yaml").read_text(encoding="utf-8")
    assert new not in "".join(p.read_text(encoding="utf-8") for p in CONTENT_DIR.glob("*.yaml"))
    end = text.index("。", text.index("body:"))
    (tmp_path / "edited.yaml").write_text(text[:end] + new + text[end:], encoding="utf-8")
    subprocess.run([sys.executable, "-c", _TWO_BUILDS, tmp_path / "content", tmp_path / "out", tmp_path / "edited.yaml", str(jobs)],
                   check=True, cwd=PROJECT_DIR, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, timeout=120)
    page = pdf_reader(tmp_path / "out" / "cards.pdf").pages[0]
    drawn = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        gids = [int(g, 16) for g, u in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]{4})>\n", cmap, re.I) if chr(int(u, 16)) == new]
        gids += [int(a, 16) + ord(new) - int(u, 16) for a, b, u in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]{4})> <([0-9a-f]{4})>", cmap, re.I)
                 if 0 <= ord(new) - int(u, 16) <= int(b, 16) - int(a, 16)]
        if gids:
            program = TTFont(io.BytesIO(font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
            glyf = program["glyf"]
            drawn += [gid < len(program.getGlyphOrder()) and glyf[program.getGlyphName(gid)].numberOfContours != 0 for gid in gids]
    assert drawn and all(drawn), drawn


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_material_that_fails_is_reported_in_the_materials_order(tmp_path, jobs):
    """A viewpoint title too long for a card, the poster and a slide: all three problems at
    once, in the same order whichever worker finished first, and no file written."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    path = content / "viewpoints.yaml"
    text = path.read_text(encoding="utf-8")
    old = "title: 利用者・家族との関係において、どうあるべきか"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, "title: " + "介護支援" * 25, 1), encoding="utf-8")
    result = run_printgen("build", "--jobs", jobs, "--content", content, "--out", tmp_path / "out")
    where = f"{path}:{line}: error: viewpoints[0].title:"
    assert result.stderr.splitlines() == [
        f"{where} card 23 (users-and-families) does not fit on one A3 page: the headline does not fit in 3 lines at "
        "the smallest headline size (40 pt); shorten it, or use a larger --paper",
        f"{where} the viewpoint title does not fit its column in 4 lines on A2 paper even at the smallest sizes (points 24 pt); "
        "shorten it, or use a larger --paper",
        f"{where} too long for a slide title even at 32 pt; shorten it",
    ]
    assert result.exit_code == 1
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
