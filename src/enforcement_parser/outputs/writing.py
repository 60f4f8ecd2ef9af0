"""Every file a command writes goes through open_output(): nothing a user points -o at is destroyed.

- a regular file (or a new name) is written atomically: a temporary file beside it, renamed over it,
  so a reader never sees half a file and a failed write leaves the old content and no temporary file;
- a symlink (or a chain of them) is resolved and its final target written that way, so the link stays
  a link and points at the new content; a dangling link creates its target if the target's folder exists;
- an existing FIFO or character/block device is written in place (opened for writing, never renamed
  over or truncated), so `-o /dev/stdout` or a named pipe work and `-o /dev/null` stays a device;
- a socket or a directory is refused.

Every failure is an OutputError naming the path (exit 4): no traceback, no half-written file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
import tempfile
from collections.abc import Iterator
from typing import TextIO

from ..errors import OutputError

TEMP_PREFIX, TEMP_SUFFIX = ".enforce-", ".tmp"


def write_output(path: str, text: str, *, encoding: str = "utf-8", newline: str | None = "\n") -> None:
    """Write text to path by open_output()'s rules."""
    with open_output(path, encoding=encoding, newline=newline) as fh:
        fh.write(text)


@contextlib.contextmanager
def open_output(path: str, *, encoding: str = "utf-8", newline: str | None = "\n") -> Iterator[TextIO]:
    """A text stream to path, committed when the block ends without error (see the module docstring)."""
    with writing(path):
        target, in_place = destination(path)
        opened = _open_in_place(target, encoding, newline) if in_place else _atomic(target, encoding, newline)
        with opened as fh:
            yield fh


@contextlib.contextmanager
def writing(path: str) -> Iterator[None]:
    """Turn an OSError in the block into the one OutputError message; also for the writes that are not
    whole files (batch's lock and append-only journal)."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write {path}{_link_note(path, exc)}: {exc.strerror or exc}") from None


def destination(path: str) -> tuple[str, bool]:
    """(the file to write, whether to write it in place); raises OSError for what cannot be written.

    os.stat follows links the way the kernel does (including /proc's fd links, which realpath cannot
    resolve), so only regular files and absent names are resolved with realpath.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:   # a new name, or a dangling link: create its final target
        return os.path.realpath(path), False
    if stat.S_ISREG(mode):
        return os.path.realpath(path), False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
    if stat.S_ISSOCK(mode):
        raise OSError(errno.ENXIO, "is a socket")
    return path, True   # FIFO, character or block device


def _open_in_place(path: str, encoding: str, newline: str | None) -> TextIO:
    """No O_CREAT (it exists), no O_TRUNC (a device or pipe has nothing to truncate)."""
    fd = os.open(path, os.O_WRONLY)
    return os.fdopen(fd, "w", encoding=encoding, newline=newline)


@contextlib.contextmanager
def _atomic(target: str, encoding: str, newline: str | None) -> Iterator[TextIO]:
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=os.path.dirname(target))
    try:
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(target: str) -> int:
    """A replaced file keeps its permissions; a new one gets the usual 0666 minus the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return _new_file_mode()


@functools.cache
def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _link_note(path: str, exc: OSError) -> str:
    """For a symlink, say where it leads: the error is about the target, not the name typed."""
    if exc.errno == errno.ELOOP or not os.path.islink(path):
        return ""
    return f" (a link to {os.path.realpath(path)})"
