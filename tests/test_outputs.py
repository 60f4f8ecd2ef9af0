"""-o PATH through the installed `enforce`, for every command that writes: nothing a user points it at is
destroyed, and every write error is one `error:` line with exit 4 (README, "Writing outputs")."""

import contextlib
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import threading
from typing import NamedTuple

import pytest

from conftest import SAMPLES, enforce_exe

SAMPLE = SAMPLES / "dongli_narrative.txt"
EXIT_OUTPUT = 4

# Each command that takes -o, as (name, arguments before -o); its file must hold what it prints without -o.
WRITERS = {
    "parse": ["parse", SAMPLE],
    "validate": ["validate", SAMPLE, "--format", "json"],
    "review": ["review", SAMPLE],
}
# The listing commands write through the same emit(); each is checked on a symlink and a missing folder.
LISTINGS = {"schema": ["schema"], "fields": ["fields"], "rules": ["rules", "K201", "--format", "json"]}


class Writer(NamedTuple):
    args: list
    expected: bytes   # what the command prints to stdout without -o

    def run(self, path, *, cwd=None, preexec_fn=None):
        return subprocess.run([enforce_exe(), *map(str, self.args), "-o", str(path)], capture_output=True,
                              cwd=cwd, preexec_fn=preexec_fn, env={**os.environ, "NO_COLOR": "1"})


def _writer(args) -> Writer:
    plain = subprocess.run([enforce_exe(), *map(str, args)], capture_output=True,
                           env={**os.environ, "NO_COLOR": "1"})
    assert plain.returncode in (0, 1) and plain.stdout, plain.stderr
    return Writer(args, plain.stdout)


@pytest.fixture(scope="module", params=sorted(WRITERS))
def writer(request):
    """Module-wide: each command's stdout is computed once, not once per test."""
    return _writer(WRITERS[request.param])


def _one_error_line(proc, *fragments) -> None:
    assert proc.returncode == EXIT_OUTPUT, proc.stderr
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(("warning:", "  "))]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: cannot write "), err
    assert all(f in errors[0] for f in fragments), err
    assert proc.stdout == b""


def _no_temp_files(root) -> None:
    assert not [p for p in root.rglob("*") if p.name.startswith(".enforce-") and p.name.endswith(".tmp")]


# ---------------------------------------------------------------- what -o may point at

def test_regular_file_is_replaced_and_keeps_its_mode(writer, tmp_path):
    run, expected = writer.run, writer.expected
    target = tmp_path / "out"
    target.write_text("old")
    target.chmod(0o640)
    assert run(target).returncode in (0, 1)
    assert target.read_bytes() == expected
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_symlink_updates_its_target_and_stays_a_link(writer, tmp_path):
    run, expected = writer.run, writer.expected
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "out"
    target.write_text("old")
    link = tmp_path / "link"
    link.symlink_to("real/out")   # relative: resolved from the link's folder, not the working directory
    assert run(link, cwd=SAMPLES).returncode in (0, 1)
    assert link.is_symlink() and os.readlink(link) == "real/out"
    assert target.read_bytes() == expected
    _no_temp_files(tmp_path)
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["out"]


@pytest.mark.parametrize("command", sorted(LISTINGS))
def test_listing_commands_write_by_the_same_rules(tmp_path, command):
    writer = _writer(LISTINGS[command])
    (tmp_path / "target").write_text("old")
    (tmp_path / "link").symlink_to("target")
    assert writer.run(tmp_path / "link").returncode == 0
    assert (tmp_path / "link").is_symlink() and (tmp_path / "target").read_bytes() == writer.expected
    _one_error_line(writer.run(tmp_path / "no" / "x"), "No such file or directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "target"]


def test_symlink_chain_updates_the_last_target(writer, tmp_path):
    run, expected = writer.run, writer.expected
    target = tmp_path / "target"
    target.write_text("old")
    (tmp_path / "middle").symlink_to(target)
    (tmp_path / "first").symlink_to(tmp_path / "middle")
    assert run(tmp_path / "first").returncode in (0, 1)
    assert (tmp_path / "first").is_symlink() and (tmp_path / "middle").is_symlink()
    assert target.read_bytes() == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first", "middle", "target"]


def test_dangling_symlink_creates_its_target(writer, tmp_path):
    run, expected = writer.run, writer.expected
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "new")
    assert run(link).returncode in (0, 1)
    assert link.is_symlink() and (tmp_path / "new").read_bytes() == expected


def test_dangling_symlink_into_a_missing_folder_is_an_error(writer, tmp_path):
    run = writer.run
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "gone" / "new")
    _one_error_line(run(link), str(link), "a link to", "No such file or directory")
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_symlink_loop_is_an_error(writer, tmp_path):
    run = writer.run
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    _one_error_line(run(tmp_path / "a"), "symbolic links")
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_fifo_is_written_in_place_and_stays_a_fifo(writer, tmp_path):
    run, expected = writer.run, writer.expected
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run(fifo)
    reader.join(timeout=30)
    assert proc.returncode in (0, 1), proc.stderr
    assert received == [expected]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_character_device_is_written_in_place_and_stays_a_device(writer, tmp_path):
    """A null device of our own in tmp_path (what `-o /dev/null` would do, without touching /dev)."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    proc = writer.run(device)
    assert proc.returncode in (0, 1), proc.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode) and os.lstat(device).st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_socket_is_refused_and_stays_a_socket(writer, tmp_path):
    run = writer.run
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        _one_error_line(run(path), str(path), "socket")
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sock"]


# ---------------------------------------------------------------- write errors: one line, exit 4

def test_missing_folder(writer, tmp_path):
    run = writer.run
    _one_error_line(run(tmp_path / "no" / "such" / "x"), "No such file or directory")
    assert list(tmp_path.iterdir()) == []


def test_directory_as_path(writer, tmp_path):
    (tmp_path / "keep").write_text("kept")
    if writer.args[0] == "review":   # review -o DIR writes DIR/NAME.html (docs/review.md): make that a folder
        (tmp_path / (SAMPLE.name + ".html")).mkdir()
    _one_error_line(writer.run(tmp_path), "Is a directory")
    assert (tmp_path / "keep").read_text() == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["keep"] + [SAMPLE.name + ".html"] * (
        writer.args[0] == "review"))


def test_path_under_a_regular_file(writer, tmp_path):
    run = writer.run
    (tmp_path / "file.txt").write_text("kept")
    _one_error_line(run(tmp_path / "file.txt" / "x.json"), "Not a directory")
    assert (tmp_path / "file.txt").read_text() == "kept"


@contextlib.contextmanager
def _unwritable(folder):
    """A folder this process cannot create files in: mode 0500, or for root (who bypasses modes) the
    immutable attribute, which binds root too; skipped where neither can be set (tmpfs, no chattr)."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        undo = ["chmod", "700", str(folder)]
    elif shutil.which("chattr") and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
        undo = ["chattr", "-i", str(folder)]
    else:
        pytest.skip("running as root on a file system without the immutable attribute: nothing is unwritable")
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


def test_unwritable_folder(writer, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    with _unwritable(locked):
        proc = writer.run(locked / "x")
    _one_error_line(proc, "permitted" if os.geteuid() == 0 else "Permission denied")
    assert list(locked.iterdir()) == []


def _file_size_limit(limit: int):
    """Child setup: writes past `limit` bytes fail with EFBIG, as a full disk fails with ENOSPC (no test
    can fill a real disk); SIGXFSZ ignored so the write returns the error instead of killing the process.
    Root is bound by it too."""
    def setup():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return setup


def test_a_write_that_fails_halfway_keeps_the_old_file_and_leaves_no_temp_file(writer, tmp_path):
    target = tmp_path / "out"
    target.write_text("old")
    proc = writer.run(target, preexec_fn=_file_size_limit(len(writer.expected) // 2))
    _one_error_line(proc, str(target), "too large")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ---------------------------------------------------------------- batch and review DIR: many outputs

@pytest.fixture
def three_reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_bytes(SAMPLE.read_bytes())
    return folder


def _json_files(out) -> dict:
    import json

    return {p.name: json.loads(p.read_text(encoding="utf-8"))["source"]["path"]
            for p in out.iterdir() if p.is_file() and p.suffix == ".json"}


def test_batch_output_that_cannot_be_written_does_not_stop_the_others(run_enforce, three_reports, tmp_path):
    import json

    out = tmp_path / "out"
    (out / "b.json").mkdir(parents=True)
    proc = run_enforce("batch", three_reports, "-o", out, "-q")
    assert proc.returncode == 1, proc.stderr
    assert _json_files(out) == {"a.json": "a.txt", "c.json": "c.txt"}
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert errors == [{"path": "b.txt", "error": "output",
                       "reason": f"cannot write {out / 'b.json'}: Is a directory"}]
    assert len((out / "reports.jsonl").read_text(encoding="utf-8").splitlines()) == 2
    _no_temp_files(tmp_path)


def test_batch_outputs_that_fail_halfway_leave_no_partial_file(three_reports, tmp_path):
    """Each record is ~20 kB; 16 kB of file size lets the small aggregate files through, no record."""
    out = tmp_path / "out"
    proc = subprocess.run([enforce_exe(), "batch", str(three_reports), "-o", str(out), "-q"],
                          capture_output=True, preexec_fn=_file_size_limit(16000))
    assert proc.returncode == 1, proc.stderr
    assert _json_files(out) == {}
    assert (out / "errors.jsonl").read_text(encoding="utf-8").count('"error": "output"') == 3
    assert "File too large" in (out / "errors.jsonl").read_text(encoding="utf-8")
    _no_temp_files(tmp_path)


@pytest.mark.parametrize("blocked", ["reports.jsonl", "summary.csv", "errors.jsonl", "manifest.jsonl",
                                     ".enforce-batch.lock"])
def test_batch_file_of_its_own_that_cannot_be_written_is_exit_4(run_enforce, three_reports, tmp_path, blocked):
    out = tmp_path / "out"
    (out / blocked).mkdir(parents=True)
    proc = run_enforce("batch", three_reports, "-o", out, "-q")
    assert proc.returncode == EXIT_OUTPUT and proc.stdout == b""
    assert proc.stderr.decode("utf-8").startswith("error: cannot ") and b"Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and blocked.encode() in proc.stderr
    _no_temp_files(tmp_path)


@pytest.mark.parametrize("make_out", [
    pytest.param(lambda tmp: tmp / "file.txt", id="a-file"),
    pytest.param(lambda tmp: tmp / "file.txt" / "out", id="under-a-file"),
])
def test_batch_output_folder_that_cannot_be_made_is_exit_4(run_enforce, three_reports, tmp_path, make_out):
    (tmp_path / "file.txt").write_text("kept")
    proc = run_enforce("batch", three_reports, "-o", make_out(tmp_path), "-q")
    _one_error_line(proc)
    assert (tmp_path / "file.txt").read_text() == "kept"


def test_batch_symlinked_aggregate_file_updates_its_target(run_enforce, three_reports, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "shared.jsonl").write_text("old\n")
    (out / "reports.jsonl").symlink_to("../shared.jsonl")
    assert run_enforce("batch", three_reports, "-o", out, "-q").returncode == 0
    assert (out / "reports.jsonl").is_symlink()
    assert len((tmp_path / "shared.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_review_dir_page_that_cannot_be_written_does_not_stop_the_others(run_enforce, three_reports, tmp_path):
    out = tmp_path / "out"
    (out / "b.txt.html").mkdir(parents=True)
    proc = run_enforce("review", three_reports, "-o", out)
    assert proc.returncode == 1
    assert proc.stderr.decode("utf-8").splitlines() == [f"error: cannot write {out / 'b.txt.html'}: Is a directory"]
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["a.txt.html", "c.txt.html", "index.html"]
    _no_temp_files(tmp_path)


def test_review_dir_index_that_cannot_be_written_is_exit_4(run_enforce, three_reports, tmp_path):
    out = tmp_path / "out"
    (out / "index.html").mkdir(parents=True)
    _one_error_line(run_enforce("review", three_reports, "-o", out), "index.html", "Is a directory")
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["a.txt.html", "b.txt.html", "c.txt.html"]
    _no_temp_files(tmp_path)
