"""Japanese text filters for HTML renderers: what Pango and WeasyPrint leave undone.

WeasyPrint lays out Japanese through Pango, which applies most line-breaking rules (kinsoku)
but not all, and has no CSS for inter-script spacing (``text-autospace`` is ignored). These
functions fix that in the HTML, so every HTML/PDF renderer (handout, cards, poster, …) can
use the same rules; they are registered as Jinja filters by :func:`generator.templates.environment`.

Both work without changing the characters of the text: they only add markup (spans whose
CSS is :data:`TYPESET_CSS`), so text copied out of the PDF is the content's text.

- **Kinsoku for U+FF5E ～.** Pango treats the full-width tilde as a character that may start
  a line; Japanese rules (JIS X 4051, JLREQ cl-03) forbid it there. The tilde is bound to the
  character before it with ``white-space: nowrap``, so a break can fall only before that pair.
- **Dates in one piece.** Pango may break inside 「令和3年3月」 (令|和, 3|年); an era or
  four-digit year with its month and day is wrapped in a ``nobr`` span.
- **和欧間 (quarter-em between Japanese and Latin letters or digits).** Vivliostyle and Typst
  set it; WeasyPrint does not. A margin or a space would do it on paper, but text extractors
  (pdftotext, pypdf, viewers' copy) read any gap of ~0.1 em between glyphs as a space, and
  WeasyPrint cannot write /ActualText. So the gap is put inside the glyphs: the font subsets
  carry OpenType stylistic sets whose Latin glyphs are a quarter em wider on one or both sides
  (:data:`generator.fonts.WAKAN_FEATURES`), and the first and last character of a Latin run
  that touches kana or kanji is wrapped in a span that turns the set on. Copied text keeps the
  content's characters with no space; the gap never becomes a line-break point. The Japanese
  character before a run is bound to it (no break between them), so no line starts with the
  gap; one after a run may end a line, where the gap is invisible. Only the cached font subsets
  (:func:`generator.fonts.prepare_fonts`, which every command runs) have the sets: rendering
  with the full fonts prints no gap.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from generator.fonts import WAKAN_FEATURES

# Kana, kanji and the iteration/ideographic marks: the characters 和欧間 space separates from
# Latin. Japanese punctuation and brackets are not included: they carry their own space.
_JAPANESE_CHARS = r"[\u3005-\u3007\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_JAPANESE = re.compile(_JAPANESE_CHARS)
# A Latin word or number ("ICT", "20", "3.5"); inner punctuation only between alphanumerics.
_LATIN = r"[A-Za-z0-9](?:[A-Za-z0-9.,%&'\-]*[A-Za-z0-9%])?"
_TILDES = "～"
_TOKEN = re.compile(
    rf"(?P<japanese>{_JAPANESE_CHARS})?(?P<latin>{_LATIN})(?P<after_latin>[{_TILDES}]*)"
    rf"|(?P<before>[^{_TILDES}])(?P<tildes>[{_TILDES}]+)"
)
# Span class of a Latin character by where the gap goes; the stylistic set it turns on.
_GAP_CLASSES = {(True, False): "wa-l", (False, True): "wa-r", (True, True): "wa-lr"}
_FEATURE_BY_GAPS = {(before > 0, after > 0): tag for tag, (before, after) in WAKAN_FEATURES.items()}

# Markup: templates insert it into <style> as is (escaped quotes would void the rules).
TYPESET_CSS = Markup("/* generator/render/typeset.py: 和欧間 and kinsoku spans */\n" + "".join(
    f'.{cls} {{ font-feature-settings: "{_FEATURE_BY_GAPS[gaps]}"; }}\n' for gaps, cls in _GAP_CLASSES.items()
) + ".nobr { white-space: nowrap; }\n")


def is_japanese(char: str) -> bool:
    """True for kana, kanji and 々〆〇 (the characters that take 和欧間 space next to Latin)."""
    return bool(char) and bool(_JAPANESE.fullmatch(char))


def typeset(text: str) -> Markup:
    """``text`` as escaped HTML with the 和欧間, ～ kinsoku and date spans added."""
    text = str(text)
    tokens = list(_TOKEN.finditer(text))
    marks = _date_marks(text, tokens)
    out: list[str] = []
    pos = 0

    def plain(end: int) -> None:  # text up to ``end``, with the date marks from pos to end
        nonlocal pos
        for at in sorted(p for p in marks if pos <= p <= end):
            out.append(str(escape(text[pos:at])) + marks.pop(at))
            pos = at
        out.append(str(escape(text[pos:end])))
        pos = end

    for m in tokens:
        plain(m.start())
        if m.group("latin"):
            latin, tildes = m.group("latin"), m.group("after_latin")
            after = text[m.end()] if not tildes and m.end() < len(text) else ""
            piece = _gapped(m.group("japanese") or "", latin, is_japanese(after))
            out.append(f'<span class="nobr">{piece}{escape(tildes)}</span>' if tildes else piece)
        else:
            out.append(f'<span class="nobr">{escape(m.group("before"))}{escape(m.group("tildes"))}</span>')
        pos = m.end()
    plain(len(text))
    return Markup(_UNIFORM_DATE.sub(_merged_date, "".join(out)))


# A date: an era year or a four-digit year (年, 年度), with its month and day; or month and day.
_DIGITS = "[0-9０-９]"
DATE = re.compile(
    rf"(?:(?:令和|平成|昭和|大正|明治)(?:元|{_DIGITS}{{1,2}})|{_DIGITS}{{4}})年度?(?:{_DIGITS}{{1,2}}月(?:{_DIGITS}{{1,2}}日)?)?"
    rf"|{_DIGITS}{{1,2}}月{_DIGITS}{{1,2}}日"
)


def _date_marks(text: str, tokens: list[re.Match]) -> dict[int, str]:
    """Where to open and close a ``nobr`` span so that no date breaks across lines (Pango
    breaks 令|和, 3|年 …). A date widens to the 和欧間 or ～ spans it cuts into."""
    marks: dict[int, str] = {}
    for date in DATE.finditer(text):
        start, end = date.span()
        for m in tokens:
            if m.start() < start < m.end():
                start = m.start()
            if m.start() < end < m.end():
                end = m.end()
        marks[end] = "</span>"
        marks[start] = marks.get(start, "") + '<span class="nobr">'  # after a date closing here
    return marks


# A date span whose numbers are all one digit between kanji (令和3年3月) holds only spans that
# set the gap on both sides, and no other Latin character: one span can turn that stylistic set
# on for the whole date, as the sets substitute only Latin glyphs. Same glyphs, two or three
# inline boxes fewer a date (each one costs WeasyPrint a text box and a line-layout step).
_UNIFORM_DATE = re.compile(r'<span class="nobr">((?:[^<A-Za-z0-9%]|<span class="nobr wa-lr">[^<]*</span>)+)</span>')
_SPAN_TAG = re.compile(r"</?span[^>]*>")


def _merged_date(date: re.Match) -> str:
    if "<span" not in date.group(1):
        return date.group(0)
    return f'<span class="nobr wa-lr">{_SPAN_TAG.sub("", date.group(1))}</span>'


def _gapped(japanese: str, latin: str, after: bool) -> str:
    """A Latin run and the Japanese character before it (or "") as HTML with 和欧間 spans.

    The first and last Latin characters turn on the gap where Japanese touches them. The
    Japanese character shares the first one's span, bound to it (no break between them), so
    no line starts with the gap; one span fewer than wrapping each, and every inline span
    costs WeasyPrint layout time.
    """
    first_gaps = (bool(japanese), after and len(latin) == 1)
    classes = " ".join(filter(None, ("nobr" if japanese else "", _GAP_CLASSES.get(first_gaps))))
    head = f'<span class="{classes}">{escape(japanese + latin[0])}</span>' if classes else str(escape(latin[0]))
    if len(latin) == 1:
        return head
    tail = f'<span class="wa-r">{escape(latin[-1])}</span>' if after else str(escape(latin[-1]))
    return head + str(escape(latin[1:-1])) + tail


_SENTENCE = re.compile(r".+?(?:[。？！]+[」』）]*|$)", re.S)


def sentences(text: str) -> list[str]:
    """``text`` split after each 。？！ (closing brackets stay with their sentence); joined
    again they give ``text``."""
    return [m.group(0) for m in _SENTENCE.finditer(str(text)) if m.group(0)]


def is_question(sentence: str) -> bool:
    """True for a sentence that asks: it ends with ？ or with か。 (…ますか。 …のか。)."""
    s = sentence.rstrip("」』）")
    return s.endswith(("？", "?", "か。"))
