"""Phrase (文節) line-breaking for big Japanese type: break only between phrases, never inside a word.

:func:`phrases` splits a text with BudouX into phrases and then applies the Japanese
line-breaking rules (kinsoku) to the phrase boundaries: a boundary that would put a closing
mark, a small kana, a prolonged sound mark or a wave dash at the start of a line, or an opening
bracket at the end of one, is removed. :func:`wrap` and :func:`balance` then set the phrases
into lines of a given width, measured by the caller (see :mod:`generator.render.sheet`).

The renderers emit the lines as they come out of here (one block per line, no wrapping by
WeasyPrint), so what is measured is exactly what is printed.
"""

from __future__ import annotations

import functools
from typing import Callable, Sequence

from generator.fonts import is_variation_selector
from generator.render.measure import NO_LINE_END as NO_END
from generator.render.measure import NO_LINE_START as NO_START
from generator.render.measure import is_widow

@functools.lru_cache(maxsize=1)
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


def budoux_phrases(text: str) -> list[str]:
    """BudouX's phrases of ``text``, unchanged (the tests check breaks against these)."""
    return _parser().parse(text) if text else []


TOPIC_PARTICLES = set("はをもへ")
CLOSING = {"）": "（", ")": "(", "］": "［", "」": "「", "』": "『", "】": "【", "〉": "〈", "》": "《", "〕": "〔"}


def script(char: str) -> str:
    """``"hiragana"``, ``"katakana"``, ``"kanji"`` or ``""`` for anything else."""
    code = ord(char)
    if 0x3041 <= code <= 0x309F:
        return "hiragana"
    if 0x30A1 <= code <= 0x30FA or 0x31F0 <= code <= 0x31FF:
        return "katakana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or char in "々〆ヶ":
        return "kanji"
    return ""


def _joins_before(char: str) -> bool:
    """Whether ``char`` belongs to the character before it (IVS, combining dakuten …)."""
    import unicodedata

    return is_variation_selector(char) or unicodedata.combining(char) != 0


def may_break(text: str, i: int, strict: bool = True) -> bool:
    """May a line break between ``text[i - 1]`` and ``text[i]`` (a BudouX phrase boundary)?

    BudouX's model sometimes splits inside a word (「笑｜顔で」, 「やりが｜いや」, 「かけがえの｜ない」,
    「と｜して」, 「に｜おいて」). Within one script such a split is rarely a real phrase boundary in
    a headline, so breaks are kept only where the script changes (not between kanji and digits);
    plus kinsoku, short bracketed groups stay whole (「（令和3年3月）」), and so does a bracketed
    group inside a word (「多（他）職種」).
    """
    a, b = text[i - 1], text[i]
    if _joins_before(b):  # a variation selector or combining mark stays with its character
        return False
    if a in " \u3000":
        return True
    if b in NO_START or a in NO_END:
        return False
    if _in_short_brackets(text, i):
        return False
    if (a.isdigit() and script(b) == "kanji") or (b.isdigit() and script(a) == "kanji"):
        return False  # 「令和｜3年」, 「20｜年間」
    if strict and script(a) == script(b) == "hiragana":
        # Between two hiragana only after a topic or object particle (「私たちは｜やればできる」);
        # not after が (「やりが｜いや」), と (「と｜して」), に (「に｜おいて」), の (「の｜ない」).
        return a in TOPIC_PARTICLES and i >= 2 and script(text[i - 2]) != ""
    if script(a) in ("kanji", "katakana") and script(a) == script(b):
        return False
    if b in NO_END and script(a) == "kanji":
        close = next((j for j in range(i + 1, len(text)) if CLOSING.get(text[j]) == b), None)
        if close is not None and close + 1 < len(text) and script(text[close + 1]) == "kanji":
            return False
    if a in CLOSING and script(b) == "kanji":
        open_ = next((j for j in range(i - 2, -1, -1) if text[j] == CLOSING[a]), None)
        if open_ is not None and open_ > 0 and script(text[open_ - 1]) == "kanji":
            return False
    return True


SHORT_BRACKETS = 10


def _in_short_brackets(text: str, i: int) -> bool:
    """Is position ``i`` inside a bracketed group of at most :data:`SHORT_BRACKETS` characters
    (「（令和3年3月）」 stays whole)?"""
    for j in range(i - 1, max(-1, i - SHORT_BRACKETS - 1), -1):
        char = text[j]
        if char in CLOSING:
            return False
        if char in NO_END:
            close = next((k for k in range(i, min(len(text), j + SHORT_BRACKETS)) if CLOSING.get(text[k]) == char), None)
            return close is not None
    return False


@functools.lru_cache(maxsize=1024)
def phrases(text: str, strict: bool = True) -> tuple[str, ...]:
    """``text`` as unbreakable phrases: BudouX's phrase boundaries where :func:`may_break` allows a
    break, and no phrase of a single character (it joins the next one, or the one before at the end).

    White space is a break too (kept at the end of the phrase before it, dropped at a line end).
    ``strict=False`` (running text, filled greedily) also keeps BudouX's breaks between two
    hiragana, so lines fill evenly; headlines use the strict phrases.
    """
    cuts, at = set(), 0
    for phrase in budoux_phrases(text):
        at += len(phrase)
        cuts.add(at)
    cuts |= {i + 1 for i, char in enumerate(text) if char in " \u3000"}
    cuts = sorted(c for c in cuts if 0 < c < len(text) and may_break(text, c, strict))
    pieces, start = [], 0
    for cut in cuts + [len(text)]:
        pieces.append(text[start:cut])
        start = cut
    merged: list[str] = []
    for piece in pieces:
        if merged and (len(merged[-1].strip()) <= 1 or not piece.strip()):
            merged[-1] += piece
        else:
            merged.append(piece)
    if len(merged) > 1 and len(merged[-1].strip()) <= 1:  # 「広げる扇の｜要」: no lone last character
        merged[-2:] = [merged[-2] + merged[-1]]
    return tuple(merged)


# Balanced headlines prefer to break after a comma or full stop (「一人じゃない、／力を合わせて」).
CLAUSE_ENDS = set("、。，．！？!?")
CLAUSE_BONUS = 0.1

# A widow (「喜び」 alone under two full lines, measure.is_widow) is chosen only when every
# break of the fewest lines leaves one.
WIDOW_COST = 10.0

Measure = Callable[[str], float]


def wrap(text: str, width: float, measure: Measure) -> list[str] | None:
    """Fill lines greedily with whole (non-strict) phrases; ``None`` if one is wider than ``width``."""
    lines: list[str] = []
    line = ""
    for phrase in phrases(text, strict=False):
        candidate = line + phrase
        if not line or measure(candidate.rstrip()) <= width:
            line = candidate
        else:
            lines.append(line.rstrip())
            line = phrase
        if measure(line.rstrip()) > width:
            return None
    if line:
        lines.append(line.rstrip())
    return lines


def balance(text: str, width: float, measure: Measure, max_lines: int | None = None, strict: bool = True) -> list[str] | None:
    """The fewest lines of whole phrases, as even in length as possible (for headlines).

    ``None`` if a phrase is wider than ``width`` or more than ``max_lines`` lines are needed.
    ``strict=False``: also at BudouX's breaks between two hiragana (see :func:`phrases`).
    """
    units: Sequence[str] = phrases(text, strict)
    n = len(units)
    if n == 0:
        return []
    # best[i] = (lines, raggedness) for setting units[i:]; choice[i] = end of the first line.
    best: list[tuple[int, float] | None] = [None] * (n + 1)
    choice = [0] * (n + 1)
    best[n] = (0, 0.0)
    for i in range(n - 1, -1, -1):
        line = ""
        for j in range(i + 1, n + 1):
            line += units[j - 1]
            w = measure(line.rstrip())
            if w > width:
                break
            rest = best[j]
            if rest is None:
                continue
            cost = (rest[0] + 1, rest[1] + ((width - w) / width) ** 2 - (CLAUSE_BONUS if line.rstrip()[-1] in CLAUSE_ENDS and j < n else 0)
                    + (WIDOW_COST if j == n and i > 0 and is_widow(line) else 0))
            if best[i] is None or cost < best[i]:
                best[i], choice[i] = cost, j
    if best[0] is None or (max_lines is not None and best[0][0] > max_lines):
        return None
    lines, i = [], 0
    while i < n:
        j = choice[i]
        lines.append("".join(units[i:j]).rstrip())
        i = j
    return lines
