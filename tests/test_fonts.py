"""The bundled fonts' caches (generator/fonts.py): what a first run on a machine makes."""

from __future__ import annotations

import os

import pytest


def test_for_each_face_runs_each_face_once_and_reports_a_failure_here(tmp_path):
    from generator.errors import PrintgenError
    from generator.fonts import FACES, for_each_face

    def job(face):
        with open(tmp_path / face.file, "a") as f:
            f.write(f"{os.getpid()}\n")

    for_each_face(job, FACES)
    runs = {face.file: (tmp_path / face.file).read_text().split() for face in FACES}
    assert all(len(pids) == 1 for pids in runs.values()), runs
    if (os.cpu_count() or 1) > 1:
        assert len({pid for pids in runs.values() for pid in pids}) == 2  # shared with a forked process

    def failing(face):
        if face is FACES[0]:
            raise PrintgenError(f"{face.file}: broken")

    with pytest.raises(PrintgenError, match=f"^{FACES[0].file}: broken$"):
        for_each_face(failing, FACES)


@pytest.mark.parametrize("face", range(5))
def test_advances_read_from_the_raw_tables_are_fonttools_ones(face):
    """fonts._raw_advances reads cmap formats 12 and 4 itself (fontTools makes up a name for
    every glyph first: ~0.15 s a face on a first run); both must give fontTools' answer."""
    import struct

    from fontTools.ttLib import TTFont

    from generator.fonts import FACES, _cmap_glyphs, _raw_advances

    font = TTFont(FACES[face].path, lazy=True)
    hmtx = font["hmtx"]
    assert _raw_advances(font.reader) == (font["head"].unitsPerEm, {c: hmtx[g][0] for c, g in font.getBestCmap().items()})
    cmap = font.reader["cmap"]
    for table in font["cmap"].tables:
        if table.format in (4, 12):
            offset = next(o for i in range(struct.unpack_from(">H", cmap, 2)[0])
                          for p, e, o in [struct.unpack_from(">HHI", cmap, 4 + 8 * i)] if (p, e) == (table.platformID, table.platEncID))
            assert _cmap_glyphs(cmap, offset) == {c: font.getGlyphID(n) for c, n in table.cmap.items() if font.getGlyphID(n)}


@pytest.mark.parametrize("face", range(5))
def test_subsets_are_the_bytes_fonttools_makes_the_slow_way(face, monkeypatch):
    """_make_subsets names glyphs by id and keeps unchanged glyphs as read (_subset_face,
    _save_subset: ~0.2 s less a face on a first run); the subset must be byte for byte what
    fontTools makes with its own glyph names and its own save. Checked with content-like
    characters and, for one face, every character the five faces share."""
    import io
    import random

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from generator import fonts

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1614556800")  # fontTools' timestamps
    shared = sorted(fonts.common_charset())
    codes = sorted(set(map(ord, fonts.ALWAYS_KEPT)) | set(random.Random(face).sample(shared, 1500)))
    options = fonts._subset_options()
    fast = io.BytesIO()
    fonts._save_subset(fonts._subset_face(fonts.FACES[face], shared if face == 1 else codes, options), fast)
    slow = TTFont(fonts.FACES[face].path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=shared if face == 1 else codes)
    subsetter.subset(slow)
    fonts.add_wakan_alternates(slow)
    expected = io.BytesIO()
    slow.save(expected)
    assert fast.getvalue() == expected.getvalue()
