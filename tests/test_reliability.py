"""Nothing lost, nothing leaked, nothing hangs: links and FIFOs in the output folder, two runs
at once, OS errors, hostile templates and odd content (issue 17's classes, our own cases)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import CONTENT_DIR, PROJECT_DIR, pdf_page_sizes, run_printgen

TIMEOUT = 120


def snapshot(folder: Path) -> dict:
    """Every entry under ``folder`` (links and FIFOs as what they are, not followed)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = ("link", os.readlink(path))
        elif path.is_fifo():
            out[rel] = ("fifo",)
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A poster built once, to copy."""
    root = tmp_path_factory.mktemp("built")
    result = run_printgen("build", "--only", "poster", "--out", root / "out", timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    return root / "out"


# --- links and special files in the output folder ---------------------------------------------


def test_a_link_in_place_of_printgens_own_folder_is_replaced_not_written_through(tmp_path, built):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "manifest.json").write_text("someone else's", encoding="utf-8")
    out = shutil.copytree(built, tmp_path / "out")
    shutil.rmtree(out / ".printgen")
    (out / ".printgen").symlink_to(elsewhere)
    result = run_printgen("build", "--only", "poster", "--out", out, timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    assert (elsewhere / "manifest.json").read_text(encoding="utf-8") == "someone else's"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["manifest.json"]
    assert not (out / ".printgen").is_symlink() and (out / ".printgen" / "manifest.json").is_file()


def test_cards_split_into_a_linked_folder_leaves_the_folder_it_points_to_alone(tmp_path):
    elsewhere = tmp_path / "my-pdfs"
    elsewhere.mkdir()
    (elsewhere / "01-take-care-of-yourself.pdf").write_bytes(b"%PDF a user's file")
    out = tmp_path / "out"
    out.mkdir()
    (out / "cards").symlink_to(elsewhere)
    result = run_printgen("cards", "--split", "--out", out, timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    assert snapshot(elsewhere) == {"01-take-care-of-yourself.pdf": b"%PDF a user's file"}
    assert not (out / "cards").is_symlink() and len(list((out / "cards").glob("*.pdf"))) == 26


@pytest.mark.parametrize("name", ["poster.pdf", ".printgen/manifest.json"])
def test_a_fifo_in_the_output_folder_does_not_hang_the_build(tmp_path, built, name):
    out = shutil.copytree(built, tmp_path / "out")
    (out / name).unlink()
    os.mkfifo(out / name)
    result = run_printgen("build", "--only", "poster", "--out", out, timeout=60)  # a hang fails here
    assert result.exit_code == 0, result.stderr
    assert (out / name).is_file() and not (out / name).is_fifo()


def test_preview_reads_no_pdf_through_a_link(tmp_path, built):
    secret = tmp_path / "secret.pdf"
    shutil.copy(built / "poster.pdf", secret)
    out = shutil.copytree(built, tmp_path / "out")
    (out / "poster.pdf").unlink()
    (out / "poster.pdf").symlink_to(secret)  # the manifest still names poster.pdf
    result = run_printgen("preview", "--content", CONTENT_DIR, "--out", out, timeout=TIMEOUT)
    # the link does not count as the poster: it is rebuilt, and the preview is of the new file
    assert result.exit_code == 0, result.stderr
    assert not (out / "poster.pdf").is_symlink()
    assert secret.read_bytes() == (built / "poster.pdf").read_bytes()
    assert (out / "preview" / "poster.png").is_file()


def test_a_preview_that_fails_writes_no_image(tmp_path, built):
    from generator.errors import PrintgenError
    from generator.preview import preview

    out = shutil.copytree(built, tmp_path / "out")
    import json

    manifest = json.loads((out / ".printgen" / "manifest.json").read_text(encoding="utf-8"))
    manifest["poster"]["files"]["zz-broken.pdf"] = "0"
    (out / ".printgen" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "zz-broken.pdf").write_bytes(b"%PDF-1.7 not really")
    with pytest.raises(PrintgenError, match="zz-broken.pdf: error: preview: cannot read the PDF"):
        preview(out)
    assert not (out / "preview").exists()


# --- two runs at once ---------------------------------------------------------------------------

# A build whose commit is slow (each rename takes 0.4 s: a slow disk); says "committing" first.
SLOW_COMMIT = r"""
import os, sys, time
from generator import writer

class SlowOs:
    def __getattr__(self, name):
        return getattr(os, name)

    def replace(self, src, dst):
        if str(dst).endswith("commit.json"):
            print("committing", flush=True)
        time.sleep(0.4)
        os.replace(src, dst)

writer.os = SlowOs()
from generator.cli import main
sys.argv = ["printgen", *sys.argv[1:]]
main()
"""


def test_two_builds_at_once_into_one_folder_do_not_mix(tmp_path):
    """The second run waits for the first; the folder ends as the second leaves it, whole."""
    changed = shutil.copytree(CONTENT_DIR, tmp_path / "changed")
    path = changed / "viewpoints.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("heading: 目指すにあたってのポイント", "heading: 目指すポイント"), encoding="utf-8")
    reference = tmp_path / "reference"
    assert run_printgen("build", "--only", "deck", "--content", changed, "--out", reference, timeout=TIMEOUT).exit_code == 0

    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    first = subprocess.Popen([sys.executable, "-c", SLOW_COMMIT, "build", "--only", "deck", "--content", str(CONTENT_DIR), "--out", str(out)],
                             cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout.readline() == "committing\n"
        second = run_printgen("build", "--only", "deck", "--content", changed, "--out", out, timeout=TIMEOUT)
        assert first.wait(timeout=TIMEOUT) == 0
    finally:
        first.kill()
    assert second.exit_code == 0, second.stderr
    assert "another printgen run is writing here; waiting for it" in second.stderr
    for name in ("deck.pptx", "deck.pdf", "slides-handout.pdf"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["build", "--out", ""], "Invalid value for '--out': expected a folder, found an empty name"),
    (["build", "--content", " "], "Invalid value for '--content': expected a folder, found an empty name"),
    (["build", "--out", "x" * 300], "Invalid value for '--out': '" + "x" * 57 + "…': File name too long; the path is too long; use a shorter folder name"),
    (["check", "--content", "c" * 300], "Invalid value for '--content': '" + "c" * 57 + "…': File name too long; the path is too long; use a shorter folder name"),
    (["watch", "--interval", "nan"], "Invalid value for '--interval': expected a number from 0.1 to 60, found nan"),
    (["poster", "--bleed", "inf"], "Invalid value for '--bleed': expected a number from 0 to 20, found inf"),
    (["deck", "--template", ""], "Invalid value for '--template': expected the path of a file, found ''"),
])
def test_a_bad_option_value_is_a_usage_error_naming_it(tmp_path, args, message):
    result = run_printgen(*args, cwd=tmp_path)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_the_same_material_twice_is_built_once(tmp_path):
    result = run_printgen("build", "--only", "poster", "--only", "poster", "--out", tmp_path / "out", timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("poster.pdf") == 1


# --- OS errors ----------------------------------------------------------------------------------

FULL_DISK = r"""
import errno, sys, tempfile
real = tempfile.mkstemp

def mkstemp(*args, **kwargs):
    if "out" in str(kwargs.get("dir", "")):
        raise OSError(errno.ENOSPC, "No space left on device", kwargs["dir"])
    return real(*args, **kwargs)

tempfile.mkstemp = mkstemp
from generator.cli import main
sys.argv = ["printgen", *sys.argv[1:]]
main()
"""


def test_a_full_disk_is_one_message_and_changes_nothing(tmp_path, built):
    out = shutil.copytree(built, tmp_path / "out")
    before = snapshot(out)
    proc = subprocess.run([sys.executable, "-c", FULL_DISK, "poster", "--force", "--out", str(out)], cwd=PROJECT_DIR,
                          env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)}, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"{out}: error: file: No space left on device; the disk is full; free some space and run again"]
    assert snapshot(out) == before


def test_a_cache_folder_that_cannot_be_made_costs_only_time(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file", encoding="utf-8")
    result = run_printgen("poster", "--out", tmp_path / "out", env={"XDG_CACHE_HOME": str(tmp_path / "not-a-folder")}, timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    assert set(pdf_page_sizes(tmp_path / "out" / "poster.pdf")) == {(1190.55, 1683.78)}


# --- templates ----------------------------------------------------------------------------------


def _template(path: Path, content_type: str | None = None, size: str | None = None) -> Path:
    import re
    import zipfile

    from pptx import Presentation

    plain = path.with_suffix(".plain.pptx")
    Presentation().save(str(plain))
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if content_type and item.filename == "[Content_Types].xml":
                data = data.replace(b"presentationml.presentation.main+xml", content_type.encode())
            if size is not None and item.filename == "ppt/presentation.xml":
                data = re.sub(rb"<p:sldSz[^>]*/>", size.encode(), data)
            zout.writestr(item, data)
    return path


@pytest.mark.parametrize("make, problem", [
    (lambda p: _template(p.with_suffix(".pptm"), content_type="ms-powerpoint.presentation.macroEnabled.main+xml"),
     "a presentation with macros (.pptm); printgen writes no macros: save the template as a PowerPoint presentation (.pptx) without macros"),
    (lambda p: _template(p, size='<p:sldSz cx="0" cy="0"/>'),
     "the slide size is missing or broken (found none); set it in PowerPoint (デザイン > スライドのサイズ) and save the template again"),
    (lambda p: _template(p, size=""),
     "the slide size is missing or broken (found none); set it in PowerPoint (デザイン > スライドのサイズ) and save the template again"),
], ids=["macros", "zero-size", "no-size"])
def test_a_template_that_would_make_a_bad_deck_is_refused(tmp_path, make, problem):
    template = make(tmp_path / "ours.pptx")
    result = run_printgen("deck", "--template", template, "--out", tmp_path / "out", timeout=TIMEOUT)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [f"{template}: error: --template: {problem}"])
    assert not (tmp_path / "out").exists()


def test_a_fifo_as_template_is_not_a_file(tmp_path):
    os.mkfifo(tmp_path / "ours.pptx")
    result = run_printgen("deck", "--template", tmp_path / "ours.pptx", "--out", tmp_path / "out", timeout=60)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"Error: Invalid value for '--template': '{tmp_path / 'ours.pptx'}' is not a file")


# --- content ------------------------------------------------------------------------------------


def _content(tmp_path: Path, name: str, change) -> Path:
    content = shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = content / name
    path.write_bytes(change(path.read_text(encoding="utf-8")).encode("utf-8"))
    return content


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "mixed"])
def test_line_numbers_count_every_kind_of_line_end(tmp_path, line_end):
    def change(text):
        text = text.replace("slogan: ", "slogan: null #", 1)
        lines = text.split("\n")
        if line_end == "mixed":
            return "".join(line + ("\r" if i % 2 else "\r\n") for i, line in enumerate(lines))
        return line_end.join(lines)

    content = _content(tmp_path, "encouragement.yaml", change)
    line = CONTENT_DIR.joinpath("encouragement.yaml").read_text(encoding="utf-8").split("\n").index(
        next(l for l in CONTENT_DIR.joinpath("encouragement.yaml").read_text(encoding="utf-8").split("\n") if l.startswith("slogan: "))) + 1
    result = run_printgen("check", "--content", content)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{content / 'encouragement.yaml'}:{line}: error: slogan: expected text, found 'null', which YAML reads as no value; "
        "write the text, or put it in quotes (\"null\") to print it"]


def test_tilde_says_what_yaml_made_of_it(tmp_path):
    from generator.content import load_content
    from generator.errors import ContentError

    content = _content(tmp_path, "encouragement.yaml", lambda t: t.replace("slogan: ", "slogan: ~ #", 1))
    with pytest.raises(ContentError, match=r"slogan: expected text, found '~', which YAML reads as no value"):
        load_content(content)


def test_text_saved_decomposed_is_read_composed(tmp_path):
    """macOS can save か + U+3099 for が: read as one character, it cannot be split across lines."""
    import unicodedata

    from generator.content import load_content

    content = _content(tmp_path, "encouragement.yaml", lambda t: unicodedata.normalize("NFD", t))
    nfd = unicodedata.normalize("NFD", "ご活躍")
    assert nfd in (content / "encouragement.yaml").read_text(encoding="utf-8")
    texts = list(load_content(content).texts())
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert "\u3099" not in "".join(texts)


def test_compatibility_ideographs_are_kept_as_typed(tmp_path):
    from generator.content import load_content

    content = _content(tmp_path, "messages.yaml", lambda t: t.replace("後進を育てよう", "後進を育てよう﨑", 1))
    assert "﨑" in "".join(load_content(content).texts())


def test_an_ivs_the_fonts_have_is_drawn_as_its_variant(tmp_path):
    """葛 + U+E0100 (IVS) is the font's variant glyph, not the default 葛."""
    import pypdfium2 as pdfium

    from generator.fonts import prepare_fonts, use_subsets
    from generator.render.pdf import html_to_pdf

    use_subsets(prepare_fonts(["葛\U000E0100"]))
    images = []
    for text in ("葛\U000E0100", "葛"):
        pdf, _ = html_to_pdf('<html lang="ja"><style>@page { size: 100pt 100pt; margin: 0 } '
                             f'p {{ font: 80pt "BIZ UDGothic"; margin: 0 }}</style><p>{text}</p></html>')
        images.append(pdfium.PdfDocument(pdf)[0].render(scale=2).to_pil().tobytes())
    assert images[0] != images[1]


def test_content_with_an_ivs_builds_and_one_the_fonts_lack_is_named(tmp_path):
    content = _content(tmp_path, "messages.yaml", lambda t: t.replace("後進を育てよう", "後進を育てよう葛\U000E0100", 1))
    result = run_printgen("build", "--only", "cards", "--content", content, "--out", tmp_path / "out", timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr

    path = content / "messages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("葛\U000E0100", "あ\U000E0100"), encoding="utf-8")
    result = run_printgen("check", "--content", content)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "error: messages[" in line and "(U+E0100 VARIATION SELECTOR-17) after 'あ' (U+3042 HIRAGANA LETTER A) is not in the bundled fonts" in line
