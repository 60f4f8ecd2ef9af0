"""Convert a directory tree of reports into one JSON record per input, plus JSONL, CSV and error lists.

The per-file JSON and an append-only manifest are the only state; everything else (reports.jsonl,
summary.csv, errors.jsonl, the compacted manifest) is rebuilt at the end by streaming over the sorted
inputs, so a run that was killed and resumed ends with the same bytes as one that never stopped.
"""

from __future__ import annotations

import contextlib
import csv
import fnmatch
import functools
import hashlib
import heapq
import json
import os
import stat
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..api import parse_bytes, read_input
from ..errors import EnforceError, InputError, OutputError, UsageError
from ..files import DOCUMENT_EXTENSIONS, is_project_doc
from ..files.decoding import DEFAULT_MAX_BYTES
from ..files.ocr_run import CACHE_DIR, OcrPage, OcrRun
from ..knowledge.catalogue import fields
from ..outputs.database import ReportDB
from ..outputs.record import review_counts, value_at
from ..outputs.review_file import ReviewError, parse_reviewed, review_index
from ..outputs.writing import TEMP_PREFIX, TEMP_SUFFIX, open_output, writing
from ..version import __version__
from .batch_pool import Lost, Note, run_tasks, tell

DEFAULT_EXTENSIONS = frozenset({".txt", ".text", ".md", ".html", ".htm", *DOCUMENT_EXTENSIONS, ""})
REPORTS, SUMMARY, ERRORS, MANIFEST = "reports.jsonl", "summary.csv", "errors.jsonl", "manifest.jsonl"
LOCK = ".enforce-batch.lock"
REVIEW_INDEX = ".enforce-reviews.json"  # sha256 of an input -> its review file, for the workers
RESERVED = frozenset({REPORTS, SUMMARY, ERRORS, MANIFEST, LOCK, REVIEW_INDEX})
DEFAULT_TIMEOUT = 60.0
# Seconds a file read by OCR may take instead of --timeout: the 50 pages --max-pages allows at the 3-7 s a
# page measured on a quiet 2-core machine (docs/benchmark.md), with room for a busy one.
DEFAULT_OCR_TIMEOUT = 600.0
CSV_LEAD = {"path": ["file", "agency", "year", "kind", "missing_core", "verified", "corrected", "ocr_pages"],
            "zh": ["文件", "机关", "年度", "类型", "缺失核心字段数", "已核查字段数", "已更正字段数", "OCR页数"]}
CSV_LEAD_PATHS = ("agency.name", "report_year", "document.kind")


# ---------------------------------------------------------------- results and progress

@dataclass(frozen=True)
class Task:
    """One input for a worker: paths are relative to the roots, which travel along (they are short)."""

    rel: str
    out_rel: str
    in_root: str
    out_root: str
    max_bytes: int
    reuse_sha: str | None
    reuse_review: str | None = None
    review_index: str | None = None
    ocr_timeout: float | None = DEFAULT_OCR_TIMEOUT


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: converted, reused (unchanged since the last run) or failed."""

    rel: str
    out_rel: str
    status: str
    sha256: str | None = None
    error: str | None = None
    reason: str | None = None
    review: str | None = None
    ocr_pages: int | None = None   # pages of the input read by OCR (a scan)


@dataclass
class BatchSummary:
    files: int = 0
    converted: int = 0
    reused: int = 0
    with_warnings: int = 0
    failed: int = 0
    core_present: int = 0
    core_total: int = 0
    elapsed: float = 0.0
    out_dir: str = ""
    unmatched_reviews: list[str] = field(default_factory=list)
    ocr_recognised: int = 0   # scanned pages recognised by this run...
    ocr_cached: int = 0       # ...and taken from OUT_DIR/.ocr-cache instead

    @property
    def core_completeness(self) -> float | None:
        """Percent of core catalogue fields that have a value, over all converted reports."""
        return 100.0 * self.core_present / self.core_total if self.core_total else None

    @property
    def reports_per_second(self) -> float:
        """Newly converted reports per second of this run (reused ones cost almost nothing)."""
        return (self.converted - self.reused) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


class Progress:
    """Callbacks run_batch makes while it works; the CLI renders them. This base is silent."""

    def start(self, total: int, to_do: int) -> None:
        """`total` inputs were found; `to_do` of them are not known to be done already."""

    def advance(self, outcome: Outcome) -> None:
        """One input is finished (in completion order)."""

    def ocr_page(self, rel: str, page: OcrPage) -> None:
        """Input `rel` is read by OCR: where it stands (several inputs may be read at once)."""

    def finishing(self) -> None:
        """Every input is done; the aggregate files are being rebuilt."""


@dataclass
class _Plan:
    """Sorted inputs with their output names, plus paths the walk could not read."""

    items: list[tuple[str, str]] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- entry point

def run_batch(in_dir: str, out_dir: str, *, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
              include_docs: bool = False, jobs: int | None = None, max_bytes: int | None = None,
              timeout: float | None = DEFAULT_TIMEOUT, force: bool = False, header: str = "path",
              progress: Progress | None = None, reviews: str | None = None,
              db: str | None = None, ocr_timeout: float | None = DEFAULT_OCR_TIMEOUT) -> BatchSummary:
    """Convert every selected file under in_dir into out_dir and rebuild the aggregate files.

    `reviews` is a folder of NAME.review.json files, applied to the inputs whose sha256 they name;
    `db` a SQLite database brought in line with the records at the end (database.py); a file read by
    OCR gets `ocr_timeout` seconds instead of `timeout`, and its recognised pages are cached in
    out_dir/.ocr-cache.
    Raises UsageError for bad arguments; KeyboardInterrupt (or any exception) leaves only complete
    files behind, and running again resumes.
    """
    started = time.monotonic()
    progress = progress or Progress()
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if min(timeout or 0, max_bytes or 0, ocr_timeout or 0) < 0:
        raise UsageError("--timeout, --ocr-timeout and --max-bytes must not be negative")
    if header not in CSV_LEAD:
        raise UsageError(f"--header must be one of: {', '.join(CSV_LEAD)}")
    in_root, out_root = check_dirs(in_dir, out_dir)
    with _locked(out_root):
        _remove_temp_files(out_root)
        plan = plan_inputs(in_root, include, exclude, include_docs)
        manifest_path = os.path.join(out_root, MANIFEST)
        manifest = {} if force else load_manifest(manifest_path)
        tool = tool_fingerprint()
        review_index = write_review_index(out_root, reviews)
        database = open_database(db)
        tasks = (_task(rel, out_rel, in_root, out_root, max_bytes or DEFAULT_MAX_BYTES, manifest, tool,
                       review_index, ocr_timeout) for rel, out_rel in plan.items)
        progress.start(len(plan.items) + len(plan.problems), len(plan.items))
        outcomes = _convert_all(tasks, manifest_path, manifest, tool, min(jobs, len(plan.items)), timeout)
        reused, pages = 0, defaultdict(int)
        try:
            for outcome in outcomes:
                if isinstance(outcome, Note):
                    pages[outcome.body.cached] += outcome.body.done > 0
                    progress.ocr_page(outcome.task.rel, outcome.body)
                    continue
                reused += outcome.status == "reused"
                progress.advance(outcome)
        finally:
            outcomes.close()  # on Ctrl-C: stop the workers now, not when the traceback is freed
        progress.finishing()
        summary = rebuild_outputs(out_root, plan, manifest, header, database)
        write_manifest(manifest_path, plan, manifest)
        summary.unmatched_reviews = unmatched_reviews(review_index, manifest, plan)
    summary.reused = reused
    summary.ocr_recognised, summary.ocr_cached = pages[False], pages[True]
    summary.elapsed = time.monotonic() - started
    summary.out_dir = out_root
    return summary


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def check_dirs(in_dir: str, out_dir: str) -> tuple[str, str]:
    """Refuse directory pairs where outputs could land among the inputs; create out_dir."""
    if not os.path.isdir(in_dir):
        what = "does not exist" if not os.path.exists(in_dir) else "is not a directory"
        raise UsageError(f"input directory {in_dir} {what}")
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise OutputError(f"cannot write {out_dir}: exists and is not a directory")
    in_real, out_real = os.path.realpath(in_dir), os.path.realpath(out_dir)
    if _within(out_real, in_real):
        raise UsageError(f"output directory {out_dir} must not be inside the input directory {in_dir}")
    if _within(in_real, out_real):
        raise UsageError(f"input directory {in_dir} must not be inside the output directory {out_dir}")
    try:
        os.makedirs(out_real, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir}: {exc.strerror}") from None
    return in_real, out_real


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@contextlib.contextmanager
def _locked(out_root: str) -> Iterator[None]:
    """One batch per output directory: two would delete each other's temp files."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the rest still works
        yield
        return
    lock = os.path.join(out_root, LOCK)
    with writing(lock):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(f"another batch is writing to {out_root}") from None
        yield
    finally:
        os.close(fd)


def _remove_temp_files(out_root: str) -> None:
    """Temp files of a killed run are garbage: the lock proves no other batch owns them."""
    for directory, _dirs, files in os.walk(out_root):
        for name in files:
            if name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(directory, name))


# ---------------------------------------------------------------- finding inputs and naming outputs

def plan_inputs(in_root: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = (),
                include_docs: bool = False) -> _Plan:
    """Walk in_root without following symlinked directories (no loops, nothing outside the tree)."""
    files: list[str] = []
    problems: dict[str, str] = {}
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            with os.scandir(os.path.join(in_root, rel_dir) if rel_dir else in_root) as entries:
                listing = list(entries)
        except OSError as exc:
            problems[rel_dir + "/"] = f"cannot list directory: {exc.strerror}"
            continue
        for entry in listing:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            if _is_real_dir(entry):
                if not entry.name.startswith(".") and not _matches_any(exclude, rel, entry.name):
                    stack.append(rel)
            elif not _is_symlinked_dir(entry) and _selected(rel, entry.name, include, exclude, include_docs):
                files.append(rel)
    files.sort(key=path_key)
    return _Plan(items=name_outputs(files), problems=problems)


def path_key(rel: str) -> list[str]:
    """Sort by path components, so a folder's files stay together whatever its name holds."""
    return rel.split("/")


def _is_real_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_symlinked_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:
        return False


def _selected(rel: str, name: str, include: tuple[str, ...], exclude: tuple[str, ...],
              include_docs: bool = False) -> bool:
    """--include patterns, when given, decide alone; else a report extension, not hidden, not a doc."""
    if include:
        chosen = _matches_any(include, rel, name)
    else:
        chosen = (not name.startswith(".") and os.path.splitext(name)[1].lower() in DEFAULT_EXTENSIONS
                  and (include_docs or not is_project_doc(name)))
    return chosen and not _matches_any(exclude, rel, name)



def _matches_any(patterns: tuple[str, ...], rel: str, name: str) -> bool:
    """A pattern with a slash matches the relative path, one without matches the name; case-blind."""
    return any(fnmatch.fnmatchcase((rel if "/" in p else name).lower(), p.lower()) for p in patterns)


def name_outputs(rels: list[str]) -> list[tuple[str, str]]:
    """Map sorted input paths to output paths: `a/b/report.txt` -> `a/b/report.json`.

    Inputs of one folder that would share a name (report.txt, report.html) all keep their extension
    (report.txt.json, report.html.json); any clash left (with a sibling folder, another name) gets ~N.
    A top-level folder named like an aggregate file (summary.csv/) is renamed (summary.csv~2/).
    """
    by_dir: dict[str, list[str]] = defaultdict(list)
    for rel in rels:
        directory, _, name = rel.rpartition("/")
        by_dir[directory].append(name)
    subdirs = _child_dirs(by_dir)
    top = {name: _free_name(name, subdirs[""] | RESERVED, suffix="") if name in RESERVED else name
           for name in subdirs[""]}
    names: dict[str, dict[str, str]] = {}
    for directory, files in by_dir.items():
        names[directory] = _name_files(files, taken=set(subdirs[directory]) | (RESERVED if not directory else set()))
    out = []
    for rel in rels:
        directory, _, name = rel.rpartition("/")
        head, sep, rest = directory.partition("/")
        out_dir = top.get(head, head) + sep + rest
        out.append((rel, f"{out_dir}/{names[directory][name]}" if out_dir else names[directory][name]))
    return out


def _child_dirs(by_dir: dict[str, list[str]]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = defaultdict(set)
    for directory in by_dir:
        parts = directory.split("/") if directory else []
        for i, part in enumerate(parts):
            children["/".join(parts[:i])].add(part)
    return children


def _name_files(files: list[str], taken: set[str]) -> dict[str, str]:
    stems = [(name, (os.path.splitext(name)[0] or name) + ".json") for name in files]
    counts: dict[str, int] = defaultdict(int)
    for _, base in stems:
        counts[base] += 1
    chosen: dict[str, str] = {}
    for name, base in stems:
        wanted = base if counts[base] == 1 else name + ".json"
        chosen[name] = wanted if wanted not in taken else _free_name(name, taken, suffix=".json")
        taken.add(chosen[name])
    return chosen


def _free_name(name: str, taken: set[str], *, suffix: str) -> str:
    if name + suffix not in taken:
        return name + suffix
    n = 2
    while f"{name}~{n}{suffix}" in taken:
        n += 1
    return f"{name}~{n}{suffix}"


def display_path(rel: str) -> str:
    """File names that are not valid UTF-8 still print: undecodable bytes become \\xNN."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# ---------------------------------------------------------------- resume state

@functools.cache
def tool_fingerprint() -> str:
    """Version plus a hash of the package's code and data: an upgraded engine redoes every file."""

    root = Path(__file__).parents[1]   # the package
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".tsv", ".toml", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


class Entry(NamedTuple):
    """The manifest's memory of one input (a tuple: 100 000 of them must stay small)."""

    status: str  # "ok" or "failed"
    tool: str
    output: str | None = None
    sha256: str | None = None
    error: str | None = None
    reason: str | None = None
    review: str | None = None  # sha256 of the review file applied
    ocr_pages: int | None = None   # pages read by OCR, for a scan

    def line(self, rel: str) -> str:
        fields = {"input": rel, **{k: v for k, v in self._asdict().items() if v is not None}}
        # ASCII escapes keep undecodable file names (surrogates) round-tripping through the file.
        return json.dumps(fields, ensure_ascii=True, sort_keys=True) + "\n"


def load_manifest(path: str) -> dict[str, Entry]:
    """Input path -> its latest manifest entry. A torn last line (power loss) is ignored."""
    entries: dict[str, Entry] = {}
    try:
        fh = open(path, encoding="utf-8")
    except FileNotFoundError:
        return entries
    except OSError as exc:   # e.g. a folder in its place: the run could not journal into it either
        raise OutputError(f"cannot use {path}: {exc.strerror or exc}") from None
    with fh:
        for line in fh:
            try:
                raw = json.loads(line)
                rel = raw.pop("input")
                entries[rel] = Entry(**{k: sys.intern(v) if k == "tool" else v for k, v in raw.items()})
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
    return entries


def write_manifest(path: str, plan: _Plan, manifest: dict[str, Entry]) -> None:
    """Compact the manifest to one entry per current input, in input order."""
    with open_output(path) as fh:
        for rel, _ in plan.items:
            if rel in manifest:
                fh.write(manifest[rel].line(rel))


def _task(rel: str, out_rel: str, in_root: str, out_root: str, max_bytes: int, manifest: dict[str, Entry],
          tool: str, review_index: str | None = None, ocr_timeout: float | None = DEFAULT_OCR_TIMEOUT) -> Task:
    entry = manifest.get(rel)
    reusable = entry is not None and (entry.status, entry.tool, entry.output) == ("ok", tool, out_rel)
    return Task(rel, out_rel, in_root, out_root, max_bytes, entry.sha256 if reusable else None,
                entry.review if reusable else None, review_index, ocr_timeout)


def _convert_all(tasks: Iterator[Task], manifest_path: str, manifest: dict[str, Entry], tool: str, jobs: int,
                 timeout: float | None) -> Iterator[Outcome | Note]:
    """Run the tasks in a process pool; journal each result as one append (a kill never tears it).
    The Notes of the OCR pages pass through, before their input's Outcome."""
    if jobs < 1:
        return
    with writing(manifest_path):
        fd = os.open(manifest_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
    results = run_tasks(convert_one, tasks, jobs=jobs, timeout=timeout or None)
    reading: dict[str, OcrPage] = {}   # where the OCR of each input in flight stands
    try:
        with writing(manifest_path):
            _end_with_newline(fd, manifest_path)
        for result in results:
            if isinstance(result, Note):
                reading[result.task.rel] = result.body
                yield result
                continue
            if isinstance(result, Lost):
                result = _failed(result.task, result.reason, _lost_reason(result, reading.get(result.task.rel)))
            reading.pop(result.rel, None)
            if result.status != "reused":
                entry = _entry(result, tool)
                manifest[result.rel] = entry
                with writing(manifest_path):
                    os.write(fd, entry.line(result.rel).encode("ascii"))
            yield result
    finally:
        results.close()
        os.close(fd)


def _lost_reason(lost: Lost, page: OcrPage | None) -> str:
    """The pool's reason, and for a scan how far its OCR got (those pages are cached for the next run)."""
    if page is None or not page.pages:
        return lost.message
    return (f"{lost.message}; OCR had read {page.done} of {page.pages} pages "
            f"(kept in {CACHE_DIR}/ for the next run)")


def _end_with_newline(fd: int, path: str) -> None:
    size = os.fstat(fd).st_size
    if size:
        with open(path, "rb") as fh:
            fh.seek(size - 1)
            if fh.read(1) != b"\n":
                os.write(fd, b"\n")


def _entry(outcome: Outcome, tool: str) -> Entry:
    if outcome.status == "converted":
        return Entry("ok", tool, output=outcome.out_rel, sha256=outcome.sha256, review=outcome.review,
                     ocr_pages=outcome.ocr_pages)
    return Entry("failed", tool, error=outcome.error, reason=outcome.reason)


# ---------------------------------------------------------------- reviews

def write_review_index(out_root: str, reviews: str | None) -> str | None:
    """Check every review file under `reviews` once and write the sha256 -> file index the workers read.

    Raises UsageError for a missing folder, ReviewError for an invalid review or two reviews of one input.
    """
    if reviews is None:
        return None
    index = {}
    for sha, path in review_index(reviews).items():
        with open(path, "rb") as fh:
            index[sha] = [path, hashlib.sha256(fh.read()).hexdigest()]
    target = os.path.join(out_root, REVIEW_INDEX)
    with open_output(target) as fh:
        json.dump(index, fh, sort_keys=True)
    return target


def reviews_for(index_path: str | None) -> dict[str, tuple[str, str]]:
    """The review index of this run (read once per worker process)."""
    if index_path is None:
        return {}
    st = os.stat(index_path)
    return _read_review_index(index_path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=2)
def _read_review_index(path: str, _mtime: int, _size: int) -> dict[str, tuple[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return {sha: tuple(v) for sha, v in json.load(fh).items()}


def unmatched_reviews(index_path: str | None, manifest: dict[str, Entry], plan: _Plan) -> list[str]:
    """Review files whose sha256 is no current input's: probably made on an older copy of a report."""
    seen = {manifest[rel].sha256 for rel, _ in plan.items if rel in manifest}
    return sorted(path for sha, (path, _) in reviews_for(index_path).items() if sha not in seen)


# ---------------------------------------------------------------- the worker

def convert_one(task: Task) -> Outcome:
    """Read, parse and write one input; every failure becomes an Outcome, never an exception."""
    source = os.path.join(task.in_root, task.rel)
    try:
        data = read_input(source, max_bytes=task.max_bytes)
    except InputError as exc:
        return _failed(task, "input", _without_prefix(str(exc), source))
    sha = hashlib.sha256(data).hexdigest()
    target = os.path.join(task.out_root, task.out_rel)
    review_path, review_sha = reviews_for(task.review_index).get(sha, (None, None))
    if (task.reuse_sha, task.reuse_review) == (sha, review_sha) and os.path.isfile(target):
        return Outcome(task.rel, task.out_rel, "reused", sha, review=review_sha)
    ocr = OcrRun(cache_dir=os.path.join(task.out_root, CACHE_DIR), sha256=sha,
                 on_page=functools.partial(_tell_page, (task.ocr_timeout or 0, "--ocr-timeout")))
    try:
        if review_path:
            record = parse_reviewed(data, display_path(task.rel), review_path, ocr=ocr)
        else:
            record = parse_bytes(data, path=display_path(task.rel), ocr=ocr)
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    except ReviewError as exc:
        return _failed(task, "review", str(exc))
    except EnforceError as exc:
        return _failed(task, "input", _without_prefix(str(exc), display_path(task.rel)))
    except Exception as exc:  # a parser bug on one input must not stop the others
        return _failed(task, "parser", f"{type(exc).__name__}: {exc}")
    try:
        _ensure_dir(task.out_root, os.path.dirname(task.out_rel))
        with open_output(target) as fh:
            fh.write(text)
    except OutputError as exc:
        return _failed(task, "output", str(exc))
    return Outcome(task.rel, task.out_rel, "converted", sha, review=review_sha, ocr_pages=ocr.pages or None)


def _tell_page(limit: tuple[float, str], page: OcrPage) -> None:
    """An OCR page heard in a worker goes to the parent, with the time limit of a scan."""
    tell(page, limit=limit)


def _failed(task: Task, error: str, reason: str) -> Outcome:
    """A failed input must not leave an older run's JSON looking current."""
    target = os.path.join(task.out_root, task.out_rel)
    with contextlib.suppress(OSError, OutputError):
        _ensure_dir(task.out_root, os.path.dirname(task.out_rel), create=False)
        os.unlink(target)
    return Outcome(task.rel, task.out_rel, "failed", error=error, reason=reason)


def _without_prefix(message: str, path: str) -> str:
    return message[len(path) + 2:] if message.startswith(path + ": ") else message


_checked_dirs: set[str] = set()


def _ensure_dir(out_root: str, rel_dir: str, *, create: bool = True) -> None:
    """Create rel_dir under out_root one level at a time, refusing symlinked folders: a mirrored tree
    stays inside out_root (a symlinked file is followed, like any -o; see outputs/writing.py)."""
    parts = rel_dir.split("/") if rel_dir else []
    for depth in range(1, len(parts) + 1):
        path = os.path.join(out_root, *parts[:depth])
        if path in _checked_dirs:
            continue
        where = display_path("/".join(parts[:depth]))
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(path)
            is_dir = stat.S_ISDIR(os.lstat(path).st_mode)
        except OSError as exc:
            raise OutputError(f"cannot create output folder {where}: {exc.strerror or exc}") from None
        if not is_dir:
            raise OutputError(f"output folder {where} is a symlink or a file; not writing into it")
        _checked_dirs.add(path)


# ---------------------------------------------------------------- aggregate files

def open_database(path: str | None):
    """The --db database, opened (and created) before any work, so a bad path costs nothing."""
    if path is None:
        return None

    return ReportDB(path)


def rebuild_outputs(out_root: str, plan: _Plan, manifest: dict[str, Entry], header: str,
                    database=None) -> BatchSummary:
    """Stream every current input's JSON into reports.jsonl and summary.csv (and the database, when
    given), failures into errors.jsonl."""

    catalogue = fields()
    core = [f.path for f in catalogue if f.core]
    summary = BatchSummary(files=len(plan.items) + len(plan.problems))
    with open_output(os.path.join(out_root, REPORTS)) as reports, \
            open_output(os.path.join(out_root, ERRORS)) as errors, \
            open_output(os.path.join(out_root, SUMMARY), encoding="utf-8-sig", newline="") as table:
        rows = csv.writer(table)
        rows.writerow(CSV_LEAD[header] + [f.path if header == "path" else f.label for f in catalogue])
        for rel, record, failure in _final_states(out_root, plan, manifest):
            if failure is not None:
                summary.failed += 1
                errors.write(json.dumps({"path": display_path(rel), **failure}, ensure_ascii=False) + "\n")
                continue
            reports.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
            if database is not None:
                database.put(display_path(rel), record)
            present = sum(value_at(record, p) not in (None, [], "") for p in core)
            rows.writerow([display_path(rel)] + [csv_cell(value_at(record, p)) for p in CSV_LEAD_PATHS]
                          + [len(core) - present, *review_counts(record), manifest[rel].ocr_pages or 0]
                          + [csv_cell(value_at(record, f.path)) for f in catalogue])
            summary.converted += 1
            summary.core_present += present
            summary.core_total += len(core)
            if any(w.get("severity") in ("warning", "error") for w in record.get("warnings", [])):
                summary.with_warnings += 1
    if database is not None:
        database.finish()
    return summary


def _final_states(out_root: str, plan: _Plan, manifest: dict[str, Entry]) -> Iterator[tuple]:
    """(input, record, None) for converted inputs, (input, None, {error, reason}) for the rest, in
    sorted order; walk problems (unlistable folders) are merged in."""
    problems = sorted(plan.problems.items(), key=lambda kv: path_key(kv[0]))
    for rel, problem in heapq.merge(plan.items, problems, key=lambda kv: path_key(kv[0])):
        entry = manifest.get(rel)
        if rel in plan.problems:
            yield rel, None, {"error": "walk", "reason": problem}
        elif entry is None:
            yield rel, None, {"error": "internal", "reason": "no result recorded"}
        elif entry.status != "ok":
            yield rel, None, {"error": entry.error, "reason": entry.reason}
        else:
            try:
                with open(os.path.join(out_root, entry.output), encoding="utf-8") as fh:
                    yield rel, json.load(fh), None
            except (OSError, ValueError) as exc:
                yield rel, None, {"error": "output", "reason": f"cannot read its JSON back ({exc}); "
                                                             "rerun with --force"}


def csv_cell(value: object) -> str:
    """Spreadsheet-friendly text: lists joined with 、, 3.0 as 3, formula-looking text quoted."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "、".join(str(v) for v in value)
    elif isinstance(value, bool):
        return "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
