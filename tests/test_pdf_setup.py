"""How printgen sets WeasyPrint up (generator/render/pdf.py): page counters, reproducible bytes."""

from __future__ import annotations

import io

from pypdf import PdfReader


def test_page_and_list_numbers_print_as_digits():
    from generator.render.pdf import html_to_pdf

    html = ('<html lang="ja"><style>@page { size: A6; @bottom-center { content: counter(page) " / " counter(pages) } }'
            ' p { break-after: page }</style><p>一</p><ol><li>二</li><li>三</li></ol></html>')
    pdf, pages = html_to_pdf(html)
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    assert pages == 2
    assert texts[0].endswith("1 / 2")
    assert "1." in texts[1] and "2." in texts[1] and texts[1].endswith("2 / 2")


def test_the_same_html_gives_the_same_bytes():
    from generator.render.pdf import html_to_pdf

    html = '<html lang="ja"><style>p { font: 12pt "BIZ UDMincho" }</style><p>介護支援専門員 ICT</p></html>'
    assert html_to_pdf(html)[0] == html_to_pdf(html)[0]


def test_text_rectangles_are_read_back_from_the_pdf():
    """What the sheets' safe-area check reads: each run of text where a viewer draws it."""
    from generator.render.pdf import html_to_pdf, text_rectangles

    html = ('<html lang="ja"><style>@page { size: 200pt 100pt; margin: 0 } '
            'p { position: absolute; left: 50pt; top: 20pt; margin: 0; font: 10pt/10pt "BIZ UDGothic" }</style>'
            '<p>介護</p></html>')
    [[(left, top, right, bottom, text)]] = text_rectangles(html_to_pdf(html)[0])
    assert text == "介護"
    assert 49.5 < left < 51 and 19 < top < 22 and 68 < right < 70.5 and 28 < bottom < 31
