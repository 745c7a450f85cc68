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
- **和欧間 (quarter-em between Japanese and Latin letters or digits).** Vivliostyle and Typst
  set it; WeasyPrint does not. A run of ASCII letters/digits next to kana or kanji is wrapped in
  a span with a 0.25 em margin on each side that touches Japanese. A margin, not a space
  character, so copied text is unchanged and the space never becomes a line-break point.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Kana, kanji and the iteration/ideographic marks: the characters 和欧間 space separates from
# Latin. Japanese punctuation and brackets are not included: they carry their own space.
_JAPANESE = re.compile(r"[\u3005-\u3007\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A Latin word or number ("ICT", "20", "3.5"); inner punctuation only between alphanumerics.
_LATIN = r"[A-Za-z0-9](?:[A-Za-z0-9.,%&'\-]*[A-Za-z0-9%])?"
_TILDES = "～"
_TOKEN = re.compile(rf"(?P<latin>{_LATIN})(?P<after_latin>[{_TILDES}]*)|(?P<before>[^{_TILDES}])(?P<tildes>[{_TILDES}]+)")

TYPESET_CSS = """
/* generator/render/typeset.py: 和欧間 and kinsoku spans */
.wa-l { margin-left: 0.25em; }
.wa-r { margin-right: 0.25em; }
.nobr { white-space: nowrap; }
"""


def is_japanese(char: str) -> bool:
    """True for kana, kanji and 々〆〇 (the characters that take 和欧間 space next to Latin)."""
    return bool(char) and bool(_JAPANESE.fullmatch(char))


def typeset(text: str) -> Markup:
    """``text`` as escaped HTML with the 和欧間 and ～ kinsoku spans added."""
    text = str(text)
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        if m.group("latin"):
            latin, tildes = m.group("latin"), m.group("after_latin")
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if not tildes and m.end() < len(text) else ""
            classes = " ".join(c for c, on in (("wa-l", is_japanese(before)), ("wa-r", is_japanese(after))) if on)
            piece = f'<span class="{classes}">{escape(latin)}</span>' if classes else str(escape(latin))
            out.append(f'<span class="nobr">{piece}{escape(tildes)}</span>' if tildes else piece)
        else:
            out.append(f'<span class="nobr">{escape(m.group("before"))}{escape(m.group("tildes"))}</span>')
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


_SENTENCE = re.compile(r".+?(?:[。？！]+[」』）]*|$)", re.S)


def sentences(text: str) -> list[str]:
    """``text`` split after each 。？！ (closing brackets stay with their sentence)."""
    return [s for s in (m.group(0).strip() for m in _SENTENCE.finditer(str(text))) if s]


def is_question(sentence: str) -> bool:
    """True for a sentence that asks: it ends with ？ or with か。 (…ますか。 …のか。)."""
    s = sentence.rstrip("」』）")
    return s.endswith(("？", "?", "か。"))
