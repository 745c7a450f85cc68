"""PNG previews of the PDFs in the output folder: one thumbnail per page or slide, and one
contact sheet per material (pypdfium2 renders; no system tools needed)."""

from __future__ import annotations

import io
from pathlib import Path

from generator.errors import Diagnostic, PrintgenError
from generator.writer import OutputWriter

THUMB_WIDTH = 400  # pixels
SHEET_COLUMNS = 5
GAP = 16


def preview(out_dir: Path, dpi_width: int = THUMB_WIDTH) -> list[Path]:
    """Write ``preview/<pdf stem>/NNN.png`` and ``preview/<pdf stem>.png`` for every PDF in ``out_dir``."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdfs = sorted(p for p in Path(out_dir).glob("*.pdf"))
    if not pdfs:
        raise PrintgenError.of(Diagnostic(str(out_dir), None, "preview", "no PDF files to preview; run `printgen build` first"))
    writer = OutputWriter(out_dir)
    written = []
    for pdf_path in pdfs:
        try:
            document = pdfium.PdfDocument(str(pdf_path))
        except pdfium.PdfiumError as exc:
            raise PrintgenError.of(Diagnostic(str(pdf_path), None, "preview", f"cannot read the PDF ({exc})")) from None
        thumbs = []
        for index in range(len(document)):
            page = document[index]
            scale = dpi_width / page.get_width()
            image = page.render(scale=scale).to_pil().convert("RGB")
            thumbs.append(image)
            written.append(writer.write(f"preview/{pdf_path.stem}/{index + 1:03d}.png", _png(image)))
        document.close()
        written.append(writer.write(f"preview/{pdf_path.stem}.png", _png(_contact_sheet(thumbs, Image))))
    return written


def _contact_sheet(thumbs, Image):
    columns = min(SHEET_COLUMNS, len(thumbs))
    rows = -(-len(thumbs) // columns)
    cell_w = max(t.width for t in thumbs)
    cell_h = max(t.height for t in thumbs)
    sheet = Image.new("RGB", (columns * (cell_w + GAP) + GAP, rows * (cell_h + GAP) + GAP), (200, 200, 200))
    for i, thumb in enumerate(thumbs):
        row, col = divmod(i, columns)
        sheet.paste(thumb, (GAP + col * (cell_w + GAP), GAP + row * (cell_h + GAP)))
    return sheet


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
