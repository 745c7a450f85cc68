"""Contact sheets of the deck as LibreOffice shows it: printgen's own look, and the deck on
four of LibreOffice's Impress templates (converted to .pptx, as tests/test_deck_templates.py
does). Writes docs/images/deck-slides.png and docs/images/deck-templates.png.

Run from the project folder: ``python bench/deck_contact_sheets.py`` (needs soffice and
pdftoppm; the bundled fonts must be visible to fontconfig, e.g. copied to ~/.fonts).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = ("Beehive", "Vintage", "Grey_Elegant", "Nature_Illustration")  # 16:10, 4:3, 16:10, 4:3
PAGES = (1, 5, 17, 39)  # title, a paragraph's key sentence, a viewpoint's point, a message
FONT = PROJECT_DIR / "fonts" / "BIZUDPGothic-Regular.ttf"


def run(*args, cwd=PROJECT_DIR):
    subprocess.run([str(a) for a in args], check=True, cwd=cwd, capture_output=True, timeout=300)


def soffice(args, out_dir: Path, work: Path):
    run("soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", *args, "--outdir", out_dir)


def pages(pdf: Path, numbers, width: int) -> list[Image.Image]:
    out = []
    for n in numbers:
        prefix = pdf.with_name(f"{pdf.stem}-{n}")
        run("pdftoppm", "-r", "50", "-png", "-f", n, "-l", n, "-singlefile", pdf, prefix)
        image = Image.open(f"{prefix}.png").convert("RGB")
        image.thumbnail((width, width))
        out.append(image)
    return out


def sheet(rows: list[tuple[str, list[Image.Image]]], dest: Path, width: int) -> None:
    label_h, gap = 26, 8
    heights = [max(im.height for im in images) for _, images in rows]
    cols = max(len(images) for _, images in rows)
    canvas = Image.new("RGB", (gap + cols * (width + gap), sum(h + label_h + gap for h in heights) + gap), "#e9e9e9")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(str(FONT), 16)
    y = gap
    for (label, images), h in zip(rows, heights):
        draw.text((gap, y + 3), label, font=font, fill="#333333")
        for i, image in enumerate(images):
            canvas.paste(image, (gap + i * (width + gap), y + label_h))
        y += h + label_h + gap
    dest.parent.mkdir(parents=True, exist_ok=True)
    canvas.save(dest, optimize=True)
    print(dest, canvas.size)


def main() -> None:
    width = 330
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / "own"
        run(sys.executable, "-m", "generator", "deck", "--out", out)
        soffice(["--convert-to", "pdf", out / "deck.pptx"], work, work)
        own = work / "deck.pdf"
        sheet([("deck.pptx in LibreOffice (printgen's own look)", pages(own, PAGES, width)),
               ("", pages(own, (2, 3, 15, 58), width))],
              PROJECT_DIR / "docs/images/deck-slides.png", width)
        otp = {p.stem: p for p in Path("/usr/lib/libreoffice/share/template/common/presnt").glob("*.otp")}
        soffice(["--convert-to", "pptx:Impress MS PowerPoint 2007 XML", *(otp[name] for name in TEMPLATES)], work, work)
        rows = []
        for name in TEMPLATES:
            built = work / f"built-{name}"
            run(sys.executable, "-m", "generator", "deck", "--template", work / f"{name}.pptx", "--out", built)
            (built / "deck.pptx").rename(built / f"{name}-deck.pptx")
            soffice(["--convert-to", "pdf", built / f"{name}-deck.pptx"], built, work)
            rows.append((f"--template {name}.pptx (LibreOffice Impress template)",
                         pages(built / f"{name}-deck.pdf", PAGES, width)))
        sheet(rows, PROJECT_DIR / "docs/images/deck-templates.png", width)


if __name__ == "__main__":
    main()
