"""Scans in `enforce batch` and on a terminal (docs/batch.md, Scanned reports; docs/inputs.md, OCR):
the cache of recognised pages, the page progress, the OCR time limit, OCR in the worker processes.

Without the ocr extra (`make test`): the cache's keys and invalidation, the progress line, the pool's
switch to --ocr-timeout (a fake slow task in real worker processes) and convert_one with a fake OCR
module in this process (the seam: `enforcement_parser.files.ocr`, imported only when a scan is seen).
With it (`make ocr-test`): batch twice over a folder with a scanned twin, the second run recognising no
page; --ocr-timeout; -j 2; `enforce parse` page progress on a real pseudo-terminal.
"""

import csv
import hashlib
import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
import time
import types

import pytest

import formats_builders as B
from conftest import SAMPLES, enforce_exe
from ocr_fakes import fake_scan
from enforcement_parser.commands import batch_run
from enforcement_parser.commands.batch import ocr_pages, print_summary
from enforcement_parser.commands.batch_pool import Lost, Note, run_tasks
from enforcement_parser.commands.ocr_progress import page_text, terminal_pages
from enforcement_parser.files.ocr_run import CACHE_DIR, CACHE_FORMAT, OcrPage, OcrRun, load_entry, store_entry
from enforcement_parser.files.pagelayout import Box, Layout, Recognised
from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.outputs.record import value_at

STREET = SAMPLES / "b2_short_street.txt"
SETTINGS = {"engine": "rapidocr-onnxruntime 1.4.4", "onnxruntime": "1.32.0", "renderer": "pypdfium2 5.15.2",
            "render_dpi": 200, "max_page_pixels": 12_000_000, "reader": "0123456789abcdef"}
PAGES = [[Recognised("某区2023年度行政执法工作报告", (120, 80, 900, 130), 0.991)],
         [Recognised("作出行政处罚决定58件。", (100, 200, 520, 232), 0.97), Recognised("罚款", (600, 200, 660, 232), 0.5)],
         []]   # a blank third page: no box, but recognised all the same


# --- the cache (no OCR engine needed) ---

def test_a_cache_entry_gives_back_every_box_exactly(tmp_path):
    path = str(tmp_path / "abc.json")
    store_entry(path, 3, SETTINGS, PAGES, [0, 90, 0])
    assert load_entry(path, 3, SETTINGS) == PAGES
    entry = json.loads((tmp_path / "abc.json").read_text(encoding="utf-8"))
    assert entry["format"] == CACHE_FORMAT and entry["settings"] == SETTINGS and entry["pages"] == 3
    assert entry["fields"] == ["text", "box", "score", "slope"]
    assert entry["recognised"][1][0] == ["作出行政处罚决定58件。", [100, 200, 520, 232], 0.97, 0.0]
    assert entry["turns"] == [0, 90, 0]
    assert os.listdir(tmp_path) == ["abc.json"]   # written through a temporary file, renamed


@pytest.mark.parametrize("change", [
    {"engine": "rapidocr-onnxruntime 1.4.5"}, {"onnxruntime": "1.33.0"}, {"renderer": "pypdfium2 4.30.0"},
    {"render_dpi": 300}, {"max_page_pixels": 6_000_000}, {"reader": "fedcba9876543210"}, {"extra": "setting"},
], ids=lambda c: next(iter(c)))
def test_an_entry_made_with_other_settings_is_ignored(tmp_path, change):
    path = str(tmp_path / "abc.json")
    store_entry(path, 3, SETTINGS, PAGES)
    assert load_entry(path, 3, {**SETTINGS, **change}) == []


@pytest.mark.parametrize("damage", [
    lambda e: e.update(format="enforce-ocr-cache/0"), lambda e: e.update(pages=4), lambda e: e.pop("settings"),
    lambda e: e["recognised"][0][0].__setitem__(1, [1, 2, 3]), lambda e: e["recognised"][0][0].__setitem__(0, 7),
    lambda e: e["recognised"][1].append("not a box"), lambda e: e.update(recognised={"1": []}),
    lambda e: e["recognised"][0][0].append(0.1), lambda e: e["recognised"][0][0].pop(),
    lambda e: e.update(fields=["text", "box", "score"]), lambda e: e.pop("turns"),
    lambda e: e["turns"].__setitem__(1, 45), lambda e: e["turns"].pop(),
], ids=["layout", "page-count", "no-settings", "three-corners", "text-not-str", "stray-item", "not-a-list",
        "extra-number", "no-score", "other-fields", "no-turns", "turn-not-quarter", "turns-short"])
def test_an_entry_of_another_shape_is_ignored(tmp_path, damage):
    path = tmp_path / "abc.json"
    store_entry(str(path), 3, SETTINGS, PAGES)
    entry = json.loads(path.read_text(encoding="utf-8"))
    damage(entry)
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert load_entry(str(path), 3, SETTINGS) == []


@pytest.mark.parametrize("content", [None, "", '{"format": "enforce-ocr', "[]", "\x00\xff",
                                     "[" * 100_000 + "]" * 100_000])   # nested past json's recursion limit
def test_a_missing_torn_or_foreign_file_is_no_entry(tmp_path, content):
    path = tmp_path / "abc.json"
    if content is not None:
        path.write_text(content, encoding="utf-8", errors="surrogateescape")
    assert load_entry(str(path), 3, SETTINGS) == []


def test_a_reading_killed_midway_keeps_its_pages_and_the_next_one_reads_only_the_rest(tmp_path):
    heard: list[OcrPage] = []
    first = OcrRun(cache_dir=str(tmp_path / CACHE_DIR), sha256="ab" * 32, on_page=heard.append)
    first.begin(3, SETTINGS)
    assert first.cached(1) is None
    first.recognised(1, PAGES[0])
    assert first.cached(2) is None
    first.recognised(2, PAGES[1], 90)      # (read turned upright) ...and the worker is killed here
    assert heard == [OcrPage(0, 3), OcrPage(1, 3), OcrPage(2, 3)]

    heard.clear()
    again = OcrRun(cache_dir=str(tmp_path / CACHE_DIR), sha256="ab" * 32, on_page=heard.append)
    again.begin(3, SETTINGS)
    assert [again.cached(1), again.cached(2), again.cached(3)] == [PAGES[0], PAGES[1], None]
    again.recognised(3, PAGES[2])
    assert [again.turn(n) for n in (1, 2, 3)] == [0, 90, 0]
    assert heard == [OcrPage(0, 3), OcrPage(1, 3, True), OcrPage(2, 3, True), OcrPage(3, 3)]
    assert (again.recognised_pages, again.cached_pages) == (1, 2)
    assert load_entry(str(tmp_path / CACHE_DIR / ("ab" * 32 + ".json")), 3, SETTINGS) == PAGES

    other = OcrRun(cache_dir=str(tmp_path / CACHE_DIR), sha256="ab" * 32)
    other.begin(3, {**SETTINGS, "engine": "rapidocr-onnxruntime 2.0.0"})
    assert other.cached(1) is None


def test_a_cache_that_cannot_be_written_costs_time_not_the_report(tmp_path):
    (tmp_path / "blocked").write_text("a file where the cache folder would go")
    run = OcrRun(cache_dir=str(tmp_path / "blocked" / CACHE_DIR), sha256="cd" * 32)
    run.begin(1, SETTINGS)
    run.recognised(1, PAGES[0])   # no exception
    assert run.recognised_pages == 1


def test_without_a_cache_folder_nothing_is_written_nor_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = OcrRun()
    run.begin(1, SETTINGS)
    assert run.cached(1) is None
    run.recognised(1, PAGES[0])
    assert os.listdir(tmp_path) == []


# --- progress (no OCR engine needed) ---

@pytest.mark.parametrize("page, line", [
    (OcrPage(0, None), "OCR: loading the engine, rendering the pages"),
    (OcrPage(0, 12), "OCR page 1/12"), (OcrPage(2, 12), "OCR page 3/12"), (OcrPage(2, 12, True), "OCR page 3/12"),
    (OcrPage(11, 12), "OCR page 12/12"), (OcrPage(12, 12), "OCR page 12/12 done"), (OcrPage(0, 1), "OCR page 1/1"),
])
def test_the_page_line_names_the_page_being_read(page, line):
    assert page_text(page) == line


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pages_show_on_a_terminal_and_nowhere_else():
    piped = io.StringIO()
    with terminal_pages(piped) as run:
        assert run is None
    assert piped.getvalue() == ""

    screen = FakeTerminal()
    with terminal_pages(screen) as run:
        assert screen.getvalue() == ""   # nothing before a scan is seen (a text report shows nothing)
        run.on_page(OcrPage(0, 12))
        run.on_page(OcrPage(2, 12))
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "OCR page 3/12" in shown and "OCR page 4/12" not in shown


def test_batch_progress_and_closing_table_count_ocr_pages(capsys):
    assert [ocr_pages(0), ocr_pages(1), ocr_pages(12)] == ["", "1 OCR page", "12 OCR pages"]
    print_summary(batch_run.BatchSummary(files=2, converted=2, ocr_recognised=0, ocr_cached=3))
    assert re.search(r"OCR pages\s+│?\s*0 recognised, 3 from the cache", capsys.readouterr().err)
    print_summary(batch_run.BatchSummary(files=2, converted=2))
    assert "OCR pages" not in capsys.readouterr().err   # no scan read, no row


# --- the time limit of a scan, in real worker processes (a fake slow task) ---

def test_a_scan_gets_the_ocr_time_limit_instead_of_the_timeout():
    # --timeout 2 s; the first scan takes 3.5 s of its 15, the second would take 60 s of its 4.
    results = list(run_tasks(fake_scan, [(3.5, 15), (60, 4)], jobs=2, timeout=2))
    assert 3.5 in results
    lost = [r for r in results if isinstance(r, Lost)]
    assert [(r.task, r.reason, r.message) for r in lost] == [((60, 4), "timeout",
                                                              "no result within 4 s (--ocr-timeout)")]
    notes = [(r.task, r.body) for r in results if isinstance(r, Note)]
    assert notes.count(((3.5, 15), OcrPage(0, None))) == 1 and ((3.5, 15), OcrPage(1, 1)) in notes
    assert results.index(3.5) > results.index(Note((3.5, 15), OcrPage(1, 1)))   # notes before the result
    plain = list(run_tasks(time.sleep, [30], jobs=1, timeout=2))   # no note: --timeout holds
    assert [(r.reason, r.message) for r in plain] == [("timeout", "no result within 2 s (--timeout)")]


def test_a_scan_with_no_ocr_limit_runs_past_the_timeout():
    assert list(run_tasks(fake_scan, [(3, 0)], jobs=1, timeout=2))[-1] == 3


def test_a_lost_scan_says_how_far_its_ocr_got():
    lost = Lost("task", "timeout", "no result within 600 s (--ocr-timeout)")
    assert batch_run._lost_reason(lost, None) == lost.message
    assert batch_run._lost_reason(lost, OcrPage(0, None)) == lost.message
    assert batch_run._lost_reason(lost, OcrPage(7, 12)) == (
        "no result within 600 s (--ocr-timeout); OCR had read 7 of 12 pages (kept in .ocr-cache/ for the next run)")


# --- convert_one with a fake OCR module (worker-less: run in this process) ---

class FakeOcr(types.ModuleType):
    """Stands in for files/ocr.py: 'recognises' STREET's lines, two pages, counting what it reads."""

    def __init__(self) -> None:
        super().__init__("enforcement_parser.files.ocr")
        lines = STREET.read_text(encoding="utf-8").splitlines()
        half = len(lines) // 2
        self.page_lines = [lines[:half], lines[half:]]
        self.read = 0

    def pdf_ocr(self, data: bytes, max_pages: int, run: OcrRun) -> tuple[str, Layout]:
        run.begin(len(self.page_lines), {"engine": "fake 1"})
        text_lines, boxes = [], []
        for number, lines in enumerate(self.page_lines, 1):
            found = run.cached(number)
            if found is None:
                self.read += 1
                found = [Recognised(line, (10, 40 * i, 10 + 30 * len(line), 40 * i + 30), 0.99)
                         for i, line in enumerate(lines)]
                run.recognised(number, found)
            for raw in found:
                start = sum(len(t) + 1 for t in text_lines)
                boxes.append(Box(start, start + len(raw.text), number, raw.box, raw.score))
                text_lines.append(raw.text)
        return "\n".join(text_lines), Layout(tuple(boxes))

    image_ocr = pdf_ocr


def test_convert_one_reads_a_scan_once_and_tells_the_parent_each_page(tmp_path, monkeypatch):
    fake = FakeOcr()
    monkeypatch.setitem(sys.modules, "enforcement_parser.files.ocr", fake)
    told = []
    monkeypatch.setattr(batch_run, "tell", lambda body, limit=None: told.append((body, limit)))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(B.scanned_pdf_bytes())
    task = batch_run.Task("scan.pdf", "scan.json", str(tmp_path / "in"), str(tmp_path / "out"), 10**6, None,
                          ocr_timeout=300)
    first = batch_run.convert_one(task)
    assert (first.status, first.ocr_pages, fake.read) == ("converted", 2, 2)
    limit = (300, "--ocr-timeout")
    assert told == [(OcrPage(0, None), limit), (OcrPage(0, 2), limit), (OcrPage(1, 2), limit),
                    (OcrPage(2, 2), limit)]
    record = json.loads((tmp_path / "out" / "scan.json").read_text(encoding="utf-8"))
    assert record["source"]["format"] == "pdf-ocr" and record["penalties"]["decisions"] == 58
    assert os.listdir(tmp_path / "out" / CACHE_DIR) == [first.sha256 + ".json"]

    told.clear()
    output = (tmp_path / "out" / "scan.json").read_bytes()
    again = batch_run.convert_one(task)
    assert (again.status, again.ocr_pages, fake.read) == ("converted", 2, 2)   # not one page read again
    assert [body for body, _ in told] == [OcrPage(0, None), OcrPage(0, 2), OcrPage(1, 2, True), OcrPage(2, 2, True)]
    assert (tmp_path / "out" / "scan.json").read_bytes() == output


def test_the_cache_folder_is_never_taken_for_a_report(tmp_path):
    (tmp_path / CACHE_DIR).mkdir()
    (tmp_path / CACHE_DIR / ("ab" * 32 + ".json")).write_text("{}")
    (tmp_path / "r.txt").write_text(STREET.read_text(encoding="utf-8"), encoding="utf-8")
    assert batch_run.plan_inputs(str(tmp_path)).items == [("r.txt", "r.json")]


def test_batch_help_and_a_negative_ocr_timeout(tmp_path, run_enforce):
    help_text = run_enforce("batch", "--help").stdout.decode()
    assert "--ocr-timeout" in help_text and "enforce batch scans/ -o out/ --ocr-timeout 1200" in help_text
    (tmp_path / "in").mkdir()
    done = run_enforce("batch", tmp_path / "in", "-o", tmp_path / "out", "--ocr-timeout", "-1")
    assert done.returncode == 2
    assert done.stderr.decode() == "error: --timeout, --ocr-timeout and --max-bytes must not be negative\n"


# --- with the ocr extra: real scans (make ocr-test) ---

needs_ocr = pytest.mark.skipif(os.environ.get("ENFORCE_OCR") != "1",
                               reason="OCR test: run `make ocr-test` (or set ENFORCE_OCR=1 with the ocr extra)")


@pytest.fixture(scope="module")
def font():
    from ocr_twins import cjk_font

    path = cjk_font()
    assert path, "no Noto CJK font: make ocr-test installs Debian's fonts-noto-cjk"
    return path


def batch_cli(*args) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([enforce_exe(), "batch", *map(str, args)], capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})
    return done, time.monotonic() - started


def table_row(stderr: str, name: str) -> str:
    match = re.search(rf"^\W*{name}\W+(.*?)\W*$", stderr, re.M)
    return match.group(1) if match else ""


def outputs(out) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != batch_run.LOCK}


def same_values(record: dict, text_record: dict) -> None:
    """The scan reads the text's values, or leaves one null with a low-confidence warning."""
    unsure = {w["field"] for w in record["warnings"] if w["code"] == "low-confidence"}
    for f in fields():
        want, got = value_at(text_record, f.path), value_at(record, f.path)
        assert got == want or (got is None and f.path in unsure), f.path


@pytest.mark.ocr
@needs_ocr
def test_a_second_batch_recognises_no_page_and_writes_the_same_bytes(tmp_path, font):
    from ocr_twins import scanned_pdf

    from enforcement_parser.api import parse_text

    tree, out = tmp_path / "in", tmp_path / "out"
    tree.mkdir()
    text = STREET.read_text(encoding="utf-8")
    (tree / "scan.pdf").write_bytes(scanned_pdf(text, font))   # 2 pages
    shutil.copy(SAMPLES / "dongli_narrative.txt", tree / "text.txt")

    first, first_s = batch_cli(tree, "-o", out)
    assert first.returncode == 0, first.stderr
    assert table_row(first.stderr, "OCR pages") == "2 recognised, 0 from the cache"
    assert re.search(r"^batch: 2/2 files, 0 failed, [\d.]+ files/s, 2 OCR pages$", first.stderr, re.M)
    kept = outputs(out)
    assert f"{CACHE_DIR}/{hashlib.sha256((tree / 'scan.pdf').read_bytes()).hexdigest()}.json" in kept
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {row["file"]: row for row in csv.DictReader(fh)}
    assert (rows["scan.pdf"]["ocr_pages"], rows["text.txt"]["ocr_pages"]) == ("2", "0")
    same_values(json.loads((out / "scan.json").read_text(encoding="utf-8")), parse_text(text))

    second, second_s = batch_cli(tree, "-o", out, "--force")
    assert second.returncode == 0, second.stderr
    assert table_row(second.stderr, "OCR pages") == "0 recognised, 2 from the cache"
    assert outputs(out) == kept
    print(f"\nbatch of a 2-page scan + a text: first run {first_s:.1f} s, second (--force) {second_s:.1f} s")

    third, _ = batch_cli(tree, "-o", out)   # nothing changed: nothing parsed, no OCR row
    assert third.returncode == 0 and table_row(third.stderr, "OCR pages") == ""
    assert outputs(out) == kept


@pytest.mark.ocr
@needs_ocr
def test_a_scan_over_the_ocr_time_limit_is_one_error_row_and_the_batch_goes_on(tmp_path, font):
    from ocr_twins import scanned_pdf

    tree, out = tmp_path / "in", tmp_path / "out"
    tree.mkdir()
    (tree / "scan.pdf").write_bytes(scanned_pdf(STREET.read_text(encoding="utf-8"), font))
    shutil.copy(SAMPLES / "dongli_narrative.txt", tree / "text.txt")
    done, _ = batch_cli(tree, "-o", out, "--ocr-timeout", "1")
    assert done.returncode == 1, done.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["path"], e["error"]) for e in errors] == [("scan.pdf", "timeout")]
    assert errors[0]["reason"].startswith("no result within 1 s (--ocr-timeout)")
    assert (out / "text.json").exists() and not (out / "scan.json").exists()


@pytest.mark.ocr
@needs_ocr
def test_batch_reads_scans_in_its_worker_processes(tmp_path, font):
    import ocr_twins
    from ocr_twins import scanned_pdf

    from enforcement_parser.api import parse_text

    tree, out = tmp_path / "in", tmp_path / "out"
    tree.mkdir()
    texts = {"a.pdf": "\n".join(STREET.read_text(encoding="utf-8").splitlines()[:40]),
             "b.pdf": (SAMPLES / "b2_tabs_transport.txt").read_text(encoding="utf-8")}
    for name, text in texts.items():
        (tree / name).write_bytes(scanned_pdf(text, font))
    done, _ = batch_cli(tree, "-o", out, "-j", "2")
    assert done.returncode == 0, done.stderr
    # The parent hears of a page only from the worker that recognised it (batch_pool.tell).
    pages = sum(len(ocr_twins.pages(text, font)) for text in texts.values())
    assert table_row(done.stderr, "OCR pages") == f"{pages} recognised, 0 from the cache"
    for name, text in texts.items():
        record = json.loads((out / name.replace(".pdf", ".json")).read_text(encoding="utf-8"))
        assert record["source"]["format"] == "pdf-ocr"
        same_values(record, parse_text(text))


@pytest.mark.ocr
@needs_ocr
def test_parse_shows_pages_on_a_terminal_and_nothing_in_a_pipe(tmp_path, font):
    from ocr_twins import scanned_png

    page = tmp_path / "page.png"
    page.write_bytes(scanned_png(STREET.read_text(encoding="utf-8"), font))
    piped = subprocess.run([enforce_exe(), "parse", str(page)], capture_output=True, timeout=900)
    assert piped.returncode == 0 and piped.stderr == b""

    master, terminal = pty.openpty()
    shown = bytearray()
    reader = threading.Thread(target=_drain, args=(master, shown))
    reader.start()
    on_tty = subprocess.run([enforce_exe(), "parse", str(page)], stdout=subprocess.PIPE, stderr=terminal,
                            timeout=900, env={**os.environ, "TERM": "xterm"})
    os.close(terminal)
    reader.join(30)
    os.close(master)
    assert on_tty.returncode == 0 and on_tty.stdout == piped.stdout
    assert "OCR page 1/1" in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown.decode("utf-8", "replace"))


def _drain(fd: int, into: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            return
        if not chunk:
            return
        into += chunk
