"""The one build: load, fingerprint, render, write. Every command goes through :func:`build`.

- A material is rebuilt only when something it is made from changed: its content files, its
  templates, the fonts, its settings, or printgen itself (its fingerprint, kept in
  ``OUT/.printgen/manifest.json`` with a hash of every file it wrote).
- Materials render one after another, or in a pool of worker processes (``jobs``); a renderer
  never knows which (Sphinx's SerialTasks/ParallelTasks are the model).
- Files are written to temporary names when every material rendered, and renamed over the
  previous files once all are written (see :mod:`generator.writer`): a failed or stopped
  build leaves the previous files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from generator import __version__
from generator.content import CONTENT_FILES, load_content
from generator.errors import PrintgenError
from generator.fonts import FACES, FONTS_DIR, PROJECT_DIR
from generator.model import POINT_MARKERS, Content
from generator.render import Artifact, Renderer
from generator.settings import Project
from generator.templates import TEMPLATES_DIR
from generator.writer import OutputWriter, read_output, read_regular
from generator.i18n import _

MANIFEST = ".printgen/manifest.json"
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Written:
    """One file written by a build, for the summary."""

    material: str
    path: Path
    artifact: Artifact
    seconds: float

    def summary(self) -> str:
        return f"{str(self.path):<34} {self.artifact.count:>10} {len(self.artifact.data) / 1024:>7,.0f} KB {self.seconds:>6.2f} s"


def renderers(project: Project, only=(), options: dict[str, dict[str, Any]] | None = None) -> list[Renderer]:
    """The renderers of the materials ``only`` (all when empty), in build order, with the
    settings of printgen.toml overridden by ``options`` (``{material: {option: value}}``,
    from the command line)."""
    from generator.render import load_renderers
    from generator.settings import load_settings

    registry = load_renderers()
    settings = load_settings(project.settings_path, registry)
    wanted = set(only) or set(registry)
    unknown = wanted - set(registry)
    if unknown:
        raise ValueError(f"unknown materials {sorted(unknown)}")
    return [cls({**settings.get(name, {}), **(options or {}).get(name, {})})
            for name, cls in registry.items() if name in wanted]


def build(
    project: Project,
    out_dir: Path,
    *,
    only=(),
    options: dict[str, dict[str, Any]] | None = None,
    force: bool = False,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
    on_wait: Callable[[str], None] = lambda _: None,
    on_note: Callable[[str], None] = lambda _: None,
) -> tuple[list[Written], list[str]]:
    """Build what is out of date; return the files written and the names of materials skipped.

    ``progress(message)`` says what rendered; ``on_wait(message)``, that another run holds the
    output folder (this one waits for it); ``on_note(message)``, a material not made because
    the content lacks a part it needs. Raises :class:`PrintgenError` with every material's
    problems when any fails (then no file is written).
    """
    wanted, unset = _configured(renderers(project, only, options))
    for note in unset:
        on_note(note)
    with OutputWriter(out_dir, on_wait=on_wait) as writer:  # one run at a time in the folder
        manifest = _read_manifest(out_dir)
        common = common_inputs()
        prints = {r.name: fingerprint(r, project.content_dir, common) for r in wanted}
        todo = [r for r in wanted if force or not up_to_date(r, prints[r.name], manifest, out_dir)]
        skipped = [r.name for r in wanted if r not in todo]
        if not todo:
            return [], skipped

        _content, results, notes = _render(project, todo, jobs, progress)
        todo = [r for r in todo if r.name in results]

        written = []
        for renderer in todo:
            artifacts, seconds = results[renderer.name]
            files = {}
            for artifact in artifacts:
                path = writer.write(artifact.name, artifact.data, owner=renderer.name)
                files[artifact.name] = hashlib.sha256(artifact.data).hexdigest()
                written.append(Written(renderer.name, path, artifact, seconds))
            manifest[renderer.name] = {"fingerprint": prints[renderer.name], "files": files}
        writer.write(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode(), owner="build")
        writer.commit()  # all files or none (see generator.writer)
    _remember_times({name: seconds for name, (_, seconds) in results.items()})
    for note in notes:
        on_note(note)
    return written, skipped


def check(project: Project, *, jobs: int = 1) -> tuple[Content, list[str]]:
    """Everything :func:`build` would reject, found without writing anything: printgen.toml,
    the content, and every material rendered (fitting included) and thrown away. Returns the
    content and the notes on materials it has no part for; raises :class:`PrintgenError` with
    every problem."""
    from generator.errors import ContentError

    try:
        wanted = renderers(project)
    except ContentError as exc:  # printgen.toml: reported with the content's problems
        try:
            load_content(project.content_dir)
        except ContentError as more:
            raise PrintgenError.of(*exc.diagnostics, *more.diagnostics) from None
        raise
    wanted, unset = _configured(wanted)
    content, _results, notes = _render(project, wanted, jobs)
    return content, unset + notes


def _configured(wanted: list[Renderer]) -> tuple[list[Renderer], list[str]]:
    """The renderers that have what they need in their settings, and a note on each of the
    others (:meth:`Renderer.not_made`: the kit without a roster)."""
    reasons = {r.name: r.not_made() for r in wanted}
    notes = [_("{name}: not made: {reason}").format(name=name, reason=reason) for name, reason in reasons.items() if reason]
    return [r for r in wanted if not reasons[r.name]], notes


def _render(project: Project, todo: list[Renderer], jobs: int, progress: Callable[[str], None] = lambda _: None):
    """Load the content and render ``todo`` but the materials whose part the content lacks:
    ``(content, {name: (artifacts, seconds)}, notes on what was not made)``. Raises
    :class:`PrintgenError` with every material's problems, in build order."""
    results: dict[str, tuple[list[Artifact], float]] = {}
    failed: dict[str, str] = {}  # a material the user must fix; the others still render
    notes: list[str] = []
    with _workers(min(jobs, len(todo))) as pool:  # (they start while the content loads)
        content = load_content(project.content_dir)
        fonts_dir = prepare_project_fonts(content)
        absent = {r.name: [part for part in r.requires if not content.has(part)] for r in todo}
        for renderer in [r for r in todo if absent[r.name]]:
            notes.append(_("{name}: not made: the content has no {parts}").format(
                name=renderer.name, parts=", ".join(f"{p} ({p}.yaml)" for p in absent[renderer.name])))
        todo = [r for r in todo if not absent[r.name]]
        for name, outcome, seconds in render_all(pool, content, fonts_dir, todo):
            if isinstance(outcome, str):
                failed[name] = outcome
            else:
                results[name] = outcome, seconds
                progress(_("{name}: rendered in {seconds:.2f} s").format(name=name, seconds=seconds))
    if failed:  # every problem at once, in the materials' order (whichever finished first)
        raise PrintgenError("\n".join(failed[r.name] for r in todo if r.name in failed))
    return content, results, notes


def prepare_project_fonts(content: Content) -> Path:
    """Prepare the font subsets (see :func:`generator.fonts.prepare_fonts`) for every
    character ``content`` and the templates can print; the subsets' folder."""
    from generator.fonts import prepare_fonts
    from generator.templates import template_texts

    chars = set("".join(content.texts())) | set(POINT_MARKERS)
    chars.update(*(line for line, *_ in template_texts()))
    # Labels the renderers' code adds (e.g. 「（続き）」), scanned from the source itself.
    for source in (PROJECT_DIR / "generator").rglob("*.py"):
        chars.update(_NOT_ASCII.findall(source.read_text(encoding="utf-8")))
    return prepare_fonts(chars)


# --- rendering: a serial loop or a process pool ----------------------------------------------


def _workers(jobs: int):
    """A pool of ``jobs`` worker processes (a context manager; leaving it terminates them),
    or a null context for one job (the materials render here, one after another)."""
    import contextlib
    import multiprocessing

    if jobs <= 1:
        return contextlib.nullcontext()
    # fork where there is one (workers start with printgen already imported), else the default
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    return context.Pool(jobs, initializer=_start_worker)


def render_all(pool, content: Content, fonts_dir: Path, todo: list[Renderer]):
    """Yield ``(name, artifacts or the error message, seconds)`` for each renderer as each
    finishes: here, or in ``pool`` (the materials that took longest last time first)."""
    if pool is None:
        for renderer in todo:
            yield _render_task(renderer, content, fonts_dir)
        return
    times = _remembered_times()
    order = sorted(todo, key=lambda r: -times.get(r.name, 0.0))
    # an internal error in a worker is raised again here
    yield from pool.imap_unordered(_render_packed, [(renderer, content, fonts_dir) for renderer in order])


def _render_packed(task: tuple[Renderer, Content, Path]) -> tuple[str, list[Artifact] | str, float]:
    return _render_task(*task)


def _render_task(renderer: Renderer, content: Content, fonts_dir: Path) -> tuple[str, list[Artifact] | str, float]:
    from generator.fonts import use_subsets

    start = time.perf_counter()
    # Text from outside the content (a roster) is set in the whole fonts: no subset made of it is cached.
    use_subsets(FONTS_DIR if renderer.private_text else fonts_dir)
    try:
        artifacts = renderer.render(content)
    except PrintgenError as exc:  # for the user: its message (it goes back as text)
        return renderer.name, exc.format_message(), time.perf_counter() - start
    return renderer.name, artifacts, time.perf_counter() - start


def _start_worker() -> None:
    """Set up a worker process: signals, and the libraries renderers use, imported while the
    parent loads the content."""
    import signal

    from generator.render import import_libraries

    # Ctrl+C reaches the whole terminal process group; the parent alone answers it, by
    # terminating the pool (a worker would die of it with a traceback of its own).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's handler is for the parent
    import_libraries()


def _times_path() -> Path:
    from generator.fonts import cache_root

    return cache_root() / "render-times.json"


def _remembered_times() -> dict[str, float]:
    """Seconds each material took in the last build (for the order of a parallel build)."""
    try:
        times = json.loads(read_regular(_times_path()) or b"{}")
        return {str(k): float(v) for k, v in times.items()} if isinstance(times, dict) else {}
    except (ValueError, TypeError, AttributeError):
        return {}


def _remember_times(seconds: dict[str, float]) -> None:
    from generator.fonts import write_atomic

    write_atomic(_times_path(), json.dumps({**_remembered_times(), **seconds}, sort_keys=True).encode())


# --- what is up to date ----------------------------------------------------------------------


def fingerprint(renderer: Renderer, content_dir: Path, common: bytes | None = None) -> str:
    """A hash of everything ``renderer`` is made from (see the module docstring).

    ``common``: :func:`common_inputs`, when the caller fingerprints several renderers."""
    h = _Digest()
    h.add("common", common_inputs() if common is None else common)
    h.add("settings", json.dumps(renderer.settings, sort_keys=True, default=str).encode())
    for option in renderer.options:
        value = renderer.settings[option.name]
        if option.kind == "file" and value is not None:
            h.add(f"file:{option.name}", _read(Path(value)) or b"<missing>")
    for name in renderer.content_files or CONTENT_FILES:
        h.add(f"content/{name}", _read(Path(content_dir) / name) or b"<missing>")
    for folder in renderer.template_dirs or (renderer.name,):
        for path in sorted((TEMPLATES_DIR / folder).rglob("*")):
            if path.is_file():
                h.add(str(path.relative_to(TEMPLATES_DIR)), path.read_bytes())
    return h.hexdigest()


def common_inputs() -> bytes:
    """The digest of what every material is made from: printgen's version and code, the fonts."""
    h = _Digest()
    h.add("version", __version__.encode())
    for source in sorted((PROJECT_DIR / "generator").rglob("*.py")):
        h.add(str(source.relative_to(PROJECT_DIR)), source.read_bytes())
    for face in FACES:
        stat = face.path.stat() if face.path.is_file() else None
        h.add(face.file, f"{stat.st_size}:{stat.st_mtime_ns}".encode() if stat else b"<missing>")
    return h.digest()


class _Digest:
    """SHA-256 of labelled, length-prefixed parts."""

    def __init__(self):
        self._hash = hashlib.sha256()

    def add(self, label: str, data: bytes) -> None:
        self._hash.update(f"{label}\0{len(data)}\0".encode())
        self._hash.update(data)

    def digest(self) -> bytes:
        return self._hash.digest()

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _read(path: Path) -> bytes | None:
    """An input's bytes (a FIFO or a folder counts as missing: never blocks)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _read_manifest(out_dir: Path) -> dict:
    """The manifest of the last build in ``out_dir``, or ``{}``. It is only a file in the output
    folder: one of another shape, or naming a file outside the folder (``../x``, ``/etc/x``),
    counts as absent (everything is rebuilt, and nothing outside the folder is read)."""
    raw = read_output(out_dir, MANIFEST)
    try:
        data = json.loads(raw.decode("utf-8")) if raw is not None else {}
    except ValueError:
        return {}
    writer = OutputWriter(out_dir)
    try:
        for entry in data.values():
            if not isinstance(entry["fingerprint"], str) or not isinstance(entry["files"], dict):
                return {}
            for name, digest in entry["files"].items():
                writer.path_for(name)  # ValueError when unsafe
                if not isinstance(digest, str):
                    return {}
    except (AttributeError, KeyError, TypeError, ValueError):
        return {}
    return data


def up_to_date(renderer: Renderer, print_: str, manifest: dict, out_dir: Path) -> bool:
    """Whether ``renderer``'s files in ``out_dir`` are those its last build wrote from the same
    inputs (a file reached through a symbolic link does not count)."""
    entry = manifest.get(renderer.name)
    if not entry or entry["fingerprint"] != print_ or not entry["files"]:
        return False
    for name, digest in entry["files"].items():
        data = read_output(out_dir, name)  # None through a link, for a FIFO, …
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            return False
    return True
