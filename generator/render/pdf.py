"""WeasyPrint, set up the same way for every PDF renderer: the bundled fonts only, no file
outside fonts/ and templates/, reproducible bytes.

Import :func:`weasyprint` from here, never ``import weasyprint`` directly: fontconfig must be
pointed at fonts/ before WeasyPrint loads it (see :func:`generator.fonts.use_bundled_fonts_only`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from generator.errors import Diagnostic, PrintgenError
from generator.fonts import FONTS_DIR, use_bundled_fonts_only
from generator.i18n import _
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
    import weasyprint as module

    return module


def font_config():
    """The FontConfiguration of the fonts :func:`generator.fonts.prepare_fonts` chose last,
    shared by every document that uses them. New font subsets (`watch`: a character new to
    the content) get a new one: each reads fontconfig's file when made."""
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
            raise ValueError(_("printgen reads no files outside fonts/ and templates/: {url}").format(url=url))

    return ProjectFilesFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


def render_html(html: str, base_dir: Path = TEMPLATES_DIR):
    """Lay out an HTML string made from the templates; return the WeasyPrint document.

    A URL that is refused or cannot be read is a :class:`PrintgenError` naming the template
    line that refers to it (content cannot hold a URL: it is escaped as text).
    """
    wp = weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    try:
        return wp.HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=url_fetcher()).render(font_config=font_config())
    except FatalURLFetchingError as exc:
        url = str(exc).removeprefix("Error fetching ").strip('"')
        cause = exc.__cause__
        if isinstance(cause, ValueError):  # refused by the fetcher
            problem = str(cause)
        else:  # urllib's URLError, its reason an OSError
            reason = getattr(cause, "reason", cause)
            problem = _("cannot read {url} ({problem})").format(url=url, problem=getattr(reason, "strerror", None) or reason)
        path, line = _referring_template(url)
        raise PrintgenError.of(Diagnostic(path, line, "template", problem)) from None


def _referring_template(url: str) -> tuple[str, int | None]:
    """``(path, line)`` of the first template line that names ``url`` (as written or by its
    file name), or the templates folder when none does."""
    from urllib.parse import unquote, urlparse

    from generator.content import display_path
    from generator.templates import TEXT_SUFFIXES

    name = Path(unquote(urlparse(url).path)).name
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        if path.suffix in TEXT_SUFFIXES and path.is_file():
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if url in line or (name and name in line):
                    return display_path(path), number
    return f"{display_path(TEMPLATES_DIR)}/", None


def html_to_pdf(html: str, *, base_dir: Path = TEMPLATES_DIR, **write_options) -> tuple[bytes, int]:
    """Render an HTML string to PDF bytes; return ``(pdf, page_count)``."""
    document = render_html(html, base_dir)
    pdf = document.write_pdf(**write_options)
    return pdf, len(document.pages)


def text_rectangles(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    """For each page of ``pdf``, its text as laid out: ``(left, top, right, bottom, text)``
    in pt from the MediaBox's top left corner, one rectangle per run of text on a line
    (read back with pdfium, as a viewer would draw it)."""
    import pypdfium2 as pdfium

    pages = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            left0, bottom0, _right, top0 = page.get_mediabox()
            textpage = page.get_textpage()
            rects = []
            for i in range(textpage.count_rects()):
                left, bottom, right, top = textpage.get_rect(i)
                text = textpage.get_text_bounded(left, bottom, right, top)
                rects.append((left - left0, top0 - top, right - left0, top0 - bottom, text))
            pages.append(rects)
    finally:
        document.close()
    return pages
