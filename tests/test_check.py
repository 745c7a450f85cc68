"""`printgen check` and the CLI group: exit codes and exact messages for broken content."""

import shutil

import pytest

from helpers import CONTENT_DIR, run_printgen


class Project(type(CONTENT_DIR)):
    """A folder with a copy of the bundled content; ``edit(file, old, new)`` breaks it."""

    def edit(self, name, old, new):
        path = self / "content" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    return Project(tmp_path)


def line_of(project, name, needle):
    lines = (project / "content" / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def check(project):
    return run_printgen("check", cwd=project)


def test_bundled_content_is_clean():
    result = run_printgen("check")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "20 one-line messages" in result.stdout
    assert "all in the bundled fonts" in result.stdout


def test_misspelt_key(project):
    project.edit("messages.yaml", "    title: みんな悩んで大きくなった", "    titel: みんな悩んで大きくなった")
    line = line_of(project, "messages.yaml", "titel:")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/messages.yaml:{line}: error: messages[3].titel: unknown key 'titel'; did you mean 'title'? "
        "(expected one of: body, corrections, id, title)",
    ]


def test_wrong_type(project):
    project.edit("encouragement.yaml", "slogan: 立場を超えた連携・協働を！", "slogan:\n  - 立場を超えた連携・協働を！")
    line = line_of(project, "encouragement.yaml", "- 立場を超えた")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"content/encouragement.yaml:{line}: error: slogan: expected text, found a list"]


def test_yaml_syntax_error_names_line_and_column(project):
    project.edit("viewpoints.yaml", "heading: 目指すにあたってのポイント", "heading: 目指すにあたって: ポイント")
    line = line_of(project, "viewpoints.yaml", "目指すにあたって: ")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/viewpoints.yaml:{line}: error: syntax: column 18: a ': ' (a colon and a space) inside a text; "
        "put the whole text in double quotes"
    ]


def test_character_no_font_has(project):
    project.edit("introduction.yaml", "      - また今日、", "      - ◼ また今日、")
    line = line_of(project, "introduction.yaml", "◼ また今日")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/introduction.yaml:{line}: error: sections[0].paragraphs[1]: character '◼' (U+25FC BLACK MEDIUM SQUARE) "
        "is not in the bundled fonts (BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); use ■ instead"
    ]


def test_every_problem_is_reported_in_one_run(project):
    project.edit("messages.yaml", "  - id: not-alone", "  - id: take-care-of-yourself")
    project.edit("messages.yaml", "    body: ケアマネジャーの悩みは全国共通。", "    body: ''\n    x: ケアマネジャーの悩みは全国共通。")
    project.edit("document.yaml", "date: 令和3年3月", "date:")
    project.edit("introduction.yaml", "subheading: （検討委員会からのメッセージ）", "subheading: （検討委員会からのメッセージ）😀")
    result = check(project)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert [line.split(": error: ")[1].split(":")[0] for line in lines] == [
        "date",
        "subheading",
        "messages[2].id",
        "messages[3].body",
        "messages[3].x",
    ]
    assert "duplicate id 'take-care-of-yourself' (already used at content/messages.yaml:" in lines[2]
    assert lines[3].endswith("expected text, found empty text")
    assert "Traceback" not in result.stderr


def test_missing_file(project):
    (project / "content" / "document.yaml").unlink()
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/document.yaml: error: file: the content file is missing; expected document.yaml in content/"
    ]


def test_a_part_left_out_is_no_error(project):
    (project / "content" / "messages.yaml").unlink()
    result = check(project)
    assert result.exit_code == 0, result.stderr
    assert "0 one-line messages" in result.stdout


def test_file_saved_as_shift_jis(project):
    path = project / "content" / "messages.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932"))
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/messages.yaml:1: error: file: the file is not valid UTF-8 text at byte 2 "
        "(it looks like Shift_JIS: save the file as UTF-8)"
    ]


def test_yaml_tags_are_refused(project):
    project.edit("messages.yaml", "heading: ひとことメッセージ", "heading: !!python/object/apply:os.system echo")
    result = check(project)
    assert result.exit_code == 1
    line = line_of(project, "messages.yaml", "heading: !!python")
    assert result.stderr.splitlines() == [
        f"content/messages.yaml:{line}: error: heading: YAML tags such as '!!python/object/apply:os.system' are not allowed; write plain text"
    ]


def test_typo_correction_must_match_the_text(project):
    project.edit("messages.yaml", "corrected: がんばりすぎ", "corrected: がんばりすぎる")
    line = line_of(project, "messages.yaml", "- original: かんばりすぎ")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/messages.yaml:{line}: error: messages[0].corrections[0].corrected: the corrected text "
        "'がんばりすぎる' must appear exactly once in this item's text, found nowhere"
    ]


def test_text_over_several_lines_is_joined_without_gaps(tmp_path):
    from generator.content import load_content

    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = tmp_path / "content" / "encouragement.yaml"
    text = path.read_text(encoding="utf-8").replace("slogan: 立場を超えた連携・協働を！", "slogan: 立場を超えた\n  連携・協働を！\n  ICT\n  and care")
    path.write_text(text, encoding="utf-8")
    assert load_content(tmp_path / "content").encouragement.slogan == "立場を超えた連携・協働を！ICT and care"


def test_usage_errors_exit_2():
    result = run_printgen("check", "--content", "no-such-folder")
    assert result.exit_code == 2
    assert "Error: Invalid value for '--content': folder 'no-such-folder' does not exist" in result.stderr
    assert run_printgen("no-such-command").exit_code == 2


def test_help_and_version_answer_without_weasyprint():
    import subprocess
    import sys

    from helpers import PROJECT_DIR

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from generator.cli import cli\n"
        "r = CliRunner().invoke(cli, ['--help'])\n"
        "assert r.exit_code == 0 and 'check' in r.output, r.output\n"
        "assert 'weasyprint' not in sys.modules and 'pptx' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, check=True)
    result = run_printgen("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("printgen, version ")


def test_date_and_date_iso_that_disagree(project):
    project.edit("document.yaml", "date_iso: 2021-03", "date_iso: 2021-04")
    line = line_of(project, "document.yaml", "date_iso: 2021-04")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"content/document.yaml:{line}: error: date_iso: '2021-04' is not the same month as date '令和3年3月' (2021-03); correct one of the two"]
