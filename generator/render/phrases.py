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

# May not start a line (JIS X 4051 行頭禁則, plus ～ which Pango lets through: see FIELD-NOTES).
NO_START = set(
    "、。，．,.)]}）］｝〕〉》」』】〙〗〟’”»"
    "ヽヾゝゞ々〻ーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "‐゠–〜～~?!？！‼⁇⁈⁉・:;：；/／…‥"
)
# May not end a line (行末禁則).
NO_END = set("([{（［｛〔〈《「『【〘〖〝‘“«")


@functools.lru_cache(maxsize=1)
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


def budoux_phrases(text: str) -> list[str]:
    """BudouX's phrases of ``text``, unchanged (the tests check breaks against these)."""
    return _parser().parse(text) if text else []


@functools.lru_cache(maxsize=1024)
def phrases(text: str) -> tuple[str, ...]:
    """``text`` as unbreakable phrases: BudouX's phrases with kinsoku applied to their boundaries.

    White space splits too (a space is a break opportunity and is kept at the end of the phrase
    before it, to be dropped at a line end).
    """
    pieces: list[str] = []
    for chunk in _split_spaces(text):
        pieces.extend(budoux_phrases(chunk))
    merged: list[str] = []
    for piece in pieces:
        if merged and (not piece.strip() or piece[0] in NO_START or merged[-1].rstrip()[-1:] in NO_END):
            merged[-1] += piece
        else:
            merged.append(piece)
    return tuple(merged)


def _split_spaces(text: str) -> list[str]:
    out, current = [], ""
    for char in text:
        current += char
        if char in " \u3000":
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


# Balanced headlines prefer to break after a comma or full stop (「一人じゃない、／力を合わせて」).
CLAUSE_ENDS = set("、。，．！？!?")
CLAUSE_BONUS = 0.1

Measure = Callable[[str], float]


def wrap(text: str, width: float, measure: Measure) -> list[str] | None:
    """Fill lines greedily with whole phrases; ``None`` if one phrase is wider than ``width``."""
    lines: list[str] = []
    line = ""
    for phrase in phrases(text):
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


def balance(text: str, width: float, measure: Measure, max_lines: int | None = None) -> list[str] | None:
    """The fewest lines of whole phrases, as even in length as possible (for headlines).

    ``None`` if a phrase is wider than ``width`` or more than ``max_lines`` lines are needed.
    """
    units: Sequence[str] = phrases(text)
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
            cost = (rest[0] + 1, rest[1] + ((width - w) / width) ** 2 - (CLAUSE_BONUS if line.rstrip()[-1] in CLAUSE_ENDS and j < n else 0))
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
