"""A broken installation or hostile files around the content: damaged fonts, broken templates,
a --template that is not PowerPoint, URLs reaching outside fonts/ and templates/. Each is a
clear error naming the file (and line), with no traceback and nothing written.

fonts/ and templates/ sit beside the code, as for a user, so these tests break a copy of the
project (:func:`helpers.project_copy`) and run printgen from it.
"""

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import CONTENT_DIR, pdf_page_texts, pdf_reader, project_copy, run_printgen, squeeze

TIMEOUT = 60
FONT = "fonts/BIZUDGothic-Bold.ttf"
RESTORE = "restore the file from the printgen repository (see fonts/README.md)"


def printgen(project: Path, *args, env: dict | None = None):
    return run_printgen(*args, cwd=project, project=project, env=env, timeout=TIMEOUT)


def assert_fails(result, expected: list[str], out: Path | None = None):
    assert result.stderr.splitlines() == expected
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    if out is not None:
        assert not out.exists() or not any(out.iterdir())


# --- fonts ------------------------------------------------------------------------------------


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def scramble(path: Path) -> None:
    import random

    path.write_bytes(random.Random(7).randbytes(path.stat().st_size))


def scramble_glyphs(path: Path) -> None:
    """Random bytes over some glyph outlines: the file opens and its character map reads fine."""
    import random

    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        start = font.reader.tables["glyf"].offset + 1000
    data = bytearray(path.read_bytes())
    data[start : start + 100_000] = random.Random(7).randbytes(100_000)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, problem", [
    (Path.unlink, "the bundled font file is missing"),
    (truncate, r"the bundled font file is damaged \(unexpected end of 'glyf' table data: expected \d+ bytes but got \d+ at offset \d+\)"),
    (scramble, r"the bundled font file is damaged \(Not a TrueType or OpenType font \(bad sfntVersion\)\)"),
    (lambda path: path.write_bytes(b""), r"the bundled font file is damaged \(Not a TrueType or OpenType font \(not enough data\)\)"),
    (scramble_glyphs, r"the bundled font file is damaged \(bad checksum for 'glyf' table\)"),
], ids=["missing", "truncated", "random-bytes", "empty", "damaged-glyphs"])
@pytest.mark.parametrize("warm", [False, True], ids=["cold-cache", "warm-cache"])
def test_a_missing_or_damaged_font_is_named(tmp_path, damage, problem, warm):
    """With printgen's cache warm from a run with the good font, the damaged file (a new
    modification time) must still be read again and caught."""
    project = project_copy(tmp_path / "project", copy_fonts=True)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}  # never the machine's own cache
    if warm:
        assert printgen(project, "check", env=env).exit_code == 0
    damage(project / FONT)
    for command in ("check", "build"):
        result = printgen(project, command, env=env)
        assert result.exit_code == 1
        [line] = result.stderr.splitlines()
        assert re.fullmatch(f"{FONT}: error: font: {problem}; {re.escape(RESTORE)}", line), line
        assert not (project / "output").exists()


# --- templates --------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    return project_copy(tmp_path / "project")


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in ``path``; return the line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


SHEETS = "templates/sheet/sheets.html.j2"
POSTER = "templates/poster/poster.html.j2"


def test_a_missing_template(project):
    (project / POSTER).unlink()
    assert_fails(printgen(project, "poster"), [f"{POSTER}: error: template: the template file is missing; restore it from the printgen repository"], project / "output")


def test_a_template_that_extends_a_missing_one(project):
    edit(project / POSTER, '{% extends "sheet/sheets.html.j2" %}', '{% extends "sheet/sheet.html.j2" %}')
    assert_fails(printgen(project, "poster"), [f"{POSTER}:2: error: template: templates/sheet/sheet.html.j2 is missing"])


def test_a_template_syntax_error(project):
    line = edit(project / SHEETS, "{% block style %}{% endblock %}", "{% block style %}{% if %}{% endblock %}")
    assert_fails(printgen(project, "poster"), [f"{SHEETS}:{line}: error: template: Expected an expression, got 'end of statement block'"])


def test_an_undefined_name_in_a_template(project):
    line = edit(project / SHEETS, "<title>{{ title }}</title>", "<title>{{ titel }}</title>")
    assert_fails(printgen(project, "poster"), [f"{SHEETS}:{line}: error: template: 'titel' is undefined"])


def test_a_template_not_in_utf8(project):
    path = project / POSTER
    path.write_bytes("{# ポスター #}\n".encode("cp932") + path.read_bytes())  # saved as Shift_JIS
    assert_fails(printgen(project, "poster"), [f"{POSTER}: error: template: the file is not valid UTF-8 text at byte 3"])


def test_a_template_that_links_out_of_templates(project):
    (project / POSTER).unlink()
    (project / POSTER).symlink_to("/etc/hostname")
    assert_fails(printgen(project, "poster"), [
        f"{POSTER}: error: template: a link to a file outside templates/; printgen reads no files outside fonts/ and templates/"
    ])


def test_a_stylesheet_missing_from_templates(project):
    line = edit(project / SHEETS, "<style>", '<link rel="stylesheet" href="sheet/gone.css">\n<style>')
    assert_fails(printgen(project, "poster"), [
        f"{SHEETS}:{line}: error: template: cannot read file://{project}/templates/sheet/gone.css (No such file or directory)"
    ])


@pytest.mark.parametrize("reference, url", [
    ('<link rel="stylesheet" href="file:///etc/passwd">', "file:///etc/passwd"),
    ('<link rel="stylesheet" href="' + "../" * 30 + 'etc/hostname">', "file:///etc/hostname"),
    ('<link rel="stylesheet" href="sheet/hostname.css">', "file://{project}/templates/sheet/hostname.css"),  # a link out
    ("<style>body { background: url(http://127.0.0.1:9/x.png) }</style>", "http://127.0.0.1:9/x.png"),
], ids=["file-url", "dot-dot", "link-in-templates", "http"])
def test_a_template_reaching_outside_is_an_error_naming_it(project, reference, url):
    """WeasyPrint only logs a URL it could not load (and prints without it): here it stops."""
    (project / "templates/sheet/hostname.css").symlink_to("/etc/hostname")
    line = edit(project / SHEETS, "<style>", reference + "\n<style>")
    assert_fails(printgen(project, "poster"), [
        f"{SHEETS}:{line}: error: template: printgen reads no files outside fonts/ and templates/: {url.format(project=project)}"
    ], project / "output")


def test_labels_are_template_text_checked_against_the_fonts(project):
    line = edit(project / "templates/sheet/labels.yaml", "slogan_kicker: スローガン", "slogan_kicker: ◼スローガン")
    result = printgen(project, "check")
    assert_fails(result, [
        f"templates/sheet/labels.yaml:{line}: error: template text: character '◼' (U+25FC BLACK MEDIUM SQUARE) is not in the bundled fonts "
        "(BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); use ■ instead"
    ])


def test_labels_print_as_edited(project):
    edit(project / "templates/sheet/labels.yaml", "slogan_kicker: スローガン", "slogan_kicker: 合言葉")
    edit(project / "templates/sheet/labels.yaml", "credit: 出典：", "credit: 引用元：")
    result = printgen(project, "cards", "--out", "out")
    assert result.exit_code == 0, result.stderr
    pages = [squeeze(page) for page in pdf_page_texts(project / "out/cards.pdf")]
    assert pages[20].startswith("合言葉")
    assert all("引用元：" in page and "出典" not in page for page in pages)


def test_broken_labels_are_named(project):
    path = project / "templates/sheet/labels.yaml"
    edit(path, 'message_counter: "{number} / {count}"', 'message_counter: "{number.__class__} / {count}"')
    edit(path, "poster_subtitle:", "poster_sub:")
    first = path.read_text(encoding="utf-8").splitlines().index('message_counter: "{number.__class__} / {count}"') + 1
    sub = path.read_text(encoding="utf-8").splitlines().index('poster_sub: "{author}（{date}）"') + 1
    assert_fails(printgen(project, "poster"), [
        f"templates/sheet/labels.yaml:{first}: error: message_counter: unknown placeholder {{number.__class__}}; this label may use only {{number}}, {{count}}",
        f"templates/sheet/labels.yaml:{sub}: error: poster_sub: unknown label (expected one of: bridge_kicker, credit, message_counter, poster_part, poster_subtitle, slogan_kicker, tile_label, viewpoint_counter)",
        "templates/sheet/labels.yaml: error: poster_subtitle: missing label",
    ])


# --- the restricted URL fetcher ------------------------------------------------------------------


@pytest.fixture
def fetch(tmp_path, monkeypatch):
    """The fetcher, allowed to read tmp/fonts and tmp/templates; a secret file beside them."""
    from generator.render import pdf

    for name in ("fonts", "templates"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ok.css").write_text(f"/* {name} */", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "templates" / "link.css").symlink_to(tmp_path / "secret.txt")
    monkeypatch.setattr(pdf, "ALLOWED_DIRS", (tmp_path / "fonts", tmp_path / "templates"))
    fetcher = pdf.url_fetcher()
    return lambda url: fetcher.fetch(url.format(tmp=tmp_path))


@pytest.mark.parametrize("url", [
    "file:///etc/hostname",
    "file://{tmp}/secret.txt",
    "file://{tmp}/templates/../secret.txt",
    "file://{tmp}/templates/%2e%2e/secret.txt",
    "file://{tmp}/templates/link.css",
    "file://otherhost{tmp}/templates/ok.css",
    "http://127.0.0.1:9/x.png",
    "https://example.org/x.css",
    "ftp://example.org/x.css",
])
def test_the_fetcher_refuses_what_is_not_in_fonts_or_templates(fetch, url):
    with pytest.raises(ValueError, match="printgen reads no files outside fonts/ and templates/"):
        fetch(url)


@pytest.mark.parametrize("url, body", [
    ("file://{tmp}/templates/ok.css", b"/* templates */"),
    ("file://{tmp}/fonts/ok.css", b"/* fonts */"),
    ("data:text/plain,hello", b"hello"),
])
def test_the_fetcher_reads_fonts_templates_and_data(fetch, url, body):
    assert fetch(url).read() == body


# --- content that looks like markup or URLs -------------------------------------------------------

HOSTILE_TITLE = "<b>{{ title }}</b>"
HOSTILE_BODY = ('<img src="file:///etc/passwd"> url(file:///etc/passwd) <link rel=stylesheet href="file:///etc/passwd"> '
                '{% raw %} <script>alert(1)</script> </style> &amp; back\\slash')
HOSTILE_DOC_TITLE = 'A&B "q" <b>x</b> \\'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    content = shutil.copytree(CONTENT_DIR, root / "content")
    edit(content / "messages.yaml", "    title: みんな悩んで大きくなった", "    title: '" + HOSTILE_TITLE + "'")
    edit(content / "messages.yaml",
         "    body: ケアマネジャーの悩みは全国共通。ベテランも若手も、みんな同じように悩んでいるのです。気軽に相談してみませんか。",
         "    body: '" + HOSTILE_BODY + "'")
    edit(content / "document.yaml", "  - 介護支援専門員自身が考える", "  - '" + HOSTILE_DOC_TITLE + "'")
    result = run_printgen("build", "--out", root / "out", cwd=root, timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    return root / "out"


@pytest.mark.parametrize("name", ["handout.pdf", "cards.pdf", "deck.pdf", "slides-handout.pdf"])
def test_markup_in_content_prints_as_typed(hostile_build, name):
    text = squeeze("".join(pdf_page_texts(hostile_build / name)))
    for typed in (HOSTILE_TITLE, HOSTILE_BODY, HOSTILE_DOC_TITLE):
        # a slide shows a long text's beginning (all of it is in the speaker notes)
        shown = squeeze(typed)[:60] if name in ("deck.pdf", "slides-handout.pdf") else squeeze(typed)
        assert shown in text, typed


def test_no_file_outside_the_project_gets_into_the_output(hostile_build):
    secret = Path("/etc/passwd").read_bytes().split(b"\n")[0]
    for path in hostile_build.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
            if path.suffix == ".pptx":
                with zipfile.ZipFile(path) as z:
                    assert not any(secret in z.read(name) for name in z.namelist()), path


def test_markup_in_the_document_title_prints_as_typed_in_headers_and_bookmarks(hostile_build):
    """Text inside CSS (running headers, PDF bookmarks) is escaped for CSS, not for HTML."""
    pages = pdf_page_texts(hostile_build / "slides-handout.pdf")
    assert squeeze(HOSTILE_DOC_TITLE + "今後の") in squeeze(pages[0].splitlines()[-2])
    titles = [item.title for item in pdf_reader(hostile_build / "cards.pdf").outline]
    assert f"04 {HOSTILE_TITLE}" in titles


# --- --template that is not PowerPoint ---------------------------------------------------------


def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def _pptx(path: Path, change_theme=lambda xml: xml) -> Path:
    """python-pptx's default presentation, its theme changed by ``change_theme``."""
    from pptx import Presentation

    plain = path.with_name("plain.pptx")
    Presentation().save(plain)
    with zipfile.ZipFile(plain) as z:
        files = {name: z.read(name) for name in z.namelist()}
    theme = "ppt/theme/theme1.xml"
    files[theme] = change_theme(files[theme])
    return _zip(path, files)


def _bomb(path: Path) -> Path:
    """A small file that unpacks to over 100 MB."""
    return _pptx(path, lambda xml: xml.replace(b"<a:clrScheme", b"<!--" + b" " * 110_000_000 + b"--><a:clrScheme", 1))


NOT_PPTX = "not a PowerPoint presentation (.pptx) ({}); save the template from PowerPoint as a .pptx file"


@pytest.mark.parametrize("make, problem", [
    (lambda p: p.write_text("not a presentation\n", encoding="utf-8"), NOT_PPTX.format("PackageNotFoundError")),
    (lambda p: p.write_bytes(b""), NOT_PPTX.format("PackageNotFoundError")),
    (lambda p: _zip(p, {"hello.txt": b"a zip, not a presentation"}), NOT_PPTX.format("KeyError")),
    (lambda p: _pptx(p, lambda xml: xml[: len(xml) // 2]), NOT_PPTX.format("XMLSyntaxError")),
    (_bomb, "the presentation unpacks to {unpacked:,} bytes; a template may unpack to at most 100,000,000"),
], ids=["text", "empty", "other-zip", "broken-theme", "zip-bomb"])
@pytest.mark.parametrize("command", [("build", "--only", "deck"), ("deck",)], ids=["build", "deck"])
def test_a_template_that_is_not_powerpoint(tmp_path, make, problem, command):
    template = tmp_path / "org.pptx"
    make(template)
    if "{unpacked" in problem:
        problem = problem.format(unpacked=sum(item.file_size for item in zipfile.ZipFile(template).infolist()))
    out = tmp_path / "out"
    result = run_printgen(*command, "--template", template, "--out", out, timeout=TIMEOUT)
    assert_fails(result, [f"{template}: error: --template: {problem}"], out)


@pytest.mark.parametrize("command", [("build", "--only", "deck"), ("deck",)], ids=["build", "deck"])
@pytest.mark.parametrize("path, problem", [
    ("missing.pptx", "file 'missing.pptx' not found"),
    (".", "'.' is not a file"),
], ids=["missing", "folder"])
def test_a_template_path_that_is_not_a_file_is_a_usage_error(tmp_path, command, path, problem):
    result = run_printgen(*command, "--template", path, "--out", tmp_path / "out", cwd=tmp_path, timeout=TIMEOUT)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--template': {problem}"
    assert not (tmp_path / "out").exists()


def test_template_colours_are_data_not_css(tmp_path):
    """A theme colour is written into the slide PDFs' CSS: only #rrggbb gets there."""
    from generator.render.powerpoint import DeckFile

    template = _pptx(tmp_path / "org.pptx", lambda xml: re.sub(
        rb'(<a:accent1>)<a:srgbClr val="[0-9A-F]+"/>', rb'\1<a:srgbClr val="000; background-image: url(file:///etc/passwd)"/>', xml))
    assert DeckFile(template, None).colours()["accent"] == "#3568B0"  # the fallback
    result = run_printgen("build", "--only", "deck", "--template", template, "--out", tmp_path / "out", timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_a_damaged_cached_font_subset_is_made_again(tmp_path):
    """printgen renders with font subsets it caches; a damaged one would make fontconfig
    silently set the text in another bundled face."""
    cache = tmp_path / "cache"
    first = run_printgen("poster", "--out", tmp_path / "first", env={"XDG_CACHE_HOME": str(cache)}, timeout=TIMEOUT)
    assert first.exit_code == 0, first.stderr
    [subset] = cache.glob("printgen/subsets/*/BIZUDGothic-Regular.ttf")
    truncate(subset)
    again = run_printgen("poster", "--out", tmp_path / "again", env={"XDG_CACHE_HOME": str(cache)}, timeout=TIMEOUT)
    assert again.exit_code == 0, again.stderr
    assert (tmp_path / "again" / "poster.pdf").read_bytes() == (tmp_path / "first" / "poster.pdf").read_bytes()


def test_a_damaged_template_cache_is_compiled_again(tmp_path):
    cache = tmp_path / "cache"
    first = run_printgen("poster", "--out", tmp_path / "first", env={"XDG_CACHE_HOME": str(cache)}, timeout=TIMEOUT)
    assert first.exit_code == 0, first.stderr
    entries = list(cache.glob("printgen/jinja/*"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:20])  # Jinja's header, then its pickled checksum cut short
    again = run_printgen("poster", "--out", tmp_path / "again", env={"XDG_CACHE_HOME": str(cache)}, timeout=TIMEOUT)
    assert again.exit_code == 0, again.stderr
    assert (tmp_path / "again" / "poster.pdf").read_bytes() == (tmp_path / "first" / "poster.pdf").read_bytes()

