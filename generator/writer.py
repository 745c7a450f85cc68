"""The only code that writes into the output folder: safe paths, atomic writes.

A file is first staged: written to a hidden temporary name beside its destination
(``.NAME.PID.RANDOM.tmp``). Committing renames the staged files over their destinations, one
by one, in order. So an interrupted or failed build never leaves a half-written file and the
previous good files stay; a build stages all its files before it commits any. A temporary
file left by a killed process is removed the next time its destination is written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.errors import PrintgenError


class OutputWriter:
    """Writes files under ``out_dir``; refuses paths that would leave it or be written twice.

    Use :meth:`write` for one file, or :meth:`stage` several then :meth:`commit`; as a
    context manager it deletes, on exit, whatever was staged and not committed.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.written: dict[Path, str] = {}
        self.staged: list[tuple[Path, Path]] = []  # (temporary file, destination)

    def __enter__(self) -> OutputWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()

    def path_for(self, name: str) -> Path:
        """The destination of ``name`` (a relative path with '/' separators) inside ``out_dir``."""
        parts = name.split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts):
            raise ValueError(f"unsafe output file name {name!r}")
        return self.out_dir.joinpath(*parts)

    def write(self, name: str, data: bytes, *, owner: str = "") -> Path:
        """Write ``data`` to ``out_dir/name`` atomically and return the path."""
        dest = self.stage(name, data, owner=owner)
        self.commit()
        return dest

    def stage(self, name: str, data: bytes, *, owner: str = "") -> Path:
        """Write ``data`` to a temporary file that :meth:`commit` renames to ``out_dir/name``; return that path."""
        dest = self.path_for(name)
        if dest in self.written and self.written[dest] != owner:
            raise ValueError(f"{name} is written by both {self.written[dest]} and {owner}")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            _remove_orphans(dest)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise _write_error(dest, exc) from None
        self.staged.append((Path(tmp), dest))
        self.written[dest] = owner
        return dest

    def commit(self) -> None:
        """Rename every staged file over its destination, in the order they were staged."""
        while self.staged:
            tmp, dest = self.staged[0]
            try:
                os.replace(tmp, dest)
            except OSError as exc:
                raise _write_error(dest, exc) from None
            self.staged.pop(0)

    def discard(self) -> None:
        """Delete the staged files not committed (after a failure or an interruption)."""
        for tmp, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged.clear()


def _write_error(dest: Path, exc: OSError) -> PrintgenError:
    return PrintgenError(f"{dest}: error: output: cannot write the file ({exc.strerror or exc})")


def _remove_orphans(dest: Path) -> None:
    """Delete temporary files of ``dest`` left by processes that no longer run (a killed build)."""
    prefix = f".{dest.name}."
    for tmp in dest.parent.glob(f"{prefix}*.tmp"):
        pid = tmp.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            tmp.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but another user's
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
