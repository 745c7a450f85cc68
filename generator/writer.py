"""The only code that writes into the output folder, and reads printgen's files back from it.

The output folder is a transaction (:class:`OutputWriter`, used as a context manager):

- One run at a time: the folder is locked (``flock`` on the folder itself) from the moment a
  run reads what is there until its files are in place; a second run waits for the first.
- Nothing is in place until everything is written: each file is written to a hidden temporary
  name beside its destination (``.NAME.PID.RANDOM.tmp``); :meth:`OutputWriter.commit` then
  records the renames in ``.printgen/commit.json`` and makes them, with Ctrl+C and SIGTERM
  held back until the last one. A run killed outright (SIGKILL, power loss) while renaming
  leaves that record, and the next run in the folder completes the renames before anything
  else. A run that fails or stops before the commit removes its temporary files.
- Links and special files are never followed or opened: a folder printgen writes into that is a
  link is replaced by a real folder (the link's target is not touched), a destination that is a
  link or a FIFO is replaced by the new file, and :func:`read_output` reads only regular files
  reached without a link.
"""

from __future__ import annotations

import atexit
import errno
import json
import os
import re
import signal
import stat
import tempfile
from pathlib import Path
from typing import Callable

from generator.errors import Diagnostic, PrintgenError
from generator.i18n import N_, _

JOURNAL = ".printgen/commit.json"
_TEMPORARY = re.compile(r"\..+\.\d+\.[^.]+\.tmp")  # .NAME.PID.RANDOM.tmp
MAX_READ = 200_000_000  # bytes: nothing printgen writes is near this


class OutputWriter:
    """Writes files under ``out_dir``: staged by :meth:`write`, put in place by :meth:`commit`.

    Use it as a context manager: entering locks the folder (``on_wait(message)`` is called if
    another run holds it) and completes a commit an earlier run could not finish; leaving it
    removes what was staged and not committed, and the folder if this run made it and left it
    empty.
    """

    def __init__(self, out_dir: Path, *, on_wait: Callable[[str], None] = lambda _: None):
        self.out_dir = Path(out_dir)
        self.on_wait = on_wait
        self.written: dict[Path, str] = {}
        self.staged: list[tuple[Path, Path]] = []
        self._lock_fd: int | None = None
        self._made: list[Path] = []  # folders this run made, to remove again if left empty

    # --- the lock ------------------------------------------------------------------------------

    def __enter__(self) -> "OutputWriter":
        try:
            if not self.out_dir.is_dir():
                missing = [p for p in (self.out_dir, *self.out_dir.parents) if not p.exists()]
                self.out_dir.mkdir(parents=True)
                self._made += reversed(missing)
            self._lock()
            self._finish_interrupted_commit()
        except OSError as exc:
            self.__exit__(None, None, None)
            raise os_error(exc, self.out_dir) from None
        except BaseException:
            self.__exit__(None, None, None)
            raise
        atexit.register(self.discard)  # a stop between writes: no temporary file is left behind
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()
        atexit.unregister(self.discard)
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None
        for folder in reversed(self._made):
            try:
                folder.rmdir()  # only if this run left it empty
            except OSError:
                pass

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no flock; runs there are not kept apart
            return
        self._lock_fd = os.open(self.out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.on_wait(_("{folder}: another printgen run is writing here; waiting for it (Ctrl+C stops)").format(folder=self.out_dir))
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)

    # --- writing -------------------------------------------------------------------------------

    def path_for(self, name: str) -> Path:
        """The destination of ``name`` (a relative path with '/' separators) inside ``out_dir``."""
        parts = name.split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") or "\\" in p or ":" in p for p in parts):
            raise ValueError(f"unsafe output file name {name!r}")
        return self.out_dir.joinpath(*parts)

    def write(self, name: str, data: bytes, *, owner: str = "") -> Path:
        """Stage ``data`` for ``out_dir/name`` and return that path (in place after :meth:`commit`)."""
        dest = self.path_for(name)
        if dest in self.written and self.written[dest] != owner:
            raise ValueError(f"{name} is written by both {self.written[dest]} and {owner}")
        try:
            self._real_folder(dest.parent)
            info = _lstat(dest)
            if info is not None and stat.S_ISDIR(info.st_mode):
                raise PrintgenError.of(Diagnostic(str(dest), None, "output", _("cannot write the file (a folder has its name; move the folder away)")))
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=".tmp", dir=dest.parent)
            self.staged.append((Path(tmp), dest))
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        except OSError as exc:
            self.discard()
            raise os_error(exc, dest) from None
        self.written[dest] = owner
        return dest

    def _real_folder(self, folder: Path) -> None:
        """Make ``folder`` (inside ``out_dir``) and each folder between, as real folders: a link
        there is replaced by a folder, never written through."""
        current = self.out_dir
        for part in folder.relative_to(self.out_dir).parts:
            current = current / part
            info = _lstat(current)
            if info is not None and stat.S_ISLNK(info.st_mode):
                os.unlink(current)  # the link only; what it points to is left alone
                info = None
            if info is None:
                os.mkdir(current)
                self._made.append(current)
            elif not stat.S_ISDIR(info.st_mode):
                raise PrintgenError.of(Diagnostic(str(current), None, "output",
                                                  _("cannot make the folder (a file has its name; move the file away)")))

    # --- committing ----------------------------------------------------------------------------

    def commit(self) -> None:
        """Put every staged file in place: all of them, or (killed midway) the next run does."""
        if not self.staged:
            return
        journal = self.path_for(JOURNAL)
        pairs = []
        for tmp, dest in self.staged:  # as names in the folder (tmp sits beside dest)
            name = dest.relative_to(self.out_dir).as_posix()
            pairs.append((name.rpartition("/")[0] + "/" + tmp.name if "/" in name else tmp.name, name))
        held = {signal.SIGINT, signal.SIGTERM}
        blocked = hasattr(signal, "pthread_sigmask")
        try:
            self._real_folder(journal.parent)
            replace_file(journal, json.dumps(pairs).encode())
            if blocked:
                signal.pthread_sigmask(signal.SIG_BLOCK, held)  # a stop now takes effect once all are in place
            try:
                for tmp, dest in self.staged:
                    os.replace(tmp, dest)
                self.staged = []
                os.unlink(journal)
            finally:
                if blocked:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
        except OSError as exc:
            raise os_error(exc, self.out_dir) from None

    def _finish_interrupted_commit(self) -> None:
        """Complete the renames a killed run recorded, and remove temporary files left by runs
        that stopped before committing (this run holds the lock: no other run owns them)."""
        journal = self.path_for(JOURNAL)
        if not _real_folders(self.out_dir, journal.parent):
            return  # .printgen is a link or a file: the writer replaces it when it writes there
        data = read_output(self.out_dir, JOURNAL)
        if data is not None:
            try:
                pairs = [(self.path_for(t), self.path_for(d)) for t, d in json.loads(data)]
            except (ValueError, TypeError, AttributeError):
                pairs = []  # not a record printgen wrote: nothing to complete
            for tmp, dest in pairs:
                info = _lstat(tmp)
                if info is not None and stat.S_ISREG(info.st_mode) and _TEMPORARY.fullmatch(tmp.name) and _real_folders(self.out_dir, tmp.parent):
                    self._real_folder(dest.parent)
                    os.replace(tmp, dest)
        if _lstat(journal) is not None:
            os.unlink(journal)
        for folder, _folders, files in os.walk(self.out_dir):  # os.walk follows no links
            for name in files:
                if _TEMPORARY.fullmatch(name):
                    os.unlink(os.path.join(folder, name))

    def discard(self) -> None:
        """Remove the staged files that are not in place."""
        for tmp, _dest in self.staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self.staged = []


def read_output(out_dir: Path, name: str) -> bytes | None:
    """The bytes of ``out_dir/name`` if it is a regular file reached without a link (``None``
    otherwise: missing, a link, a FIFO, a folder, unreadable). Never blocks, never follows."""
    path = Path(out_dir).joinpath(*name.split("/"))
    return read_regular(path) if _real_folders(Path(out_dir), path.parent) else None


def _real_folders(out_dir: Path, folder: Path) -> bool:
    """Whether ``folder`` and every folder between it and ``out_dir`` is a real folder (no link)."""
    current = out_dir
    for part in folder.relative_to(out_dir).parts:
        current = current / part
        info = _lstat(current)
        if info is None or not stat.S_ISDIR(info.st_mode):
            return False
    return True


def read_regular(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is itself a regular file (not a link, FIFO or device), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_READ:
            return None
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def replace_file(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file beside it and a rename: readers see the old
    bytes or the new, never a part, and a link or FIFO there is replaced, not written through."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


# What to do about an OS error, by its errno.
ADVICE = {
    errno.ENOSPC: N_("the disk is full; free some space and run again"),
    errno.EDQUOT: N_("the disk quota is used up; free some space and run again"),
    errno.EACCES: N_("no permission; check who owns the folder, or choose another --out"),
    errno.EPERM: N_("not permitted; check who owns the folder, or choose another --out"),
    errno.EROFS: N_("the disk is read-only; choose another --out"),
    errno.ENAMETOOLONG: N_("the path is too long; use a shorter folder name"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.EISDIR: N_("a folder has that name; move it away"),
    errno.ELOOP: N_("too many links in the path"),
}


def os_error(exc: OSError, path: Path | str | None = None) -> PrintgenError:
    """One message for an OS error: the path it concerns, what went wrong and what to do."""
    where = exc.filename if exc.filename is not None else path
    return PrintgenError.of(Diagnostic(str(where) if where is not None else "printgen", None, "file", explain(exc)))


def explain(exc: OSError) -> str:
    """What went wrong, and what to do about it when we know (``No space left on device; the
    disk is full; …``)."""
    advice = ADVICE.get(exc.errno)
    return (exc.strerror or str(exc)) + (f"; {_(advice)}" if advice else "")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
