"""WeasyPrint, set up once for every PDF renderer: bundled fonts only, no network, and two
speed fixes (see :func:`weasyprint`).

Import :func:`weasyprint` from here, never ``import weasyprint`` directly: fontconfig must be
pointed at fonts/ before WeasyPrint loads it (see :func:`generator.fonts.use_bundled_fonts_only`).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from generator.errors import PrintgenError
from generator.fonts import FONTS_DIR, use_bundled_fonts_only
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
    return module


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
    try:
        import weasyprint as module
    finally:
        ctypes.util.find_library = find_library
    return module


@functools.lru_cache(maxsize=None)
def font_config():
    """One FontConfiguration shared by every document of the process (saves time per document)."""
    from weasyprint.text.fonts import FontConfiguration

    weasyprint()
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


# For documents whose templates use a few plain elements (templates/ua/minimal.css says which).
MINIMAL_UA = TEMPLATES_DIR / "ua" / "minimal.css"


def render_html(html: str, base_dir: Path = TEMPLATES_DIR, *, user_agent: Path | None = None):
    """Lay out an HTML string made from the templates; return the WeasyPrint document.

    A URL that is refused or cannot be read is a :class:`PrintgenError` naming the template
    line that refers to it (content cannot hold a URL: it is escaped as text).
    ``user_agent``: a stylesheet to use instead of WeasyPrint's HTML5 user-agent stylesheet,
    such as :data:`MINIMAL_UA` (a quarter less layout time for the deck, cards and poster).
    """
    from weasyprint.urls import FatalURLFetchingError

    html_class = _html_class(user_agent)
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
def _html_class(user_agent: Path | None):
    wp = weasyprint()
    if user_agent is None:
        return wp.HTML
    sheet = wp.CSS(filename=str(user_agent), url_fetcher=url_fetcher(), font_config=font_config())

    class HTML(wp.HTML):
        # WeasyPrint has no option for it; this is the method it asks (70.x). Were it renamed,
        # the full stylesheet would apply again: the same output, only slower.
        def _ua_stylesheets(self, forms=False):
            return [sheet]

    return HTML


def html_to_pdf(html: str, *, base_dir: Path = TEMPLATES_DIR, **write_options) -> tuple[bytes, int]:
    """Render an HTML string to PDF bytes; return ``(pdf, page_count)``."""
    document = render_html(html, base_dir)
    pdf = document.write_pdf(**write_options)
    return pdf, len(document.pages)


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
        def obj(reference: bytes):
            return pdf.objects[int(reference.split()[0])]

        kids = pdf.pages["Kids"]
        pages = [pdf.objects[number] for number in kids[::3]]
        forms = {}
        for n, i in enumerate(sources, 1):
            page, name = pages[i], f"{id_prefix}{n}"
            form = obj(page["Contents"])
            form.extra.update({"Type": "/XObject", "Subtype": "/Form", "BBox": page["MediaBox"], "Resources": page["Resources"]})
            obj(page["Resources"])["XObject"][name] = form.reference
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
