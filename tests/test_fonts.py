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
