"""`enforce batch`: outputs, naming, resume after kills, determinism across -j, exit codes."""

import contextlib
import csv
import json
import os
import pathlib
import re
import signal
import subprocess
import time

import pytest

from conftest import SAMPLES, enforce_exe
from enforcement_parser.commands import batch_run as batch
from enforcement_parser.commands.batch_pool import Lost, run_tasks
from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.errors import UsageError
from enforcement_parser.outputs.record_model import validate_record

# The five original samples: stable inputs, so these tests measure the batch, not the engine's progress.
SAMPLE_FILES = [SAMPLES / f"{name}.txt" for name in
                ("dongli_narrative", "huainan_notice", "shenyang_template", "taizhou_web", "yubei_markdown")]


def sample_text(i: int = 0) -> str:
    return SAMPLE_FILES[i % len(SAMPLE_FILES)].read_text(encoding="utf-8")


def make_tree(root: pathlib.Path) -> pathlib.Path:
    """Nested folders, a duplicate name, a stem clash, GB18030, empty, binary, a folder named x.txt."""
    tree = root / "in"
    files = {
        "top.txt": sample_text(0).encode("utf-8"),
        "a/report.txt": sample_text(1).encode("utf-8"),
        "a/report.html": sample_text(2).encode("utf-8"),
        "a/b/report.txt": sample_text(3).encode("utf-8"),
        "a/b/gbk.txt": sample_text(4).encode("gb18030"),
        "c/noext": sample_text(0).encode("utf-8"),
        "c/empty.txt": b"",
        "c/binary.pdf": bytes(range(256)) * 8,
        "x.txt/inner.md": sample_text(2).encode("utf-8"),
        "c/photo.jpg": b"\xff\xd8\xff",  # not a report extension: not selected
        ".hidden/skip.txt": b"hidden folders are skipped",
        "c/.DS_Store": b"\0\0\0\1Bud1",  # hidden files too
    }
    for rel, data in files.items():
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tree


CONVERTED = {  # input -> output, in sorted input order
    "a/b/gbk.txt": "a/b/gbk.json",
    "a/b/report.txt": "a/b/report.json",
    "a/report.html": "a/report.html.json",
    "a/report.txt": "a/report.txt.json",
    "c/noext": "c/noext.json",
    "top.txt": "top.json",
    "x.txt/inner.md": "x.txt/inner.json",
}
FAILED = {"c/binary.pdf": "binary", "c/empty.txt": "empty"}


def visible_files(root: pathlib.Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


def snapshot(root: pathlib.Path) -> dict[str, bytes]:
    """Every file but the lock, for byte-for-byte comparison of two output folders."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != batch.LOCK}


def test_fixture_tree_through_the_cli(tmp_path, run_enforce):
    tree = make_tree(tmp_path)
    out = tmp_path / "out"
    result = run_enforce("batch", tree, "-o", out, "-j", "2")
    assert result.returncode == 1, result.stderr.decode()
    stderr = result.stderr.decode()
    assert "files" in stderr and "failed" in stderr and "core completeness" in stderr

    assert visible_files(out) == set(CONVERTED.values()) | {"reports.jsonl", "summary.csv", "errors.jsonl",
                                                            "manifest.jsonl"}
    for rel_in, rel_out in CONVERTED.items():
        record = json.loads((out / rel_out).read_text(encoding="utf-8"))
        validate_record(record)
        assert record["source"]["path"] == rel_in
    assert json.loads((out / "a/b/gbk.json").read_text(encoding="utf-8"))["source"]["encoding"] == "gb18030"

    lines = (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["source"]["path"] for r in records] == list(CONVERTED)
    for record, rel_out in zip(records, CONVERTED.values()):
        assert record == json.loads((out / rel_out).read_text(encoding="utf-8"))

    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    catalogue = [f.path for f in fields()]
    assert rows[0] == ["file", "agency", "year", "kind", "missing_core", "verified", "corrected",
                       "ocr_pages"] + catalogue
    assert [r[0] for r in rows[1:]] == list(CONVERTED)
    assert all(len(r) == 8 + len(catalogue) for r in rows)
    assert {(r[5], r[6], r[7]) for r in rows[1:]} == {("0", "0", "0")}  # no reviews given, no scan
    kind_column = rows[0].index("document.kind")
    assert [r[3] for r in rows[1:]] == [r[kind_column] for r in rows[1:]]

    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["path"] for e in errors] == list(FAILED)
    for error, word in zip(errors, FAILED.values()):
        assert error["error"] == "input" and word in error["reason"]


def test_zh_header_uses_catalogue_labels(tmp_path):
    tree = make_tree(tmp_path)
    batch.run_batch(str(tree), str(tmp_path / "out"), jobs=1, header="zh")
    with open(tmp_path / "out/summary.csv", encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == batch.CSV_LEAD["zh"] + [f.label for f in fields()]


def test_jobs_do_not_change_outputs(tmp_path):
    tree = make_tree(tmp_path)
    one = batch.run_batch(str(tree), str(tmp_path / "one"), jobs=1)
    two = batch.run_batch(str(tree), str(tmp_path / "two"), jobs=2)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
    assert (one.files, one.converted, one.failed) == (two.files, two.converted, two.failed) == (9, 7, 2)


def test_rerun_reuses_unchanged_and_redoes_changed(tmp_path):
    tree = make_tree(tmp_path)
    out = tmp_path / "out"
    first = batch.run_batch(str(tree), str(out), jobs=2)
    before = snapshot(out)
    with open(out / batch.MANIFEST, "ab") as fh:
        fh.write(b'{"input": "top.txt", "sta')  # a torn line, as power loss could leave
    again = batch.run_batch(str(tree), str(out), jobs=2)
    assert (first.reused, again.reused) == (0, first.converted)
    assert snapshot(out) == before

    (tree / "top.txt").write_text(sample_text(3) + "\n补充一行。\n", encoding="utf-8")
    (tree / "a/report.txt").write_bytes(b"")  # was converted, now fails: its JSON must go
    changed = batch.run_batch(str(tree), str(out), jobs=2)
    assert changed.reused == first.converted - 2
    assert not (out / "a/report.txt.json").exists()
    assert "a/report.txt" in (out / "errors.jsonl").read_text(encoding="utf-8")
    assert batch.run_batch(str(tree), str(out), jobs=1, force=True).reused == 0


def test_include_exclude_and_symlinks(tmp_path):
    tree = make_tree(tmp_path)
    (tree / "a/loop").symlink_to("..", target_is_directory=True)
    (tree / "outside").symlink_to(SAMPLES, target_is_directory=True)
    (tree / "linked.txt").symlink_to(tree / "top.txt")
    plan = batch.plan_inputs(str(tree), include=("*.txt",), exclude=("a/b/*", "top.*"))
    assert [rel for rel, _ in plan.items] == ["a/report.txt", "c/empty.txt", "linked.txt"]
    assert [rel for rel, _ in batch.plan_inputs(str(tree), include=("*.TXT",), exclude=("c",)).items] == [
        "a/b/gbk.txt", "a/b/report.txt", "a/report.txt", "linked.txt", "top.txt"]


def test_output_names_never_clash():
    rels = ["a.txt/x.txt", "a.txt", "a", "a.md", "r.json/x.txt", "r.txt", "summary.csv/s.txt",
            "summary.txt", "d/b.txt", "d/b.txt.txt", "d/b.html"]
    named = dict(batch.name_outputs(sorted(rels, key=batch.path_key)))
    assert named == {
        "a": "a.json", "a.md": "a.md.json", "a.txt": "a.txt.json", "a.txt/x.txt": "a.txt/x.json",
        "r.json/x.txt": "r.json/x.json", "r.txt": "r.txt.json",
        "summary.csv/s.txt": "summary.csv~2/s.json", "summary.txt": "summary.json",
        "d/b.html": "d/b.html.json", "d/b.txt": "d/b.txt.json", "d/b.txt.txt": "d/b.txt.txt.json",
    }
    assert len(set(named.values())) == len(named)


def test_odd_file_names_stay_inside(tmp_path):
    tree = tmp_path / "in"
    tree.mkdir()
    odd = [b"line\nbreak.txt", b"caf\xe9.txt", "报告..(1).txt".encode(), b"-rf.txt"]
    for name in odd:
        (tree / os.fsdecode(name)).write_text(sample_text(1), encoding="utf-8")
    out = tmp_path / "out"
    summary = batch.run_batch(str(tree), str(out), jobs=1)
    assert summary.converted == 4 and summary.failed == 0
    paths = [json.loads(line)["source"]["path"] for line in (out / "reports.jsonl").open(encoding="utf-8")]
    assert "caf\\xe9.txt" in paths and "line\nbreak.txt" in paths
    assert {p.parent for p in out.rglob("*.json")} == {out}


def test_symlinked_output_folder_is_refused(tmp_path):
    tree = make_tree(tmp_path)
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "a").symlink_to(elsewhere, target_is_directory=True)
    summary = batch.run_batch(str(tree), str(out), jobs=1)
    assert list(elsewhere.iterdir()) == []
    errors = (out / "errors.jsonl").read_text(encoding="utf-8")
    assert summary.failed == 6 and errors.count("symlink") == 4


def test_csv_cells():
    assert batch.csv_cell(None) == ""
    assert batch.csv_cell(["甲局", "乙局"]) == "甲局、乙局"
    assert batch.csv_cell(72821179.0) == "72821179"
    assert batch.csv_cell(12.5) == "12.5"
    assert batch.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_pool_survives_timeouts_and_crashes():
    results = list(run_tasks(time.sleep, [0.01, 30, 0.01], jobs=2, timeout=0.5))
    lost = [r for r in results if isinstance(r, Lost)]
    assert results.count(None) == 2 and [(r.task, r.reason) for r in lost] == [(30, "timeout")]
    crashed = list(run_tasks(os._exit, [3, 4], jobs=1, timeout=None))
    assert [(r.task, r.reason) for r in crashed] == [(3, "crash"), (4, "crash")]


def make_many(root: pathlib.Path, count: int) -> pathlib.Path:
    """Small reports from the samples with varied numbers, spread over a few folders."""
    tree = root / "many"
    for i in range(count):
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + i), sample_text(i), count=5)
        path = tree / f"g{i % 7}" / f"r{i:04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tree


def start_and_kill(tree: pathlib.Path, out: pathlib.Path, sig: int) -> int:
    """Start a batch, wait until it has finished a few files, then send `sig`."""
    proc = subprocess.Popen([enforce_exe(), "batch", str(tree), "-o", str(out), "-j", "2"],
                            stderr=subprocess.PIPE)
    manifest = out / batch.MANIFEST
    done_before = manifest.read_bytes().count(b"\n") if manifest.exists() else 0
    while proc.poll() is None:
        if manifest.exists() and manifest.read_bytes().count(b"\n") >= done_before + 5:
            proc.send_signal(sig)
            break
        time.sleep(0.005)
    proc.communicate(timeout=60)
    return proc.returncode


def assert_only_complete_files(out: pathlib.Path) -> None:
    visible = visible_files(out)
    assert all(name.endswith(".json") or name == batch.MANIFEST for name in visible), visible
    for name in visible - {batch.MANIFEST}:
        json.loads((out / name).read_text(encoding="utf-8"))
    for line in (out / batch.MANIFEST).read_text(encoding="utf-8").splitlines():
        json.loads(line)


def test_killed_batch_resumes_to_identical_output(tmp_path):
    tree = make_many(tmp_path, 80)
    out = tmp_path / "out"
    assert start_and_kill(tree, out, signal.SIGTERM) == 143
    assert_only_complete_files(out)
    done = (out / batch.MANIFEST).read_bytes().count(b"\n")
    assert start_and_kill(tree, out, signal.SIGKILL) == -signal.SIGKILL
    assert_only_complete_files(out)
    assert done < (out / batch.MANIFEST).read_bytes().count(b"\n") < 80
    finished = subprocess.run([enforce_exe(), "batch", str(tree), "-o", str(out), "-q"], capture_output=True)
    assert finished.returncode == 0, finished.stderr.decode()
    assert not [p for p in out.rglob("*") if p.name.endswith(batch.TEMP_SUFFIX)]

    clean = tmp_path / "clean"
    batch.run_batch(str(tree), str(clean), jobs=2)
    assert snapshot(out) == snapshot(clean)
    assert len((clean / "reports.jsonl").read_text(encoding="utf-8").splitlines()) == 80


def test_exit_codes(tmp_path, run_enforce):
    good = tmp_path / "good"
    good.mkdir()
    (good / "r.txt").write_text(sample_text(0), encoding="utf-8")
    ok = run_enforce("batch", good, "-o", tmp_path / "o1", "-q")
    assert ok.returncode == 0 and ok.stderr == b""
    (good / "empty.txt").write_bytes(b"")
    assert run_enforce("batch", good, "-o", tmp_path / "o2", "-q").returncode == 1
    for args in ([tmp_path / "missing", "-o", tmp_path / "o3"], [good, "-o", good / "inside"], [good]):
        result = run_enforce("batch", *args)
        assert result.returncode == 2, args
        assert b"Traceback" not in result.stderr
    assert not (good / "inside").exists()


@pytest.mark.parametrize("case", ["header", "jobs", "timeout", "file", "inside-out", "locked"])
def test_usage_errors(tmp_path, case):
    tree = make_tree(tmp_path)
    out = tmp_path / "out"
    args = {"header": dict(header="fr"), "jobs": dict(jobs=0), "timeout": dict(timeout=-1)}.get(case, {})
    in_dir = {"file": tree / "top.txt"}.get(case, tree)
    out_dir = {"inside-out": tmp_path}.get(case, out)
    out.mkdir()
    with batch._locked(str(out)) if case == "locked" else contextlib.nullcontext():
        with pytest.raises(UsageError):
            batch.run_batch(str(in_dir), str(out_dir), **args)


def test_a_folder_mixing_every_format_converts_each_file_once(tmp_path, run_enforce):
    """The same twin in every format the package reads: one record and one summary row each, same figures."""
    import shutil

    import formats_builders as B
    from conftest import ROOT

    tree = tmp_path / "in"
    tree.mkdir()
    rows = B.sheet_rows(B.TWIN)
    files = {"r.txt": "\n".join(B.TWIN).encode("utf-8"), "r.html": B.gov_html(B.TWIN).encode("utf-8"),
             "r.docx": B.docx_bytes(B.TWIN), "r.pdf": B.pdf_bytes(B.TWIN),
             "r.xlsx": B.xlsx_bytes([("Sheet1", rows)]), "r.xlsm": B.xlsx_bytes([("Sheet1", rows)]),
             "r.xls": B.xls_bytes([("Sheet1", rows)]), "r.ods": B.ods_bytes([("Sheet1", rows)])}
    if shutil.which("antiword") or shutil.which("catdoc") or os.environ.get("CI") == "true":
        files["r.doc"] = (ROOT / "tests" / "data" / "legacy" / "twin.doc").read_bytes()
        files["r.wps"] = files["r.doc"]
    for name, data in files.items():
        (tree / name).write_bytes(data)
    out = tmp_path / "out"
    result = run_enforce("batch", tree, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    summary = list(csv.DictReader((out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["file"] for r in summary) == sorted(files)
    for row in summary:
        assert (row["penalties.warnings"], row["penalties.fines"], row["permits.granted"]) == ("31", "54", "1816005"), row
    formats = {json.loads(line)["source"]["path"]: json.loads(line)["source"]["format"]
               for line in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines()}
    assert formats == {name: {"txt": "text", "xlsm": "xlsx", "wps": "doc"}.get(name[2:], name[2:]) for name in files}


DOCS_AND_REPORTS = {
    # a folder's own documents: skipped by default
    "README.md": False, "README.txt": False, "readme": False, "README.zh-CN.md": False, "LICENSE": False,
    "licence.txt": False, "COPYING": False, "CHANGELOG.md": False, "Changes.txt": False, "AUTHORS": False,
    "CONTRIBUTING.md": False,
    # near misses: a doc word is only part of the name before the first dot, so these are reports
    "2023年度报告.txt": True, "readme_notes_2023.txt": True, "news_relay_market.txt": True,
    "license-office-report.txt": True, "changes2023.md": True,
}


def _doc_tree(tmp_path):
    tree = tmp_path / "in"
    tree.mkdir()
    for name in DOCS_AND_REPORTS:
        (tree / name).write_text(sample_text(0), encoding="utf-8")
    return tree


def test_default_selection_skips_a_folders_own_documents(tmp_path):
    tree = _doc_tree(tmp_path)
    taken = {rel for rel, _ in batch.plan_inputs(str(tree)).items}
    assert taken == {name for name, report in DOCS_AND_REPORTS.items() if report}
    assert {rel for rel, _ in batch.plan_inputs(str(tree), include_docs=True).items} == set(DOCS_AND_REPORTS)
    # explicit --include patterns decide alone: a README they match is taken
    assert {rel for rel, _ in batch.plan_inputs(str(tree), include=("*.md",)).items} == {
        "README.md", "README.zh-CN.md", "CHANGELOG.md", "CONTRIBUTING.md", "changes2023.md"}


def test_batch_cli_include_docs(tmp_path, run_enforce):
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "report.txt").write_text(sample_text(0), encoding="utf-8")
    (tree / "README.md").write_text("# reports of 2023\n", encoding="utf-8")
    assert run_enforce("batch", tree, "-o", tmp_path / "o1", "-q").returncode == 0
    assert sorted(p.name for p in (tmp_path / "o1").glob("*.json")) == ["report.json"]
    proc = run_enforce("batch", tree, "-o", tmp_path / "o2", "-q", "--include-docs")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "o2").glob("*.json")) == ["README.json", "report.json"]
