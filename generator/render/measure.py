"""Measure Japanese text with the bundled fonts' own advance widths, as a slide box would set it.

PowerPoint lays text out only when a slide is shown or edited, and python-pptx's ``fit_text()``
only breaks at spaces, so a deck builder must know by itself whether text fits a box.
:func:`wrap` breaks text into lines the way Japanese is set: anywhere between two CJK characters,
never inside a Latin word, and following 禁則 (kinsoku): no line starts with 、。」ー ゃ… and
none ends with 「（…. Widths come from the font's ``hmtx`` table through its ``cmap`` (BIZ UD has
no GPOS kerning, so the sum of advances is the set width).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from dataclasses import dataclass, field

from generator.fonts import Face, advances, is_variation_selector

# Characters that must not begin a line (行頭禁則).
# One definition for every renderer that breaks lines itself (deck here, cards and poster in
# phrases.py). It includes ～, which Pango lets start a line (see FIELD-NOTES).
NO_LINE_START = frozenset(
    "、。，．,.・：；:;？！?!‼⁇⁈⁉ー－―‐-–—〜～~…‥/／゠"
    "」』）〕］｝〉》】〙〗〟’”)]}>»"
    "ゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "％%‰℃°′″"
)
# Characters that must not end a line (行末禁則).
NO_LINE_END = frozenset("「『（〔［｛〈《【〘〖〝‘“([{<«")


# A paragraph's last line (of two or more) with fewer characters than this besides punctuation
# is a widow (「う。」「こと。」): every renderer that breaks lines avoids it.
WIDOW_LETTERS = 3


def is_letter(char: str) -> bool:
    """What a widow is counted in: not white space, punctuation or a symbol."""
    return bool(char.strip()) and unicodedata.category(char)[0] not in "PS"


def is_widow(line: str) -> bool:
    """Whether ``line``, as the last of a paragraph of two or more, is too short (a widow)."""
    return sum(map(is_letter, line)) < WIDOW_LETTERS


def has_widow(lines) -> bool:
    """Whether a paragraph of ``lines`` ends on a widow (「う。」「ます。」「回…」)."""
    return len(lines) > 1 and is_widow(lines[-1])


# LibreOffice puts about a quarter em between Japanese and Latin letters or digits
# (令和 2 年; its "Asian/non-Asian spacing" is on by default and a .pptx cannot turn it off).
# Counting it makes the measure safe there; PowerPoint, which adds none, only gains room.
AUTOSPACE_EM = 0.25


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _is_asian(char: str) -> bool:
    return ord(char) >= 0x2E80


def _autospaced(a: str, b: str) -> bool:
    return (_is_latin(a) and _is_asian(b)) or (_is_asian(a) and _is_latin(b))


@dataclass(frozen=True, eq=False)  # hashed by identity: one instance per font file, cached below
class FontMetrics:
    """Advance widths of one font file, in font units (``units_per_em`` to the em)."""

    units_per_em: int
    advances: dict[int, int]  # code point -> advance
    # text -> (sum of its advances, its 和欧間 spaces): fitting measures the same pieces of
    # text at many sizes and widths.
    _measured: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    _ink: dict[str, int] = field(default_factory=dict, repr=False)
    # text -> sum of its advances only, for :meth:`advance` (cards and poster, which WeasyPrint
    # sets with no 和欧間 space): most of what they measure is a candidate line measured once.
    _advanced: dict[str, int] = field(default_factory=dict, repr=False)

    def _measure(self, text: str) -> tuple[int, int]:
        measured = self._measured.get(text)
        if measured is None:
            upem = self.units_per_em
            measured = self._measured[text] = (sum(self.advances.get(ord(c), upem) for c in text),
                                               sum(_autospaced(a, b) for a, b in zip(text, text[1:])))
        return measured

    @functools.cached_property
    def widest(self) -> float:
        """The widest advance of the font, in ems."""
        return max(self.advances.values(), default=self.units_per_em) / self.units_per_em

    def ink(self, text: str, size: float) -> float:
        """Sum of the advances of the characters of ``text`` other than white space: at most
        the width of its lines added up, however :func:`wrap` breaks it (when no character
        alone is wider than a line)."""
        units = self._ink.get(text)
        if units is None:
            upem = self.units_per_em
            get = self.advances.get
            units = sum(map(get, map(ord, text), itertools.repeat(upem, len(text))))  # (fast for long texts)
            units -= sum(text.count(c) * get(ord(c), upem) for c in set(text) if c.isspace())
            self._ink[text] = units
        return units * size / self.units_per_em

    def advance(self, text: str, size: float) -> float:
        """Sum of the advance widths of ``text`` at ``size`` points (a missing glyph counts one em)."""
        units = self._advanced.get(text)
        if units is None:  # not through _measure: no 和欧間 spaces to count
            units = self._advanced[text] = sum(map(self.advances.get, map(ord, text), itertools.repeat(self.units_per_em)))
        return units * size / self.units_per_em

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` as LibreOffice sets it in a slide (advances plus its 和欧間 space)."""
        units, autospaces = self._measure(text)
        return units * size / self.units_per_em + autospaces * AUTOSPACE_EM * size


@functools.lru_cache(maxsize=None)
def font_metrics(face: Face) -> FontMetrics:
    """The metrics of a bundled face (one instance per face and process). Variation selectors
    (葛 + U+E0100) take no room: they choose the glyph of the character before them."""
    units_per_em, widths = advances(face)
    selectors = dict.fromkeys([*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)], 0)
    return FontMetrics(units_per_em, {**selectors, **widths})


def _tokens(text: str) -> list[str]:
    """Split into pieces between which a line may break: a Latin word, a space, one other character."""
    tokens: list[str] = []
    for char in text:
        latin = char.isascii() and not char.isspace()
        if tokens and (is_variation_selector(char) or unicodedata.combining(char)):
            tokens[-1] += char  # it belongs to the character before
        elif latin and tokens and tokens[-1][-1].isascii() and not tokens[-1][-1].isspace():
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def clusters(text: str) -> list[str]:
    """Units that stay on one line: tokens with kinsoku characters glued to their neighbour."""
    units: list[str] = []
    carry = ""  # an opening bracket waiting for the character it belongs with
    for token in _tokens(text):
        if units and not carry and token[0] in NO_LINE_START:
            units[-1] += token
            continue
        token = carry + token
        carry = ""
        if token[-1] in NO_LINE_END:
            carry = token
        else:
            units.append(token)
    if carry:
        units.append(carry)
    return units


def wrap(text: str, width: float, size: float, metrics: FontMetrics) -> list[str]:
    """Break ``text`` into lines (see :func:`_wrap`); memoised, as fitting tries each size many times."""
    return list(_wrap(text, width, size, metrics))


@functools.lru_cache(maxsize=256)  # (~200 bytes a character: bounded; a deck has ~130 such texts)
def _measured_units(text: str, metrics: FontMetrics) -> tuple:
    """``text``'s newline-separated parts, their :func:`clusters` measured once in font units
    (fitting breaks the same text at many sizes and widths). Per part: the part, its units,
    each character's advance, and whether a 和欧間 space comes before each character. Per unit:
    its end in the part, its advances and 和欧間 spaces (the integers :meth:`FontMetrics.width`
    sums) with and without trailing white space, whether it is all white space, whether a
    和欧間 space separates it from the character before it."""
    get, upem = metrics.advances.get, metrics.units_per_em
    parts = []
    for part in text.split("\n"):
        kinds = [1 if c.isascii() and c.isalnum() else 2 if ord(c) >= 0x2E80 else 0 for c in part]  # _is_latin, _is_asian
        spaced = [False, *(a | b == 3 for a, b in zip(kinds, kinds[1:]))]  # _autospaced(part[i - 1], part[i])
        advances = [get(ord(c), upem) for c in part]
        units = []
        end = 0
        for unit in clusters(part):
            start, end = end, end + len(unit)
            if end - start == 1:  # most units: one Japanese character
                advance, blank = advances[start], unit.isspace()
                units.append((end, advance, 0, 0 if blank else advance, 0, blank, spaced[start]))
                continue
            kept = start + len(unit.rstrip())
            units.append((end, sum(advances[start:end]), sum(spaced[start + 1:end]),
                          sum(advances[start:kept]), sum(spaced[start + 1:kept]), unit.isspace(), spaced[start]))
        parts.append((part, tuple(units), advances, spaced))
    return tuple(parts)


@functools.lru_cache(maxsize=1 << 16)
def _wrap(text: str, width: float, size: float, metrics: FontMetrics) -> tuple[str, ...]:
    """Break ``text`` into lines no wider than ``width`` points when set at ``size`` points.

    A unit wider than a whole line (a very long Latin word) is cut by characters, as
    PowerPoint does. Spaces at a line end take no room; an explicit newline starts a new line.
    """
    # Widths are computed as FontMetrics.width computes them (the same expression, so the same
    # floats and line breaks), from the units measured once for every size.
    space = AUTOSPACE_EM * size
    upem = metrics.units_per_em
    lines: list[str] = []
    for part, units, advances, spaced in _measured_units(text, metrics):
        start = end = 0  # the line being filled is part[start:end]
        line_width = 0.0
        for unit_end, advance, autospaces, kept_advance, kept_autospaces, blank, gapped in units:
            gap = space if end > start and gapped else 0.0
            unit_width = advance * size / upem + autospaces * AUTOSPACE_EM * size
            if end > start and line_width + gap + (kept_advance * size / upem + kept_autospaces * AUTOSPACE_EM * size) > width:
                lines.append(part[start:end].rstrip())
                start, line_width, gap = end, 0.0, 0.0
                if blank:
                    start = end = unit_end
                    continue
            if end == start and unit_width > width:  # cannot fit anywhere: cut it
                for i in range(end, unit_end):
                    char_width = advances[i] * size / upem  # (a character alone has no 和欧間 space)
                    extra = char_width + (space if end > start and spaced[i] else 0.0)
                    if end > start and line_width + extra > width:
                        lines.append(part[start:end])
                        start, line_width = end, 0.0
                        extra = char_width
                    end += 1
                    line_width += extra
                continue
            end = unit_end
            line_width += gap + unit_width
        lines.append(part[start:end].rstrip())
    return tuple(lines)


def line_count(text: str, width: float, size: float, metrics: FontMetrics) -> int:
    return len(wrap(text, width, size, metrics))
