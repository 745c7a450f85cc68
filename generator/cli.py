"""The ``printgen`` command: parse options, call :func:`generator.build.build`, report.

Every material command (``printgen handout``, ``cards``, …) is made from its renderer's
declared options (:attr:`generator.render.Renderer.options`), so a new renderer gets its
command, its options and its ``build --only`` name without a change here. Heavy libraries
(WeasyPrint, python-pptx) are imported only when something renders.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import traceback
from pathlib import Path

import click

from generator import __version__
from generator.errors import EXIT_FAILURE, PrintgenError
from generator.render import Option, OptionError, Renderer, load_renderers

log = logging.getLogger("printgen")
REGISTRY = load_renderers()


class _Settings:
    verbose = False
    quiet = False


settings = _Settings()


def _path(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """``value`` as a path, refused when empty or too long for the system."""
    if not value.strip():
        raise click.BadParameter("expected a folder, found an empty name", ctx=ctx, param=param)
    try:
        os.stat(value)
    except (FileNotFoundError, NotADirectoryError):  # (a file in the way: said by the callers)
        pass
    except OSError as exc:  # too long, a file in the way, a loop of links, no permission …
        from generator.writer import ADVICE

        shown = value if len(value) <= 60 else value[:57] + "…"
        advice = ADVICE.get(exc.errno)
        raise click.BadParameter(f"'{shown}': {exc.strerror}{'; ' + advice if advice else ''}", ctx=ctx, param=param) from None
    return Path(value)


def _existing_dir(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    path = _path(ctx, param, value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"'{value}' is a file, not a folder", ctx=ctx, param=param)
    if not path.is_dir():
        hint = " (run printgen in the printgen folder, or pass --content DIR)" if param.name == "content_dir" else ""
        raise click.BadParameter(f"folder '{value}' does not exist{hint}", ctx=ctx, param=param)
    return path


def _output_dir(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """The output folder: one that exists or can be made, checked before any work is done."""
    path = _path(ctx, param, value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"'{value}' is a file, not a folder", ctx=ctx, param=param)
    existing = next(p for p in (path, *path.parents) if p.exists())  # the folder to write in or to make it in
    if not existing.is_dir():
        raise click.BadParameter(f"cannot make folder '{value}': '{existing}' is a file, not a folder", ctx=ctx, param=param)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise click.BadParameter(f"cannot write to '{value}': no permission to write in '{existing}'", ctx=ctx, param=param)
    return path


def _content_param() -> click.Option:
    return click.Option(["--content", "content_dir"], default="content", show_default=True, metavar="DIR", callback=_existing_dir,
                        help="Folder with the content files (printgen.toml is read from the folder that holds it).")


def _out_param() -> click.Option:
    return click.Option(["--out", "out_dir"], default="output", show_default=True, metavar="DIR", callback=_output_dir,
                        help="Folder the materials are written to.")


def _force_param() -> click.Option:
    return click.Option(["--force"], is_flag=True, help="Rebuild even what is up to date.")


def _with(*params: click.Option):
    """Put ``params`` first among a command's options (used above ``@cli.command()``)."""
    def add(command: click.Command) -> click.Command:
        command.params[0:0] = list(params)
        return command
    return add


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="printgen")
@click.option("-v", "--verbose", is_flag=True, help="Say more, and show tracebacks of internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def cli(verbose: bool, quiet: bool) -> None:
    """Make printable training material (handouts, cards, posters, slides) from the content
    of 「介護支援専門員自身が考える今後の“目指すべき介護支援専門員像”」.

    Edit the text in content/ (and the options in printgen.toml), then run `printgen check`
    and `printgen build`, or one material's command.
    """
    if verbose and quiet:
        raise click.UsageError("-v/--verbose and -q/--quiet cannot be used together")
    settings.verbose, settings.quiet = verbose, quiet
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(name)s: %(levelname)s: %(message)s", force=True)
    # WeasyPrint's own warnings (unsupported CSS and the like) are for developers.
    logging.getLogger("weasyprint").setLevel(logging.DEBUG if verbose else logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.WARNING if verbose else logging.ERROR)


def say(message: str) -> None:
    """Progress and results for the user (suppressed by -q)."""
    if not settings.quiet:
        click.echo(message)


def _project(content_dir: Path):
    from generator.settings import Project

    return Project.at(content_dir)


@_with(_content_param())
@cli.command()
def check(content_dir: Path) -> None:
    """Validate the content and printgen.toml, and check every character is in the bundled fonts.

    Reports every problem at once, as FILE:LINE: error: KEY: MESSAGE.
    Exit status: 0 clean, 1 content errors, 2 usage errors.
    """
    from generator.content import display_path, load_content
    from generator.errors import ContentError
    from generator.settings import load_settings

    project = _project(content_dir)
    problems = []
    try:
        load_settings(project.settings_path, REGISTRY)
    except ContentError as exc:
        problems += exc.diagnostics
    try:
        content = load_content(content_dir)
    except ContentError as exc:
        raise PrintgenError.of(*problems, *exc.diagnostics) from None
    if problems:
        raise PrintgenError.of(*problems)
    texts = list(content.texts())
    say(
        f"{display_path(content_dir)}/: OK: {len(content.introduction.sections)} sections, "
        f"{len(content.viewpoints.viewpoints)} viewpoints with {sum(len(v.points) for v in content.viewpoints.viewpoints)} points, "
        f"{len(content.messages.messages)} one-line messages, {sum(map(len, texts)):,} characters, "
        f"all in the bundled fonts"
    )


def _run_build(content_dir: Path, out_dir: Path, *, only=(), options=None, force=False, jobs=None) -> None:
    """Build, then say what was written (files of a subfolder, e.g. cards/, summed up)."""
    import time

    from generator.build import build

    start = time.perf_counter()
    written, skipped = build(
        _project(content_dir), out_dir, only=only, options=options, force=force, jobs=jobs or os.cpu_count() or 1,
        progress=say if sys.stdout.isatty() else (lambda _: None), on_wait=lambda message: click.echo(message, err=True),
    )
    folders: dict[Path, int] = {}
    for item in written:
        if "/" in item.artifact.name:  # one file per page (cards --split): summed up below
            folder = item.path.parent
            folders[folder] = folders.get(folder, 0) + 1
        else:
            say(item.summary())
            if item.artifact.note:
                say(f"  note: {item.artifact.note}")
    for folder, count in folders.items():
        say(f"{str(folder) + '/':<34} {count:>4} files, one per page")
    if skipped:
        say(f"up to date: {', '.join(skipped)}")
    say(f"built {len(written)} file{'s' if len(written) != 1 else ''} in {time.perf_counter() - start:.2f} s")


class _OptionType(click.ParamType):
    """A command-line value converted by the renderer's :class:`Option` (the same rules as
    printgen.toml: NaN, infinities and out-of-range numbers are refused)."""

    def __init__(self, option: Option):
        self.option = option
        self.name = option.kind

    def convert(self, value, param, ctx):
        if not isinstance(value, str):
            return value
        raw: object = value
        if self.option.kind == "number":
            try:
                raw = float(value)
            except ValueError:
                self.fail(f"expected a number, found '{value}'", param, ctx)
        try:
            return self.option.convert(raw)
        except OptionError as exc:
            self.fail(str(exc), param, ctx)

    def get_metavar(self, param, ctx=None):
        if self.option.metavar:
            return self.option.metavar
        if self.option.kind == "choice":
            return "[" + "|".join(self.option.choices) + "]"
        return self.option.kind.upper()


_DECK_TEMPLATE = next(o for o in REGISTRY["deck"].options if o.name == "template")


@_with(_content_param(), _out_param())
@cli.command()
@click.option("--only", "only", multiple=True, type=click.Choice(tuple(REGISTRY)), metavar="NAME",
              help=f"Build only this material (repeatable): {', '.join(REGISTRY)}.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Materials rendered at once. Default: the number of cores.")
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@click.option("--template", "template", type=_OptionType(_DECK_TEMPLATE), metavar="FILE.pptx",
              help="Build the deck on this PowerPoint template (as `printgen deck --template`).")
def build(content_dir: Path, out_dir: Path, only: tuple[str, ...], jobs: int | None, force: bool, template: Path | None) -> None:
    """Build every material (or those of --only) with the options of printgen.toml.

    Only what changed since the last build is rebuilt (content, templates, fonts, options,
    printgen itself); --force rebuilds all. Files are replaced only when every material built.
    """
    options = {"deck": {"template": template}} if template else {}
    _run_build(content_dir, out_dir, only=tuple(dict.fromkeys(only)), options=options, force=force, jobs=jobs)


@_with(_content_param(), _out_param())
@cli.command()
@click.option("--interval", type=_OptionType(Option("interval", "number", "", low=0.1, high=60)), default=0.5,
              show_default=True, metavar="SECONDS", help="How often to look for saved files.")
def watch(content_dir: Path, out_dir: Path, interval: float) -> None:
    """Rebuild what changed whenever a file in the content folder, templates/ or printgen.toml is saved.

    Problems are printed and the previous files stay; stop with Ctrl+C.
    """
    import time

    from generator.templates import TEMPLATES_DIR

    project = _project(content_dir)

    def stamp() -> dict:
        files = [p for folder in (content_dir, TEMPLATES_DIR) for p in folder.rglob("*") if p.is_file()]
        return {p: p.stat().st_mtime_ns for p in (*files, project.settings_path) if p.is_file()}

    seen = None
    say(f"watching {content_dir}/, templates/ and printgen.toml (Ctrl+C stops)")
    while True:
        current = stamp()
        if current != seen:
            seen = current
            try:
                _run_build(content_dir, out_dir)
                say(f"{time.strftime('%H:%M:%S')} up to date")
            except PrintgenError as exc:
                exc.show()
        time.sleep(interval)


@_with(_content_param(), _out_param())
@cli.command()
def preview(content_dir: Path, out_dir: Path) -> None:
    """Build what is out of date, then write PNG thumbnails of every page and slide, and a
    contact sheet per material, to OUT/preview/."""
    from generator.preview import preview as make_previews

    _run_build(content_dir, out_dir)
    written = make_previews(out_dir)
    sheets = [p for p in written if p.parent.name == "preview"]
    say(f"wrote {len(written) - len(sheets)} thumbnails and {len(sheets)} contact sheets to {out_dir / 'preview'}/")


# --- one command per material, made from its renderer's options ------------------------------


def _click_option(option: Option) -> click.Option:
    if option.kind == "flag":
        name = option.flag.removeprefix("--")
        return click.Option([f"--{name}/--no-{name}", option.name], default=option.default, help=option.help)
    return click.Option([option.flag, option.name], type=_OptionType(option), default=option.default,
                        show_default=option.default is not None, help=option.help)


def _check_combination(cls: type[Renderer], content_dir: Path, given: dict) -> None:
    """The renderer's cross-option check on printgen.toml's values with the command line's
    over them: a bad combination is a usage error naming the option (exit 2)."""
    from generator.settings import load_settings

    table = load_settings(_project(content_dir).settings_path, REGISTRY).get(cls.name, {})
    settings = {o.name: o.default for o in cls.options} | table | given
    try:
        cls.check_settings(settings)
    except OptionError as exc:
        option = next((o for o in cls.options if o.name == exc.option), None)
        raise click.UsageError(f"{option.flag}: {exc}" if option else str(exc)) from None


def _material_command(cls: type[Renderer]) -> click.Command:
    name = cls.name

    def callback(content_dir: Path, out_dir: Path, force: bool, **values) -> None:
        ctx = click.get_current_context()
        given = {key: value for key, value in values.items()
                 if ctx.get_parameter_source(key) is click.core.ParameterSource.COMMANDLINE}
        _check_combination(cls, content_dir, given)
        _run_build(content_dir, out_dir, only=(name,), options={name: given}, force=force)

    params = [_content_param(), _out_param(), _force_param(), *map(_click_option, cls.options)]
    return click.Command(name, callback=callback, params=params, help=(
        f"{cls.description}\n\nOptions given here are for this run; printgen.toml's [{name}] table "
        "keeps them for every build."))


for _cls in REGISTRY.values():
    cli.add_command(_material_command(_cls))


class _Terminated(BaseException):
    """Raised by SIGTERM (`kill`), so printgen stops as cleanly as on Ctrl+C: workers stopped,
    temporary files deleted, the previous output files left as they were."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def main() -> None:
    """Entry point: user errors without traceback; internal errors briefly (traceback with -v)."""
    signal.signal(signal.SIGTERM, _terminate)
    # A command makes ~10⁶ objects and keeps most of them to its end (modules, layouts):
    # Python's default threshold (700 allocations) would walk them again and again.
    gc.set_threshold(50_000, 20, 10)
    try:
        cli.main(prog_name="printgen", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("printgen: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:  # PrintgenError and click's usage errors
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("printgen: interrupted", err=True)
        sys.exit(130)
    except _Terminated:
        click.echo("printgen: terminated", err=True)
        sys.exit(128 + signal.SIGTERM)
    except OSError as exc:  # the disk, not printgen: full, read-only, no permission …
        from generator.writer import os_error

        os_error(exc).show()
        sys.exit(EXIT_FAILURE)
    except Exception as exc:  # a bug in printgen
        if settings.verbose:
            traceback.print_exc()
        click.echo(
            f"printgen: internal error: {exc.__class__.__name__}: {exc}\n"
            "This is a bug in printgen, not in your content. Run again with -v for details.",
            err=True,
        )
        sys.exit(EXIT_FAILURE)
    sys.exit(0)
