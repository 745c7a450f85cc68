"""Read ``content/`` into the :mod:`generator.model`, reporting every problem at once.

Each problem becomes a :class:`~generator.errors.Diagnostic` naming file, line and key path;
after all files are read, any problems are raised together as one
:class:`~generator.errors.ContentError`.

Text rules (documented for editors in ``docs/content-format.md``):
- leading and trailing white space is removed;
- a text written over several lines is joined: no space between two Japanese characters, one
  space otherwise (so a line broken in an editor does not put a gap into Japanese text);
- zero-width spaces, word joiners and byte-order marks (often pasted from web pages) are removed;
- control characters and lone surrogates are errors.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from generator.errors import ContentError, Diagnostic
from generator.i18n import _, ngettext
from generator.fonts import check_glyphs, describe_char
from generator.model import (
    ID_MAX,
    ID_PATTERN,
    POINT_MARKERS,
    Content,
    Correction,
    Document,
    Encouragement,
    Introduction,
    Message,
    Messages,
    Section,
    Source,
    Text,
    Viewpoint,
    Viewpoints,
)
from generator.templates import template_texts

DOCUMENT = "document.yaml"
INTRODUCTION = "introduction.yaml"
VIEWPOINTS = "viewpoints.yaml"
ENCOURAGEMENT = "encouragement.yaml"
MESSAGES = "messages.yaml"
CONTENT_FILES = (DOCUMENT, INTRODUCTION, VIEWPOINTS, ENCOURAGEMENT, MESSAGES)
# Every part but the document is optional: a training text without one leaves its file out.
OPTIONAL_FILES = (INTRODUCTION, VIEWPOINTS, ENCOURAGEMENT, MESSAGES)

# Limits only stop runaway input: a training text of 60,000 characters with 300 messages
# builds. A content file larger than this is refused before parsing (the bundled files are at
# most 8 KB; PyYAML parses ~0.3 MB a second, so this bounds the time a file takes to read).
MAX_FILE_BYTES = 2_000_000
# A single text longer than this is refused (the longest bundled paragraph is ~470 characters).
MAX_TEXT_CHARS = 5_000
# A title, heading, name or date longer than this is refused (the longest bundled one has 31):
# these are set in big type or on one line, where a longer text never fits.
MAX_LINE_CHARS = 100
# The texts of one file may add up to at most this many characters (the largest bundled file
# has ~2,100), and a list may have at most this many items: bounds on what a build must lay out.
MAX_FILE_CHARS = 200_000
MAX_ITEMS = 1_000
# Lists and keys nested deeper than this are refused (the content needs 5 levels; PyYAML's
# composer recurses once a level, so a deeper file could exhaust the stack).
MAX_DEPTH = 20

_REMOVED_CHARS = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))
_NULL_TAG = "tag:yaml.org,2002:null"
# Tags YAML gives plain scalars by itself (``2021`` is an int, ``yes`` a bool, ``=`` a value):
# all are read as the text typed. Any other tag (``!!binary``, ``!foo``) was typed on purpose.
_PLAIN_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")}
# Line breaks to YAML but not to most editors: line numbers would no longer match the editor's.
_UNUSUAL_LINE_BREAK = re.compile("[\x85\u2028\u2029]")


def display_path(path: Path) -> str:
    """``path`` as the user should see it: relative to the working directory when inside it."""
    path = Path(path).absolute()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:  # outside the working directory
        return str(path)


class _PlainComposerError(yaml.composer.ComposerError):
    """A problem printgen itself finds while composing, already in plain words."""


class _ContentLoader(yaml.SafeLoader):
    """Composes a content file into nodes, refusing what no content file needs: aliases
    (``*name``: a few lines of them can stand for billions of texts) and nesting deeper than
    :data:`MAX_DEPTH`."""

    def __init__(self, stream):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _PlainComposerError(None, None, _("aliases such as '*{anchor}' are not allowed; write the text out in full").format(anchor=event.anchor), event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise _PlainComposerError(None, None, _("lists and keys are nested more than {depth} levels deep").format(depth=MAX_DEPTH), event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_content(content_dir: Path) -> Content:
    """Read and validate every content file; raise :class:`ContentError` listing all problems."""
    content_dir = Path(content_dir)
    diagnostics: list[Diagnostic] = []
    readers = {name: _FileReader(content_dir / name, diagnostics) for name in CONTENT_FILES
               if name not in OPTIONAL_FILES or os.path.lexists(content_dir / name)}
    roots = {name: reader.load() for name, reader in readers.items()}
    ids = _IdRegistry(diagnostics)

    parts = {
        DOCUMENT: _read_document,
        INTRODUCTION: _read_introduction,
        VIEWPOINTS: _read_viewpoints,
        ENCOURAGEMENT: _read_encouragement,
        MESSAGES: _read_messages,
    }
    model = {}
    for name, read in parts.items():
        root = roots.get(name)
        model[name] = read(readers[name], root, ids) if root is not None else None

    for reader in readers.values():
        chars = sum(map(len, reader.texts))
        if chars > MAX_FILE_CHARS:
            reader.error(None, "file", _("the texts of this file add up to {chars:,} characters; at most {most:,} are allowed in one file").format(chars=chars, most=MAX_FILE_CHARS))
    texts = [t for reader in readers.values() for t in reader.texts]
    diagnostics += check_glyphs((t, t.source.path, t.source.line, t.source.key) for t in texts)
    diagnostics += check_glyphs([(POINT_MARKERS, "generator/model.py", None, "POINT_MARKERS")])
    diagnostics += check_glyphs(template_texts())
    if diagnostics:
        order = {display_path(content_dir / name): i for i, name in enumerate(CONTENT_FILES)}
        diagnostics.sort(key=lambda d: (order.get(d.path, len(order)), d.path, d.line or 0))
        raise ContentError(diagnostics)
    return Content(
        document=model[DOCUMENT],
        introduction=model[INTRODUCTION],
        viewpoints=model[VIEWPOINTS],
        encouragement=model[ENCOURAGEMENT],
        messages=model[MESSAGES],
        content_dir=content_dir,
    )


# --- one file -----------------------------------------------------------------------------


@dataclass
class _Field:
    name: str
    required: bool = True


class _FileReader:
    """Reads one YAML file into nodes and turns nodes into checked values, noting problems."""

    def __init__(self, path: Path, diagnostics: list[Diagnostic]):
        self.path = path
        self.shown = display_path(path)
        self.diagnostics = diagnostics
        self.source_lines: list[str] = []
        self.texts: list[Text] = []  # every text read, for the glyph check

    # -- problems

    def error(self, line: int | None, key: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.shown, line, key, message))

    def error_at(self, node: yaml.Node, key: str, message: str) -> None:
        self.error(node.start_mark.line + 1, key, message)

    # -- the file

    def load(self) -> yaml.Node | None:
        """Parse the file into a node tree (safe: no tags are constructed), or note why not."""
        data = self._read()
        if data is None:
            return None
        text = self._decode(data)
        if text is None:
            return None
        # Windows (CR LF) and old Mac (CR) line ends: lines as the parser and editors count them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not self._line_breaks_ok(text):
            return None
        self.source_lines = text.splitlines()
        if self._typing_slips(text):
            return None
        try:
            root = yaml.compose(text, Loader=_ContentLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            column = _("column {column}: ").format(column=mark.column + 1) if mark else ""
            problem = exc.problem or exc.context or "invalid YAML"
            if "end of stream" in problem and exc.context_mark and "quoted" in (exc.context or ""):
                mark = exc.context_mark  # where the unclosed quote starts, not the end of the file
                self.error(mark.line + 1, "syntax", _("column {column}: a quoted text is not closed (add the closing quote)").format(column=mark.column + 1))
                return None
            if exc.problem and exc.context and exc.context_mark:
                problem += _(" ({context} at line {line})").format(context=exc.context, line=exc.context_mark.line + 1)
            self.error(line, "syntax", column + (problem if isinstance(exc, _PlainComposerError) else _plain_problem(problem)))
            return None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow
            line = text[: exc.position].count("\n") + 1
            self.error(line, "syntax", _("{char} is not allowed in a content file").format(char=describe_char(chr(exc.character))) if isinstance(exc.character, int) else str(exc))
            return None
        if root is None:
            self.error(1, "file", _("the file is empty; expected keys such as the ones in the bundled content"))
            return None
        return root

    def _typing_slips(self, text: str) -> bool:
        """Note the slips a Japanese input method makes easy, each on its own line, in plain
        words (YAML would report them as jargon, often on another line); whether there were any."""
        found = False
        item_indent: int | None = None  # the indentation of the last list item's '- '
        for number, line in enumerate(text.split("\n"), 1):
            body = line.lstrip(" ")
            indent = len(line) - len(body)
            if body.startswith("#") or not body.strip():
                continue
            if body[0] == "\u3000":
                self.error(number, "syntax", _("the line is indented with full-width spaces (全角スペース); "
                                               "indent with half-width spaces"))
                found = True
            elif body[0] == "\t":
                self.error(number, "syntax", _("the line is indented with a tab; indent with spaces"))
                found = True
            elif colon := _FULL_WIDTH_COLON.match(body):
                self.error(number, "syntax", _("the colon after '{key}' is a full-width colon (：); type a half-width colon (:) "
                                               "followed by a space").format(key=colon.group(1)))
                found = True
            elif body.startswith("- ") or body == "-":
                item_indent = indent
            elif item_indent is not None and indent == item_indent and not _KEY_LINE.match(body):
                self.error(number, "syntax", _("a list item without '- ': start the line with a hyphen and a space, "
                                               "as the items above"))
                found = True
            elif indent < (item_indent or 0):
                item_indent = None
        return found

    def _read(self) -> bytes | None:
        """The file's bytes, if it is a readable, not too large, regular file inside its folder."""
        folder = self.path.parent
        if not self.path.exists():
            message = (_("the content file is a link to a missing file; expected {name} in {folder}/") if self.path.is_symlink()
                       else _("the content file is missing; expected {name} in {folder}/"))
            self.error(None, "file", message.format(name=self.path.name, folder=display_path(folder)))
            return None
        target = self.path.resolve()
        if not target.is_relative_to(folder.resolve()):
            # A content folder from elsewhere must not make printgen read (and quote in its
            # messages) a file of this machine.
            self.error(None, "file", _("the content file is a link to {target}, outside {folder}/; copy the file into the folder instead").format(target=target, folder=display_path(folder)))
            return None
        if not self.path.is_file():
            message = (_("the content file is a folder, not a file; expected {name} in {folder}/") if self.path.is_dir()
                       else _("the content file is a device or pipe, not a file; expected {name} in {folder}/"))
            self.error(None, "file", message.format(name=self.path.name, folder=display_path(folder)))
            return None
        try:
            with self.path.open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            self.error(None, "file", _("cannot read the file ({problem})").format(problem=exc.strerror or exc))
            return None
        if len(data) > MAX_FILE_BYTES:
            size = max(self.path.stat().st_size, len(data))
            self.error(None, "file", _("file is too large ({size:,} bytes); a content file may be at most {most:,} bytes").format(size=size, most=MAX_FILE_BYTES))
            return None
        return data

    def _line_breaks_ok(self, text: str) -> bool:
        """Note every line holding a line break only YAML sees (line numbers as editors count)."""
        if not _UNUSUAL_LINE_BREAK.search(text):
            return True
        for number, line in enumerate(text.split("\n"), 1):
            found = _UNUSUAL_LINE_BREAK.search(line)
            if found:
                self.error(number, "syntax", _("{char} is not allowed in a content file (a line break pasted from a word processor?); delete it, or press Enter for a new line").format(char=describe_char(found.group())))
        return False

    def _decode(self, data: bytes) -> str | None:
        if b"\x00" in data:
            if _is_utf16(data):
                self.error(None, "file", _("the file is saved as UTF-16; save it as UTF-8 text"))
            else:
                self.error(None, "file", _("this is not a text file (it contains NUL bytes); expected UTF-8 text"))
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            hint = ""
            try:
                data.decode("cp932")
                hint = _(" (it looks like Shift_JIS: save the file as UTF-8)")
            except UnicodeDecodeError:
                pass
            self.error(line, "file", _("the file is not valid UTF-8 text at byte {byte}").format(byte=exc.start) + hint)
            return None

    # -- shapes

    def mapping(self, node: yaml.Node | None, key: str, fields: list[_Field]) -> dict[str, yaml.Node] | None:
        """Check ``node`` is a mapping with exactly the known keys; return key -> value node."""
        if node is None:
            return None
        if not isinstance(node, yaml.MappingNode):
            self.error_at(node, key or "file", _("expected keys and values (key: value), found {found}").format(found=_describe(node)))
            return None
        if node.tag != "tag:yaml.org,2002:map":
            self.error_at(node, key or "file", _("YAML tags such as '{tag}' are not allowed; write plain keys and values").format(tag=_short_tag(node.tag)))
            return None
        known = {f.name: f for f in fields}
        found: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        misspelt: set[str | None] = set()  # known keys an unknown key looks like a typo of
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            here = _join(key, str(name))
            if not isinstance(name, str):
                self.error_at(key_node, key or "file", _("expected a key name before the colon, found {found}").format(found=_describe(key_node)))
                continue
            if name not in known:
                message, suggested = _unknown_key(name, known)
                self.error_at(key_node, here, message)
                misspelt.add(suggested)
                continue
            if name in found:
                self.error_at(key_node, here, _("duplicate key '{name}' (first given at line {line})").format(name=name, line=first_line[name]))
                continue
            found[name] = value_node
            first_line[name] = key_node.start_mark.line + 1
        for f in fields:
            if f.required and f.name not in found and f.name not in misspelt:
                self.error_at(node, _join(key, f.name), _("missing required key '{name}'").format(name=f.name))
        return found

    def sequence(self, node: yaml.Node | None, key: str, *, min_items: int = 1, max_items: int = MAX_ITEMS) -> list[yaml.Node] | None:
        if node is None:
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.error_at(node, key, _("expected a list (lines starting with '- '), found {found}").format(found=_describe(node)))
            return None
        if node.tag != "tag:yaml.org,2002:seq":
            self.error_at(node, key, _("YAML tags such as '{tag}' are not allowed; write a plain list").format(tag=_short_tag(node.tag)))
            return None
        count = len(node.value)
        if count < min_items:
            self.error_at(node, key, ngettext("expected at least {least} item, found {count}", "expected at least {least} items, found {count}", min_items).format(least=min_items, count=count))
            return None
        if count > max_items:
            self.error_at(node, key, _("expected at most {most} items, found {count}").format(most=max_items, count=count))
            return None
        return list(node.value)

    def text(self, node: yaml.Node | None, key: str, max_chars: int = MAX_TEXT_CHARS) -> Text | None:
        """A non-empty piece of text. Any scalar counts (``2021`` is the text "2021")."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.error_at(node, key, _("expected text, found {found}").format(found=_describe(node)))
            return None
        if node.tag == _NULL_TAG and node.style is None:
            if node.value:  # null, ~: YAML's words for "no value"
                self.error_at(node, key, _("expected text, found '{value}', which YAML reads as no value; write the text, or put it in quotes (\"{value}\") to print it").format(value=node.value))
            else:
                self.error_at(node, key, _("expected text, found nothing (write the text after the colon)"))
            return None
        if node.tag not in _PLAIN_SCALAR_TAGS:
            self.error_at(node, key, _("YAML tags such as '{tag}' are not allowed; write plain text").format(tag=_short_tag(node.tag)))
            return None
        value = nfc(self._scalar_text(node))
        value = value.translate(_REMOVED_CHARS).replace("\t", " ").strip()
        if not value:
            self.error_at(node, key, _("expected text, found empty text"))
            return None
        if len(value) > max_chars:
            message = (_("text is too long ({chars:,} characters); at most {most:,} are allowed in a title, heading, name or date") if max_chars == MAX_LINE_CHARS
                       else _("text is too long ({chars:,} characters); at most {most:,} are allowed"))
            self.error_at(node, key, message.format(chars=len(value), most=max_chars))
            return None
        for index, char in enumerate(value):
            problem = _bad_char(char)
            if problem:
                self.error_at(node, key, _("{problem} at character {index} of the text").format(problem=problem, index=index + 1))
                return None
        text = Text(value, Source(self.shown, node.start_mark.line + 1, key))
        self.texts.append(text)
        return text

    def _scalar_text(self, node: yaml.ScalarNode) -> str:
        """The scalar's text, with line breaks joined by the rule in the module docstring."""
        start, end = node.start_mark.line, node.end_mark.line
        if node.style in (None, ">", "|") and end > start and self.source_lines:
            raw = self.source_lines[start : end + 1]
            if node.style is None:
                raw[0] = raw[0][node.start_mark.column :]
                raw[-1] = raw[-1][: node.end_mark.column] if end < len(self.source_lines) else raw[-1]
            else:
                raw = raw[1:]  # the line with the '|' or '>' indicator
            pieces = [line.strip() for line in raw]
            return _join_lines([p for p in pieces if p and not p.startswith("#")] if node.style else [p for p in pieces if p])
        if "\n" in node.value:
            return _join_lines([p.strip() for p in node.value.split("\n") if p.strip()])
        return node.value

    def text_list(self, node: yaml.Node | None, key: str, *, min_items: int = 1, max_items: int = MAX_ITEMS,
                  max_chars: int = MAX_TEXT_CHARS) -> tuple[Text, ...] | None:
        items = self.sequence(node, key, min_items=min_items, max_items=max_items)
        if items is None:
            return None
        texts = [self.text(item, f"{key}[{i}]", max_chars) for i, item in enumerate(items)]
        return None if any(t is None for t in texts) else tuple(texts)

    def ident(self, node: yaml.Node | None, key: str, ids: "_IdRegistry") -> Text | None:
        value = self.text(node, key)
        if value is None:
            return None
        if len(value) > ID_MAX or not ID_PATTERN.match(value):
            self.error_at(node, key, _("expected an id of lowercase letters a-z, digits and single hyphens (at most {most} characters), found '{value}'").format(most=ID_MAX, value=value))
            return None
        ids.add(value)
        return value

    def objects(self, node: yaml.Node | None, key: str, read_one: Callable[[yaml.Node, str, int], object], *, min_items: int = 1, max_items: int = MAX_ITEMS) -> tuple | None:
        items = self.sequence(node, key, min_items=min_items, max_items=max_items)
        if items is None:
            return None
        results = [read_one(item, f"{key}[{i}]", i) for i, item in enumerate(items)]
        return None if any(r is None for r in results) else tuple(results)

    def corrections(self, node: yaml.Node | None, key: str, texts: tuple[Text, ...] | None) -> tuple[Correction, ...] | None:
        """Typo corrections of one item: each ``corrected`` must stand in exactly one of its texts."""
        if node is None:
            return ()

        def read_one(item: yaml.Node, here: str, index: int) -> Correction | None:
            fields = self.mapping(item, here, [_Field("original"), _Field("corrected")])
            if fields is None:
                return None
            original = self.text(fields.get("original"), f"{here}.original")
            corrected = self.text(fields.get("corrected"), f"{here}.corrected")
            if original is None or corrected is None:
                return None
            if texts is not None:
                holders = sum(t.count(corrected) for t in texts)
                if holders != 1:
                    message = (_("the corrected text '{corrected}' must appear exactly once in this item's text, found nowhere") if holders == 0
                               else _("the corrected text '{corrected}' must appear exactly once in this item's text, found {count} times"))
                    self.error_at(item, f"{here}.corrected", message.format(corrected=corrected, count=holders))
                    return None
            return Correction(original=original, corrected=corrected)

        return self.objects(node, key, read_one)


class _IdRegistry:
    """Ids are used in file names, so they must be unique across all content."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        self.seen: dict[str, Source] = {}

    def add(self, value: Text) -> None:
        if value in self.seen:
            first = self.seen[value]
            src = value.source
            self.diagnostics.append(Diagnostic(src.path, src.line, src.key, _("duplicate id '{value}' (already used at {path}:{line}, {key})").format(value=value, path=first.path, line=first.line, key=first.key)))
        else:
            self.seen[value] = value.source


# --- the five files -------------------------------------------------------------------------


def _read_document(r: _FileReader, root: yaml.Node, ids: _IdRegistry) -> Document | None:
    f = r.mapping(root, "", [_Field(n) for n in ("title", "committee", "programme", "date", "date_iso", "credit")])
    if f is None:
        return None
    values = dict(
        title_lines=r.text_list(f.get("title"), "title", max_chars=MAX_LINE_CHARS),
        committee=r.text(f.get("committee"), "committee", MAX_LINE_CHARS),
        programme=r.text(f.get("programme"), "programme", MAX_LINE_CHARS),
        date=r.text(f.get("date"), "date", MAX_LINE_CHARS),
        date_iso=r.text(f.get("date_iso"), "date_iso", MAX_LINE_CHARS),
        credit=r.text(f.get("credit"), "credit"),
    )
    date_iso = values["date_iso"]
    if date_iso is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", date_iso):
        r.error_at(f["date_iso"], "date_iso", _("expected a year and month as YYYY-MM (for example 2021-03), found '{value}'").format(value=date_iso))
        return None
    said = _year_month(values["date"]) if values["date"] is not None else None
    if said is not None and date_iso is not None and said != date_iso:
        r.error_at(f["date_iso"], "date_iso", _("'{iso}' is not the same month as date '{date}' ({said}); correct one of the two").format(
            iso=date_iso, date=values["date"], said=said))
        return None
    return _build(Document, values)


# Japanese eras and the year before their first (令和元年 = 2019).
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925}
_JAPANESE_DATE = re.compile(r"(令和|平成|昭和)?\s*([0-9０-９]+|元)\s*年\s*([0-9０-９]+)\s*月")


def _year_month(date: str) -> str | None:
    """``YYYY-MM`` of a date written as 令和3年3月, 2021年3月 (or None if it says no month)."""
    found = _JAPANESE_DATE.search(date)
    if not found:
        return None
    era, year, month = found.groups()
    year = 1 if year == "元" else int(unicodedata.normalize("NFKC", year))
    month = int(unicodedata.normalize("NFKC", month))
    if era:
        year += _ERAS[era]
    elif year < 1000:
        return None
    return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None


def _read_introduction(r: _FileReader, root: yaml.Node, ids: _IdRegistry) -> Introduction | None:
    f = r.mapping(root, "", [_Field("heading"), _Field("subheading"), _Field("opening"), _Field("sections")])
    if f is None:
        return None

    def section(node: yaml.Node, key: str, _: int) -> Section | None:
        s = r.mapping(node, key, [_Field("id"), _Field("heading"), _Field("paragraphs")])
        if s is None:
            return None
        return _build(Section, dict(
            id=r.ident(s.get("id"), f"{key}.id", ids),
            heading=r.text(s.get("heading"), f"{key}.heading", MAX_LINE_CHARS),
            paragraphs=r.text_list(s.get("paragraphs"), f"{key}.paragraphs"),
        ))

    return _build(Introduction, dict(
        heading=r.text(f.get("heading"), "heading", MAX_LINE_CHARS),
        subheading=r.text(f.get("subheading"), "subheading", MAX_LINE_CHARS),
        opening=r.text_list(f.get("opening"), "opening"),
        sections=r.objects(f.get("sections"), "sections", section),
    ))


def _read_viewpoints(r: _FileReader, root: yaml.Node, ids: _IdRegistry) -> Viewpoints | None:
    f = r.mapping(root, "", [_Field("lead"), _Field("heading"), _Field("viewpoints")])
    if f is None:
        return None

    def viewpoint(node: yaml.Node, key: str, index: int) -> Viewpoint | None:
        v = r.mapping(node, key, [_Field("id"), _Field("title"), _Field("points"), _Field("corrections", required=False)])
        if v is None:
            return None
        points = r.text_list(v.get("points"), f"{key}.points", max_items=len(POINT_MARKERS))
        title = r.text(v.get("title"), f"{key}.title", MAX_LINE_CHARS)
        return _build(Viewpoint, dict(
            id=r.ident(v.get("id"), f"{key}.id", ids),
            number=index + 1,
            title=title,
            points=points,
            corrections=r.corrections(v.get("corrections"), f"{key}.corrections", _known(title, *(points or ()))),
        ))

    return _build(Viewpoints, dict(
        lead=r.text(f.get("lead"), "lead"),
        heading=r.text(f.get("heading"), "heading", MAX_LINE_CHARS),
        viewpoints=r.objects(f.get("viewpoints"), "viewpoints", viewpoint),
    ))


def _read_encouragement(r: _FileReader, root: yaml.Node, ids: _IdRegistry) -> Encouragement | None:
    names = ("title", "subtitle", "lead", "message_heading", "paragraphs", "slogan")
    f = r.mapping(root, "", [_Field(n) for n in names])
    if f is None:
        return None
    return _build(Encouragement, dict(
        title_lines=r.text_list(f.get("title"), "title", max_chars=MAX_LINE_CHARS),
        subtitle=r.text(f.get("subtitle"), "subtitle", MAX_LINE_CHARS),
        lead=r.text(f.get("lead"), "lead"),
        message_heading=r.text(f.get("message_heading"), "message_heading", MAX_LINE_CHARS),
        paragraphs=r.text_list(f.get("paragraphs"), "paragraphs"),
        slogan=r.text(f.get("slogan"), "slogan", MAX_LINE_CHARS),
    ))


def _read_messages(r: _FileReader, root: yaml.Node, ids: _IdRegistry) -> Messages | None:
    f = r.mapping(root, "", [_Field("heading"), _Field("messages")])
    if f is None:
        return None

    def message(node: yaml.Node, key: str, index: int) -> Message | None:
        m = r.mapping(node, key, [_Field("id"), _Field("title"), _Field("body"), _Field("corrections", required=False)])
        if m is None:
            return None
        title = r.text(m.get("title"), f"{key}.title", MAX_LINE_CHARS)
        body = r.text(m.get("body"), f"{key}.body")
        return _build(Message, dict(
            id=r.ident(m.get("id"), f"{key}.id", ids),
            number=index + 1,
            title=title,
            body=body,
            corrections=r.corrections(m.get("corrections"), f"{key}.corrections", _known(title, body)),
        ))

    return _build(Messages, dict(
        heading=r.text(f.get("heading"), "heading", MAX_LINE_CHARS),
        messages=r.objects(f.get("messages"), "messages", message),
    ))


# --- helpers --------------------------------------------------------------------------------


def _build(cls, values: dict):
    """``cls(**values)`` unless a value failed (and was reported)."""
    if any(v is None for v in values.values()):
        return None
    return cls(**values)


def _known(*texts: Text | None) -> tuple[Text, ...] | None:
    return None if any(t is None for t in texts) else tuple(texts)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _join(key: str, name: str) -> str:
    return f"{key}.{name}" if key else name


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return _("keys and values (key: value)")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if node.tag == _NULL_TAG and node.style is None:
        return _("nothing")
    value = node.value if len(node.value) <= 30 else node.value[:30] + "…"
    return _("text '{value}'").format(value=value)


def _unknown_key(name: str, known: dict) -> tuple[str, str | None]:
    """The message for an unknown key, and the known key it is probably a typo of.

    Keys are plain ASCII; a key typed in full-width letters or with a look-alike letter
    (U+043E, a Cyrillic o, for a Latin o) looks right on screen, so the message names the odd character.
    """
    names = sorted(known)
    plain = unicodedata.normalize("NFKC", name).lower()
    close = difflib.get_close_matches(plain, names, n=1, cutoff=0.6)
    odd = next((c for c in name if not c.isascii()), None)
    lookalike = _(": it contains {char}, which is not a plain letter").format(char=describe_char(odd)) if odd and close else ""
    hint = _("; did you mean '{name}'?").format(name=close[0]) if close else ""
    message = _("unknown key '{name}'{lookalike}{hint} (expected one of: {names})").format(name=name, lookalike=lookalike, hint=hint, names=", ".join(names))
    return message, (close[0] if close else None)


# Lines a Japanese IME makes easy to type wrongly (see _FileReader._typing_slips).
_FULL_WIDTH_COLON = re.compile(r"(?:- )?([A-Za-z_][A-Za-z0-9_]*)\s*：")
_KEY_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\s*:(\s|$)")


def _plain_problem(problem: str) -> str:
    """The parser's words for a syntax problem, in plain words where we know what causes it."""
    if "mapping values are not allowed" in problem:
        return _("a ': ' (a colon and a space) inside a text; put the whole text in double quotes")
    if "found character '\\t'" in problem or "found a tab" in problem:
        return _("a tab; indent with spaces, not tabs")
    if "could not find expected ':'" in problem:
        return _("a line that is neither 'key: text' nor a list item ('- '); check its colon and its indentation")
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return _("the indentation does not match the lines above; indent the keys of one level by the same number of spaces")
    if "found another document" in problem:
        return _("a second document in the file (a line '---' or '...'); keep one document per file: remove that line")
    if "did not find expected '-' indicator" in problem:
        return _("a list item without '- ', or indented differently from the items above")
    return _("{problem} (YAML syntax)").format(problem=problem)


def _bad_char(char: str) -> str | None:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return _("lone surrogate U+{code:04X} (a broken character) is not allowed").format(code=code)
    if unicodedata.category(char) == "Cc" and char != "\t":
        return _("control character U+{code:04X} is not allowed").format(code=code)
    return None


def _is_utf16(data: bytes) -> bool:
    """Whether ``data`` reads as UTF-16 text (as Windows editors save "Unicode"): no NUL when
    decoded, and the zero bytes every ASCII character (keys, spaces) gets in UTF-16."""
    if data.count(0) < len(data) // 20:
        return False
    for encoding in ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-16-le", "utf-16-be"):
        try:
            if "\x00" not in data.decode(encoding):
                return True
        except UnicodeDecodeError:
            pass
    return False


# CJK compatibility ideographs (﨑 U+FA11 has no decomposition; 神 U+FA19 does): NFC would
# turn some into their unified forms, a different glyph the author did not choose.
_COMPATIBILITY_IDEOGRAPHS = re.compile("([\uf900-\ufaff\U0002f800-\U0002fa1f]+)")


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (か + U+3099 becomes が, as one character that cannot be split
    across lines), CJK compatibility ideographs kept as typed."""
    if text.isascii():
        return text
    parts = _COMPATIBILITY_IDEOGRAPHS.split(text)
    return "".join(part if i % 2 else unicodedata.normalize("NFC", part) for i, part in enumerate(parts))


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _join_lines(lines: list[str]) -> str:
    """Join lines of one text: nothing between two Japanese characters, a space otherwise."""
    out = ""
    for line in lines:
        if out and not (_is_wide(out[-1]) or _is_wide(line[0])):
            out += " "
        out += line
    return out
