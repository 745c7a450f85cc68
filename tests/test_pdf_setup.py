"""How printgen sets WeasyPrint up (generator/render/pdf.py): its own user-agent stylesheet,
with WeasyPrint's own left unparsed, and the counters that stylesheet must then provide."""

from __future__ import annotations

import io
import os

from pypdf import PdfReader


def test_page_and_list_numbers_print_as_digits():
    """WeasyPrint's counter styles (decimal, …) come from its own user-agent stylesheet, which
    printgen does not use: without templates/ua/html5.css's rule, page numbers print as nothing."""
    from generator.render.pdf import html_to_pdf

    html = ('<html lang="ja"><style>@page { size: A6; @bottom-center { content: counter(page) " / " counter(pages) } }'
            ' p { break-after: page }</style><p>一</p><ol><li>二</li><li>三</li></ol></html>')
    pdf, pages = html_to_pdf(html)
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert pages == 2
    assert texts[0].endswith("1 / 2")
    assert "1." in texts[1] and "2." in texts[1] and texts[1].endswith("2 / 2")


def test_weasyprints_own_user_agent_stylesheets_are_never_parsed():
    """They cost ~0.07 s of every command when parsed at import; printgen lays out with its own."""
    from generator.render.pdf import html_to_pdf, weasyprint

    weasyprint()
    import weasyprint.html as wp_html

    html_to_pdf('<html lang="ja"><p>一</p></html>')
    for name in ("UA_STYLESHEET", "UA_FORM_STYLESHEET", "PH_STYLESHEET"):
        sheet = getattr(wp_html, name)
        assert sheet.__dict__.get("_made", "parsed") is None, f"weasyprint.html.{name} was parsed"


SAMPLE = '<html lang="ja"><style>p { font: 12pt "BIZ UDMincho" }</style><p>介護支援専門員 ICT</p></html>'


def test_fonts_are_subset_by_printgen_with_or_without_libharfbuzz_subset(monkeypatch):
    """The same PDF bytes on every machine: WeasyPrint would subset with libharfbuzz-subset
    where it is installed (other bytes), and with fontTools where not."""
    from generator.render.pdf import html_to_pdf, weasyprint

    weasyprint()
    from weasyprint.pdf import fonts as pdf_fonts

    without, _ = html_to_pdf(SAMPLE)
    monkeypatch.setattr(pdf_fonts, "harfbuzz_subset", object())  # as if installed: never called
    with_it, _ = html_to_pdf(SAMPLE)
    assert with_it == without


def test_document_subsets_are_cached_and_a_damaged_entry_is_made_again(monkeypatch, tmp_path):
    from generator.fonts import DOCUMENT_SUBSETS
    from generator.render.pdf import html_to_pdf, weasyprint

    weasyprint()
    from weasyprint.pdf import fonts as pdf_fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = []
    subset = pdf_fonts.Font._fonttools_subset
    monkeypatch.setattr(pdf_fonts.Font, "_fonttools_subset", lambda font, *args: made.append(1) or subset(font, *args))
    first, _ = html_to_pdf(SAMPLE)
    assert len(made) == 1
    assert html_to_pdf(SAMPLE)[0] == first and len(made) == 1  # from the cache
    (entry,) = (tmp_path / "printgen" / DOCUMENT_SUBSETS).iterdir()
    entry.write_bytes(entry.read_bytes()[:-100])  # truncated
    assert html_to_pdf(SAMPLE)[0] == first and len(made) == 2


def test_the_subset_cache_keeps_the_entries_used_last(monkeypatch, tmp_path):
    from generator import fonts

    monkeypatch.setattr(fonts, "DOCUMENT_SUBSETS_KEPT", 3)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "printgen" / fonts.DOCUMENT_SUBSETS
    for n, key in enumerate("abcd"):
        assert fonts.cached_document_subset(key, lambda: key.encode() * 40) == key.encode() * 40
        os.utime(folder / key, ns=(n * 10**9, n * 10**9))
    fonts.cached_document_subset("b", lambda: b"not made: cached")  # b is used again
    assert sorted(p.name for p in folder.iterdir()) == ["b", "c", "d"]
    fonts.cached_document_subset("e", lambda: b"e" * 40)
    assert sorted(p.name for p in folder.iterdir()) == ["b", "d", "e"]
