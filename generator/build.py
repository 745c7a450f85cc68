"""Build materials: render them all first, then write them, so a failure changes no file."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.model import POINT_MARKERS, Content
from generator.render import Artifact, Renderer
from generator.writer import OutputWriter


def load_project(content_dir: Path) -> Content:
    """Load and check the content, and prepare the font subsets its characters need."""
    from generator.content import load_content
    from generator.fonts import PROJECT_DIR, prepare_fonts
    from generator.templates import template_texts

    content = load_content(content_dir)
    chars = set("".join(content.texts())) | set(POINT_MARKERS)
    chars.update(*(line for line, *_ in template_texts()))
    # Labels the renderers' code adds (e.g. 「（続き）」), scanned from the source itself.
    for source in (PROJECT_DIR / "generator").rglob("*.py"):
        chars.update(c for c in source.read_text(encoding="utf-8") if not c.isascii())
    prepare_fonts(chars)
    return content


@dataclass(frozen=True)
class Written:
    """One file written by a build, for the summary."""

    material: str
    path: Path
    artifact: Artifact
    seconds: float

    def summary(self) -> str:
        count = "" if self.artifact.pages is None else f"{self.artifact.pages} {self.artifact.kind}"
        size = self.artifact.data.__len__() / 1024
        return f"{str(self.path):<32} {count:>10} {size:>8.0f} KB {self.seconds:>6.2f} s"


def build(content: Content, renderers: list[Renderer], out_dir: Path, progress: Callable[[str], None] = lambda _: None) -> list[Written]:
    """Render every material, then write every file; nothing is written if any render fails."""
    rendered: list[tuple[Renderer, list[Artifact], float]] = []
    for renderer in renderers:
        start = time.perf_counter()
        artifacts = renderer.render(content)
        rendered.append((renderer, artifacts, time.perf_counter() - start))
    writer = OutputWriter(out_dir)
    written = []
    for renderer, artifacts, seconds in rendered:
        for artifact in artifacts:
            path = writer.write(artifact.name, artifact.data, owner=renderer.name)
            written.append(Written(renderer.name, path, artifact, seconds))
            progress(written[-1].summary())
    return written
