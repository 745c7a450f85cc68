"""Japanese first: every message in the catalogue, Japanese by default, English when asked,
and content mistakes a Japanese input method makes easy named in plain words."""

from __future__ import annotations

import shutil
import string
import sys
from pathlib import Path

import pytest

from helpers import CONTENT_DIR, PROJECT_DIR, run_printgen

sys.path.insert(0, str(PROJECT_DIR / "scripts"))

from compile_messages import read_po, write_mo  # noqa: E402
from extract_messages import PO, all_messages  # noqa: E402

JAPANESE = {"LANG": "ja_JP.UTF-8"}
NO_LOCALE = {"LANG": "", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "en_US.UTF-8"}


def _fields(text: str) -> list[str]:
    return sorted({field for _, field, _, _ in string.Formatter().parse(text) if field is not None})


def test_every_message_is_in_the_japanese_catalogue():
    catalogue = read_po(PO)
    missing = [m for m in all_messages() if not catalogue.get(m)]
    assert missing == [], "run scripts/extract_messages.py and translate these"


def test_translations_keep_their_placeholders():
    catalogue = read_po(PO)
    odd = []
    for message, translation in catalogue.items():
        if message and "{" in message:
            try:
                if _fields(message) != _fields(translation):
                    odd.append(message)
            except ValueError:
                odd.append(message)
    assert odd == []


def test_the_compiled_catalogue_is_the_po_file_compiled():
    assert PO.with_suffix(".mo").read_bytes() == write_mo(read_po(PO)), "run scripts/compile_messages.py"


@pytest.mark.parametrize("env", [JAPANESE, NO_LOCALE], ids=["ja_JP", "no-locale"])
def test_messages_are_japanese_by_default(tmp_path, env):
    result = run_printgen("build", "--content", tmp_path / "nothere", env=env)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "使い方: printgen build [OPTIONS]",
        "'printgen build --help' でヘルプを表示できます。",
        "",
        f"エラー: '--content' の値が正しくありません: フォルダー '{tmp_path / 'nothere'}' がありません"
        "（printgen をプロジェクトのフォルダーで実行するか、--content DIR を指定してください）",
    ]
    help_ = run_printgen("--help", env=env)
    assert "使い方: printgen [OPTIONS] COMMAND [ARGS]..." in help_.stdout
    assert "研修資料" in help_.stdout and "このヘルプを表示して終了します。" in help_.stdout


def test_english_when_the_locale_or_lang_says_so(tmp_path):
    for env, args in ((ENGLISH, []), (JAPANESE, ["--lang", "en"])):
        result = run_printgen(*args, "build", "--content", tmp_path / "nothere", env=env)
        assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--content': folder"), result.stderr
    result = run_printgen("--lang", "ja", "check", "--content", tmp_path / "nothere", env=ENGLISH)
    assert "エラー:" in result.stderr


def test_a_build_summary_in_japanese(tmp_path):
    result = run_printgen("poster", "--out", tmp_path / "out", env=JAPANESE)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[2] == "ページ", lines
    assert lines[-1].startswith("1 ファイルを ") and lines[-1].endswith(" 秒で作成しました")


# --- content mistakes in plain words, each on its own line -------------------------------------


def _broken(tmp_path: Path, name: str, change) -> tuple[Path, list[str]]:
    content = shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = content / name
    lines = path.read_text(encoding="utf-8").split("\n")
    numbers = change(lines)
    path.write_text("\n".join(lines), encoding="utf-8")
    return content, numbers


def _line_of(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines) if line.lstrip().startswith(start))


def test_full_width_spaces_a_full_width_colon_and_a_missing_hyphen_are_each_named(tmp_path):
    def change(lines):
        title = _line_of(lines, "title:")
        lines[title] = lines[title].replace("  ", "\u3000", 1)  # indented with a full-width space
        heading = _line_of(lines, "heading:")
        lines[heading] = lines[heading].replace("heading:", "heading：", 1)  # a full-width colon
        return [heading + 1, title + 1]

    content, (heading, title) = _broken(tmp_path, "messages.yaml", change)
    result = run_printgen("check", "--content", content, env=JAPANESE)
    path = content / "messages.yaml"
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:{heading}: エラー: syntax: 'heading' の後のコロンが全角（：）です。半角のコロン（:）と半角スペースにしてください",
        f"{path}:{title}: エラー: syntax: 全角スペースで字下げされています。半角スペースにしてください",
    ]


def test_a_list_item_without_its_hyphen_is_named_on_its_line(tmp_path):
    def change(lines):
        second = _line_of(lines, "- また今日")  # the second paragraph of the first section
        indent = len(lines[second]) - len(lines[second].lstrip())
        lines[second] = " " * indent + lines[second].lstrip()[2:]
        return [second + 1]

    content, (line,) = _broken(tmp_path, "introduction.yaml", change)
    result = run_printgen("check", "--content", content, env=JAPANESE)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{content / 'introduction.yaml'}:{line}: エラー: syntax: 「- 」のないリスト項目です。"
        "上の項目と同じように、行の先頭にハイフンと半角スペースを書いてください"]


def test_items_are_counted_from_one_in_japanese(tmp_path):
    def change(lines):
        title = [i for i, line in enumerate(lines) if line.lstrip().startswith("title:")][2]  # the third message
        lines[title] = lines[title].split("title:")[0] + "title: ''"
        return [title + 1]

    content, (line,) = _broken(tmp_path, "messages.yaml", change)
    result = run_printgen("check", "--content", content, env=JAPANESE)
    assert result.stderr.splitlines() == [f"{content / 'messages.yaml'}:{line}: エラー: 3番目のメッセージの title: 文章が空です"]


def test_check_finds_a_text_that_does_not_fit_as_build_would(tmp_path):
    def change(lines):
        title = _line_of(lines, "title:")
        lines[title] = lines[title].split("title:")[0] + "title: " + "介護支援" * 25
        return [title + 1]

    content, _ = _broken(tmp_path, "viewpoints.yaml", change)
    check = run_printgen("check", "--content", content)
    build = run_printgen("build", "--content", content, "--out", tmp_path / "out")
    assert check.exit_code == build.exit_code == 1
    assert check.stderr == build.stderr and "does not fit" in check.stderr
    assert not (tmp_path / "out").exists()


# Problems of every kind, met in Japanese: each line of the message is Japanese after its place.
_JAPANESE_CHAR = __import__("re").compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _each_line_is_japanese(stderr: str) -> list[str]:
    """The lines whose message (after ``エラー:`` and the key, or the whole line) has no Japanese."""
    odd = []
    for line in stderr.splitlines():
        message = line.split("エラー: ", 1)[-1]
        if line.strip() and not _JAPANESE_CHAR.search(message):
            odd.append(line)
    return odd


@pytest.mark.parametrize("make, args", [
    (lambda root: (root / "printgen.toml").write_text('[cards]\npaper = "A5"\nsplt = true\n', encoding="utf-8"), ["check"]),
    (lambda root: (root / "content" / "messages.yaml").write_text("heading: x\nmessages: []\n", encoding="utf-8"), ["check"]),
    (lambda root: (root / "content" / "document.yaml").unlink(), ["build"]),
    (lambda root: None, ["poster", "--bleed", "nan"]),
    (lambda root: None, ["deck", "--template", "nothere.pptx"]),
    (lambda root: (root / "t.pptx").write_bytes(b"not a presentation"), ["deck", "--template", "t.pptx"]),
    (lambda root: (root / "content" / "viewpoints.yaml").write_text((root / "content" / "viewpoints.yaml").read_text(
        encoding="utf-8").replace("title: 利用者・家族との関係において、どうあるべきか", "title: " + "介護支援" * 25, 1), encoding="utf-8"),
     ["check"]),
], ids=["settings", "content", "missing-file", "option", "missing-template", "broken-template", "does-not-fit"])
def test_problems_of_every_kind_are_reported_in_japanese(tmp_path, make, args):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    make(tmp_path)
    result = run_printgen(*args, cwd=tmp_path, env=JAPANESE)
    assert result.exit_code in (1, 2)
    assert result.stderr and _each_line_is_japanese(result.stderr) == []
