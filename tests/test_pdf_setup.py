"""How printgen sets WeasyPrint up (generator/render/pdf.py): its own user-agent stylesheet,
with WeasyPrint's own left unparsed, and the counters that stylesheet must then provide."""

from __future__ import annotations

import io

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
