"""Build materials: incremental, parallel, atomic.

- A material is rebuilt only when something it is made from changed: its content files, its
  templates, the fonts, its options, or printgen itself (its fingerprint, kept in
  ``OUT/.printgen/manifest.json`` with a hash of every file it wrote).
- Materials render in worker processes (``jobs``); WeasyPrint is imported once, before the
  workers fork, so each pays nothing for it.
- All materials render first; their files are written to temporary names when every one
  succeeded, and renamed over the previous files once all are written (see
  :mod:`generator.writer`). A failed or interrupted build leaves the previous files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator import __version__
from generator.content import CONTENT_FILES
from generator.errors import PrintgenError
from generator.fonts import FACES, PROJECT_DIR
from generator.model import POINT_MARKERS, Content
from generator.render import Artifact, Renderer
from generator.templates import TEMPLATES_DIR
from generator.writer import OutputWriter

MANIFEST = ".printgen/manifest.json"
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def load_project(content_dir: Path) -> Content:
    """Load and check the content, and prepare the font subsets its characters need."""
    from generator.content import load_content

    content = load_content(content_dir)
    prepare_project_fonts(content)
    return content


def prepare_project_fonts(content: Content) -> Path:
    """Prepare the font subsets (see :func:`generator.fonts.prepare_fonts`) for every
    character ``content`` and the templates can print."""
    from generator.fonts import prepare_fonts
    from generator.templates import template_texts

    chars = set("".join(content.texts())) | set(POINT_MARKERS)
    chars.update(*(line for line, *_ in template_texts()))
    # Labels the renderers' code adds (e.g. 「（続き）」), scanned from the source itself.
    for source in (PROJECT_DIR / "generator").rglob("*.py"):
        chars.update(_NOT_ASCII.findall(source.read_text(encoding="utf-8")))
    return prepare_fonts(chars)


@dataclass(frozen=True)
class Written:
    """One file written by a build, for the summary."""

    material: str
    path: Path
    artifact: Artifact
    seconds: float

    def summary(self) -> str:
        return f"{str(self.path):<34} {self.artifact.count:>10} {len(self.artifact.data) / 1024:>7,.0f} KB {self.seconds:>6.2f} s"


def fingerprint(renderer: Renderer, content_dir: Path, common: bytes | None = None) -> str:
    """A hash of everything ``renderer`` is made from (see the module docstring).

    ``common``: :func:`common_inputs`, when the caller fingerprints several renderers."""
    h, add = _digest()
    add("common", common_inputs() if common is None else common)
    add("options", json.dumps(renderer.options, sort_keys=True, default=str).encode())
    for name in renderer.content_files or CONTENT_FILES:
        path = Path(content_dir) / name
        add(f"content/{name}", path.read_bytes() if path.is_file() else b"<missing>")
    for folder in renderer.template_dirs or (renderer.name,):
        for path in sorted((TEMPLATES_DIR / folder).rglob("*")):
            if path.is_file():
                add(str(path.relative_to(TEMPLATES_DIR)), path.read_bytes())
    template = renderer.options.get("template")
    if template and Path(template).is_file():
        add("pptx-template", Path(template).read_bytes())
    return h.hexdigest()


def common_inputs() -> bytes:
    """The digest of what every material is made from: printgen's version and code, the fonts."""
    h, add = _digest()
    add("version", __version__.encode())
    for source in sorted((PROJECT_DIR / "generator").rglob("*.py")):
        add(str(source.relative_to(PROJECT_DIR)), source.read_bytes())
    for face in FACES:
        stat = face.path.stat() if face.path.is_file() else None
        add(face.file, f"{stat.st_size}:{stat.st_mtime_ns}".encode() if stat else b"<missing>")
    return h.digest()


def _digest():
    """A SHA-256 hash and ``add(label, data)``, which feeds it labelled, length-prefixed data."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(f"{label}\0{len(data)}\0".encode())
        h.update(data)

    return h, add


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _read_manifest(out_dir: Path) -> dict:
    """The manifest of the last build in ``out_dir``, or ``{}``. It is only a file in the output
    folder: one of another shape, or naming a file outside the folder (``../x``, ``/etc/x``),
    counts as absent (everything is rebuilt, and nothing outside the folder is read)."""
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
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
    out = Path(out_dir)
    for name, digest in entry["files"].items():
        rel = Path(*name.split("/"))
        if any((out / part).is_symlink() for part in (rel, *rel.parents[:-1])):
            return False
        path = out / rel
        if _sha256(path) != digest:
            return False
    return True


# The content of the build in progress, for worker processes (they are forked, so it is
# inherited rather than pickled).
_CONTENT: Content | None = None


def _render_one(renderer: Renderer, early: "_Early | None" = None) -> tuple[list[Artifact], float]:
    """The files of ``renderer`` and the seconds they took (its prepare's too, when ``early`` ran it)."""
    start = time.perf_counter()
    if early is not None and renderer.name in early.names:
        prepared, seconds = early.result(renderer.name)
        artifacts = renderer.finish(_CONTENT, prepared)
        return artifacts, time.perf_counter() - start + seconds
    artifacts = renderer.render(_CONTENT)
    return artifacts, time.perf_counter() - start


class _Early:
    """The project's loading (content, font subsets) and the :meth:`~generator.render.Renderer.prepare`
    part of some renderers, run in a process forked before the parent imports WeasyPrint (so
    they overlap that import; it must not use WeasyPrint).

    Each result (first the project's, named :data:`PROJECT`, then each renderer's) is pickled
    to its own unnamed temporary file as soon as it is ready, and announced by a byte on its
    own pipe; whoever needs it waits on that pipe only (forked workers inherit the files and
    the pipes' read ends, not their write ends). Files, not the pipes themselves: the child
    never waits for a reader; unnamed: nothing is left behind whatever stops the build."""

    PROJECT = "<project>"  # the content and the font subsets' folder

    def __init__(self, content_dir: Path, renderers: list[Renderer]):
        self.names = tuple(r.name for r in renderers)
        channels = (self.PROJECT, *self.names)
        self._files = {name: _unnamed_file() for name in channels}  # descriptors
        self._pipes = {name: os.pipe() for name in channels}
        self.pid = os.fork()
        if self.pid == 0:  # the child: load, prepare, send, exit without running the parent's exit code
            status = 1
            try:
                for read, _ in self._pipes.values():
                    os.close(read)
                _start_worker(os.getppid())
                self._child(content_dir, renderers)
                status = 0
            finally:
                os._exit(status)
        for _, write in self._pipes.values():
            os.close(write)

    def _child(self, content_dir: Path, renderers: list[Renderer]) -> None:
        from generator.content import load_content

        global _CONTENT
        try:
            _CONTENT = load_content(content_dir)
            self._send(self.PROJECT, ("ok", (_CONTENT, prepare_project_fonts(_CONTENT))))
        except Exception as exc:  # raised again in the parent (a PrintgenError for the user)
            self._send(self.PROJECT, ("error", exc))
            return
        for renderer in renderers:
            start = time.perf_counter()
            try:
                self._send(renderer.name, ("ok", (renderer.prepare(_CONTENT), time.perf_counter() - start)))
            except Exception as exc:  # raised again in the worker that reads it
                self._send(renderer.name, ("error", exc))

    def _send(self, name: str, result: tuple) -> None:
        import pickle

        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = pickle.dumps(("error", RuntimeError(f"{name}: {result[1]!r} cannot be sent ({exc})")))
        view = memoryview(data)
        while view:
            view = view[os.write(self._files[name], view):]
        write = self._pipes[name][1]
        os.write(write, b"1")
        os.close(write)

    def _receive(self, name: str) -> object:
        """What was sent for ``name`` (blocks until it is ready; read once); an error sent is raised."""
        import pickle

        if os.read(self._pipes[name][0], 1) != b"1":  # end of file: the child stopped first
            raise RuntimeError(f"{name}: the process preparing it stopped without a result")
        fd = self._files[name]  # its offset is shared with the child: read from 0
        kind, value = pickle.loads(os.pread(fd, os.fstat(fd).st_size, 0))
        if kind == "error":
            raise value
        return value

    def project(self) -> tuple[Content, Path]:
        """The content and the font subsets' folder (blocks until the child has them)."""
        return self._receive(self.PROJECT)

    def result(self, name: str) -> tuple[object, float]:
        """What ``name``'s prepare returned and the seconds it took (blocks until it is ready)."""
        return self._receive(name)

    def close(self) -> None:
        """Reap the child (killed first if it is still running, e.g. when the build failed)."""
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        for read, _ in self._pipes.values():
            try:
                os.close(read)
            except OSError:
                pass
        for fd in self._files.values():
            os.close(fd)


def build(
    content_dir: Path,
    renderers: list[Renderer],
    out_dir: Path,
    *,
    force: bool = False,
    jobs: int = 1,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[list[Written], list[str]]:
    """Build what is out of date; return the files written and the names of materials skipped."""
    global _CONTENT
    manifest = _read_manifest(out_dir)
    common = common_inputs()
    prints = {r.name: fingerprint(r, content_dir, common) for r in renderers}
    todo = [r for r in renderers if force or not up_to_date(r, prints[r.name], manifest, out_dir)]
    skipped = [r.name for r in renderers if r not in todo]
    if not todo:
        return [], skipped

    results: dict[str, tuple[list[Artifact], float]] = {}
    failed: dict[str, PrintgenError] = {}  # a material the user must fix; the others still render
    jobs = max(1, min(jobs, len(todo)))
    if jobs > 1 and hasattr(os, "fork"):
        _render_parallel(content_dir, todo, jobs, results, failed, progress)
    else:
        _CONTENT = load_project(content_dir)
        for renderer in todo:
            try:
                results[renderer.name] = _render_one(renderer)
            except PrintgenError as exc:
                failed[renderer.name] = exc
                continue
            progress(f"{renderer.name}: rendered in {results[renderer.name][1]:.2f} s")
    if failed:  # every problem at once, in the materials' order (whichever finished first)
        problems = [failed[r.name] for r in todo if r.name in failed]
        raise problems[0] if len(problems) == 1 else PrintgenError("\n".join(e.format_message() for e in problems))

    writer = OutputWriter(out_dir, staged=True)  # all files or none
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
    writer.commit()  # the manifest last: a build stopped before it is redone next time
    return written, skipped


def _render_parallel(content_dir: Path, todo: list[Renderer], jobs: int, results: dict, failed: dict,
                     progress: Callable[[str], None]) -> None:
    """Load the content and render it in forked workers, the costliest first; WeasyPrint is
    imported first so the workers inherit it. If anything stops the build (an error, Ctrl+C,
    SIGTERM), the workers are killed at once rather than waited for."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from generator.fonts import use_subsets
    from generator.render.pdf import font_config, weasyprint

    global _CONTENT
    # The costliest first, so that the last to finish is a short one; but one whose prepare
    # takes long after the first `jobs` (its worker would wait for it: do another first).
    by_cost = sorted(todo, key=lambda r: -r.cost)
    quick = [r for r in by_cost if not r.slow_prepare]
    order = quick[:jobs] + [r for r in by_cost if r.slow_prepare] + quick[jobs:]
    preparing = [r for r in order if r.prepares]  # in the order the workers need them
    # The early process loads the content and prepares while WeasyPrint is imported here.
    early = _Early(content_dir, preparing)
    pool = None
    try:
        weasyprint()  # fontconfig pointed at fonts/ until the subsets' folder is known
        _CONTENT, fonts = early.project()
        use_subsets(fonts)  # before font_config(): FontConfiguration reads fontconfig's file
        font_config()
        # What the workers inherit (modules, content) lives as long as they do: frozen, no
        # collection in a worker walks it again, and its memory pages stay shared.
        gc.freeze()
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(),))
        futures = {pool.submit(_render_one, renderer, early): renderer.name for renderer in order}
        for future in as_completed(futures):
            name = futures[future]
            try:
                results[name] = future.result()  # re-raises an error from the worker
            except PrintgenError as exc:
                failed[name] = exc
                continue
            progress(f"{name}: rendered in {results[name][1]:.2f} s")
        pool.shutdown()
    except BaseException:
        if pool is not None:
            # Python 3.14 has pool.kill_workers(); before, the processes are only in _processes.
            for process in list((pool._processes or {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        early.close()
        gc.unfreeze()  # `watch` builds again in this process


def _unnamed_file() -> int:
    """A descriptor of a new temporary file that has no name (removed from its folder at once)."""
    import tempfile

    fd, path = tempfile.mkstemp(prefix="printgen-")
    os.unlink(path)
    return fd


def _start_worker(parent: int) -> None:
    """Set up a worker process (it lives for one build)."""
    import gc
    import signal

    # Ctrl+C reaches the whole terminal process group; the parent alone answers it, by
    # killing the workers (a worker would die of it with a traceback of its own).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the CLI's handler is for the parent
    if sys.platform.startswith("linux"):
        # A parent killed with SIGKILL cannot kill its workers: have the kernel do it, or
        # they would wait forever on the parent's queues.
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before that
            os._exit(1)
    # Rendering makes ~10⁶ objects; Python's default threshold (700) would spend ~0.1 s a
    # material collecting them.
    gc.set_threshold(50_000, 20, 10)
