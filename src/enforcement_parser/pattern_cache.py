"""A per-user cache of compiled patterns, so that a cold `enforce parse` does not compile them again.

Compiling the ~100 patterns of the engine costs ~25 ms of every process (the `regex` module
parses patterns in Python). A compiled `regex` pattern pickles with its compiled code, and
unpickling it skips the compiler (~0.03 ms instead of ~0.3 ms a pattern). The first run writes
the patterns it compiled to one file; later runs read it.

- Where: $ENFORCE_CACHE_DIR, else $XDG_CACHE_HOME/enforcement-parser, else ~/.cache/enforcement-parser.
  ENFORCE_NO_CACHE=1 turns the cache off. Deleting the directory is always safe.
- The file name carries the package's and `regex`'s versions and the interpreter's cache tag:
  another version never reads it. A pattern read back must have the source text it was stored under.
- The directory must be trusted, like `__pycache__`: a compiled pattern carries matcher code
  that `regex` does not verify. So the file is read only when it belongs to this user and no one
  else may write it, and only when the checksum written with it matches (a damaged file is
  ignored, never run); unpickling may build nothing but compiled patterns.
- Written at exit when something new was compiled, atomically (temporary file, then rename);
  any error (read-only home, full disk, damaged file) just means compiling again. Pattern texts
  are built deterministically, so a warm cache stays unchanged from run to run.
"""

from __future__ import annotations

import atexit
import functools
import marshal
import os
import sys
import zlib

import regex

MAX_ENTRIES = 512    # the engine has ~100 patterns; a bound in case a new one is built per document
_ALLOWED = {("regex._regex", "compile")}

_stored: dict | None = None     # (pattern, flags) -> pickled compiled pattern, as read from disk
_new: dict = {}                 # compiled in this process and not stored yet
_registered: list = []          # whether save() is registered to run at exit


def enabled() -> bool:
    """Off when ENFORCE_NO_CACHE is set to anything but empty or 0."""
    return os.environ.get("ENFORCE_NO_CACHE", "") in ("", "0")


def cache_dir() -> str:
    explicit = os.environ.get("ENFORCE_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "enforcement-parser")


def cache_file() -> str:
    from . import __version__

    return os.path.join(cache_dir(), f"patterns-{__version__}-{regex.__version__}-{sys.implementation.cache_tag}.bin")


def get(pattern: str, flags: int) -> "regex.Pattern | None":
    """The cached compiled pattern, or None (not cached, cache off, or unreadable)."""
    if not enabled():
        return None
    blob = _load().get((pattern, flags))
    if blob is None:
        return None
    try:
        compiled = _unpickle(blob)
    except Exception:   # a damaged or foreign entry: compile instead
        return None
    return compiled if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern else None


def put(pattern: str, flags: int, compiled: "regex.Pattern") -> None:
    """Remember a pattern compiled in this process; it is stored at exit."""
    if not enabled() or len(_load()) + len(_new) >= MAX_ENTRIES:
        return
    import pickle

    if not _registered:
        atexit.register(save)
        _registered.append(True)
    _new[(pattern, flags)] = pickle.dumps(compiled, protocol=4)


def save() -> None:
    """Write the stored and new entries to the cache file (atomically), if there are new ones."""
    if not _new:
        return
    entries = {**_load(), **_new}
    path = cache_file()
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        payload = marshal.dumps(entries)
        with open(tmp, "wb") as fh:
            fh.write(zlib.crc32(payload).to_bytes(4, "big") + payload)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return
    _new.clear()
    _stored.update(entries)


def _load() -> dict:
    global _stored
    if _stored is None:
        _stored = {}
        data = _read_trusted(cache_file())
        if isinstance(data, dict):
            _stored = {k: v for k, v in data.items()
                       if isinstance(k, tuple) and len(k) == 2 and isinstance(v, bytes)}
    return _stored


def _read_trusted(path: str):
    """The marshalled entries, or None: missing, not this user's, writable by others, or damaged."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            blob = fh.read()
    except OSError:
        return None
    header, payload = blob[:4], blob[4:]
    if len(header) < 4 or int.from_bytes(header, "big") != zlib.crc32(payload):
        return None
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None


def _unpickle(blob: bytes):
    import io

    return _restricted_unpickler()(io.BytesIO(blob)).load()


@functools.cache
def _restricted_unpickler():
    """An Unpickler that can build nothing but compiled patterns."""
    import pickle

    class Restricted(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            if (module, name) not in _ALLOWED:
                raise pickle.UnpicklingError(f"{module}.{name} is not a compiled pattern")
            return super().find_class(module, name)

    return Restricted
