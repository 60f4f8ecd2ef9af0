"""The per-user cache of compiled patterns: same matches as compiling, and never a failure of its own."""

import os
import pickle
import subprocess

import pytest
import regex

from conftest import SAMPLES, enforce_exe
from enforcement_parser import pattern_cache

PATTERN = r"(?P<n>\d+)\s*(?:件|起)|行政(处罚|许可)"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh, empty cache in tmp_path, as a new process would see it."""
    monkeypatch.setenv("ENFORCE_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("ENFORCE_NO_CACHE", raising=False)
    _new_process(monkeypatch)
    return tmp_path


def _new_process(monkeypatch):
    """Forget what this process read and compiled, as the next process starts out."""
    monkeypatch.setattr(pattern_cache, "_stored", None)
    monkeypatch.setattr(pattern_cache, "_new", {})


def test_a_stored_pattern_comes_back_and_matches_alike(cache, monkeypatch):
    compiled = regex.compile(PATTERN, regex.V0)
    assert pattern_cache.get(PATTERN, 0) is None
    pattern_cache.put(PATTERN, 0, compiled)
    pattern_cache.save()
    assert os.path.exists(pattern_cache.cache_file())
    _new_process(monkeypatch)
    back = pattern_cache.get(PATTERN, 0)
    assert back is not None and back.pattern == PATTERN
    for text in ["行政许可3件", "共12起", "无", "行政处罚 7 件"]:
        assert [m.span() for m in back.finditer(text)] == [m.span() for m in compiled.finditer(text)]


def test_nothing_is_written_when_nothing_new_was_compiled(cache):
    pattern_cache.save()
    assert not os.path.exists(pattern_cache.cache_file())


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("ENFORCE_NO_CACHE", "1")
    pattern_cache.put(PATTERN, 0, regex.compile(PATTERN))
    pattern_cache.save()
    assert not os.listdir(cache)
    assert pattern_cache.get(PATTERN, 0) is None


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage", b"\xda" * 100])
def test_a_damaged_file_is_ignored(cache, content):
    with open(pattern_cache.cache_file(), "wb") as fh:
        fh.write(content)
    assert pattern_cache.get(PATTERN, 0) is None


class _Touch:
    """Unpickling this creates a file: the side effect a restricted unpickler must prevent."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def test_a_tampered_entry_runs_nothing(cache, monkeypatch, tmp_path):
    marker = tmp_path / "tampered"
    monkeypatch.setattr(pattern_cache, "_stored", {(PATTERN, 0): pickle.dumps(_Touch(marker))})
    assert pattern_cache.get(PATTERN, 0) is None
    assert not marker.exists()


@pytest.mark.parametrize("blob", [
    pickle.dumps(regex.compile("other pattern")),             # stored under the wrong source text
    pickle.dumps("not a pattern"),
    b"truncated",
])
def test_an_entry_that_is_not_this_compiled_pattern_is_refused(cache, monkeypatch, blob):
    monkeypatch.setattr(pattern_cache, "_stored", {(PATTERN, 0): blob})
    assert pattern_cache.get(PATTERN, 0) is None


def test_an_unwritable_cache_directory_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ENFORCE_CACHE_DIR", str(blocker / "sub"))    # a directory under a file
    _new_process(monkeypatch)
    pattern_cache.put(PATTERN, 0, regex.compile(PATTERN))
    pattern_cache.save()                                      # must not raise
    assert pattern_cache.get(PATTERN, 0) is None


def test_the_cache_stops_growing_at_its_cap(cache, monkeypatch):
    monkeypatch.setattr(pattern_cache, "MAX_ENTRIES", 3)
    for i in range(10):
        pattern_cache.put(f"a{i}", 0, regex.compile(f"a{i}"))
    pattern_cache.save()
    _new_process(monkeypatch)
    assert len(pattern_cache._load()) == 3


def test_cache_location(monkeypatch):
    monkeypatch.delenv("ENFORCE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert pattern_cache.cache_dir() == "/x/cache/enforcement-parser"
    monkeypatch.setenv("ENFORCE_CACHE_DIR", "/y")
    assert pattern_cache.cache_dir() == "/y"
    assert regex.__version__ in pattern_cache.cache_file()


def test_cli_output_is_the_same_with_an_empty_a_warm_and_no_cache(tmp_path):
    sample = SAMPLES / "yubei_markdown.txt"

    def run(**env):
        return subprocess.run([enforce_exe(), "parse", str(sample)], capture_output=True,
                              env={**os.environ, "ENFORCE_CACHE_DIR": str(tmp_path), **env}, check=True).stdout

    first = run()
    assert os.listdir(tmp_path), "the first run writes the cache"
    assert run() == first
    assert run(ENFORCE_NO_CACHE="1") == first


def _stored_file(cache, monkeypatch) -> str:
    pattern_cache.put(PATTERN, 0, regex.compile(PATTERN, regex.V0))
    pattern_cache.save()
    _new_process(monkeypatch)
    return pattern_cache.cache_file()


def test_a_file_damaged_inside_is_never_unpickled(cache, monkeypatch):
    """A flipped byte anywhere (a compiled pattern's code included) fails the checksum: the file is
    ignored, never handed to regex, whose compiled code is not verified."""
    path = _stored_file(cache, monkeypatch)
    blob = bytearray(open(path, "rb").read())
    for i in (0, 10, len(blob) // 2, len(blob) - 1):
        damaged = bytearray(blob)
        damaged[i] ^= 0x5A
        with open(path, "wb") as fh:
            fh.write(damaged)
        _new_process(monkeypatch)
        assert pattern_cache.get(PATTERN, 0) is None


def test_a_file_others_may_write_is_not_read(cache, monkeypatch):
    path = _stored_file(cache, monkeypatch)
    assert pattern_cache.get(PATTERN, 0) is not None
    os.chmod(path, 0o666)
    _new_process(monkeypatch)
    assert pattern_cache.get(PATTERN, 0) is None


def test_a_warm_cache_is_left_unchanged(tmp_path):
    """Pattern texts are built deterministically: whatever the hash seed, a second run finds every
    pattern and writes nothing (a set's order in a pattern once made every run add an entry)."""
    sample = SAMPLES / "yubei_markdown.txt"

    def run(seed):
        subprocess.run([enforce_exe(), "parse", str(sample)], capture_output=True, check=True,
                       env={**os.environ, "ENFORCE_CACHE_DIR": str(tmp_path), "PYTHONHASHSEED": seed})

    run("1")
    (path,) = tmp_path.iterdir()
    before = path.read_bytes()
    run("2")
    run("3")
    assert path.read_bytes() == before
