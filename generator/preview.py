"""PNG previews of the PDFs in the output folder: one thumbnail per page or slide, and one
contact sheet per material (pypdfium2 renders; no system tools needed)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from generator.errors import Diagnostic, PrintgenError
from generator.writer import OutputWriter, read_output
from generator.i18n import _

THUMB_WIDTH = 400  # pixels
SHEET_COLUMNS = 5
GAP = 16


def preview(out_dir: Path, dpi_width: int = THUMB_WIDTH) -> list[Path]:
    """Write ``preview/<pdf stem>/NNN.png`` and ``preview/<pdf stem>.png`` for every PDF the
    last build wrote in ``out_dir`` (as its manifest lists them; a file reached through a link
    or not a regular file is not read). All or none: a PDF that cannot be read leaves no PNG."""
    import pypdfium2 as pdfium
    from PIL import Image

    from generator.build import MANIFEST

    try:
        manifest = json.loads((read_output(out_dir, MANIFEST) or b"{}").decode("utf-8"))
        names = sorted({name for entry in manifest.values() for name in entry["files"]
                        if name.endswith(".pdf") and "/" not in name})
    except (ValueError, TypeError, KeyError, AttributeError):
        names = []
    if not names:
        raise PrintgenError.of(Diagnostic(str(out_dir), None, "preview", _("no PDF files to preview; run `printgen build` first")))
    written = []
    with OutputWriter(out_dir) as writer:
        for name in names:
            pdf_path = Path(out_dir) / name
            data = read_output(out_dir, name)
            try:
                if data is None:
                    raise ValueError(_("not a regular file"))
                document = pdfium.PdfDocument(data)
            except (pdfium.PdfiumError, ValueError) as exc:
                raise PrintgenError.of(Diagnostic(str(pdf_path), None, "preview", _("cannot read the PDF ({problem}); run `printgen build --force`").format(problem=exc))) from None
            thumbs = []
            for index in range(len(document)):
                page = document[index]
                scale = dpi_width / page.get_width()
                image = page.render(scale=scale).to_pil().convert("RGB")
                thumbs.append(image)
                written.append(writer.write(f"preview/{pdf_path.stem}/{index + 1:03d}.png", _png(image)))
            document.close()
            written.append(writer.write(f"preview/{pdf_path.stem}.png", _png(_contact_sheet(thumbs, Image))))
        writer.commit()
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
