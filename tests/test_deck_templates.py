"""The deck on real templates, and seen as LibreOffice shows it.

LibreOffice's own Impress templates (libreoffice-impress, .ci/run installs it) are converted
to .pptx at test time, as a user would (`soffice --convert-to pptx`); their files are not
committed. Their layouts have placeholders without idx, slide-number fields without run
properties, 4:3 and 16:10 sizes. These tests are skipped where soffice is missing.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import run_printgen

from generator.render import deck as deck_module

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
AT_LEAST = 20  # of LibreOffice's 23 templates


FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"


def soffice(args: list, out_dir: Path, profile: Path, timeout=240) -> None:
    """One soffice run with a profile of its own (concurrent runs sharing one lose files),
    seeing the bundled fonts as a user's PC with BIZ UD does (through a fontconfig file that
    adds fonts/ to the system's)."""
    profile.mkdir(parents=True, exist_ok=True)
    conf = profile / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
                    f"<dir>{FONTS_DIR}</dir><cachedir>{profile / 'fc-cache'}</cachedir></fontconfig>", encoding="utf-8")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", *args, "--outdir", str(out_dir)],
                   check=True, capture_output=True, timeout=timeout, env={**os.environ, "FONTCONFIG_FILE": str(conf)})


def impress_templates() -> list[Path]:
    found = [p for root in ("/usr/lib/libreoffice", "/usr/share/libreoffice", "/opt")
             for p in Path(root).glob("**/template/common/presnt/*.otp") if Path(root).exists()]  # LibreOffice's own 23
    return sorted({p.name: p for p in found}.values())


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> list[Path]:
    templates = impress_templates()
    if SOFFICE is None or not templates:
        pytest.skip("LibreOffice's Impress templates are not installed (apt-get install libreoffice-impress)")
    out = tmp_path_factory.mktemp("templates")
    soffice(["--convert-to", "pptx:Impress MS PowerPoint 2007 XML", *map(str, templates)], out, out / "profile")
    pptx = sorted(out.glob("*.pptx"))
    assert len(pptx) == len(templates)
    return pptx


def build_on(content, template: Path):
    from generator.render import powerpoint

    deck = powerpoint.DeckFile(template, None)
    slides = deck_module.fit(deck_module.outline(content), deck.geometry())
    return deck, slides, deck.build(slides, content.document)


@needs_soffice
def test_libreoffice_templates_build(converted, content, capsys):
    """At least 20 of the 23 build; each keeps its slide size; the text lands in the title
    and body placeholders (never body text in the title)."""
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER as PH

    built, failed, sizes = [], [], []
    for path in converted:
        try:
            _, slides, data = build_on(content, path)
        except Exception as exc:  # counted and shown, not raised: the test is about how many
            failed.append(f"{path.stem}: {exc}")
            continue
        template, prs = Presentation(str(path)), Presentation(io.BytesIO(data))
        assert (prs.slide_width, prs.slide_height) == (template.slide_width, template.slide_height), path.stem
        slide = prs.slides[4]  # a content slide: one paragraph's key sentence
        assert slide.shapes.title.text_frame.text == slides[4].title.replace("\n", "\v") or \
            slide.shapes.title.text_frame.text.replace("\v", "") == slides[4].title.replace("\n", ""), path.stem
        bodies = [p for p in slide.placeholders if p.placeholder_format.type in (PH.BODY, PH.OBJECT)]
        assert [b.text_frame.text for b in bodies] == [slides[4].paras[0].shown], path.stem
        with zipfile.ZipFile(io.BytesIO(data)) as package:  # metadata of this deck, a thumbnail added
            assert f"<Slides>{len(slides)}</Slides>" in package.read("docProps/app.xml").decode(), path.stem
            assert package.read("docProps/thumbnail.jpeg")[:2] == b"\xff\xd8", path.stem
        built.append(path.stem)
        sizes.append(min(s.body_size for s in slides if s.kind == "content"))
    with capsys.disabled():
        print(f"\n  LibreOffice Impress templates: {len(built)} of {len(converted)} build; "
              f"smallest body size {min(sizes):g} pt, median {sorted(sizes)[len(sizes) // 2]:g} pt")
        for line in failed:
            print("  failed:", line)
    assert len(built) >= AT_LEAST, failed


@needs_soffice
def test_a_4_3_template_gives_4_3_pdfs_in_its_colours(converted, tmp_path):
    """deck.pdf and the handout follow the template: its slide size, pictures and colours."""
    from helpers import pdf_page_sizes

    template = next(p for p in converted if p.stem == "Vintage")  # 4:3
    result = run_printgen("deck", "--template", template, "--out", tmp_path / "out", timeout=120)
    assert result.exit_code == 0, result.stderr
    sizes = set(pdf_page_sizes(tmp_path / "out" / "deck.pdf"))
    assert len(sizes) == 1 and abs(next(iter(sizes))[0] / next(iter(sizes))[1] - 4 / 3) < 0.01
    from pypdf import PdfReader

    # the template's picture (its parchment) is drawn under the text, as in deck.pptx
    assert all(len(page.images) >= 1 for page in PdfReader(tmp_path / "out" / "deck.pdf").pages[:3])


def _spans(page) -> list[tuple[str, str, float, tuple]]:
    """(text, font, size, fill colour) of each piece of text on a PDF page, as drawn."""
    out, colour = [], [None]

    def before(op, args, cm, tm):
        if op in (b"rg", b"sc", b"scn"):
            colour[0] = tuple(round(float(a), 2) for a in args)

    def text(t, cm, tm, font, size):
        if t.strip():
            name = str(font.get("/BaseFont", "")).split("+")[-1] if font else ""
            out.append((t, name, round(size * abs(tm[3] * cm[3]) if tm[3] else size, 1), colour[0]))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return out


@needs_soffice
def test_a_slide_the_lecturer_adds_looks_like_the_others(tmp_path, content):
    """A slide added with python-pptx from "Title and Content", its text typed with no
    formatting, shows in LibreOffice with the deck's title and body style: font, weight,
    size, colour, and the bullet."""
    from pptx import Presentation
    from pypdf import PdfReader

    result = run_printgen("deck", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    prs = Presentation(str(tmp_path / "out" / "deck.pptx"))
    layout = next(l for l in prs.slide_layouts if l.name == "Title and Content")
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "講師が追加したスライド"
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    body.text_frame.text = "講師が書き足した本文です。"
    prs.save(tmp_path / "added.pptx")
    soffice(["--convert-to", "pdf", str(tmp_path / "added.pptx")], tmp_path, tmp_path / "profile")
    pages = PdfReader(tmp_path / "added.pdf").pages
    agenda, added = _spans(pages[1]), _spans(pages[-1])  # slide 2: the agenda, a bulleted list

    def style(spans, which):
        title = next(s for s in spans if s[0] in which)
        return title[1:]

    titles = [s.title for s in deck_module.fit(deck_module.outline(content), _geometry())]
    assert style(added, ("講師が追加したスライド",)) == style(agenda, (titles[1],))
    bullet = lambda spans: next(s[1:] for s in spans if s[0] == "■")  # noqa: E731
    assert bullet(added) == bullet(agenda)
    body_added = next(s[1:] for s in added if s[0].startswith("講師") and "スライド" not in s[0])
    body_deck = next(s[1:] for s in agenda if s[0].startswith("発信"))
    assert body_added == body_deck


def _geometry():
    from generator.render import powerpoint

    return powerpoint.DeckFile(None, deck_module.DEFAULT_THEME).geometry()


@needs_soffice
def test_deck_pdf_breaks_lines_as_libreoffice_shows_the_pptx(tmp_path):
    """deck.pdf sets the lines printgen measured; LibreOffice breaks deck.pptx itself. They
    agree on every slide (the paragraphs say not to hang 、。 past the line end, which the
    masters do by default and printgen's measure does not)."""
    result = run_printgen("deck", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    soffice(["--convert-to", "pdf", str(tmp_path / "out" / "deck.pptx")], tmp_path, tmp_path / "profile")

    def lines(pdf):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return [[line.replace(" ", "") for line in page.splitlines() if line.strip()] for page in text.split("\f")]

    ours, theirs = lines(tmp_path / "out" / "deck.pdf"), lines(tmp_path / "deck.pdf")
    assert len(ours) == len(theirs)
    differ = [n for n, (a, b) in enumerate(zip(ours, theirs), 1) if a != b]
    assert not differ, differ  # (4 of 60 differed while the slides hung their punctuation)
