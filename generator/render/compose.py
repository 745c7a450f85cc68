"""Japanese composition (組版) for every PDF renderer: lines broken and spaced here, placed by WeasyPrint.

WeasyPrint (through Pango) follows kinsoku but cannot justify Japanese (only spaces stretch),
adjusts no punctuation (約物) and adds no 和欧間 space. So a paragraph is set here, with the
fonts' own advance widths (:mod:`generator.render.measure`), the way JLReq (W3C "Requirements
for Japanese Text Layout") and JIS X 4051 describe, and handed to WeasyPrint as one block per
line that it only places (``white-space: nowrap``; ragged big type: lines of one preformatted box):

- **Line breaks** anywhere between two Japanese characters except where kinsoku forbids it
  (:data:`~generator.render.measure.NO_LINE_START` / ``NO_LINE_END``), never inside a Latin word
  (a URL longer than :data:`LONG_RUN` after / . - …), a number and its counter (令和3年, 16の)
  or a run of ……/――; at spaces. Big type may prefer phrase boundaries (``Column.phrase_break``).
- **約物**: a closing bracket, comma, full stop or closing quote followed by another bracket or
  punctuation loses its trailing half em (「）、」 「。」」), an opening bracket after an opening
  bracket its leading half; closing punctuation at a line end is set half width
  (行末の句読点・終わり括弧を二分); a space next to full-width punctuation is not printed.
- **和欧間**: a quarter em between kana/kanji and Latin letters or digits, drawn by the font
  subsets' stylistic sets (see :mod:`generator.render.typeset`), never at a line's start or end.
- **Justification**: the breaks of a whole paragraph are chosen together (:func:`_paragraph`):
  the fewest lines, then the least adjustment, where a line either takes one more unit by
  compressing the trailing half of its commas and closing brackets (追い込み) or spreads its
  slack between characters (追い出し). Slack never goes inside a Latin word, after an opening
  bracket or before closing punctuation. The last line of a paragraph is set flush left.
- **No widows**: the last line keeps at least :data:`WIDOW_LETTERS` characters besides
  punctuation: characters are pushed down from the lines above (a line more only when nothing
  else helps).

The text is not changed: every character of the content reaches the PDF in order, except the
spaces described above; margins and letter spacing are markup only.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape

from generator.fonts import WAKAN_CHARS, WAKAN_GAP_EM, Face, is_variation_selector
from generator.render.measure import NO_LINE_END, NO_LINE_START, WIDOW_LETTERS, font_metrics, is_letter
from generator.render.typeset import is_japanese

# Full-width brackets and punctuation whose glyph fills one half of the em and whose other half
# is blank space that composition may take away (JLReq cl-01, cl-02, cl-06, cl-07).
OPENING = frozenset("「『（〔［｛〈《【〘〖〝")
CLOSING = frozenset("」』）〕］｝〉》】〙〗〟")
COMMAS = frozenset("、，")
FULL_STOPS = frozenset("。．")
CLOSING_PUNCT = CLOSING | COMMAS | FULL_STOPS
INSEPARABLE = frozenset("…‥―—")  # cl-08: no break between two of them
# A number and its counter stay on one line (令和3年, 2021年度, 3月, 20日, 16の…): an era name,
# digits and the kanji that counts them.
_DIGIT = "[0-9０-９]"
NUMBER_GROUP = re.compile(rf"(?:令和|平成|昭和|大正|明治)(?:元|{_DIGIT}+)年度?|{_DIGIT}+(?:年度|[年月日回人名点つ%％])")
EPSILON = 0.01  # pt: rounding room when comparing widths


@dataclass(frozen=True)
class Column:
    """Where a text is set: a face at a size, in a column ``width`` pt wide.

    ``indent``: the first line's indent in em (字下げ). ``justify``: lines but the last end
    flush with the column (両端揃え); else they are ragged (headings, captions, centred text).
    ``phrase_break``: big type (cards, posters) prefers to break between phrases.
    """

    face: Face
    size: float
    width: float
    indent: float = 0.0
    justify: bool = True
    # The cost of a break inside a phrase (BudouX, :func:`generator.render.phrases.phrases`):
    # ``None``: none (running text breaks between any two characters); ``math.inf``: never.
    phrase_break: float | None = None
    wakan: bool = True  # 和欧間 (the font subsets' stylistic sets draw it; the whole fonts cannot)


@dataclass
class Unit:
    """One character as composition sees it (with a variation selector or combining mark)."""

    text: str
    advance: float  # pt
    kind: str  # "open", "close" (closing brackets, commas, full stops), "latin", "space", "ja", "other"
    trim_before: float = 0.0  # pt taken from its leading blank half (約物)
    trim_after: float = 0.0  # pt taken from its trailing blank half
    gap_before: bool = False  # 和欧間 before it (when the unit before it is on the same line)
    gap_after: bool = False
    spread_after: bool = True  # whether justification may add space after it
    break_before: bool = True  # whether a line may start with it
    css: str = ""  # a class of its own (a number or marker in front of a text)


@dataclass
class Line:
    units: list[Unit]
    spacing: float = 0.0  # pt added after each unit that may spread
    squeeze: float = 0.0  # pt taken from each compressible unit (追い込み)
    last: bool = False


class TextTooWide(ValueError):
    """A run that cannot be broken (a long Latin word …) is wider than its column."""

    def __init__(self, text: str, run: str):
        super().__init__(run)
        self.text, self.run = text, run


def _full(u: Unit, em: float) -> bool:
    """Whether ``u`` is one em wide (full-width punctuation has a blank half to give)."""
    return abs(u.advance - em) < 0.01 * em


def _halved_at_end(u: Unit, em: float) -> bool:
    """Whether ``u`` ending a line is set half width (行末の約物を二分)."""
    return u.kind == "close" and not u.trim_after and _full(u, em)


def _compressible(u: Unit, em: float) -> bool:
    """Whether ``u``'s trailing half may be compressed inside a line (追い込み: commas and
    closing brackets, JLReq 1/2 → 0; full stops keep theirs)."""
    return _halved_at_end(u, em) and u.text[0] not in FULL_STOPS


def _kind(char: str) -> str:
    if char in OPENING:
        return "open"
    if char in CLOSING_PUNCT:
        return "close"
    if char.isspace():
        return "space"
    if char.isascii() and not char.isspace():
        return "latin"
    if is_japanese(char):
        return "ja"
    return "other"


@functools.lru_cache(maxsize=4096)
def _units(text: str, face: Face, size: float, wakan: bool = True) -> tuple[tuple, ...]:
    """``text`` as units (as plain tuples, cached), with 約物 pairs, 和欧間 and break rules set."""
    metrics = font_metrics(face)
    em = size
    pieces: list[str] = []
    for char in text:
        if pieces and (is_variation_selector(char) or unicodedata.combining(char)):
            pieces[-1] += char
        else:
            pieces.append(char)
    # A space next to full-width punctuation (「よう、 4つ」) is not printed: the punctuation
    # carries its own space. Nor is one at either end, or a second one.
    kept: list[str] = []
    for i, piece in enumerate(pieces):
        if piece == " ":
            before = kept[-1][0] if kept else ""
            after = pieces[i + 1][0] if i + 1 < len(pieces) else ""
            if not before or not after or _kind(before) in ("open", "close", "space") or _kind(after) in ("open", "close", "space"):
                continue
        kept.append(piece)
    units = [Unit(p, metrics.advance(p, size), _kind(p[0])) for p in kept]
    _quotes(units)
    half = 0.5 * em
    in_date = set()
    joined = "".join(kept)
    offsets, at = [], 0
    for p in kept:
        offsets.append(at)
        at += len(p)
    for m in NUMBER_GROUP.finditer(joined):
        in_date.update(range(m.start() + 1, m.end()))
    for i, u in enumerate(units):
        prev = units[i - 1] if i else None
        if prev is not None:
            # 約物: two blank halves that meet become one
            if prev.kind == "close" and u.kind in ("close", "open") and _full(prev, em):
                prev.trim_after = half
            elif prev.kind == "open" and u.kind == "open" and _full(u, em):
                u.trim_before = half
            # 和欧間
            a, b = prev.text[0], u.text[0]
            if wakan and is_japanese(a) and b in WAKAN_CHARS:
                u.gap_before = True
            elif wakan and a in WAKAN_CHARS and is_japanese(b):
                prev.gap_after = True
            # where justification may add space: not inside a Latin word, not after an opening
            # bracket, not before closing punctuation
            if (prev.kind == "latin" and u.kind == "latin") or prev.kind in ("open", "quote-open") or u.kind == "close":
                prev.spread_after = False
            # where a line may break
            u.break_before = not (
                (prev.kind == "latin" and u.kind == "latin")
                or b in NO_LINE_START or prev.text[-1] in NO_LINE_END  # (” opening too: it reads as closing)
                or prev.kind == "quote-open"
                or (a in INSEPARABLE and b == a)
                or offsets[i] in in_date
            ) or prev.kind == "space"
            if u.kind == "space":
                u.break_before = False  # a space stays at the end of the line before
    _break_long_runs(units)
    return tuple(map(dataclasses.astuple, units))


# A Latin run this long (an address, a URL) may break after one of URL_BREAKS, as URLs are
# broken in print; a shorter word never breaks, and a long run without them is too wide.
LONG_RUN = 20
URL_BREAKS = frozenset("/.-_?&=#")


def _break_long_runs(us: list[Unit]) -> None:
    start = 0
    while start < len(us):
        end = start
        while end < len(us) and us[end].kind == "latin":
            end += 1
        if end - start > LONG_RUN:
            for k in range(start + 1, end):
                if us[k - 1].text in URL_BREAKS and us[k].text not in URL_BREAKS:
                    us[k].break_before = True
        start = end + 1


# Right quotation marks: full width in BIZ UD, the glyph in the left half. Japanese text (the
# leaflet included) often uses ” for the opening mark as well: 「”点”ではなく”面”」.
RIGHT_QUOTES = {"”": "“", "’": "‘"}


def _quotes(us: list[Unit]) -> None:
    """Tell closing ” ’ from opening ones: all close when the text has “ (‘); else they pair up,
    the first of each pair opening. A closing one is closing punctuation (half width before
    another mark or at a line end); no line ends with an opening one."""
    for right, left in RIGHT_QUOTES.items():
        marks = [u for u in us if u.text[0] == right]
        paired = not any(u.text[0] == left for u in us)
        for n, u in enumerate(marks):
            if paired and n % 2 == 0:
                u.kind = "quote-open"
            else:
                u.kind = "close"


def units(text: str, face: Face, size: float, wakan: bool = True) -> list[Unit]:
    """``text`` as units for ``face`` at ``size`` pt; ``wakan=False``: no 和欧間 (the whole
    fonts are in use, which lack the stylistic sets that draw it)."""
    return [Unit(*t) for t in _units(text, face, size, wakan)]


def _line_width(line: list[Unit], em: float) -> float:
    """The set width of ``line`` (no justification): advances, 約物 trims, 和欧間 inside it,
    closing punctuation at its end half width, spaces at its ends not counted."""
    line = _trimmed(line)
    if not line:
        return 0.0
    width = sum(u.advance - u.trim_before - u.trim_after for u in line)
    width += WAKAN_GAP_EM * em * sum(1 for a, b in zip(line, line[1:]) if a.gap_after or b.gap_before)
    return width - (0.5 * em if _halved_at_end(line[-1], em) else 0.0)


def _squeezable(line: list[Unit], em: float) -> list[int]:
    """Units of ``line`` whose trailing half may be compressed (:func:`_compressible`; not its last)."""
    return [i for i, u in enumerate(line[:-1]) if _compressible(u, em)]


def set_lines(text: str, column: Column) -> list[Line]:
    """``text`` broken into lines for ``column`` (see the module's doc). Raises
    :class:`TextTooWide` when a run that cannot be broken is wider than the column."""
    lines: list[Line] = []
    for part in str(text).split("\n"):
        lines += _paragraph(units(part, column.face, column.size, column.wakan), column, str(text))
    return lines


WIDOW_COST = 1000.0  # a last line of fewer than WIDOW_LETTERS letters: only when nothing else fits
LINE_COST = 10.0  # each line: the fewest lines first, then the least adjustment
PRUNE_EM = 4.0  # lines shorter than the column by more than this are tried only when nothing else goes
LOOSE_COST = 10.0  # weight of slack that cannot be spread (a line of one Latin word)


def _paragraph(us: list[Unit], column: Column, text: str, full: bool = False) -> list[Line]:
    """The breaks of one paragraph in the fewest lines that adjust its lines least (the sum over
    lines of the square of the space added or taken per adjustable gap, in em), with no widow
    when it can be helped (at the cost of a line when nothing else helps):
    a compositor's choice between pushing a character down and pulling one up, made for the
    whole paragraph at once, so that no single line takes all the adjustment."""
    em, n = column.size, len(us)
    if n == 0:
        return [Line([], last=True)]
    # prefix sums: net advance, 和欧間 gaps (between k-1 and k), squeezable and spreadable units
    net, gaps, squeeze, spread, letters = [0.0], [0, 0], [0], [0], [0]
    for k, u in enumerate(us):
        net.append(net[-1] + u.advance - u.trim_before - u.trim_after)
        if k:
            gaps.append(gaps[-1] + (us[k - 1].gap_after or u.gap_before))
        squeeze.append(squeeze[-1] + _compressible(u, em))
        spread.append(spread[-1] + u.spread_after)
        letters.append(letters[-1] + is_letter(u.text[0]))
    gap = WAKAN_GAP_EM * em
    starts = [0] + [k for k in range(1, n) if us[k].break_before]
    ends = set(starts[1:]) | {n}
    inside: set[int] = set()  # breaks inside a phrase, with their cost
    if column.phrase_break is not None:
        inside = ends - _phrase_ends(tuple(u.text for u in us)) - {n}
        if column.phrase_break == float("inf"):
            ends -= inside
            inside = set()

    def fit(i: int, j: int, width: float) -> tuple[float, float, float] | None:
        """(cost, spacing, squeeze) of the line us[i:j], or None when it cannot fit."""
        while j > i and us[j - 1].kind == "space":
            j -= 1
        if j == i:
            return 0.0, 0.0, 0.0
        natural = net[j] - net[i] + gap * (gaps[j] - gaps[i + 1]) - (0.5 * em if _halved_at_end(us[j - 1], em) else 0.0)
        if natural <= width + EPSILON:
            spreads = spread[j - 1] - spread[i]
            slack = width - natural
            if spreads:
                return ((slack / spreads) / em) ** 2, slack / spreads, 0.0
            return LOOSE_COST * (slack / em) ** 2, 0.0, 0.0
        room = squeeze[j - 1] - squeeze[i] if column.justify else 0  # (ragged text is never pushed in)
        need = natural - width
        if room and need <= 0.5 * em * room + EPSILON:
            per = need / room
            return (per / em) ** 2, 0.0, per
        return None

    ends_list = sorted(ends)
    advanced = [net[j] for j in ends_list]  # (rising: a line that ends later is wider)
    reach = column.width if full else PRUNE_EM * em
    inf = float("inf")
    best = {0: (0.0, -1, 0.0, 0.0)}  # line start -> (cost so far, previous start, spacing, squeeze)
    final: tuple[float, int, float] | None = None  # (cost, start of the last line, squeeze)
    for i in starts:
        if i not in best:
            continue
        cost_here = best[i][0]
        width = column.width - (column.indent * em if i == 0 else 0.0)
        first = i == 0
        # Only lines within `reach` of the column's width are tried (a line that much short
        # is never the best choice unless it is the last one), then the paragraph's end.
        at = bisect.bisect_left(advanced, net[i] + width - reach, lo=bisect.bisect_right(ends_list, i))
        candidates = ends_list[at:] if at < len(ends_list) else [n]
        for j in candidates:
            fitted = fit(i, j, width)
            if fitted is None:
                break
            line_cost, spacing, squeezed = fitted
            k = j
            while k < n and us[k].kind == "space":
                k += 1
            if k >= n:  # the last line: set flush left; a widow only when nothing else fits
                last_cost = (squeezed / em) ** 2 if squeezed else 0.0
                if not first and letters[n] - letters[i] < WIDOW_LETTERS:
                    last_cost += WIDOW_COST
                total = cost_here + last_cost
                if final is None or total < final[0]:
                    final = (total, i, squeezed)
                continue
            total = cost_here + LINE_COST + line_cost + (column.phrase_break if j in inside else 0.0)
            if total < best.get(k, (inf,))[0]:
                best[k] = (total, i, spacing, squeezed)
    if final is None or (final[0] >= WIDOW_COST and not full):
        if not full:  # only a much shorter line goes (a long unbreakable run next, or a widow
            return _paragraph(us, column, text, full=True)  # to avoid): try them all
        raise TextTooWide(text, _run_at(us, max(best)))
    # walk back from the last line
    lines = [Line(us[final[1]:], squeeze=final[2], last=True)]
    at = final[1]
    while at > 0:
        _cost, previous, spacing, squeezed = best[at]
        end = at
        while end > previous and us[end - 1].kind == "space":
            end -= 1
        lines.append(Line(us[previous:end], spacing=spacing, squeeze=squeezed))
        at = previous
    lines.reverse()
    if not column.justify:
        for line in lines:
            line.spacing = 0.0
    return lines


@functools.lru_cache(maxsize=1024)
def _phrase_ends(pieces: tuple[str, ...]) -> frozenset[int]:
    """Indices of the units before which a phrase begins (BudouX, kinsoku applied)."""
    from generator.render.phrases import phrases

    starts, at = set(), 0
    for phrase in phrases("".join(pieces), strict=False):
        at += len(phrase)
        starts.add(at)
    ends, at = set(), 0
    for k, piece in enumerate(pieces):
        if at in starts:
            ends.add(k)
        at += len(piece)
    return frozenset(ends)


def _run_at(us: list[Unit], start: int) -> str:
    end = start + 1
    while end < len(us) and not us[end].break_before:
        end += 1
    return "".join(u.text for u in us[start:end])


def _trimmed(line: list[Unit]) -> list[Unit]:
    start, end = 0, len(line)
    while start < end and line[start].kind == "space":
        start += 1
    while end > start and line[end - 1].kind == "space":
        end -= 1
    return line[start:end]


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def line_html(line: Line, em: float, indent: float = 0.0, block: bool = True) -> str:
    """One line's units as HTML: spans only where a unit needs margin, spacing or 和欧間; in a
    ``<span class="ln">`` block unless ``block`` is false (a ragged line of a preformatted box)."""
    body = _trimmed(line.units)
    out: list[str] = []
    squeezable = set(_squeezable(body, em)) if line.squeeze else set()
    run: list[str] = []
    run_key = None

    def flush() -> None:
        nonlocal run, run_key
        if run:
            text = "".join(run)
            if run_key is None:
                out.append(text)
            else:
                out.append(f"<span{run_key}>{text}</span>")
        run, run_key = [], None

    for i, u in enumerate(body):
        classes, styles = [], []
        gap_before = u.gap_before and i > 0
        gap_after = u.gap_after and i < len(body) - 1
        if gap_before and gap_after:
            classes.append("wa-lr")
        elif gap_before:
            classes.append("wa-l")
        elif gap_after:
            classes.append("wa-r")
        after = 0.5 * em if i == len(body) - 1 and _halved_at_end(u, em) else u.trim_after
        if i in squeezable:
            after += line.squeeze
        if u.trim_before:
            styles.append(f"margin-left:-{_fmt(u.trim_before)}pt")
        if after:
            styles.append(f"margin-right:-{_fmt(after)}pt")
        if line.spacing and not u.spread_after and i < len(body) - 1:
            classes.append("ns")
        if u.css:
            classes.append(u.css)
        key = (f' class="{" ".join(classes)}"' if classes else "") + (f' style="{";".join(styles)}"' if styles else "")
        key = key or None
        if key != run_key or styles:  # (a margin belongs to one character: never merged)
            flush()
            run_key = key
        run.append(str(escape(u.text)))
    flush()
    html = "".join(out)
    if not block:
        return html
    styles = ([f"padding-left:{_fmt(indent)}pt"] if indent > 0 else [f"margin-left:-{_fmt(-indent)}pt"] if indent < 0 else []) \
        + ([f"letter-spacing:{_fmt(line.spacing)}pt"] if line.spacing else [])
    style = f' style="{";".join(styles)}"' if styles else ""
    return f'<span class="ln"{style}>{html}</span>'


def compose(text: str, column: Column, prefix: str = "", prefix_class: str = "") -> Markup:
    """``text`` set for ``column``: one ``<span class="ln">`` per line (see :data:`COMPOSE_CSS`).
    ``prefix`` (a number before a title) is set with the text, in a span of ``prefix_class``."""
    lines = set_lines(prefix + str(text), column)
    em = column.size
    _mark(lines, len(prefix), prefix_class)
    return Markup("".join(line_html(line, em, column.indent * em if n == 0 else 0.0) for n, line in enumerate(lines)))


def _mark(lines: list[Line], count: int, css: str) -> None:
    """Give the first ``count`` characters of ``lines`` the class ``css``."""
    for line in lines:
        for u in line.units:
            if count <= 0:
                return
            u.css = css
            count -= len(u.text)


def line_width(text: str, face: Face, size: float, wakan: bool = True) -> float:
    """The width of ``text`` set as one line (約物, 和欧間, line-end punctuation half width)."""
    return _line_width(units(text, face, size, wakan), size)


def compose_lines(lines: list[str], face: Face, size: float, block: bool = True) -> Markup:
    """Lines broken elsewhere (headlines balanced at phrases) set as :func:`compose` sets them,
    ragged. ``block=False``: the lines' HTML joined by newlines, for a ``white-space: pre``
    box (one box for all lines: WeasyPrint lays a big-type sheet out in half the time)."""
    html = (line_html(Line(units(line, face, size), last=True), size, block=block) for line in lines)
    return Markup(("" if block else "\n").join(html))


def _heading_lines(text: str, column: Column) -> list[Line]:
    """A heading's lines: only at phrase boundaries, the fewest and most even
    (:func:`generator.render.phrases.balance`); in a narrow column at BudouX's phrases as they
    are (「と｜して」 included); by characters only when a phrase is wider than the column."""
    from generator.render.phrases import balance

    width = column.width - column.indent * column.size
    measure = functools.partial(line_width, face=column.face, size=column.size, wakan=column.wakan)
    broken = balance(text, width, measure) or balance(text, width, measure, strict=False)
    if broken is None:
        return set_lines(text, dataclasses.replace(column, justify=False))
    return [Line(units(line, column.face, column.size, column.wakan), last=True) for line in broken]


def headline(text: str, column: Column, prefix: str = "", prefix_class: str = "") -> Markup:
    """A heading, table head or caption (:func:`_heading_lines`); ``prefix`` as in :func:`compose`."""
    lines = _heading_lines(prefix + str(text), column)
    _mark(lines, len(prefix), prefix_class)
    em = column.size
    return Markup("".join(line_html(line, em, column.indent * em if n == 0 else 0.0) for n, line in enumerate(lines)))


# Every composed line is a block WeasyPrint does not break again; ``ns``: no justification space
# after the character (inside a Latin word, after an opening bracket, before closing punctuation).
COMPOSE_CSS = Markup(
    "/* generator/render/compose.py: composed lines */\n"
    ".ln { display: block; white-space: nowrap; text-indent: 0; }\n"
    ".ns { letter-spacing: 0; }\n"
)


def _too_wide(text, error: TextTooWide, column: Column):
    from generator.errors import Diagnostic, PrintgenError
    from generator.i18n import _

    run = error.run if len(error.run) <= 40 else error.run[:40] + "…"
    message = _("“{run}” cannot be broken into lines and is wider than its column "
                "({width:.0f} pt at {size:.1f} pt); shorten it or add a space").format(run=run, width=column.width, size=column.size)
    source = getattr(text, "source", None)
    return PrintgenError.of(Diagnostic.at(source, message)) if source is not None else PrintgenError(message)


def hanging(text: str, column: Column, marker: str, marker_class: str, hang_em: float, heading: bool = False) -> Markup:
    """``text`` set in ``column`` (as :func:`compose`, or :func:`headline` with ``heading``) with
    ``marker`` (①, a number) hanging ``hang_em`` em to the left of its first line, in the same
    line (so it is read, and copied, just before the text), in a span of ``marker_class`` that
    CSS makes that wide."""
    hang = hang_em * column.size
    column = dataclasses.replace(column, indent=0.0)
    lines = _heading_lines(str(text), column) if heading else set_lines(text, column)
    lines[0].units.insert(0, Unit(str(marker), hang, "other", spread_after=False, break_before=False, css=marker_class))
    return Markup("".join(line_html(line, column.size, -hang if n == 0 else 0.0) for n, line in enumerate(lines)))


def _reported(function):
    """``function`` for templates: a run too wide for its column is a content error naming
    the text's file, line and key."""
    @functools.wraps(function)
    def filter_(text, column: Column, *args, **kwargs) -> Markup:
        try:
            return function(text, column, *args, **kwargs)
        except TextTooWide as error:
            raise _too_wide(text, error, column) from None

    return filter_


compose_filter = _reported(compose)
headline_filter = _reported(headline)
hanging_filter = _reported(hanging)
