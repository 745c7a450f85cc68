"""The bundled fonts (generator/fonts.py): metrics, font subsets and damaged font files."""

from __future__ import annotations

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from generator import fonts
from generator.errors import PrintgenError
from generator.fonts import FACES, MINCHO, Face


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A new, empty cache folder (as on a first run); afterwards the process renders with the
    font subsets it had."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(fonts, "_render_font_dir", fonts._render_font_dir)
    fonts.advances.cache_clear()
    return tmp_path / "printgen"


def fonttools_advances(path) -> tuple[int, dict[int, int]]:
    font = TTFont(path)
    hmtx = font["hmtx"]
    return font["head"].unitsPerEm, {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}


@pytest.mark.parametrize("face", FACES, ids=lambda face: face.file)
def test_advances_are_fonttools_reading_of_the_font_and_of_the_cache(face, empty_cache, monkeypatch):
    expected = fonttools_advances(face.path)
    assert fonts.advances(face) == expected
    fonts.advances.cache_clear()
    monkeypatch.setattr(fonts, "_read_advances", lambda face: pytest.fail("read from the font again"))
    assert fonts.advances(face) == expected


def test_a_damaged_metrics_cache_is_read_again_from_the_font(empty_cache):
    face = FACES[0]
    expected = fonts.advances(face)
    (cached,) = (empty_cache / "metrics").iterdir()
    for damaged in (b"", b"[1000, [65], ", b'{"a": 1}', b"[1000, 3, 4]"):
        cached.write_bytes(damaged)
        fonts.advances.cache_clear()
        assert fonts.advances(face) == expected
        assert fonts.advances(face) == expected  # written again


def test_subsets_have_exactly_the_wanted_characters_in_every_face(empty_cache):
    text = "令和3年、介護支援専門員の研修◼"
    folder = fonts.prepare_fonts([text[:8], text[8:]])
    wanted = {ord(c) for c in text + fonts.ALWAYS_KEPT} & fonts.common_charset()
    assert ord("◼") not in wanted and {ord(c) for c in text[:-1]} <= wanted  # ◼ is in no face
    assert sorted(p.name for p in folder.iterdir()) == sorted(face.file for face in FACES)
    for face in FACES:
        subset, full = TTFont(folder / face.file), TTFont(face.path)
        cmap, full_cmap = subset.getBestCmap(), full.getBestCmap()
        assert set(cmap) == wanted, face.file
        # The same names (fontconfig finds the subset as the font), advances and outlines.
        names = [{(n.nameID, n.platformID, n.langID, n.toUnicode()) for n in font["name"].names} for font in (subset, full)]
        assert names[0] == names[1]
        assert subset["head"].modified == full["head"].modified  # not the time it was made
        upem, advances = fonts.advances(face)
        assert subset["head"].unitsPerEm == upem
        assert {code: subset["hmtx"][glyph][0] for code, glyph in cmap.items()} == {code: advances[code] for code in wanted}
        glyphs, full_glyphs = subset.getGlyphSet(), full.getGlyphSet()
        for char in "令和3A":
            pens = RecordingPen(), RecordingPen()
            glyphs[cmap[ord(char)]].draw(pens[0])
            full_glyphs[full_cmap[ord(char)]].draw(pens[1])
            assert pens[0].value == pens[1].value, (face.file, char)


def test_subsets_are_made_once_the_same_bytes_and_again_when_damaged(empty_cache):
    folder = fonts.prepare_fonts(["令和"])
    made = {face: ((folder / face.file).stat().st_mtime_ns, (folder / face.file).read_bytes()) for face in FACES}
    assert fonts.prepare_fonts(["和令"]) == folder  # the same characters: the same subsets
    assert all((folder / face.file).stat().st_mtime_ns == made[face][0] for face in FACES)
    damaged = folder / FACES[2].file
    data = bytearray(made[FACES[2]][1])
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(data)
    assert fonts.prepare_fonts(["令和"]) == folder
    # Made again, the same bytes: a subset keeps the font's date, not the time it was made.
    assert all((folder / face.file).read_bytes() == made[face][1] for face in FACES)


def test_a_damaged_font_file_is_reported_clearly(tmp_path, monkeypatch, empty_cache):
    data = FACES[0].path.read_bytes()
    hmtx = TTFont(FACES[0].path).reader.tables["hmtx"].offset
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    monkeypatch.setattr(fonts, "FONTS_DIR", fonts_dir)
    damages = {
        "missing.ttf": (None, "the bundled font file is missing"),
        "empty.ttf": (b"", "the bundled font file is damaged (Not a TrueType or OpenType font (not enough data))"),
        "truncated.ttf": (data[:100], "the bundled font file is damaged (unexpected end of table directory: expected 16 bytes but got 8)"),
        "changed.ttf": (data[:hmtx] + bytes([data[hmtx] ^ 0xFF]) + data[hmtx + 1:], "the bundled font file is damaged (bad checksum for 'hmtx' table)"),
    }
    for file, (content, problem) in damages.items():
        if content is not None:
            (fonts_dir / file).write_bytes(content)
        with pytest.raises(PrintgenError) as error:
            fonts.advances(Face(MINCHO, 400, file))
        assert str(error.value) == f"{fonts_dir / file}: error: font: {problem}; restore the file from the printgen repository (see fonts/README.md)"
