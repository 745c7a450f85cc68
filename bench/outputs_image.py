"""Make docs/images/outputs.png, the README's row of pictures: handout cover and overview page,
two message cards, the poster, a slide and the slide handout, from a fresh build.

Run: .venv/bin/python bench/outputs_image.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
HEIGHT = 300  # pixels
PICTURES = [("handout.pdf", 1), ("handout.pdf", 4), ("cards.pdf", 3), ("cards.pdf", 21),
            ("poster.pdf", 1), ("deck.pdf", 17), ("slides-handout.pdf", 1)]


def main() -> None:
    import pypdfium2 as pdfium
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "generator", "-q", "build", "--out", tmp], cwd=PROJECT, check=True,
                       env={**os.environ, "PYTHONPATH": str(PROJECT), "LANG": "en_US.UTF-8"})
        images = []
        for name, number in PICTURES:
            page = pdfium.PdfDocument(str(Path(tmp) / name))[number - 1]
            images.append(page.render(scale=HEIGHT / page.get_height()).to_pil().convert("RGB"))
    gap = 16
    sheet = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) + 1), HEIGHT + 2 * gap), (226, 229, 234))
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    sheet.save(PROJECT / "docs" / "images" / "outputs.png", optimize=True)
    print(f"wrote docs/images/outputs.png ({sheet.width} x {sheet.height})")


if __name__ == "__main__":
    main()
