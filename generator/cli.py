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
from generator.i18n import LANGUAGES, _, ngettext
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
        raise click.BadParameter(_("expected a folder, found an empty name"), ctx=ctx, param=param)
    try:
        os.stat(value)
    except (FileNotFoundError, NotADirectoryError):  # (a file in the way: said by the callers)
        pass
    except OSError as exc:  # too long, a file in the way, a loop of links, no permission …
        from generator.writer import explain

        shown = value if len(value) <= 60 else value[:57] + "…"
        raise click.BadParameter(f"'{shown}': {explain(exc)}", ctx=ctx, param=param) from None
    return Path(value)


def _existing_dir(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    path = _path(ctx, param, value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(_("'{value}' is a file, not a folder").format(value=value), ctx=ctx, param=param)
    if not path.is_dir():
        message = (_("folder '{value}' does not exist (run printgen in the project folder, or pass --content DIR)")
                   if param.name == "content_dir" else _("folder '{value}' does not exist"))
        raise click.BadParameter(message.format(value=value), ctx=ctx, param=param)
    return path


def _output_dir(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """The output folder: one that exists or can be made, checked before any work is done."""
    path = _path(ctx, param, value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(_("'{value}' is a file, not a folder").format(value=value), ctx=ctx, param=param)
    existing = next(p for p in (path, *path.parents) if p.exists())  # the folder to write in or to make it in
    if not existing.is_dir():
        raise click.BadParameter(_("cannot make folder '{value}': '{existing}' is a file, not a folder").format(value=value, existing=existing), ctx=ctx, param=param)
    if hasattr(os, "statvfs") and os.statvfs(existing).f_flag & os.ST_RDONLY:
        raise click.BadParameter(_("cannot write to '{value}': the disk is read-only; choose another --out").format(value=value),
                                 ctx=ctx, param=param)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise click.BadParameter(_("cannot write to '{value}': no permission to write in '{existing}' (owned by {owner}); choose another --out, or ask its owner").format(
            value=value, existing=existing, owner=_owner(existing)), ctx=ctx, param=param)
    return path


def _content_param() -> click.Option:
    return click.Option(["--content", "content_dir"], default="content", show_default=True, metavar="DIR", callback=_existing_dir,
                        help=_("Folder with the content files (printgen.toml is read from the folder that holds it)."))


def _out_param() -> click.Option:
    return click.Option(["--out", "out_dir"], default="output", show_default=True, metavar="DIR", callback=_output_dir,
                        help=_("Folder the materials are written to."))


def _force_param() -> click.Option:
    return click.Option(["--force"], is_flag=True, help=_("Rebuild even what is up to date."))


def _owner(path: Path) -> str:
    """The name of the user who owns ``path`` (for a message), or its number."""
    try:
        import pwd

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return "?"


def _with(*params: click.Option):
    """Put ``params`` first among a command's options (used above ``@cli.command()``)."""
    def add(command: click.Command) -> click.Command:
        command.params[0:0] = list(params)
        return command
    return add


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help=_("Make printable training material (handouts, cards, posters, slides) from the text in "
                    "content/.\n\nEdit the text in content/ (and the options in printgen.toml), then run "
                    "`printgen check` and `printgen build`, or one material's command."))
@click.version_option(__version__, "--version", prog_name="printgen", message=_("%(prog)s, version %(version)s"))
@click.option("-v", "--verbose", is_flag=True, help=_("Say more, and show tracebacks of internal errors."))
@click.option("-q", "--quiet", is_flag=True, help=_("Print only errors."))
@click.option("--lang", type=click.Choice(LANGUAGES), help=_("Language of the messages (default: Japanese; English when LANG starts with en)."))
def cli(verbose: bool, quiet: bool, lang: str | None) -> None:
    if verbose and quiet:
        raise click.UsageError(_("-v/--verbose and -q/--quiet cannot be used together"))
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
@cli.command(help=_("Check the content and printgen.toml as a build would (every character in the bundled fonts, "
                    "every text fitting its material), without writing anything.\n\nReports every problem at once, "
                    "as FILE:LINE: error: KEY: MESSAGE. Exit status: 0 clean, 1 problems, 2 usage errors."))
def check(content_dir: Path) -> None:
    from generator.build import check as check_all
    from generator.content import display_path

    content, notes = check_all(_project(content_dir), jobs=os.cpu_count() or 1)
    for note in notes:
        say(note)
    counts = content.counts()
    say(_("{folder}/: OK: {sections} sections, {viewpoints} viewpoints with {points} points, {messages} one-line "
          "messages, {chars:,} characters, all in the bundled fonts, every material fits").format(
        folder=display_path(content_dir), **counts))


def _run_build(content_dir: Path, out_dir: Path, *, only=(), options=None, force=False, jobs=None) -> None:
    """Build, then say what was written (files of a subfolder, e.g. cards/, summed up)."""
    import time

    from generator.build import build

    start = time.perf_counter()
    written, skipped = build(
        _project(content_dir), out_dir, only=only, options=options, force=force, jobs=jobs or os.cpu_count() or 1,
        progress=say if sys.stdout.isatty() else (lambda _: None), on_wait=lambda message: click.echo(message, err=True),
        on_note=say,
    )
    folders: dict[Path, int] = {}
    whole = {item.material for item in written if "/" not in item.artifact.name}
    for item in written:
        # a file per page beside the whole (cards --split): summed up below; the kit's files are listed
        if "/" in item.artifact.name and item.material in whole:
            folder = item.path.parent
            folders[folder] = folders.get(folder, 0) + 1
        else:
            say(item.summary())
            if item.artifact.note:
                say("  " + _("note: {note}").format(note=item.artifact.note))
    for folder, count in folders.items():
        say(f"{str(folder) + '/':<34} " + _("{count:>4} files, one per page").format(count=count))
    if skipped:
        say(_("up to date: {names}").format(names=", ".join(skipped)))
    say(ngettext("built {count} file in {seconds:.2f} s", "built {count} files in {seconds:.2f} s", len(written)).format(
        count=len(written), seconds=time.perf_counter() - start))


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
                self.fail(_("expected a number, found '{value}'").format(value=value), param, ctx)
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
@cli.command(help=_("Build every material (or those of --only) with the options of printgen.toml.\n\nOnly what changed "
                    "since the last build is rebuilt (content, templates, fonts, options, printgen itself); --force "
                    "rebuilds all. Files are replaced only when every material built."))
@click.option("--only", "only", multiple=True, type=click.Choice(tuple(REGISTRY)), metavar="NAME",
              help=_("Build only this material (repeatable): {names}.").format(names=", ".join(REGISTRY)))
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help=_("Materials rendered at once. Default: the number of cores."))
@click.option("--force", is_flag=True, help=_("Rebuild everything, even what is up to date."))
@click.option("--template", "template", type=_OptionType(_DECK_TEMPLATE), metavar="FILE.pptx",
              help=_("Build the deck on this PowerPoint template (as `printgen deck --template`)."))
def build(content_dir: Path, out_dir: Path, only: tuple[str, ...], jobs: int | None, force: bool, template: Path | None) -> None:
    options = {"deck": {"template": template}} if template else {}
    _run_build(content_dir, out_dir, only=tuple(dict.fromkeys(only)), options=options, force=force, jobs=jobs)


@_with(_content_param(), _out_param())
@cli.command(help=_("Rebuild what changed whenever a file in the content folder, templates/ or printgen.toml is "
                    "saved.\n\nProblems are printed and the previous files stay; stop with Ctrl+C."))
@click.option("--interval", type=_OptionType(Option("interval", "number", "", low=0.1, high=60)), default=0.5,
              show_default=True, metavar="SECONDS", help=_("How often to look for saved files."))
def watch(content_dir: Path, out_dir: Path, interval: float) -> None:
    import time

    from generator.templates import TEMPLATES_DIR

    project = _project(content_dir)

    def option_files() -> list[Path]:
        """The files printgen.toml names (the kit's roster, a deck template): saving one rebuilds too."""
        from generator.settings import load_settings

        try:
            tables = load_settings(project.settings_path, REGISTRY)
        except PrintgenError:  # (said by the build)
            return []
        return [value for table in tables.values() for value in table.values() if isinstance(value, Path)]

    def stamp() -> dict:
        files = [p for folder in (content_dir, TEMPLATES_DIR) for p in folder.rglob("*") if p.is_file()]
        return {p: p.stat().st_mtime_ns for p in (*files, project.settings_path, *option_files()) if p.is_file()}

    seen = None
    say(_("watching {folder}/, templates/ and printgen.toml (Ctrl+C stops)").format(folder=content_dir))
    while True:
        current = stamp()
        if current != seen:
            seen = current
            try:
                _run_build(content_dir, out_dir)
                say(_("{time} up to date").format(time=time.strftime("%H:%M:%S")))
            except PrintgenError as exc:
                exc.show()
        time.sleep(interval)


@_with(_content_param(), _out_param())
@cli.command(help=_("Build what is out of date, then write PNG thumbnails of every page and slide, and a contact "
                    "sheet per material, to OUT/preview/."))
def preview(content_dir: Path, out_dir: Path) -> None:
    from generator.preview import preview as make_previews

    _run_build(content_dir, out_dir)
    written = make_previews(out_dir)
    sheets = [p for p in written if p.parent.name == "preview"]
    say(_("wrote {thumbnails} thumbnails and {sheets} contact sheets to {folder}/").format(
        thumbnails=len(written) - len(sheets), sheets=len(sheets), folder=out_dir / "preview"))


@cli.command(name="new", help=_("Make a new project in DIR for another training's text: content/ with a short example "
                                "of each file (with instructions in Japanese), printgen.toml and a README. "
                                "Then edit content/ and run `printgen build` in DIR."))
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
def new(folder: Path) -> None:
    import shutil

    from generator.content import display_path

    skeleton = Path(__file__).resolve().parent / "skeleton"
    if folder.exists() and any(folder.iterdir()):
        raise click.BadParameter(_("'{value}' is not empty; choose a new folder").format(value=folder), param_hint="'DIR'")
    shutil.copytree(skeleton, folder, dirs_exist_ok=True)
    say(_("made a new project in {folder}/: edit the files in {folder}/content/, then run `printgen build` there").format(
        folder=display_path(folder)))


# --- one command per material, made from its renderer's options ------------------------------


def _click_option(option: Option) -> click.Option:
    if option.kind == "flag":
        name = option.flag.removeprefix("--")
        return click.Option([f"--{name}/--no-{name}", option.name], default=option.default, help=option.help)
    return click.Option([option.flag, option.name], type=_OptionType(option), default=option.default,
                        show_default=option.default is not None, help=option.help)


def _check_combination(cls: type[Renderer], content_dir: Path, given: dict) -> None:
    """The renderer's cross-option check on printgen.toml's values with the command line's
    over them: a bad combination, or settings it cannot be made with, is a usage error naming
    the option (exit 2)."""
    from generator.settings import load_settings

    table = load_settings(_project(content_dir).settings_path, REGISTRY).get(cls.name, {})
    settings = {o.name: o.default for o in cls.options} | table | given
    try:
        cls.check_settings(settings)
    except OptionError as exc:
        option = next((o for o in cls.options if o.name == exc.option), None)
        raise click.UsageError(f"{option.flag}: {exc}" if option else str(exc)) from None
    reason = cls(settings).not_made()  # (`build` skips it with a note; asked for by name, it is a mistake)
    if reason:
        raise click.UsageError(reason)


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
        cls.description + "\n\n" + _("Options given here are for this run; printgen.toml's [{name}] table keeps them "
                                      "for every build.").format(name=name)))


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
        click.echo(_("printgen: interrupted"), err=True)
        sys.exit(130)
    except click.ClickException as exc:  # PrintgenError and click's usage errors
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo(_("printgen: interrupted"), err=True)
        sys.exit(130)
    except _Terminated:
        click.echo(_("printgen: terminated"), err=True)
        sys.exit(128 + signal.SIGTERM)
    except OSError as exc:  # the disk, not printgen: full, read-only, no permission …
        from generator.writer import os_error

        os_error(exc).show()
        sys.exit(EXIT_FAILURE)
    except Exception as exc:  # a bug in printgen
        if settings.verbose:
            traceback.print_exc()
        click.echo(_("printgen: internal error: {error}\nThis is a bug in printgen, not in your content. Run again with "
                     "-v for details.").format(error=f"{exc.__class__.__name__}: {exc}"), err=True)
        sys.exit(EXIT_FAILURE)
    sys.exit(0)
