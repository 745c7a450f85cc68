"""WeasyPrint, set up once for every PDF renderer: bundled fonts only, no network, printgen's
user-agent stylesheet, font subsets cached, and speed fixes (see :func:`weasyprint`); and the
``write_pdf`` finishers that edit its PDF objects.

Import :func:`weasyprint` from here, never ``import weasyprint`` directly: fontconfig must be
pointed at fonts/ before WeasyPrint loads it (see :func:`generator.fonts.use_bundled_fonts_only`).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections import Counter
from pathlib import Path

from generator.errors import PrintgenError
from generator.fonts import FONTS_DIR, cached_document_subset, use_bundled_fonts_only
from generator.templates import TEMPLATES_DIR

ALLOWED_DIRS = (FONTS_DIR, TEMPLATES_DIR)
REPRODUCIBLE_EPOCH = 1614556800  # 2021-03-01 00:00 UTC, the month the leaflet was published


@functools.lru_cache(maxsize=None)
def weasyprint():
    """The weasyprint module, imported with fontconfig seeing only the bundled fonts."""
    use_bundled_fonts_only()
    # fontTools stamps the current time into every font subset it writes (and so into the
    # PDF) unless SOURCE_DATE_EPOCH is set: pin it, so the same input gives the same bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(REPRODUCIBLE_EPOCH))
    module = _import_weasyprint()
    # Without libharfbuzz-subset, WeasyPrint subsets every embedded font with fontTools, whose
    # TTFont by default decompiles and recompiles each kept glyph only to recompute bounding
    # boxes that subsetting never changes: ~0.15 s a document. Same glyphs, same PDF pages.
    from weasyprint.pdf import fonts as pdf_fonts

    pdf_fonts.TTFont = functools.partial(pdf_fonts.TTFont, recalcBBoxes=False)
    pdf_fonts.Font.subset = _subset_font
    return module


def _subset_font(font, to_unicode, hinting) -> None:
    """WeasyPrint's ``Font.subset`` (70.x), always with fontTools and cached on disk.

    WeasyPrint subsets each font of each PDF to the glyphs it uses: with libharfbuzz-subset
    when the machine has it, otherwise with fontTools (~0.02 s a font, 10 fonts a build).
    Always fontTools: the same PDF bytes on every machine. Cached by what decides the result
    (see :func:`generator.fonts.cached_document_subset`): a build whose documents use the same
    glyphs as an earlier one subsets nothing.
    """
    if not to_unicode:
        return
    import hashlib

    import fontTools

    h = hashlib.sha256()
    for part in ("1", fontTools.version, font.index, hinting, bool(font.missing), sorted(to_unicode)):
        h.update(repr(part).encode() + b"\0")
    h.update(font.file_content)

    def make() -> bytes:
        font._fonttools_subset(to_unicode, hinting)
        return font.file_content

    font.file_content = cached_document_subset(h.hexdigest()[:40], make)


def _import_weasyprint():
    if sys.platform != "linux":
        import weasyprint as module

        return module
    # WeasyPrint tries several names per C library (Windows, macOS, Linux spellings); cffi
    # answers each name that does not load at once with ctypes.util.find_library, which runs
    # ldconfig, gcc and ld: ~70 processes, 0.2-0.3 s of every command. On Linux the list
    # always ends with the soname ("libpango-1.0.so.0"), which dlopen finds through the same
    # ld.so cache ldconfig reads, so the lookups are skipped while WeasyPrint loads.
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    sys.meta_path.insert(0, _DeferUAStylesheets)
    try:
        import weasyprint as module
    finally:
        ctypes.util.find_library = find_library
        sys.meta_path.remove(_DeferUAStylesheets)
    return module


class _DeferUAStylesheets:
    """An import hook for ``weasyprint.html``, which parses WeasyPrint's user-agent, form and
    presentational-hints stylesheets when imported (~0.07 s, on the path of every command):
    printgen lays out every document with its own (:data:`UA_STYLESHEET`, see
    :func:`_html_class`), so each of those is parsed only if something uses it."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "weasyprint.html":
            return None
        import importlib.machinery

        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module

        def deferring_exec_module(module):
            package = sys.modules["weasyprint"]  # html.py takes CSS from it: `from . import CSS`
            css = package.CSS
            package.CSS = lambda *args, **kwargs: _Deferred(lambda: css(*args, **kwargs))
            try:
                exec_module(module)
            finally:
                package.CSS = css

        spec.loader.exec_module = deferring_exec_module
        return spec


class _Deferred:
    """An object made by ``make()`` the first time one of its attributes is read."""

    def __init__(self, make):
        self._make, self._made = make, None

    def __getattr__(self, name):
        if self._made is None:
            self._made = self._make()
        return getattr(self._made, name)


def font_config():
    """The FontConfiguration of the font subsets :func:`generator.fonts.prepare_fonts` made
    last, shared by every document of the process that uses them (saves time a document).
    A new set of subsets (`watch`: a character new to the content) gets a new one: each reads
    fontconfig's file when made, and the old one has no glyph for the new character."""
    weasyprint()  # imported set up, before any of its modules
    use_bundled_fonts_only()
    return _font_config(os.environ["FONTCONFIG_FILE"])


@functools.lru_cache(maxsize=None)
def _font_config(fontconfig_file: str):
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def url_fetcher():
    """A fetcher that reads only files under fonts/ and templates/ (and data: URLs).

    Any other URL (another file, a link out of those folders, http:, …) is refused, and a
    refusal or a file that cannot be read stops the rendering (see :func:`render_html`):
    WeasyPrint would otherwise only log it and leave the image or stylesheet out.
    """
    weasyprint()  # imported with the fonts isolated before anything of it
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    class ProjectFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                parts = urlparse(url)
                path = Path(unquote(parts.path)).resolve()  # resolves ../ and symbolic links
                if parts.netloc in ("", "localhost") and any(path.is_relative_to(d.resolve()) for d in ALLOWED_DIRS):
                    return super().fetch(url, headers)
            raise ValueError(f"printgen reads no files outside fonts/ and templates/: {url}")

    return ProjectFilesFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


# WeasyPrint's HTML5 user-agent rules for the elements the templates use (see the file).
UA_STYLESHEET = TEMPLATES_DIR / "ua" / "html5.css"


def render_html(html: str, base_dir: Path = TEMPLATES_DIR):
    """Lay out an HTML string made from the templates; return the WeasyPrint document.

    A URL that is refused or cannot be read is a :class:`PrintgenError` naming the template
    line that refers to it (content cannot hold a URL: it is escaped as text). The user-agent
    stylesheet is :data:`UA_STYLESHEET`, not WeasyPrint's (a quarter less layout time).
    """
    # (imports WeasyPrint set up, see weasyprint(), before any of its modules; the file's
    # version in the key: `watch` builds again after an edit)
    try:
        version = UA_STYLESHEET.stat().st_mtime_ns
    except OSError:
        from generator.templates import MissingTemplate

        raise MissingTemplate(UA_STYLESHEET) from None
    html_class = _html_class(UA_STYLESHEET, version)
    from weasyprint.urls import FatalURLFetchingError

    try:
        return html_class(string=html, base_url=str(base_dir) + "/", url_fetcher=url_fetcher()).render(font_config=font_config())
    except FatalURLFetchingError as exc:
        url = str(exc).removeprefix("Error fetching ").strip('"')
        cause = exc.__cause__
        if isinstance(cause, ValueError):  # refused by the fetcher
            problem = str(cause)
        else:  # urllib's URLError, its reason an OSError
            reason = getattr(cause, "reason", cause)
            problem = f"cannot read {url} ({getattr(reason, 'strerror', None) or reason})"
        raise PrintgenError(f"{_referring_template(url)}: error: template: {problem}") from None


def _referring_template(url: str) -> str:
    """``path:line`` of the first template line that names ``url`` (as written or by its file
    name), or the templates folder when none does."""
    from urllib.parse import unquote, urlparse

    from generator.content import display_path
    from generator.templates import TEXT_SUFFIXES

    name = Path(unquote(urlparse(url).path)).name
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if url in line or (name and name in line):
                    return f"{display_path(path)}:{number}"
    return f"{display_path(TEMPLATES_DIR)}/"


@functools.lru_cache(maxsize=None)
def _html_class(user_agent: Path, version: int):
    """WeasyPrint's HTML class with ``user_agent`` (and its ``@counter-style`` rules) in
    place of WeasyPrint's own user-agent stylesheet (parsed only if used: see
    :class:`_DeferUAStylesheets`)."""
    wp = weasyprint()
    from weasyprint.css.counters import CounterStyle

    counter_style = CounterStyle()
    sheet = wp.CSS(filename=str(user_agent), url_fetcher=url_fetcher(), font_config=font_config(),
                   counter_style=counter_style)

    class HTML(wp.HTML):
        # WeasyPrint has no option for these; they are the methods it asks (70.x). Were they
        # renamed, WeasyPrint's own sheet would be parsed and apply again: the same output,
        # only slower.
        def _ua_stylesheets(self, forms=False):
            return [sheet]

        def _ua_counter_style(self):
            return [counter_style.copy()]

    return HTML


def html_to_pdf(html: str, *, base_dir: Path = TEMPLATES_DIR, **write_options) -> tuple[bytes, int]:
    """Render an HTML string to PDF bytes; return ``(pdf, page_count)``."""
    document = render_html(html, base_dir)
    pdf = document.write_pdf(**write_options)
    return pdf, len(document.pages)


def compact_pdf(document, pdf) -> None:
    """A ``write_pdf`` finisher: the same pages and copied text in fewer bytes (~7 KB a
    handout, 3.5 %). WeasyPrint 70 writes each font as a CIDFontType2 with
    ``/CIDToGIDMap /Identity`` and a ToUnicode CMap, and every number with six decimals:

    - the TrueType ``cmap`` table is never read (the PDF maps codes to glyph ids itself;
      ISO 32000-1 9.6.4 and 9.7.4: a CIDFontType2's program needs none): it is dropped;
    - ``/W`` lists every glyph's width: the commonest width becomes ``/DW`` (1000 for the
      full-width Japanese glyphs) and ``/W`` lists only the others;
    - the ToUnicode CMap maps glyph by glyph in random order: it is sorted by glyph id and
      runs of consecutive glyphs and characters become ranges;
    - in the pages' content, a ``TJ`` array has one hex string per Pango run (kanji, kana
      and Latin are separate runs): adjacent strings are joined, which draws the same;
      and numbers keep three decimals (a thousandth of a point, 0.35 µm; colours stay
      within a tenth of a step of 255).
    """
    import io

    import pydyf
    from fontTools.ttLib import TTFont

    for item in list(pdf.objects):
        if isinstance(item, pydyf.Stream) and "Length1" in item.extra:  # a TrueType program
            # Read lazily: only the table directory changes, every other table is copied as is.
            font = TTFont(io.BytesIO(b"".join(item.stream)), recalcBBoxes=False, recalcTimestamp=False)
            if "cmap" in font:
                del font["cmap"]
                out = io.BytesIO()
                font.save(out, reorderTables=False)
                item.stream = [out.getvalue()]
                item.extra["Length1"] = len(item.stream[0])
        elif not isinstance(item, pydyf.Dictionary):
            continue
        elif item.get("Subtype") == "/CIDFontType2" and "W" in item:
            widths, old = {}, list(item["W"])
            for start, run in zip(old[::2], old[1::2]):
                widths.update((start + i, width) for i, width in enumerate(run))
            default = Counter(widths.values()).most_common(1)[0][0] if widths else 1000
            compact = pydyf.Array()
            for cid in sorted(widths):
                if widths[cid] == default:
                    continue
                if cid - 1 not in widths or widths[cid - 1] == default:
                    compact.extend((cid, pydyf.Array()))
                compact[-1].append(widths[cid])
            item["DW"], item["W"] = default, compact
        elif item.get("Subtype") == "/Type0" and "ToUnicode" in item:
            _compact_to_unicode(_object(pdf, item["ToUnicode"]))
        elif item.get("Type") == "/Page" and "Contents" in item:
            contents = item["Contents"]
            for reference in contents if isinstance(contents, list) else [contents]:
                content = _object(pdf, reference)
                content.stream = _compact_operators(content.stream)


# A number with more than three decimals, as a whole operand (not inside a name such as /a0.5),
# and not a font size (``/f0 7.874999 Tf``: font sizes keep their digits).
_LONG_NUMBER = re.compile(rb"(?<![^\s\[\]>])-?\d*\.\d{4,}(?=[\s\[\]<]|$)(?! Tf)")


def _compact_operators(stream: list) -> list:
    """Content-stream operators with joined TJ strings and numbers rounded to 0.001.

    pydyf writes a stream's items joined by newlines: each run of operators (bytes) is joined
    and compacted at once, not operator by operator (~8,000 a handout: ~5 ms less). Items that
    are not bytes (marked content of tagged PDFs) are kept as they are. Hex strings (``<…>``)
    appear only in the text operators WeasyPrint writes, so ``><`` only joins TJ strings.
    """
    out, run = [], []
    for op in [*stream, None]:  # None: the end, where the last run is compacted too
        if isinstance(op, bytes):
            run.append(op)
            continue
        if run:
            out.append(_LONG_NUMBER.sub(_rounded, b"\n".join(run).replace(b"><", b"")))
            run = []
        if op is not None:
            out.append(op)
    return out


def _rounded(number: re.Match) -> bytes:
    return _round(number.group(0))


@functools.lru_cache(maxsize=4096)  # coordinates repeat: a handout rounds ~8,000 numbers, ~1,000 distinct
def _round(number: bytes) -> bytes:
    text = (b"%.3f" % float(number)).rstrip(b"0").rstrip(b".")
    return b"0" if text == b"-0" else text


def _compact_to_unicode(cmap) -> None:
    """Rewrite a ToUnicode CMap stream made by WeasyPrint (``<gid> <utf-16be>`` lines in
    ``beginbfchar`` blocks) sorted by glyph id, with ``bfrange`` for consecutive runs."""
    text = b"\n".join(part if isinstance(part, bytes) else str(part).encode() for part in cmap.stream)
    head, _, rest = text.partition(b"endcodespacerange")
    tail = rest[rest.rindex(b"endbfchar") + len(b"endbfchar"):] if b"endbfchar" in rest else rest
    pairs = sorted((int(gid, 16), chars.decode()) for gid, chars in re.findall(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>", rest))
    singles, ranges = [], []
    i = 0
    while i < len(pairs):
        j = i
        # A range keeps the first byte of its codes and of one UTF-16 unit (PDF 9.10.3).
        while (j + 1 < len(pairs) and pairs[j + 1][0] == pairs[j][0] + 1 and (pairs[j + 1][0] >> 8) == (pairs[i][0] >> 8)
               and len(pairs[i][1]) == len(pairs[j + 1][1]) == 4
               and int(pairs[j + 1][1], 16) == int(pairs[j][1], 16) + 1 and (int(pairs[j + 1][1], 16) >> 8) == (int(pairs[i][1], 16) >> 8)):
            j += 1
        if j > i:
            ranges.append(f"<{pairs[i][0]:04x}> <{pairs[j][0]:04x}> <{pairs[i][1]}>")
        else:
            singles.append(f"<{pairs[i][0]:04x}> <{pairs[i][1]}>")
        i = j + 1
    lines = [head + b"endcodespacerange"]
    for kind, entries in (("bfchar", singles), ("bfrange", ranges)):
        for n in range(0, len(entries), 100):  # at most 100 entries a block
            block = entries[n:n + 100]
            lines += [f"{len(block)} begin{kind}".encode(), *(e.encode() for e in block), f"end{kind}".encode()]
    cmap.stream = [b"\n".join(lines) + tail]


_REFERENCE = re.compile(rb"(\d+) 0 R")


def _object(pdf, reference: bytes):
    """The object of the pydyf PDF ``pdf`` that ``reference`` (``b"12 0 R"``) names."""
    return pdf.objects[int(reference.split()[0])]


def pages_as_pdf(pdf, indexes: range, title: str) -> bytes:
    """A separate PDF file of the pages at ``indexes`` of ``pdf`` (the pydyf PDF that a
    ``write_pdf`` finisher receives), titled ``title``: one document written once gives
    two files, drawn and with its fonts subsetted once.

    Only the objects those pages reach are copied (renumbered; the streams' data is shared),
    so no other page or its content is left in the file. The catalog keeps its entries but
    ``Names`` and ``Outlines`` (destinations and bookmarks may point to other pages); anything
    else that reaches another page is an error. The fonts are the document's subsets, with the
    glyphs of the other pages too.
    """
    import io

    import pydyf

    out = pydyf.PDF()
    kids = pdf.pages["Kids"]
    numbers = [kids[3 * i] for i in indexes]
    copies = {pdf.pages.number: out.pages}  # old number -> new object
    todo = []

    def reference(number: int) -> bytes:
        if number not in copies:
            old = pdf.objects[number]
            if isinstance(old, dict) and old.get("Type") == "/Page" and number not in numbers:
                raise ValueError(f"page object {number} is not among the pages copied")
            new = pydyf.Stream(old.stream, None, old.compress) if isinstance(old, pydyf.Stream) else type(old)()
            out.add_object(new)
            copies[number] = new
            todo.append((old, new))
        return copies[number].reference

    def copy(value):
        if isinstance(value, bytes):
            match = _REFERENCE.fullmatch(value)
            return reference(int(match[1])) if match else value
        if isinstance(value, dict):
            return type(value)({key: copy(item) for key, item in value.items()})
        if isinstance(value, list):
            return type(value)([copy(item) for item in value])
        return value  # numbers, names, pydyf.String

    for number in numbers:
        reference(number)
        out.pages["Kids"].extend([copies[number].number, 0, "R"])
    out.pages["Count"] = len(numbers)
    out.catalog.update(copy({key: value for key, value in pdf.catalog.items() if key not in ("Type", "Pages", "Names", "Outlines")}))
    while todo:
        old, new = todo.pop(0)
        if isinstance(new, pydyf.Stream):
            new.extra = copy(old.extra)
        elif isinstance(new, dict):
            new.update(copy(old))
        else:
            new.extend(copy(old))
    out.info.update(pdf.info)
    out.info["Title"] = pydyf.String(title)
    output = io.BytesIO()
    out.write(output, b"1.7", None, compress=True)  # as write_pdf() by default
    return output.getvalue()


def pages_into_boxes(sources: range, id_prefix: str):
    """A ``write_pdf`` finisher: the pages at indexes ``sources`` are drawn, scaled, into the
    boxes of the elements with ids ``{id_prefix}1``, ``{id_prefix}2``, … on the other pages,
    and left out of the file as pages.

    Each source page's content stream becomes a Form XObject, so its layout and glyphs are
    reused, not laid out again at the smaller size. WeasyPrint 70 gives every page one content
    stream (``Contents``) and the resources all pages share (``Resources``).
    """
    import pydyf

    def finish(document, pdf) -> None:
        kids = pdf.pages["Kids"]
        pages = [pdf.objects[number] for number in kids[::3]]
        forms = {}
        for n, i in enumerate(sources, 1):
            page, name = pages[i], f"{id_prefix}{n}"
            form = _object(pdf, page["Contents"])
            form.extra.update({"Type": "/XObject", "Subtype": "/Form", "BBox": page["MediaBox"], "Resources": page["Resources"]})
            _object(pdf, page["Resources"])["XObject"][name] = form.reference
            forms[name] = document.pages[i].width
            page.clear()  # no longer a page: an empty, unreferenced object
        kept = [i for i in range(len(pages)) if i not in sources]
        for i in kept:
            # Drawn before the page's own content, in PDF space (origin bottom left, in pt).
            draw, layout = pydyf.Stream(compress=True), document.pages[i]
            for name, (x1, y1, x2, y2) in layout.anchors.items():
                if name in forms:
                    scale = (x2 - x1) / forms[name]
                    draw.push_state()
                    draw.set_matrix(scale, 0, 0, scale, x1 * 0.75, (layout.height - y2) * 0.75)
                    draw.draw_x_object(name)
                    draw.pop_state()
            pdf.add_object(draw)
            pages[i]["Contents"] = pydyf.Array([draw.reference, pages[i]["Contents"]])
        pdf.pages["Kids"] = pydyf.Array([part for i in kept for part in kids[3 * i:3 * i + 3]])
        pdf.pages["Count"] = len(kept)

    return finish
