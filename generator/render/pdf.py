"""WeasyPrint, set up once for every PDF renderer: bundled fonts only, no network.

Import :func:`weasyprint` from here, never ``import weasyprint`` directly: fontconfig must be
pointed at fonts/ before WeasyPrint loads it (see :func:`generator.fonts.use_bundled_fonts_only`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

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
    with _no_library_search():
        import weasyprint as module
    _copy_glyphs_when_subsetting()
    return module


@contextlib.contextmanager
def _no_library_search():
    """Skip ctypes' library search while WeasyPrint loads Pango, HarfBuzz and the rest.

    WeasyPrint tries several names per library; cffi calls ``ctypes.util.find_library`` for
    every name dlopen rejects, and on Linux that runs ldconfig and gcc: ~0.3 s, a sixth of a
    build. The names tried include the Linux sonames (libpango-1.0.so.0, …), which dlopen
    finds by itself, so on Linux the search adds nothing.
    """
    if not sys.platform.startswith("linux"):
        yield
        return
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


@functools.lru_cache(maxsize=None)
def _copy_glyphs_when_subsetting() -> None:
    """Let WeasyPrint's font subsetting copy glyphs as they are instead of re-encoding them.

    Without libharfbuzz-subset, WeasyPrint subsets every embedded font with fontTools, loading
    it with ``recalcBBoxes=True``: every glyph kept is decoded and encoded again only to
    recompute bounding boxes that subsetting does not change (~0.1 s a font a PDF, a quarter
    of a build). fontTools' own subsetter loads fonts with ``recalcBBoxes=False`` (pyftsubset's
    ``--recalc-bounds`` is off by default); so do we: same glyphs, five times faster.
    """
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts

    fonts.TTFont = functools.partial(TTFont, recalcBBoxes=False)


@functools.lru_cache(maxsize=None)
def font_config():
    """One FontConfiguration shared by every document of the process (saves time per document)."""
    from weasyprint.text.fonts import FontConfiguration

    weasyprint()
    return FontConfiguration()


def url_fetcher():
    """A fetcher that reads only files under fonts/ and templates/ (and data: URLs)."""
    weasyprint()  # imported with the fonts isolated before anything of it
    from weasyprint.urls import URLFetcher

    class ProjectFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(d.resolve()) for d in ALLOWED_DIRS):
                    return super().fetch(url, headers)
            raise ValueError(f"printgen reads no files outside fonts/ and templates/: {url}")

    return ProjectFilesFetcher(allowed_protocols=("file", "data"))


# For documents whose templates use a few plain elements (templates/ua/minimal.css says which).
MINIMAL_UA = TEMPLATES_DIR / "ua" / "minimal.css"


def render_html(html: str, *, base_dir: Path = TEMPLATES_DIR, user_agent: Path | None = None):
    """Lay out an HTML string: a WeasyPrint Document, its pages ready to write.

    ``user_agent``: a stylesheet to use instead of WeasyPrint's HTML5 user-agent stylesheet,
    such as :data:`MINIMAL_UA` (a quarter less layout time for the deck, cards and poster).
    """
    html_class = _html_class(user_agent)
    return html_class(string=html, base_url=str(base_dir) + "/", url_fetcher=url_fetcher()).render(font_config=font_config())


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
    document = render_html(html, base_dir=base_dir)
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
