"""Japanese composition (generator/render/compose.py): what a 組版 proofreader checks, line by line.

The properties are checked on the composed lines themselves (their set widths from the fonts'
advances) for every paragraph of the bundled content at the handout's columns, and on small
texts that hold one rule each. The PDFs are audited in tests/test_composition_audit.py.
"""

from __future__ import annotations

import pytest

from generator.fonts import FACES
from generator.render.compose import (
    WIDOW_LETTERS, Column, TextTooWide, compose, is_letter, line_html, set_lines, units,
)
from generator.render.handout import PAPERS, Layout, overview_heads
from generator.render.measure import NO_LINE_END, NO_LINE_START

MINCHO = FACES[0]
EM = 10.0
COLUMN = Column(MINCHO, EM, 20 * EM, indent=1)


def text_of(line) -> str:
    return "".join(u.text for u in line.units)


def set_width(line, column: Column, first: bool) -> float:
    """The width the line takes once WeasyPrint places it: what line_html's margins and
    letter-spacing add up to (the last unit's own spacing hangs outside and is not counted)."""
    from generator.render.compose import _line_width, _squeezable, _trimmed

    body = _trimmed(line.units)
    width = _line_width(body, column.size)
    width -= line.squeeze * len(_squeezable(body, column.size)) if line.squeeze else 0.0
    width += line.spacing * sum(1 for u in body[:-1] if u.spread_after)
    return width + (column.indent * column.size if first else 0.0)


def paragraphs(content):
    intro = content.introduction
    yield from intro.opening
    for section in intro.sections:
        yield from section.paragraphs
    yield from content.encouragement.paragraphs
    for message in content.messages.messages:
        yield message.body
    for viewpoint in content.viewpoints.viewpoints:
        yield from viewpoint.points


@pytest.mark.parametrize("paper", ["A4", "B5"])
@pytest.mark.parametrize("column_name", ["body", "point", "cell", "card_body", "check_point"])
def test_every_paragraph_is_flush_without_widows_or_kinsoku(content, paper, column_name):
    column = Layout(PAPERS[paper], overview_heads(content))[column_name]
    for text in paragraphs(content):
        lines = set_lines(text, column)
        assert "".join(map(text_of, lines)).replace(" ", "") == text.replace(" ", ""), text  # nothing lost
        for n, line in enumerate(lines):
            width = set_width(line, column, n == 0)
            if line.last:
                assert width <= column.width + 0.01, text_of(line)
            else:  # flush: within 0.01 pt of the column's edge
                assert abs(width - column.width) < 0.01, (text_of(line), width, column.width)
            if n:
                assert text_of(line)[0] not in NO_LINE_START, text_of(line)
            assert text_of(line)[-1] not in NO_LINE_END, text_of(line)
        if len(lines) > 1:
            assert sum(map(is_letter, text_of(lines[-1]))) >= WIDOW_LETTERS, text_of(lines[-1])
        # no gap wider than a proofreader accepts in running text (half an em)
        assert all(line.spacing <= 0.5 * column.size for line in lines), text


def test_punctuation_that_meets_is_set_half_width():
    us = units("支援）、自己。」「（注", MINCHO, EM)
    trims = {u.text: (u.trim_before, u.trim_after) for u in us}
    assert trims["）"] == (0, EM / 2)  # 「）、」: the bracket's blank half goes
    assert trims["。"] == (0, EM / 2)  # 「。」」
    assert trims["」"] == (0, EM / 2)  # 「」「」: half an em between them
    assert trims["（"] == (EM / 2, 0)  # 「「（」: the second opening bracket's blank half goes
    assert trims["、"] == (0, 0)


def test_a_space_next_to_full_width_punctuation_is_not_printed():
    assert [u.text for u in units("よう、 4つ", MINCHO, EM)] == list("よう、4つ")
    assert [u.text for u in units("厚生労働省 令和", MINCHO, EM)] == list("厚生労働省 令和")  # a word space stays


def test_a_line_ends_with_its_punctuation_half_width_and_flush():
    text = "あ" * 19 + "、" + "い" * 10
    line = set_lines(text, Column(MINCHO, EM, 20 * EM))[0]
    assert text_of(line) == "あ" * 19 + "、"
    html = line_html(line, EM)
    assert 'margin-right:-5pt">、' in html and "letter-spacing" in html  # half width, the rest spread


def test_wakan_quarter_em_between_japanese_and_latin_but_not_at_a_line_start():
    html = compose("研修でICTを使う", Column(MINCHO, EM, 40 * EM, justify=False))
    assert '<span class="wa-l">I</span>C<span class="wa-r">T</span>' in html
    lines = set_lines("あ" * 19 + "ICT", Column(MINCHO, EM, 20 * EM))
    assert [text_of(line) for line in lines] == ["あ" * 19, "ICT"]
    assert "wa-" not in line_html(lines[1], EM)  # no quarter em of white at the line's start


def test_no_widow_even_when_the_text_ends_in_two_characters():
    column = Column(MINCHO, EM, 10 * EM)
    lines = set_lines("あ" * 10 + "うと。", column)  # greedily: a full line, then 「うと。」 — fine
    assert sum(map(is_letter, text_of(lines[-1]))) >= WIDOW_LETTERS
    lines = set_lines("あ" * 10 + "と。", column)  # greedily: 「と。」 alone
    assert [len(text_of(line)) for line in lines] != [10, 2]
    assert sum(map(is_letter, text_of(lines[-1]))) >= WIDOW_LETTERS


def test_an_unbreakable_run_wider_than_the_column_is_an_error():
    with pytest.raises(TextTooWide) as raised:
        set_lines("説明" + "x" * 100 + "です", Column(MINCHO, EM, 20 * EM))
    assert raised.value.run == "x" * 100


def test_right_quotes_used_both_ways_pair_up():
    """The leaflet opens quotations with ” too: 「”点”ではなく”面”」. Paired, the second of each
    pair closes (half width before 」 or at a line end); no line ends with an opening one."""
    us = units("今後の”目指すべき像”」と”点”", MINCHO, EM)
    quotes = [(u.kind, u.trim_after) for u in us if u.text == "”"]
    assert quotes == [("quote-open", 0), ("close", EM / 2), ("quote-open", 0), ("close", 0)]
    after_open = [us[i + 1].break_before for i, u in enumerate(us) if u.kind == "quote-open"]
    assert after_open == [False, False]


def test_a_url_breaks_after_a_slash_or_dot_and_a_long_word_does_not():
    url = "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/hukushi_kaigo/kaigo_koureisha/index.html"
    lines = set_lines("詳しくは" + url + "をご覧ください。", Column(MINCHO, EM, 20 * EM))
    assert "".join(map(text_of, lines)) == "詳しくは" + url + "をご覧ください。"
    assert all(text_of(line)[-1] in "/.-_?&=#" or line is lines[-1] or not text_of(line)[-1].isascii()
               for line in lines), [text_of(line) for line in lines]
    with pytest.raises(TextTooWide):
        set_lines("x" * 60, Column(MINCHO, EM, 20 * EM))


def test_a_widow_is_avoided_even_by_a_much_shorter_line():
    """「…一同 令和3年3月」 one line too long: 「3月」 alone is a widow, so the line before breaks
    at the space, 5.5 em short of the column (the breaker tries such lines only then)."""
    column = Column(MINCHO, EM, 20 * EM)
    lines = set_lines("あ" * 13 + "一同 令和3年3月", column)
    assert [text_of(line).strip() for line in lines] == ["あ" * 13 + "一同", "令和3年3月"]
