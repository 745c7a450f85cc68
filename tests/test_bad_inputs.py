"""A corpus of broken and hostile content: each gives exact messages and exit code, and leaves
the output folder exactly as it was."""

import shutil
from dataclasses import dataclass
from typing import Callable

import pytest

from helpers import CONTENT_DIR, run_printgen

M = "content/messages.yaml"
D = "content/document.yaml"
V = "content/viewpoints.yaml"
E = "content/encouragement.yaml"


@dataclass
class Case:
    id: str
    file: str  # a content file name
    change: Callable[[str], "str | bytes | None"]  # old text -> new text or bytes (None deletes the file)
    expected: list[str]  # stderr lines; "{line:NEEDLE}" is the 1-based line of NEEDLE in the changed file
    exit_code: int = 1


def sub(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


LONG = "あ" * 50_000
CASES = [
    Case("unclosed-quote", "messages.yaml", sub("    title: みんな悩んで大きくなった", '    title: "みんな悩んで大きくなった'),
         [f"{M}:{{line:みんな悩んで大きく}}: error: syntax: column 12: a quoted text is not closed (add the closing quote)"]),
    Case("tab-indent", "messages.yaml", sub("    title: みんな悩んで大きくなった", "\ttitle: みんな悩んで大きくなった"),
         [f"{M}:{{line:\ttitle}}: error: syntax: column 1: found character '\\t' that cannot start any token (indent with spaces, not tabs)"]),
    Case("bad-indent", "messages.yaml", sub("    title: みんな悩んで大きくなった", "      title: みんな悩んで大きくなった"),
         [f"{M}:{{line:      title: みんな}}: error: syntax: column 12: mapping values are not allowed here (a ': ' inside a text? put the whole text in double quotes)"]),
    Case("colon-in-text", "encouragement.yaml", sub("slogan: 立場を超えた連携・協働を！", "slogan: 立場を超えて: 連携・協働を！"),
         [f"{E}:{{line:slogan:}}: error: syntax: column 15: mapping values are not allowed here (a ': ' inside a text? put the whole text in double quotes)"]),
    Case("list-for-text", "encouragement.yaml", sub("slogan: 立場を超えた連携・協働を！", "slogan: [立場を超えた連携・協働を！]"),
         [f"{E}:{{line:slogan:}}: error: slogan: expected text, found a list"]),
    Case("mapping-for-list", "messages.yaml", sub("messages:\n", "messages:\n  first: x\nold_messages:\n"),
         [f"{M}:{{line:first: x}}: error: messages: expected a list (lines starting with '- '), found keys and values (key: value)",
          f"{M}:{{line:old_messages:}}: error: old_messages: unknown key 'old_messages'; did you mean 'messages'? (expected one of: heading, messages)"]),
    Case("missing-body", "messages.yaml", sub("    body: ケアマネジャーの悩みは全国共通。ベテランも若手も、みんな同じように悩んでいるのです。気軽に相談してみませんか。\n", ""),
         [f"{M}:{{line:id: growing-through-worries}}: error: messages[3].body: missing required key 'body'"]),
    Case("unknown-top-key", "viewpoints.yaml", sub("heading: 目指す", "headng: 目指す"),
         [f"{V}:{{line:headng}}: error: headng: unknown key 'headng'; did you mean 'heading'? (expected one of: heading, lead, viewpoints)"]),
    Case("unknown-key-no-hint", "document.yaml", sub("date: 令和3年3月", "date: 令和3年3月\nurl: https://example.org/"),
         [f"{D}:{{line:url:}}: error: url: unknown key 'url' (expected one of: committee, credit, date, date_iso, programme, title)"]),
    Case("duplicate-key", "encouragement.yaml", sub("slogan: 立場を超えた連携・協働を！", "slogan: 立場を超えた連携・協働を！\nslogan: もう一つ"),
         [f"{E}:{{line:slogan: もう一つ}}: error: slogan: duplicate key 'slogan' (first given at line {{line:slogan: 立場}})"]),
    Case("duplicate-id", "messages.yaml", sub("  - id: smile-forward", "  - id: not-alone"),
         [f"{M}:{{line:id: not-alone\n    title: 笑顔}}: error: messages[4].id: duplicate id 'not-alone' (already used at {M}:{{line:id: not-alone}}, messages[2].id)"]),
    Case("japanese-id", "messages.yaml", sub("  - id: smile-forward", "  - id: 笑顔"),
         [f"{M}:{{line:id: 笑顔}}: error: messages[4].id: expected an id of lowercase letters a-z, digits and single hyphens (at most 60 characters), found '笑顔'"]),
    Case("path-trick-id", "messages.yaml", sub("  - id: smile-forward", "  - id: ../../etc/passwd"),
         [f"{M}:{{line:id: ../}}: error: messages[4].id: expected an id of lowercase letters a-z, digits and single hyphens (at most 60 characters), found '../../etc/passwd'"]),
    Case("empty-text", "messages.yaml", sub("    title: 笑顔で前を向いていこう", "    title: ''"),
         [f"{M}:{{line:title: ''}}: error: messages[4].title: expected text, found empty text"]),
    Case("blank-text", "messages.yaml", sub("    title: 笑顔で前を向いていこう", "    title: '　 '"),
         [f"{M}:{{line:title: '}}: error: messages[4].title: expected text, found empty text"]),
    Case("null-text", "document.yaml", sub("date: 令和3年3月", "date:"),
         [f"{D}:{{line:date:}}: error: date: expected text, found nothing (write the text after the colon)"]),
    Case("empty-file", "document.yaml", lambda t: "",
         [f"{D}:1: error: file: the file is empty; expected keys such as the ones in the bundled content"]),
    Case("comments-only", "document.yaml", lambda t: "# nothing here\n",
         [f"{D}:1: error: file: the file is empty; expected keys such as the ones in the bundled content"]),
    Case("binary-file", "document.yaml", lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
         [f"{D}: error: file: this is not a text file (it contains NUL bytes); expected UTF-8 text"]),
    Case("shift-jis", "messages.yaml", lambda t: t.encode("cp932"),
         [f"{M}:1: error: file: the file is not valid UTF-8 text at byte 2 (it looks like Shift_JIS: save the file as UTF-8)"]),
    Case("missing-file", "encouragement.yaml", lambda t: None,
         [f"{E}: error: file: the content file is missing; expected encouragement.yaml in content/"]),
    Case("huge-file", "messages.yaml", lambda t: t + "#" * 3_000_000,
         [f"{M}: error: file: file is too large (3,005,000 bytes); a content file may be at most 2,000,000 bytes".replace("3,005,000", "{size}")]),
    Case("huge-text", "messages.yaml", sub("    body: 介護支援専門員の活躍の場は", f"    body: {LONG}介護支援専門員の活躍の場は"),
         [f"{M}:{{line:{LONG[:10]}}}: error: messages[1].body: text is too long (50,067 characters); at most 5,000 are allowed"]),
    Case("control-char-escape", "encouragement.yaml", sub("slogan: 立場を超えた連携・協働を！", 'slogan: "立場を超えた\\a連携・協働を！"'),
         [f"{E}:{{line:slogan:}}: error: slogan: control character U+0007 is not allowed at character 7 of the text"]),
    Case("control-char-raw", "encouragement.yaml", sub("slogan: 立場を超えた連携", "slogan: 立場を超えた\x0b連携"),
         [f"{E}:{{line:slogan:}}: error: syntax: '\\x0b' (U+000B) is not allowed in a content file"]),
    Case("lone-surrogate", "encouragement.yaml", sub("slogan: 立場を超えた連携・協働を！", 'slogan: "立場を超えた\\ud800"'),
         [f"{E}:{{line:slogan:}}: error: slogan: lone surrogate U+D800 (a broken character) is not allowed at character 7 of the text"]),
    Case("missing-glyph-emoji", "messages.yaml", sub("    title: 笑顔で前を向いていこう", "    title: 笑顔で前を向いていこう😊"),
         [f"{M}:{{line:😊}}: error: messages[4].title: character '😊' (U+1F60A SMILING FACE WITH SMILING EYES) is not in the bundled fonts (BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); replace it or remove it"]),
    Case("python-tag", "messages.yaml", sub("heading: ひとことメッセージ", "heading: !!python/object/apply:os.system ['touch /tmp/pwned']"),
         [f"{M}:{{line:heading:}}: error: heading: expected text, found a list"]),
    Case("python-tag-on-list", "introduction.yaml", sub("opening:\n", "opening: !!python/object/apply:os.system\n"),
         [f"content/introduction.yaml:{{line:opening:}}: error: opening: YAML tags such as '!!python/object/apply:os.system' are not allowed; write a plain list"]),
    Case("too-many-points", "viewpoints.yaml", sub("      - 専門職として自身の確固たる職業観、倫理観を持ち深化させていくこと。\n", "      - 専門職として自身の確固たる職業観、倫理観を持ち深化させていくこと。\n" + "      - 追加。\n" * 8),
         [f"{V}:{{line:      - 利用者に寄り添い}}: error: viewpoints[0].points: expected at most 10 items, found 12"]),
    Case("no-messages", "messages.yaml", lambda t: "heading: ひとことメッセージ\nmessages: []\n",
         [f"{M}:2: error: messages: expected at least 1 item, found 0"]),
    Case("bad-date", "document.yaml", sub("date_iso: 2021-03", "date_iso: 令和3年3月"),
         [f"{D}:{{line:date_iso:}}: error: date_iso: expected a year and month as YYYY-MM (for example 2021-03), found '令和3年3月'"]),
    Case("root-is-list", "document.yaml", lambda t: "- title\n- date\n",
         [f"{D}:1: error: file: expected keys and values (key: value), found a list"]),
    Case("non-text-key", "document.yaml", sub("date: 令和3年3月", "[date]: 令和3年3月"),
         [f"{D}:{{line:title:\n}}: error: date: missing required key 'date'",
          f"{D}:{{line:[date]}}: error: file: expected a key name before the colon, found a list"]),
]


@pytest.fixture(scope="module")
def earlier_output(tmp_path_factory):
    """An output folder holding files from an earlier build."""
    out = tmp_path_factory.mktemp("out")
    (out / "handout.pdf").write_bytes(b"%PDF-1.7 earlier good handout")
    (out / "cards").mkdir()
    (out / "cards" / "01-x.pdf").write_bytes(b"%PDF-1.7 earlier card")
    return out


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case, tmp_path, earlier_output):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = tmp_path / "content" / case.file
    new = case.change(path.read_text(encoding="utf-8"))
    if new is None:
        path.unlink()
    elif isinstance(new, bytes):
        path.write_bytes(new)
    else:
        path.write_text(new, encoding="utf-8")
    before = snapshot(earlier_output)

    result = run_printgen("build", "--out", earlier_output, cwd=tmp_path)

    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def line_of(needle):
        return text[: text.index(needle)].count("\n") + 1

    expected = []
    for line in case.expected:
        import re

        line = re.sub(r"\{line:(.*?)\}", lambda m: str(line_of(m.group(1).replace("\\t", "\t"))), line, flags=re.S)
        expected.append(line.replace("{size}", f"{path.stat().st_size:,}" if path.exists() else ""))
    assert result.stderr.splitlines() == expected
    assert result.exit_code == case.exit_code
    assert "Traceback" not in result.stderr
    assert snapshot(earlier_output) == before
