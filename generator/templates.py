"""The Jinja templates in ``templates/``: one environment for every renderer, and the text
the templates add (checked against the fonts like content text)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterator

from generator.errors import Diagnostic, PrintgenError
from generator.fonts import PROJECT_DIR, cache_root
from generator.i18n import N_, _

TEMPLATES_DIR = PROJECT_DIR / "templates"
# Files whose characters end up on paper or slides.
TEXT_SUFFIXES = {".html", ".j2", ".jinja", ".yaml", ".yml", ".txt", ".css"}
OUTSIDE = N_("a link to a file outside templates/; printgen reads no files outside fonts/ and templates/")


def _inside(path: Path, templates_dir: Path = TEMPLATES_DIR) -> bool:
    """Whether ``path`` is in the templates folder once links are followed."""
    return path.resolve().is_relative_to(templates_dir.resolve())


@functools.lru_cache(maxsize=None)
def environment(templates_dir: Path = TEMPLATES_DIR):
    """The Jinja environment: autoescape on, undefined names are errors.

    Content is only ever passed to templates as data; it never goes through the template
    compiler, so ``{{ … }}`` typed into content prints literally. A template that is missing,
    not UTF-8 or broken (syntax, an undefined name) is a :class:`PrintgenError` naming the
    template file and line.
    """
    import jinja2

    from generator.render.typeset import sentences, typeset
    from generator.render.compose import compose_filter, hanging_filter, headline_filter

    class TemplateLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            path = templates_dir / template
            if path.exists() and not _inside(path, templates_dir):
                raise _template_error(path, None, _(OUTSIDE))
            if path.exists() and not path.is_file():  # a folder, or a FIFO that would block
                raise _template_error(path, None, _("not a file; restore it from the printgen repository"))
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError as exc:
                raise _template_error(templates_dir / template, None, _("the file is not valid UTF-8 text at byte {byte}").format(byte=exc.start)) from None

    class TemplateEnvironment(jinja2.Environment):
        def get_template(self, name, *args, **kwargs):
            try:
                return super().get_template(name, *args, **kwargs)
            except jinja2.TemplateNotFound as exc:
                raise _MissingTemplate(templates_dir / exc.name) from None

        def handle_exception(self, source=None):
            """Called by Jinja for any error compiling or rendering a template."""
            try:
                super().handle_exception(source)  # re-raises with the templates' lines in the traceback
            except jinja2.TemplateSyntaxError as exc:
                raise _template_error(Path(exc.filename or templates_dir), exc.lineno, exc.message) from None
            except Exception as exc:
                here = _template_frame(exc.__traceback__, templates_dir)
                if here and isinstance(exc, _MissingTemplate):  # {% extends %} or {% include %} of a missing file
                    raise _template_error(*here, f"{_shown(exc.path)} is missing") from None
                if here and (isinstance(exc, jinja2.TemplateError) or _template_frame(_innermost(exc.__traceback__), templates_dir)):
                    message = exc.message if isinstance(exc, jinja2.TemplateError) else f"{exc.__class__.__name__}: {exc}"
                    raise _template_error(*here, message) from None
                raise  # raised by Python code a template called (a filter's bug): keep its traceback

    env = TemplateEnvironment(
        loader=TemplateLoader(str(templates_dir)),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ja"] = typeset  # 和欧間 spacing and ～ kinsoku (generator/render/typeset.py)
    env.filters["sentences"] = sentences
    env.filters["css_string"] = css_string
    env.filters["tsu"] = counted
    env.filters["compose"] = compose_filter  # lines set by generator/render/compose.py
    env.filters["headline"] = headline_filter
    env.filters["hanging"] = hanging_filter
    return env


def counted(number: int) -> str:
    """A count as Japanese writes it before a noun: 「4つの視点」 up to nine, 「16のポイント」 from ten."""
    return f"{number}つ" if 0 < number < 10 else str(number)


def css_string(value: str):
    """``value`` as a quoted CSS string, safe in a <style> element and in a style attribute.

    HTML escaping does not work there: a <style> element does not decode ``&amp;``, and a
    backslash would escape the closing quote. Quotes, backslashes, ``<>&`` and control
    characters become CSS escapes (``\\22 ``), so the text prints exactly as typed.
    """
    from markupsafe import Markup

    special = set("\\\"'<>&")
    escaped = "".join(f"\\{ord(c):x} " if c in special or ord(c) < 0x20 or c == "\x7f" else c for c in str(value))
    return Markup(f"'{escaped}'")  # single quotes: the style attributes are in double quotes


def _shown(path: Path) -> str:
    from generator.content import display_path

    return display_path(path)


def _template_error(path: Path, line: int | None, message: str) -> PrintgenError:
    return PrintgenError.of(Diagnostic(_shown(path), line, "template", message))


class _MissingTemplate(PrintgenError):
    """A file of templates/ that is not there (``path``: which)."""

    def __init__(self, path: Path):
        self.path = path
        message = _("the template file is missing; restore it from the printgen repository")
        super().__init__(str(Diagnostic(_shown(path), None, "template", message)))


def _innermost(tb):
    while tb.tb_next:
        tb = tb.tb_next
    return tb


def _template_frame(tb, templates_dir: Path) -> tuple[Path, int] | None:
    """The innermost frame of ``tb`` that runs a template file: ``(path, line)``."""
    found = None
    root = templates_dir.resolve()
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.is_absolute() and path.resolve().is_relative_to(root):
            found = (path, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _bytecode_cache():
    """Compiled templates kept between runs (compiling the handout's takes ~30 ms); Jinja
    recompiles a template whose source changed. Best effort, like the other caches."""
    import jinja2

    class BestEffortCache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry (Jinja unpickles it): compile the template again
                bucket.reset()

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
        if path.suffix not in TEXT_SUFFIXES or not path.is_file() or not _inside(path, templates_dir):
            continue  # a link out of templates/ is refused by whatever would read it
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
    from generator.model import Source, Text

    path = templates_dir / name
    shown = display_path(path)

    def problem(line: int | None, key: str, message: str) -> Diagnostic:
        return Diagnostic(shown, line, key, message)

    if path.exists() and not _inside(path, templates_dir):
        raise PrintgenError.of(problem(None, "labels", _(OUTSIDE)))
    if path.exists() and not path.is_file():  # a folder, or a FIFO that would block
        raise PrintgenError.of(problem(None, "labels", _("not a file; restore it from the printgen repository")))
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise PrintgenError.of(problem(None, "labels", _("cannot read the file ({problem})").format(problem=getattr(exc, "strerror", None) or exc))) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PrintgenError.of(problem(line, "labels", exc.problem)) from None
    if not isinstance(root, yaml.MappingNode):
        raise PrintgenError.of(problem(None, "labels", _("expected keys and texts (key: text)")))
    problems, labels, seen = [], {}, {}
    for key_node, value_node in root.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key in seen:
            problems.append(problem(line, key, _("duplicate label (first given at line {line})").format(line=seen[key])))
            continue
        seen[key] = line
        if key not in fields:
            problems.append(problem(line, key, _("unknown label (expected one of: {names})").format(names=", ".join(sorted(fields)))))
            continue
        if not isinstance(value_node, yaml.ScalarNode) or not value_node.value.strip():
            problems.append(problem(line, key, _("expected a text")))
            continue
        try:
            parts = list(string.Formatter().parse(value_node.value))
        except ValueError as exc:
            problems.append(problem(line, key, _("{problem} (write {{{{ and }}}} for a brace)").format(problem=exc)))
            continue
        allowed = fields[key]
        odd = [f"{{{n}{'!' + c if c else ''}{':' + s if s else ''}}}" for _, n, s, c in parts if n is not None and (n not in allowed or s or c)]
        if odd:
            can = (_("this label may use only {names}").format(names=", ".join("{" + a + "}" for a in allowed)) if allowed
                   else _("this label takes no {placeholders}"))
            problems.append(problem(line, key, _("unknown placeholder {name}; ").format(name=odd[0]) + can))
        labels[key] = Text(value_node.value, Source(shown, line, key))
    problems += [problem(None, key, _("missing label")) for key in fields if key not in seen]
    if problems:
        raise PrintgenError.of(*problems)
    return labels
