"""The Jinja templates in ``templates/``: one environment for every renderer, and the text
the templates add (checked against the fonts like content text)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterator

from generator.fonts import PROJECT_DIR

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
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ja"] = typeset  # 和欧間 spacing and ～ kinsoku (generator/render/typeset.py)
    env.filters["sentences"] = sentences
    return env


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


def load_labels(name: str, fields: dict[str, tuple[str, ...]], templates_dir: Path = TEMPLATES_DIR) -> dict:
    """The fixed words a renderer adds, from the YAML file ``templates/<name>`` (one text per key).

    ``fields`` names every key and the ``{placeholders}`` its text may use. Each text comes back
    as a :class:`~generator.model.Text` naming its line, and is filled with ``str.format``:
    safe, as only plain placeholder names pass the check. A missing file, a missing or unknown
    key, or another placeholder is a :class:`~generator.errors.PrintgenError` naming the file
    and line.
    """
    import string

    import yaml

    from generator.content import display_path
    from generator.errors import PrintgenError
    from generator.model import Source, Text

    path = templates_dir / name
    shown = display_path(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise PrintgenError(f"{shown}: error: labels: cannot read the file ({getattr(exc, 'strerror', None) or exc})") from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PrintgenError(f"{Source(shown, line, '')}: error: labels: {exc.problem}") from None
    if not isinstance(root, yaml.MappingNode):
        raise PrintgenError(f"{shown}: error: labels: expected keys and texts (key: text)")
    problems, labels = [], {}
    for key_node, value_node in root.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key in labels:
            problems.append(f"{shown}:{line}: error: {key}: duplicate label (first given at line {labels[key].source.line})")
        elif key not in fields:
            problems.append(f"{shown}:{line}: error: {key}: unknown label (expected one of: {', '.join(sorted(fields))})")
        elif not isinstance(value_node, yaml.ScalarNode) or not value_node.value.strip():
            problems.append(f"{shown}:{line}: error: {key}: expected a text")
        else:
            try:
                parts = list(string.Formatter().parse(value_node.value))
            except ValueError as exc:
                problems.append(f"{shown}:{line}: error: {key}: {exc} (write {{{{ and }}}} for a brace)")
                continue
            allowed = fields[key]
            odd = [f"{{{n}{'!' + c if c else ''}{':' + s if s else ''}}}" for _, n, s, c in parts if n is not None and (n not in allowed or s or c)]
            if odd:
                can = f"may use only {', '.join('{' + a + '}' for a in allowed)}" if allowed else "takes no {placeholders}"
                problems.append(f"{shown}:{line}: error: {key}: unknown placeholder {odd[0]}; this label {can}")
            labels[key] = Text(value_node.value, Source(shown, line, key))
    problems += [f"{shown}: error: {key}: missing label" for key in fields if key not in labels]
    if problems:
        raise PrintgenError("\n".join(problems))
    return labels
