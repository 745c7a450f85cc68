"""The ``printgen`` command: parse options, load content, call one function per command.

Heavy libraries (WeasyPrint, python-pptx) are imported inside the commands that need them,
so ``printgen --help`` answers at once.
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
from generator.render import RENDERER_MODULES

log = logging.getLogger("printgen")


class _Settings:
    verbose = False
    quiet = False


settings = _Settings()


def _existing_dir(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"'{value}' is a file, not a folder", ctx=ctx, param=param)
    if not path.is_dir():
        hint = " (run printgen in the printgen folder, or pass --content DIR)" if param.name == "content_dir" else ""
        raise click.BadParameter(f"folder '{value}' does not exist{hint}", ctx=ctx, param=param)
    return path


def _output_dir(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """The output folder: one that exists or can be made, checked before any work is done."""
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"'{value}' is a file, not a folder", ctx=ctx, param=param)
    existing = next(p for p in (path, *path.parents) if p.exists())  # the folder to write in or to make it in
    if not existing.is_dir():
        raise click.BadParameter(f"cannot make folder '{value}': '{existing}' is a file, not a folder", ctx=ctx, param=param)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise click.BadParameter(f"cannot write to '{value}': no permission to write in '{existing}'", ctx=ctx, param=param)
    return path


content_option = click.option(
    "--content", "content_dir", default="content", show_default=True, metavar="DIR",
    callback=_existing_dir, help="Folder with the content files.",
)
out_option = click.option(
    "--out", "out_dir", default="output", show_default=True, metavar="DIR", callback=_output_dir,
    help="Folder the materials are written to.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="printgen")
@click.option("-v", "--verbose", is_flag=True, help="Say more, and show tracebacks of internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def cli(verbose: bool, quiet: bool) -> None:
    """Make printable training material (handouts, cards, posters, slides) from the content
    of 「介護支援専門員自身が考える今後の“目指すべき介護支援専門員像”」.

    Edit the text in content/, then run `printgen check` and a material command.
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


@cli.command()
@content_option
def check(content_dir: Path) -> None:
    """Validate the content and check every character is in the bundled fonts.

    Reports every problem at once, as FILE:LINE: error: KEY: MESSAGE.
    Exit status: 0 clean, 1 content errors, 2 usage errors.
    """
    from generator.content import load_content, display_path

    content = load_content(content_dir)
    texts = list(content.texts())
    say(
        f"{display_path(content_dir)}/: OK: {len(content.introduction.sections)} sections, "
        f"{len(content.viewpoints.viewpoints)} viewpoints with {sum(len(v.points) for v in content.viewpoints.viewpoints)} points, "
        f"{len(content.messages.messages)} one-line messages, {sum(map(len, texts)):,} characters, "
        f"all in the bundled fonts"
    )


MATERIALS = RENDERER_MODULES


template_option = click.option(
    "--template", "template", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE.pptx",
    help="Build the deck on this PowerPoint template (its masters, layouts and colours).",
)


@cli.command()
@content_option
@out_option
@click.option("--only", "only", multiple=True, type=click.Choice(MATERIALS), metavar="NAME",
              help=f"Build only this material (repeatable): {', '.join(MATERIALS)}.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Materials rendered at once. Default: the number of cores.")
@click.option("--force", is_flag=True, help="Rebuild everything, even what is up to date.")
@template_option
def build(content_dir: Path, out_dir: Path, only: tuple[str, ...], jobs: int | None, force: bool, template: Path | None) -> None:
    """Build every material (handout, cards, poster, deck and its PDFs) with default options
    (and the deck on --template, if given).

    Only what changed since the last build is rebuilt (content, templates, fonts, options,
    printgen itself); --force rebuilds all. Files are replaced only when every material built.
    """
    import time

    from generator.build import build as build_all
    from generator.render import load_renderers

    start = time.perf_counter()
    registry = load_renderers(only or MATERIALS)
    options = {"deck": {"template": template}} if template else {}
    renderers = [registry[name](options.get(name)) for name in (only or MATERIALS)]
    written, skipped = build_all(
        content_dir, renderers, out_dir, force=force, jobs=jobs or os.cpu_count() or 1,
        progress=say if sys.stdout.isatty() else (lambda _: None),
    )
    for item in written:
        say(item.summary())
    if skipped:
        say(f"up to date: {', '.join(skipped)}")
    say(f"built {len(written)} file{'s' if len(written) != 1 else ''} in {time.perf_counter() - start:.2f} s")


@cli.command()
@content_option
@out_option
@click.option("--interval", type=click.FloatRange(0.1, 60), default=0.5, show_default=True, metavar="SECONDS",
              help="How often to look for saved files.")
def watch(content_dir: Path, out_dir: Path, interval: float) -> None:
    """Rebuild what changed whenever a file in the content folder or templates/ is saved.

    Problems are printed and the previous files stay; stop with Ctrl+C.
    """
    import os
    import time

    from generator.build import build as build_all
    from generator.render import load_renderers
    from generator.templates import TEMPLATES_DIR

    registry = load_renderers()

    def stamp() -> dict:
        return {p: p.stat().st_mtime_ns for folder in (content_dir, TEMPLATES_DIR) for p in folder.rglob("*") if p.is_file()}

    seen = None
    say(f"watching {content_dir}/ and templates/ (Ctrl+C stops)")
    while True:
        current = stamp()
        if current != seen:
            seen = current
            try:
                written, _ = build_all(content_dir, [cls() for cls in registry.values()], out_dir, jobs=os.cpu_count() or 1)
                for item in written:
                    say(item.summary())
                say(f"{time.strftime('%H:%M:%S')} up to date")
            except PrintgenError as exc:
                exc.show()
        time.sleep(interval)


@cli.command()
@out_option
def preview(out_dir: Path) -> None:
    """Write PNG thumbnails of every page and slide, and a contact sheet per material, to OUT/preview/."""
    from generator.preview import preview as make_previews

    written = make_previews(out_dir)
    sheets = [p for p in written if p.parent.name == "preview"]
    say(f"wrote {len(written) - len(sheets)} thumbnails and {len(sheets)} contact sheets to {out_dir / 'preview'}/")


@cli.command()
@content_option
@out_option
@click.option("--paper", type=click.Choice(["A4", "B5", "A3"], case_sensitive=False), default="A4", show_default=True,
              help="Paper size. B5 is JIS B5 (182 × 257 mm), the size Japanese offices use.")
@click.option("--pdf-variant", type=click.Choice(["pdf/ua-1", "pdf/a-2b"], case_sensitive=False), default=None,
              help="pdf/ua-1: tagged, accessible PDF; pdf/a-2b: archival PDF.")
def handout(content_dir: Path, out_dir: Path, paper: str, pdf_variant: str | None) -> None:
    """Write OUT/handout.pdf: the training handout (the whole text, the 4×4 overview of the
    viewpoints, the twenty messages as cards, and a worksheet for group work)."""
    _render_material("handout", content_dir, out_dir, {"paper": paper.upper(), "pdf_variant": pdf_variant.lower() if pdf_variant else None})


THEME_NAMES = ("teal", "navy", "warm", "mono")  # generator.render.deck.THEMES (not imported: --help stays instant)


@cli.command()
@template_option
@click.option("--theme", type=click.Choice(THEME_NAMES), default=None,
              help="Colour theme. Default: teal, or the template's own colours with --template.")
@content_option
@out_option
def deck(template: Path | None, theme: str | None, content_dir: Path, out_dir: Path) -> None:
    """Lecture slides: deck.pptx (16:9, speaker notes), deck.pdf and slides-handout.pdf
    (A4, three slides a page with memo lines)."""
    _render_material("deck", content_dir, out_dir, {"template": template, "theme": theme})


def _render_material(name: str, content_dir: Path, out_dir: Path, options: dict) -> None:
    """Load the content, render one material, write its files and say what was written."""
    import importlib
    import time

    from generator.build import load_project
    from generator.content import display_path
    from generator.render import REGISTRY
    from generator.writer import OutputWriter

    started = time.perf_counter()
    content = load_project(content_dir)
    importlib.import_module(f"generator.render.{name}")  # registers the renderer
    artifacts = REGISTRY[name](options).render(content)
    elapsed = time.perf_counter() - started
    writer = OutputWriter(out_dir, staged=True)  # all files or none
    lines, folders = [], {}
    for artifact in artifacts:
        path = writer.write(artifact.name, artifact.data, owner=name)
        if "/" in artifact.name:  # one file per page (cards --split): summed up below
            folder = artifact.name.split("/")[0]
            folders[folder] = folders.get(folder, 0) + 1
            continue
        count = f"{artifact.count}, " if artifact.count else ""
        lines.append(f"{display_path(path)}: {count}{len(artifact.data) / 1024:,.0f} KB")
    writer.commit()
    lines += [f"{display_path(out_dir / folder)}/: {count} files, one per page" for folder, count in folders.items()]
    for line in lines:
        say(line)
    say(f"{name}: {len(artifacts)} file{'s' if len(artifacts) != 1 else ''} in {elapsed:.2f} s")


def _sheet_params(material: str) -> list[click.Parameter]:
    """The options every sheet command takes: paper, orientation, print-shop marks, theme.
    Their choices come from the renderer modules (imported only by the command that uses them)."""
    from generator.render.sheet import MAX_BLEED_MM, THEMES

    if material == "cards":
        from generator.render.cards import CARD_PAPERS as papers
    else:
        from generator.render.poster import POSTER_PAPERS as papers
    return [
        click.Option(["--paper"], type=click.Choice(papers, case_sensitive=False), default=papers[0], show_default=True,
                     help="Paper size, portrait unless --landscape (B sizes are JIS B, e.g. B2 = 515 x 728 mm)."),
        click.Option(["--landscape"], is_flag=True, help="Landscape instead of portrait."),
        click.Option(["--bleed", "bleed_mm"], type=click.FloatRange(0, MAX_BLEED_MM), default=0, metavar="MM",
                     help="Extend backgrounds MM mm past the trim for a print shop (TrimBox and BleedBox set). Usually 3."),
        click.Option(["--crop-marks"], is_flag=True, help="Add crop marks in a margin outside the trim (and bleed)."),
        click.Option(["--theme"], type=click.Choice(sorted(THEMES)), default="ai", show_default=True,
                     help="Colour theme: " + "; ".join(f"{t.name}: {t.description}" for t in THEMES.values()) + "."),
    ]


class _SheetCommand(click.Command):
    """A sheet command (cards, poster): its print options (:func:`_sheet_params`) are made the
    first time the command parses or shows them, so `printgen --help` and the other commands
    do not import the card and poster code."""

    def __init__(self, *args, material: str, **kwargs):
        self._material = material
        self._sheet_added = False
        super().__init__(*args, **kwargs)

    @property
    def params(self) -> list[click.Parameter]:
        if not self._sheet_added:
            self._sheet_added = True
            at = sum(p.name in ("content_dir", "out_dir") for p in self._params)  # after --content and --out
            self._params[at:at] = _sheet_params(self._material)
        return self._params

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        self._params = value


def _sheet_options(paper: str, landscape: bool, bleed_mm: float, crop_marks: bool, theme: str):
    from generator.render.sheet import PrintOptions

    return PrintOptions(paper.upper(), landscape, bleed_mm, crop_marks, theme)


@cli.command(cls=_SheetCommand, material="cards")
@content_option
@out_option
@click.option("--split", is_flag=True, help="Also write each card as its own file, OUT/cards/NN-<id>.pdf.")
def cards(content_dir: Path, out_dir: Path, split: bool, **sheet) -> None:
    """Message cards in big type, one per page: OUT/cards.pdf.

    The twenty one-line messages, the slogan, 「ケアマネジャーは人と人を結ぶ架け橋」 and one card
    per viewpoint. Each card gets the largest type that fits; a card that cannot fit is an error.
    """
    _render_material("cards", content_dir, out_dir, {"print": _sheet_options(**sheet), "split": split})


@cli.command(cls=_SheetCommand, material="poster")
@content_option
@out_option
def poster(content_dir: Path, out_dir: Path, **sheet) -> None:
    """The wall poster, one sheet: OUT/poster.pdf.

    The title, the lead text and the four viewpoints with their sixteen points.
    """
    _render_material("poster", content_dir, out_dir, {"print": _sheet_options(**sheet)})


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
    except Exception as exc:  # a bug in printgen
        if settings.verbose:
            traceback.print_exc()
        click.echo(
            f"printgen: internal error: {exc.__class__.__name__}: {exc}\n"
            "This is a bug in printgen, not in your content. Run again with -v for details.",
            err=True,
        )
        sys.exit(EXIT_FAILURE)
    # Nothing is left to collect: spare the interpreter's final walk over every object
    # WeasyPrint made (~0.1 s).
    gc.freeze()
    sys.exit(0)
