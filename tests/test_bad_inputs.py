"""A corpus of broken and hostile input: each gives exact messages and exit code, no traceback,
and leaves the output folder exactly as it was. Also: odd but valid files that must load, an
output folder that cannot be written, and text long enough to reach the renderers' limits."""

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from helpers import CONTENT_DIR, pdf_page_texts, run_printgen, snapshot, squeeze

M = "content/messages.yaml"
D = "content/document.yaml"
V = "content/viewpoints.yaml"
E = "content/encouragement.yaml"
I = "content/introduction.yaml"

# A user's patience: every bad input must be answered well within this (seconds).
TIMEOUT = 60


@dataclass
class Case:
    id: str
    file: str  # a content file name
    change: Callable[[str], "str | bytes | None"] | None  # old text -> new text or bytes (None deletes the file)
    expected: list[str]  # stderr lines; "{line:NEEDLE}" is the 1-based line of NEEDLE in the changed file
    exit_code: int = 1
    args: tuple[str, ...] = ("build",)
    setup: Callable[[Path], None] | None = None  # instead of change: does something to the file's path


def sub(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


def replace_with(make: Callable[[Path], None]) -> Callable[[Path], None]:
    """A setup that removes the content file and puts ``make(path)`` in its place."""
    def setup(path: Path) -> None:
        path.unlink()
        make(path)

    return setup


LONG = "あ" * 50_000
SLOGAN = "slogan: 立場を超えた連携・協働を！"
LOL = 'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}' if i > 1 else '*a'] * 9)}]\n" for i in range(1, 10)
)
# A card body as long as a text may be (MAX_TEXT_CHARS), of real sentences.
BODY = "    body: ケアマネジャーの悩みは全国共通。ベテランも若手も、みんな同じように悩んでいるのです。気軽に相談してみませんか。"
LONG_BODY = ("悩みは一人で抱え込まず、仲間に話してみましょう。" * 300)[:4_999]
HEADING = "heading: 目指すにあたってのポイント"
LONG_HEADING = ("これからの介護支援専門員が目指すにあたってのポイントを考える" * 3)[:60]


def many_messages(count: int, body: str = "本文") -> str:
    return "heading: ひとことメッセージ\nmessages:\n" + "".join(
        f"  - id: m{i}\n    title: 題\n    body: {body}\n" for i in range(count)
    )


CASES = [
    Case("unclosed-quote", "messages.yaml", sub("    title: みんな悩んで大きくなった", '    title: "みんな悩んで大きくなった'),
         [f"{M}:{{line:みんな悩んで大きく}}: error: syntax: column 12: a quoted text is not closed (add the closing quote)"]),
    Case("tab-indent", "messages.yaml", sub("    title: みんな悩んで大きくなった", "\ttitle: みんな悩んで大きくなった"),
         [f"{M}:{{line:\ttitle}}: error: syntax: the line is indented with a tab; indent with spaces"]),
    Case("bad-indent", "messages.yaml", sub("    title: みんな悩んで大きくなった", "      title: みんな悩んで大きくなった"),
         [f"{M}:{{line:      title: みんな}}: error: syntax: column 12: a ': ' (a colon and a space) inside a text; put the whole text in double quotes"]),
    Case("colon-in-text", "encouragement.yaml", sub(SLOGAN, "slogan: 立場を超えて: 連携・協働を！"),
         [f"{E}:{{line:slogan:}}: error: syntax: column 15: a ': ' (a colon and a space) inside a text; put the whole text in double quotes"]),
    Case("list-for-text", "encouragement.yaml", sub(SLOGAN, "slogan: [立場を超えた連携・協働を！]"),
         [f"{E}:{{line:slogan:}}: error: slogan: expected text, found a list"]),
    Case("mapping-for-list", "messages.yaml", sub("messages:\n", "messages:\n  first: x\nold_messages:\n"),
         [f"{M}:{{line:first: x}}: error: messages: expected a list (lines starting with '- '), found keys and values (key: value)",
          f"{M}:{{line:old_messages:}}: error: old_messages: unknown key 'old_messages'; did you mean 'messages'? (expected one of: heading, messages)"]),
    Case("missing-body", "messages.yaml", sub(BODY + "\n", ""),
         [f"{M}:{{line:id: growing-through-worries}}: error: messages[3].body: missing required key 'body'"]),
    Case("unknown-top-key", "viewpoints.yaml", sub("heading: 目指す", "headng: 目指す"),
         [f"{V}:{{line:headng}}: error: headng: unknown key 'headng'; did you mean 'heading'? (expected one of: heading, lead, viewpoints)"]),
    Case("unknown-key-no-hint", "document.yaml", sub("date: 令和3年3月", "date: 令和3年3月\nurl: https://example.org/"),
         [f"{D}:{{line:url:}}: error: url: unknown key 'url' (expected one of: committee, credit, date, date_iso, programme, title)"]),
    Case("look-alike-key", "encouragement.yaml", sub(SLOGAN, SLOGAN.replace("o", "\u043e")),
         [f"{E}:{{line:sl\u043egan}}: error: sl\u043egan: unknown key 'sl\u043egan': it contains '\u043e' (U+043E CYRILLIC SMALL LETTER O), which is not a plain letter; "
          "did you mean 'slogan'? (expected one of: lead, message_heading, paragraphs, slogan, subtitle, title)"]),
    Case("full-width-key", "encouragement.yaml", sub(SLOGAN, SLOGAN.replace("slogan", "ｓｌｏｇａｎ")),
         [f"{E}:{{line:ｓｌｏｇａｎ}}: error: ｓｌｏｇａｎ: unknown key 'ｓｌｏｇａｎ': it contains 'ｓ' (U+FF53 FULLWIDTH LATIN SMALL LETTER S), which is not a plain letter; "
          "did you mean 'slogan'? (expected one of: lead, message_heading, paragraphs, slogan, subtitle, title)"]),
    Case("duplicate-key", "encouragement.yaml", sub(SLOGAN, SLOGAN + "\nslogan: もう一つ"),
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
    Case("nul-in-text", "encouragement.yaml", lambda t: t.replace("立場", "\x00").encode(),
         [f"{E}: error: file: this is not a text file (it contains NUL bytes); expected UTF-8 text"]),
    Case("shift-jis", "messages.yaml", lambda t: t.encode("cp932"),
         [f"{M}:1: error: file: the file is not valid UTF-8 text at byte 2 (it looks like Shift_JIS: save the file as UTF-8)"]),
    Case("utf-16", "messages.yaml", lambda t: t.encode("utf-16"),
         [f"{M}: error: file: the file is saved as UTF-16; save it as UTF-8 text"]),
    Case("utf-16-no-bom", "messages.yaml", lambda t: t.encode("utf-16-le"),
         [f"{M}: error: file: the file is saved as UTF-16; save it as UTF-8 text"]),
    Case("missing-file", "document.yaml", lambda t: None,  # (the other parts may be left out)
         [f"{D}: error: file: the content file is missing; expected document.yaml in content/"]),
    Case("folder-for-file", "encouragement.yaml", None,
         [f"{E}: error: file: the content file is a folder, not a file; expected encouragement.yaml in content/"],
         setup=replace_with(Path.mkdir)),
    Case("pipe-for-file", "encouragement.yaml", None,  # reading it would wait for ever
         [f"{E}: error: file: the content file is a device or pipe, not a file; expected encouragement.yaml in content/"],
         setup=replace_with(os.mkfifo)),
    Case("link-out-of-folder", "encouragement.yaml", None,  # must not be read, nor quoted in a message
         [f"{E}: error: file: the content file is a link to /etc/passwd, outside content/; copy the file into the folder instead"],
         setup=replace_with(lambda path: path.symlink_to("/etc/passwd"))),
    Case("link-to-device", "encouragement.yaml", None,
         [f"{E}: error: file: the content file is a link to /dev/zero, outside content/; copy the file into the folder instead"],
         setup=replace_with(lambda path: path.symlink_to("/dev/zero"))),
    Case("dangling-link", "encouragement.yaml", None,
         [f"{E}: error: file: the content file is a link to a missing file; expected encouragement.yaml in content/"],
         setup=replace_with(lambda path: path.symlink_to(path.parent / "gone.yaml"))),
    Case("huge-file", "messages.yaml", lambda t: t + "#" * 3_000_000,
         [f"{M}: error: file: file is too large ({{size}} bytes); a content file may be at most 2,000,000 bytes"]),
    Case("ten-megabytes", "messages.yaml", lambda t: t + ("# " + "あ" * 99 + "\n") * 33_000,
         [f"{M}: error: file: file is too large ({{size}} bytes); a content file may be at most 2,000,000 bytes"]),
    Case("huge-text", "messages.yaml", sub("    body: 介護支援専門員の活躍の場は", f"    body: {LONG}介護支援専門員の活躍の場は"),
         [f"{M}:{{line:{LONG[:10]}}}: error: messages[1].body: text is too long (50,067 characters); at most 5,000 are allowed"]),
    Case("long-title", "messages.yaml", sub("    title: 笑顔で前を向いていこう", "    title: " + "笑顔で前を向いていこう" * 10),
         [f"{M}:{{line:title: 笑顔で前を向いていこう笑顔}}: error: messages[4].title: text is too long (110 characters); at most 100 are allowed in a title, heading, name or date"]),
    Case("file-text-too-long", "messages.yaml", lambda t: many_messages(41, "あ" * 4_900),
         [f"{M}: error: file: the texts of this file add up to 201,063 characters; at most 200,000 are allowed in one file"]),
    Case("too-many-items", "messages.yaml", lambda t: many_messages(1_001),
         [f"{M}:3: error: messages: expected at most 1000 items, found 1001"]),
    Case("control-char-escape", "encouragement.yaml", sub(SLOGAN, 'slogan: "立場を超えた\\a連携・協働を！"'),
         [f"{E}:{{line:slogan:}}: error: slogan: control character U+0007 is not allowed at character 7 of the text"]),
    Case("control-char-raw", "encouragement.yaml", sub("slogan: 立場を超えた連携", "slogan: 立場を超えた\x0b連携"),
         [f"{E}:{{line:slogan:}}: error: syntax: '\\x0b' (U+000B) is not allowed in a content file"]),
    Case("line-separator", "encouragement.yaml", sub(SLOGAN, "slogan: 立場を超えた\u2028連携・協働を！"),
         [f"{E}:{{line:slogan:}}: error: syntax: '\\u2028' (U+2028 LINE SEPARATOR) is not allowed in a content file "
          "(a line break pasted from a word processor?); delete it, or press Enter for a new line"]),
    Case("lone-surrogate", "encouragement.yaml", sub(SLOGAN, 'slogan: "立場を超えた\\ud800"'),
         [f"{E}:{{line:slogan:}}: error: slogan: lone surrogate U+D800 (a broken character) is not allowed at character 7 of the text"]),
    Case("missing-glyph-emoji", "messages.yaml", sub("    title: 笑顔で前を向いていこう", "    title: 笑顔で前を向いていこう😊"),
         [f"{M}:{{line:😊}}: error: messages[4].title: character '😊' (U+1F60A SMILING FACE WITH SMILING EYES) is not in the bundled fonts (BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); replace it or remove it"]),
    Case("bidi-override", "encouragement.yaml", sub(SLOGAN, "slogan: 立場を超えた\u202e連携・協働を！"),
         [f"{E}:{{line:slogan:}}: error: slogan: character '\\u202e' (U+202E RIGHT-TO-LEFT OVERRIDE) is not in the bundled fonts (BIZ UDGothic, BIZ UDMincho, BIZ UDPGothic); replace it or remove it"]),
    Case("python-tag", "messages.yaml", sub("heading: ひとことメッセージ", "heading: !!python/object/apply:os.system ['touch /tmp/pwned']"),
         [f"{M}:{{line:heading:}}: error: heading: expected text, found a list"]),
    Case("python-tag-on-list", "introduction.yaml", sub("opening:\n", "opening: !!python/object/apply:os.system\n"),
         [f"{I}:{{line:opening:}}: error: opening: YAML tags such as '!!python/object/apply:os.system' are not allowed; write a plain list"]),
    Case("binary-tag", "encouragement.yaml", sub(SLOGAN, "slogan: !!binary 56uL5aC0"),
         [f"{E}:{{line:slogan:}}: error: slogan: YAML tags such as '!!binary' are not allowed; write plain text"]),
    Case("alias", "encouragement.yaml", sub(SLOGAN, "slogan: *title"),
         [f"{E}:{{line:slogan:}}: error: syntax: column 9: aliases such as '*title' are not allowed; write the text out in full"]),
    Case("billion-laughs", "encouragement.yaml", lambda t: t + LOL,
         [f"{E}:{{line:lol1:}}: error: syntax: column 12: aliases such as '*a' are not allowed; write the text out in full"]),
    Case("deep-nesting", "encouragement.yaml", sub(SLOGAN, "slogan: " + "[" * 50_000 + "]" * 50_000),
         [f"{E}:{{line:slogan:}}: error: syntax: column 28: lists and keys are nested more than 20 levels deep"]),
    Case("too-many-points", "viewpoints.yaml", sub("      - 専門職として自身の確固たる職業観、倫理観を持ち深化させていくこと。\n", "      - 専門職として自身の確固たる職業観、倫理観を持ち深化させていくこと。\n" + "      - 追加。\n" * 56),
         [f"{V}:{{line:      - 利用者に寄り添い}}: error: viewpoints[0].points: expected at most 50 items, found 60"]),
    Case("no-messages", "messages.yaml", lambda t: "heading: ひとことメッセージ\nmessages: []\n",
         [f"{M}:2: error: messages: expected at least 1 item, found 0"]),
    Case("bad-date", "document.yaml", sub("date_iso: 2021-03", "date_iso: 令和3年3月"),
         [f"{D}:{{line:date_iso:}}: error: date_iso: expected a year and month as YYYY-MM (for example 2021-03), found '令和3年3月'"]),
    Case("root-is-list", "document.yaml", lambda t: "- title\n- date\n",
         [f"{D}:1: error: file: expected keys and values (key: value), found a list"]),
    Case("non-text-key", "document.yaml", sub("date: 令和3年3月", "[date]: 令和3年3月"),
         [f"{D}:{{line:title:\n}}: error: date: missing required key 'date'",
          f"{D}:{{line:[date]}}: error: file: expected a key name before the colon, found a list"]),
    Case("second-document", "encouragement.yaml", lambda t: t + "---\nslogan: x\n",
         [f"{E}:{{line:---}}: error: syntax: column 1: a second document in the file (a line '---' or '...'); keep one document per file: remove that line"]),
    # Valid content that one renderer cannot lay out: a clear error naming the text, in seconds.
    Case("card-body-too-long", "messages.yaml", sub(BODY, "    body: " + LONG_BODY),
         [f"{M}:{{line:{LONG_BODY[:20]}}}: error: messages[3].body: card 04 (growing-through-worries) does not fit on one A3 page: "
          "the text does not fit at the smallest sizes (headline 72 pt, text 28 pt); shorten it, or use a larger --paper"],
         args=("build", "--only", "cards")),
    Case("card-headline-too-long", "messages.yaml", sub("    title: 笑顔で前を向いていこう", "    title: " + ("笑顔で前を向いていこう、" * 10)[:100]),
         [f"{M}:{{line:title: 笑顔で前を向いていこう、}}: error: messages[4].title: card 05 (smile-forward) does not fit on one A3 page: "
          "the headline does not fit in 4 lines at the smallest headline size (72 pt); shorten it, or use a larger --paper"],
         args=("build", "--only", "cards")),
    Case("card-kicker-too-long", "viewpoints.yaml", sub(HEADING, "heading: " + LONG_HEADING),
         [f"{V}:{{line:heading: これから}}: error: heading: too long for the band at the top of card 23 (users-and-families) on A3 paper, even at 14.4 pt; shorten it"],
         args=("build", "--only", "cards")),
    Case("handout-word-too-wide", "messages.yaml", sub("    body: ケアマネジャーの悩みは全国共通。", "    body: ケアマネジャーの悩みは" + "x" * 100 + "。"),
         [f"{M}:{{line:body: ケアマネジャーの悩みは}}: error: messages[3].body: “" + "x" * 40 + "…” cannot be broken into lines "
          "and is wider than its column (207 pt at 8.6 pt); shorten it or add a space"],
         args=("handout",)),
    Case("poster-word-too-wide", "viewpoints.yaml", lambda t: re.sub(r"^lead: .*$", "lead: " + "x" * 4_999, t, count=1, flags=re.M),
         [f"{V}:{{line:lead: x}}: error: lead: a word of the lead is too wide for the poster on A2 paper even at the smallest sizes (points 24 pt); shorten it, or use a larger --paper"],
         args=("build", "--only", "poster")),
]


@pytest.fixture(scope="module")
def earlier_output(tmp_path_factory):
    """An output folder holding files from an earlier build."""
    out = tmp_path_factory.mktemp("out")
    (out / "handout.pdf").write_bytes(b"%PDF-1.7 earlier good handout")
    (out / "cards").mkdir()
    (out / "cards" / "01-x.pdf").write_bytes(b"%PDF-1.7 earlier card")
    return out


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case, tmp_path, earlier_output):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = tmp_path / "content" / case.file
    if case.setup:
        case.setup(path)
    else:
        new = case.change(path.read_text(encoding="utf-8"))
        if new is None:
            path.unlink()
        elif isinstance(new, bytes):
            path.write_bytes(new)
        else:
            path.write_text(new, encoding="utf-8")
    before = snapshot(earlier_output)

    result = run_printgen(*case.args, "--out", earlier_output, cwd=tmp_path, timeout=TIMEOUT)

    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() and not path.is_symlink() else ""

    def line_of(needle):
        return text[: text.index(needle)].count("\n") + 1

    expected = []
    for line in case.expected:
        line = re.sub(r"\{line:(.*?)\}", lambda m: str(line_of(m.group(1).replace("\\t", "\t"))), line, flags=re.S)
        expected.append(line.replace("{size}", f"{path.stat().st_size:,}" if path.is_file() else ""))
    assert result.stderr.splitlines() == expected
    assert result.exit_code == case.exit_code
    assert "Traceback" not in result.stderr
    assert snapshot(earlier_output) == before


# --- odd but valid files: they load, and say what was typed ----------------------------------


def _slogan_after(tmp_path, change) -> str:
    from generator.content import load_content

    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = tmp_path / "content" / "encouragement.yaml"
    new = change(path.read_text(encoding="utf-8"))
    path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
    return load_content(tmp_path / "content").encouragement.slogan


@pytest.mark.parametrize("change, slogan", [
    (lambda t: "\ufeff" + t, "立場を超えた連携・協働を！"),  # a byte-order mark from Notepad
    (lambda t: t.replace("\n", "\r\n"), "立場を超えた連携・協働を！"),  # Windows line ends
    (lambda t: t.replace("\n", "\r"), "立場を超えた連携・協働を！"),  # old Mac line ends
    (lambda t: "%YAML 1.1\n---\n" + t + "...\n", "立場を超えた連携・協働を！"),  # explicit document markers
    (sub(SLOGAN, "slogan: .nan"), ".nan"),  # YAML would read a number or a boolean: the text as typed
    (sub(SLOGAN, "slogan: -.inf"), "-.inf"),
    (sub(SLOGAN, "slogan: yes"), "yes"),
    (sub(SLOGAN, "slogan: 2021-03-01"), "2021-03-01"),
    (sub(SLOGAN, "slogan: ="), "="),
    (sub(SLOGAN, "slogan: !!str 立場を超えた"), "立場を超えた"),
    (sub(SLOGAN, "slogan: &s 立場を超えた"), "立場を超えた"),  # an anchor alone is harmless
], ids=["bom", "crlf", "cr", "document-markers", "nan", "inf", "bool", "date", "value-sign", "str-tag", "anchor"])
def test_odd_but_valid_files_load(tmp_path, change, slogan):
    assert _slogan_after(tmp_path, change) == slogan


def test_a_link_to_a_file_inside_the_content_folder_is_read(tmp_path):
    from generator.content import load_content

    content = shutil.copytree(CONTENT_DIR, tmp_path / "content")
    (content / "encouragement.yaml").rename(content / "encouragement-2021.yaml")
    (content / "encouragement.yaml").symlink_to("encouragement-2021.yaml")
    assert load_content(content).encouragement.slogan == "立場を超えた連携・協働を！"


def test_an_unreadable_file_is_named(tmp_path, monkeypatch):
    """(Run as root, permission bits do not stop reading: the error is simulated.)"""
    from generator.content import load_content
    from generator.errors import ContentError

    content = shutil.copytree(CONTENT_DIR, tmp_path / "content")
    real_open = Path.open

    def open_(self, *args, **kwargs):
        if self.name == "viewpoints.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_)
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{tmp_path}/content/viewpoints.yaml: error: file: cannot read the file (Permission denied)"
    ]


# --- an output folder that cannot be written ------------------------------------------------


@pytest.fixture
def in_the_way(tmp_path):
    """A regular file where an output folder would go."""
    path = tmp_path / "notes.txt"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


def usage_error(command: str, message: str) -> list[str]:
    return [f"Usage: printgen {command} [OPTIONS]", f"Try 'printgen {command} --help' for help.", "", f"Error: {message}"]


@pytest.mark.parametrize("command", ["build", "poster"])
def test_output_folder_that_is_a_file(tmp_path, in_the_way, command):
    result = run_printgen(command, "--content", CONTENT_DIR, "--out", "notes.txt", cwd=tmp_path, timeout=TIMEOUT)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == usage_error(command, "Invalid value for '--out': 'notes.txt' is a file, not a folder")
    assert in_the_way.read_text(encoding="utf-8") == "not a folder\n"


@pytest.mark.parametrize("command", ["build", "poster"])
def test_output_folder_inside_a_file(tmp_path, in_the_way, command):
    result = run_printgen(command, "--content", CONTENT_DIR, "--out", "notes.txt/out", cwd=tmp_path, timeout=TIMEOUT)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == usage_error(
        command, "Invalid value for '--out': cannot make folder 'notes.txt/out': 'notes.txt' is a file, not a folder")
    assert in_the_way.read_text(encoding="utf-8") == "not a folder\n"


@pytest.mark.parametrize("args, blocked", [
    (("build", "--only", "poster", "--only", "cards"), "cards.pdf"),  # written after poster.pdf
    (("cards", "--split"), "cards/26-interprofessional.pdf"),  # the last of 27 files
], ids=["build", "cards-split"])
def test_a_folder_in_the_way_changes_nothing(tmp_path, earlier_output, args, blocked):
    """A file that cannot be written fails the run before any other file is replaced."""
    out = shutil.copytree(earlier_output, tmp_path / "out")
    (out / blocked).mkdir(parents=True)
    before = snapshot(out)
    result = run_printgen(*args, "--content", CONTENT_DIR, "--out", out, cwd=tmp_path, timeout=TIMEOUT)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{out / blocked}: error: output: cannot write the file (a folder has its name; move the folder away)"]
    assert snapshot(out) == before  # nothing replaced, no temporary file left


# --- long text through the real renderers ---------------------------------------------------


def test_a_text_as_long_as_allowed_gives_a_correct_handout_and_deck(tmp_path):
    """A 4,999-character body: the handout holds all of it, the deck's speaker notes too."""
    content = shutil.copytree(CONTENT_DIR, tmp_path / "content")
    messages = content / "messages.yaml"
    messages.write_text(messages.read_text(encoding="utf-8").replace(BODY, "    body: " + LONG_BODY), encoding="utf-8")
    result = run_printgen("build", "--only", "handout", "--only", "deck", "--out", tmp_path / "out", cwd=tmp_path, timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    pages = pdf_page_texts(tmp_path / "out" / "handout.pdf")
    handout = squeeze("".join("".join(page.splitlines()[:-2]) for page in pages))  # without running head and page number
    assert squeeze(LONG_BODY) in handout
    from pptx import Presentation

    prs = Presentation(str(tmp_path / "out" / "deck.pptx"))
    notes = squeeze("".join(slide.notes_slide.notes_text_frame.text for slide in prs.slides))
    assert notes.count("悩みは一人で抱え込まず") == LONG_BODY.count("悩みは一人で抱え込まず")


def test_a_long_kicker_shrinks_to_fit_its_band(tmp_path):
    """A heading longer than the band holds at the label size is set smaller, not clipped."""
    heading = LONG_HEADING[:40]
    content = shutil.copytree(CONTENT_DIR, tmp_path / "content")
    viewpoints = content / "viewpoints.yaml"
    viewpoints.write_text(viewpoints.read_text(encoding="utf-8").replace(HEADING, "heading: " + heading), encoding="utf-8")
    result = run_printgen("cards", "--out", tmp_path / "out", cwd=tmp_path, timeout=TIMEOUT)
    assert result.exit_code == 0, result.stderr
    pages = pdf_page_texts(tmp_path / "out" / "cards.pdf")
    assert all(heading in squeeze(page) for page in pages[22:]), pages[22]


def test_a_run_interrupted_between_files_leaves_no_temporary_file(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "out"
    script = ("from generator.writer import OutputWriter\n"
              f"with OutputWriter({str(out)!r}) as writer:\n"
              "    writer.write('handout.pdf', b'%PDF new')\n"
              "    raise KeyboardInterrupt\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert "KeyboardInterrupt" in proc.stderr
    assert not out.exists()  # made by the run, and left empty: removed
