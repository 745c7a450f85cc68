"""Make the pictures of cards and posters in docs/images/sheet-*.png (linked from the README).

    python bench/sheet_images.py

Builds each variant with the command a user would run, renders its pages with pdftoppm and
puts them side by side on a grey ground.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

PROJECT_DIR = Path(__file__).resolve().parent.parent
IMAGES = PROJECT_DIR / "docs" / "images"
GROUND, GAP = (136, 136, 136), 12


def build(out: Path, *args: str) -> Path:
    subprocess.run([sys.executable, "-m", "generator", "-q", *args, "--force", "--out", str(out)], cwd=PROJECT_DIR, check=True)
    return out / f"{args[0]}.pdf"


def pages(pdf: Path, dpi: float, first: int = 1, last: int | None = None) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as tmp:
        args = ["pdftoppm", "-r", str(dpi), "-f", str(first), *(["-l", str(last)] if last else []), "-png", str(pdf), f"{tmp}/p"]
        subprocess.run(args, check=True)
        return [Image.open(p).convert("RGB") for p in sorted(Path(tmp).glob("p*.png"))]


def grid(images: list[Image.Image], columns: int, gap: int = GAP) -> Image.Image:
    w, h = max(i.width for i in images), max(i.height for i in images)
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * (w + gap) + gap, rows * (h + gap) + gap), GROUND)
    for n, image in enumerate(images):
        sheet.paste(image, (gap + (n % columns) * (w + gap), gap + (n // columns) * (h + gap)))
    return sheet


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        poster = build(out / "a2", "poster")
        grid(pages(poster, 36), 2).save(IMAGES / "sheet-poster-a2.png")
        poster = build(out / "b2", "poster", "--paper", "B2")
        grid(pages(poster, 30), 1).save(IMAGES / "sheet-poster-b2.png")
        cards = build(out / "a3", "cards")
        grid(pages(cards, 14), 9, 8).save(IMAGES / "sheet-cards-series.png")
        cards = build(out / "a6", "cards", "--paper", "A6", "--sheet", "A4")
        grid(pages(cards, 50, 1, 2), 2).save(IMAGES / "sheet-cards-a6-on-a4.png")
        tiles = build(out / "tiles", "poster", "--tile", "A4")
        from generator.render.sheet import Sheet, Tiling

        tiling = Tiling.of(Sheet.plain("A2"), "A4")
        first = pages(tiles, 24, 1, len(tiling.windows))
        grid(first, tiling.cols, 16).save(IMAGES / "sheet-poster-tiles-a4.png")


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT_DIR))
    main()
