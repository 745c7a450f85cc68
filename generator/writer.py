"""The only code that writes into the output folder: safe paths, atomic writes.

Every file is written to a temporary name beside its destination (``.NAME.PID.RANDOM.tmp``)
and renamed over it, so an interrupted or failed build never leaves a half-written file and the
previous good file stays. A temporary file left by a killed process (SIGKILL: no clean-up runs)
is removed the next time its destination is written.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from pathlib import Path

from generator.errors import Diagnostic, PrintgenError


class OutputWriter:
    """Writes files under ``out_dir``; refuses paths that would leave it or be written twice.

    ``staged``: :meth:`write` only writes the temporary files, and :meth:`commit` renames them
    all at the end, so a failure on any file (a folder in the way, a full disk) leaves every
    earlier file as it was.
    """

    def __init__(self, out_dir: Path, *, staged: bool = False):
        self.out_dir = Path(out_dir)
        self.written: dict[Path, str] = {}
        self.staged: list[tuple[str, Path]] | None = [] if staged else None
        if staged:  # interrupted (Ctrl+C) between writes: no temporary file is left behind
            atexit.register(self.discard)

    def path_for(self, name: str) -> Path:
        """The destination of ``name`` (a relative path with '/' separators) inside ``out_dir``."""
        parts = name.split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts):
            raise ValueError(f"unsafe output file name {name!r}")
        return self.out_dir.joinpath(*parts)

    def write(self, name: str, data: bytes, *, owner: str = "") -> Path:
        """Write ``data`` to ``out_dir/name`` atomically and return the path."""
        dest = self.path_for(name)
        if dest in self.written and self.written[dest] != owner:
            raise ValueError(f"{name} is written by both {self.written[dest]} and {owner}")
        try:
            if dest.is_dir():
                raise IsADirectoryError(21, "a folder has its name; move the folder away")
            dest.parent.mkdir(parents=True, exist_ok=True)
            _remove_orphans(dest)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
                if self.staged is None:
                    os.replace(tmp, dest)
                else:
                    self.staged.append((tmp, dest))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            self.discard()
            raise _cannot_write(dest, exc) from None
        self.written[dest] = owner
        return dest

    def commit(self) -> None:
        """Put every staged file in place."""
        for tmp, dest in self.staged or ():
            try:
                os.replace(tmp, dest)
            except OSError as exc:
                self.discard()
                raise _cannot_write(dest, exc) from None
        self.staged = []
        atexit.unregister(self.discard)

    def discard(self) -> None:
        """Remove the staged files that are not in place yet."""
        for tmp, _ in self.staged or ():
            Path(tmp).unlink(missing_ok=True)
        self.staged = [] if self.staged is not None else None


def _cannot_write(dest: Path, exc: OSError) -> PrintgenError:
    return PrintgenError.of(Diagnostic(str(dest), None, "output", f"cannot write the file ({exc.strerror or exc})"))


def _remove_orphans(dest: Path) -> None:
    """Delete temporary files of ``dest`` left by processes that no longer run."""
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
