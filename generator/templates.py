"""The Jinja templates in ``templates/``: one environment for every renderer, and the text
the templates add (checked against the fonts like content text)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterator

from generator.fonts import PROJECT_DIR, cache_root

TEMPLATES_DIR = PROJECT_DIR / "templates"
# Files whose characters end up on paper or slides.
TEXT_SUFFIXES = {".html", ".j2", ".jinja", ".yaml", ".yml", ".txt", ".css"}


@functools.lru_cache(maxsize=None)
def environment(templates_dir: Path = TEMPLATES_DIR):
    """The Jinja environment: autoescape on, undefined names are errors.

    Content is only ever passed to templates as data; it never goes through the template
    compiler, so ``{{ … }}`` typed into content prints literally.
    """
    import jinja2

    from generator.render.typeset import sentences, typeset

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ja"] = typeset  # 和欧間 spacing and ～ kinsoku (generator/render/typeset.py)
    env.filters["sentences"] = sentences
    return env


def _bytecode_cache():
    """Compiled templates kept between runs (compiling the handout's takes ~30 ms); Jinja
    recompiles a template whose source changed. Best effort, like the other caches."""
    import jinja2

    class BestEffortCache(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:  # a cache that cannot be written only costs time
                pass

    folder = cache_root() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return BestEffortCache(str(folder))


def template_texts(templates_dir: Path = TEMPLATES_DIR) -> Iterator[tuple[str, str, int, str]]:
    """``(line, path, line number, key)`` for every line of a template with non-ASCII text."""
    from generator.content import display_path

    if not templates_dir.is_dir():
        return
    for path in sorted(templates_dir.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue  # reported by the renderer that loads it
        for number, line in enumerate(lines, 1):
            if not line.isascii():
                yield line, display_path(path), number, "template text"
