"""`enforce batch --db`: the SQLite tables, their update in place, kills and resumes, injection, the docs' queries."""

import json
import os
import pathlib
import re
import shutil
import signal
import sqlite3
import subprocess
import textwrap
import time

import pytest
from review_files import decision, review, write

from conftest import SAMPLES, enforce_exe
from enforcement_parser.api import parse_text, sha256_hex
from enforcement_parser.knowledge.catalogue import fields

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Small reports whose every figure is read here by hand: agency, year, 处罚决定 (count), 罚款 (yuan).
MINI = {
    "甲/2023.txt": "某市甲局2023年度行政执法工作报告\n全年作出行政处罚决定 613 件，罚款 42.9万元。\n",
    "甲/2022.txt": "某市甲局2022年度行政执法工作报告\n全年作出行政处罚决定 500 件，罚款 30万元。\n",
    "乙/2023.txt": "某市乙局2023年度行政执法工作报告\n全年作出行政处罚决定 87 件，罚款 5万元。本局执法队伍 35 人。\n",
}


def dump(db) -> dict:
    """Every row of the three tables, sorted: the content two databases must share."""
    con = sqlite3.connect(db)
    try:
        return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}"))) for t in ("reports", '"values"', "warnings")}
    finally:
        con.close()


def mini_tree(root: pathlib.Path) -> pathlib.Path:
    for rel, text in MINI.items():
        (root / "in" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "in" / rel).write_text(text, encoding="utf-8")
    # 乙局's officers are stated as 执法队伍 35 人, which the engine does not read: a person adds them.
    text = MINI["乙/2023.txt"]
    record = parse_text(text, path="乙/2023.txt")
    (root / "reviews").mkdir()
    write(root / "reviews/yi.review.json", review(record, {
        "personnel.officers": decision(record, text, "personnel.officers", "add", 35, "35 人"),
        "penalties.decisions": decision(record, text, "penalties.decisions", "confirm")}))
    return root


def batch(root, *extra, out="out", db="out/reports.sqlite"):
    return subprocess.run([enforce_exe(), "batch", root / "in", "-o", root / out, "--reviews", root / "reviews",
                           "--db", root / db, "-q", *extra], capture_output=True)


def test_tables_rows_and_indexes(tmp_path):
    root = mini_tree(tmp_path)
    proc = batch(root, "-j", "1")
    assert proc.returncode == 0, proc.stderr
    con = sqlite3.connect(root / "out/reports.sqlite")
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    columns = [row[1] for row in con.execute("PRAGMA table_info(reports)")]
    assert columns == ["report", "sha256", "agency", "year", "kind", "verified", "corrected", "record_sha256",
                       *(f.path for f in fields())]
    rows = con.execute('SELECT report, agency, year, kind, verified, corrected, "penalties.decisions", '
                       '"penalties.fines_yuan", "personnel.officers" FROM reports ORDER BY report').fetchall()
    assert rows == [("乙/2023.txt", "某市乙局", 2023, "report", 2, 1, 87, 50000, 35),
                    ("甲/2022.txt", "某市甲局", 2022, "report", 0, 0, 500, 300000, None),
                    ("甲/2023.txt", "某市甲局", 2023, "report", 0, 0, 613, 429000, None)]
    text = MINI["乙/2023.txt"]
    start = text.index("35 人")
    assert con.execute('SELECT * FROM "values" WHERE report = ? AND path LIKE ? ORDER BY path',
                       ("乙/2023.txt", "person%")).fetchall() == [
        ("乙/2023.txt", "personnel.officers", 35, "exact", "review:added", "35 人", start, start + 4, 2, 1)]
    assert con.execute('SELECT verified, rule FROM "values" WHERE report = ? AND path = ?',
                       ("乙/2023.txt", "penalties.decisions")).fetchone()[0] == 1
    record = json.loads((root / "out/乙/2023.json").read_text(encoding="utf-8"))
    assert con.execute("SELECT code, severity, field, message, line FROM warnings WHERE report = ? ORDER BY rowid",
                       ("乙/2023.txt",)).fetchall() == [
        (w["code"], w["severity"], w["field"], w["message"], w.get("line")) for w in record["warnings"]]
    indexes = {row[1] for t in ("reports", "values") for row in con.execute(f'PRAGMA index_list("{t}")')}
    assert {"reports_agency_year", "values_path"} <= indexes
    assert [row[2] for row in con.execute("PRAGMA index_info(reports_agency_year)")] == ["agency", "year"]


def doc_queries() -> list[str]:
    text = (ROOT / "docs/batch.md").read_text(encoding="utf-8")
    section = text[text.index("### The database"):text.index("### Exit codes")]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_the_docs_queries_answer_what_they_say(tmp_path):
    root = mini_tree(tmp_path)
    assert batch(root, "-j", "1").returncode == 0
    con = sqlite3.connect(root / "out/reports.sqlite")
    totals, agency, corrected = (con.execute(q).fetchall() for q in doc_queries())
    # 2023: 甲 613 + 乙 87 decisions, 429000 + 50000 yuan; 乙's 35 officers were added by a person
    assert totals == [("penalties.decisions", 700, 2), ("penalties.fines_yuan", 479000, 2),
                      ("personnel.officers", 35, 1)]
    assert agency == [(2022, 500, 300000, 0), (2023, 613, 429000, 0)]
    assert corrected == [("乙/2023.txt", "personnel.officers", 35, "35 人", 2)]


def test_rerun_updates_in_place(tmp_path):
    root = mini_tree(tmp_path)
    assert batch(root, "-j", "1").returncode == 0
    (root / "in/甲/2022.txt").unlink()
    (root / "in/甲/2023.txt").write_text(MINI["甲/2023.txt"].replace("613", "614"), encoding="utf-8")
    (root / "reviews/yi.review.json").unlink()
    assert batch(root, "-j", "1").returncode == 0
    fresh = uninterrupted(root, tmp_path / "fresh")
    assert dump(root / "out/reports.sqlite") == fresh
    con = sqlite3.connect(root / "out/reports.sqlite")
    assert con.execute('SELECT report, "penalties.decisions", verified FROM reports ORDER BY report').fetchall() == [
        ("乙/2023.txt", 87, 0), ("甲/2023.txt", 614, 0)]


def uninterrupted(root: pathlib.Path, fresh: pathlib.Path) -> dict:
    """The database rows of one uninterrupted run over a copy of root's inputs and reviews."""
    shutil.copytree(root / "in", fresh / "in")
    shutil.copytree(root / "reviews", fresh / "reviews")
    assert batch(fresh, "-j", "1").returncode == 0
    return dump(fresh / "out/reports.sqlite")


def dying_at_row(tmp_path: pathlib.Path, n: int) -> dict:
    """An environment whose `enforce` kills itself with SIGKILL right after writing the n-th report's
    rows, inside the database transaction (a sitecustomize on PYTHONPATH patches ReportDB._write)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(f"""
        import os, signal
        from enforcement_parser.outputs.database import ReportDB
        write, done = ReportDB._write, []
        def dying(self, *args):
            write(self, *args)
            done.append(1)
            if len(done) == {n}:
                os.kill(os.getpid(), signal.SIGKILL)
        ReportDB._write = dying
    """))
    return {**os.environ, "PYTHONPATH": str(site)}


def many_tree(root: pathlib.Path, n: int) -> pathlib.Path:
    mini_tree(root)
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(n):
        shutil.copy(samples[i % len(samples)], root / "in" / f"copy{i:03}.txt")
    return root


def test_killed_while_writing_the_database_then_resumed(tmp_path):
    """SIGKILL inside the database transaction, on a database an earlier run filled: the
    database keeps the earlier run's rows intact, and the resumed run ends with the uninterrupted rows."""
    root = many_tree(tmp_path / "a", 6)
    os.rename(root / "reviews/yi.review.json", root / "yi.review.json")
    assert batch(root, "-j", "1").returncode == 0
    before = dump(root / "out/reports.sqlite")
    os.rename(root / "yi.review.json", root / "reviews/yi.review.json")
    (root / "in/甲/2023.txt").write_text(MINI["甲/2023.txt"].replace("613", "614"), encoding="utf-8")
    env = dying_at_row(tmp_path, 2)
    killed = subprocess.run([enforce_exe(), "batch", root / "in", "-o", root / "out", "--reviews", root / "reviews",
                             "--db", root / "out/reports.sqlite", "-q", "-j", "1"], capture_output=True, env=env)
    assert killed.returncode == -signal.SIGKILL
    assert dump(root / "out/reports.sqlite") == before, "half a transaction must not show"
    assert batch(root, "-j", "1").returncode == 0
    fresh = uninterrupted(root, tmp_path / "fresh")
    assert dump(root / "out/reports.sqlite") == fresh != before


def test_killed_while_converting_then_resumed(tmp_path):
    root = many_tree(tmp_path / "a", 40)
    proc = subprocess.Popen([enforce_exe(), "batch", root / "in", "-o", root / "out", "--reviews", root / "reviews",
                             "--db", root / "out/reports.sqlite", "-q", "-j", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = root / "out/manifest.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_text().count("\n") >= 5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert batch(root, "-j", "2").returncode == 0
    fresh = uninterrupted(root, tmp_path / "fresh")
    assert dump(root / "out/reports.sqlite") == fresh
    assert len(dump(root / "out/reports.sqlite")["reports"]) == 43


@pytest.mark.parametrize("name", ["x'); DROP TABLE reports; --.txt", 'y"; DELETE FROM "values"; --.txt'])
def test_injection_attempts_are_stored_as_text(tmp_path, name):
    root = mini_tree(tmp_path)
    hostile = "某市甲局'); DROP TABLE warnings; --"
    text = f"{hostile}2024年度行政执法工作报告\n全年作出行政处罚决定 9 件。\n"
    (root / "in" / name).write_text(text, encoding="utf-8")
    record = parse_text(text, path=name, sha256=sha256_hex(text.encode()))
    write(root / "reviews/hostile.review.json", review(record, {
        "agency.name": decision(record, text, "agency.name", "correct", hostile, hostile)}))
    assert batch(root, "-j", "1").returncode == 0, "the hostile review is valid: its span holds its text"
    con = sqlite3.connect(root / "out/reports.sqlite")
    assert con.execute("SELECT agency, \"penalties.decisions\" FROM reports WHERE report = ?", (name,)).fetchall() == [
        (hostile, 9)]
    assert con.execute('SELECT value, evidence FROM "values" WHERE report = ? AND path = ?',
                       (name, "agency.name")).fetchall() == [(hostile, hostile)]
    assert con.execute("SELECT COUNT(*) FROM reports").fetchone() == (4,)
    assert con.execute('SELECT COUNT(DISTINCT report) FROM "values"').fetchone() == (4,)
    assert con.execute("SELECT COUNT(DISTINCT report) FROM warnings").fetchone() == (4,)


def test_a_database_that_cannot_be_opened_is_an_output_error(tmp_path):
    root = mini_tree(tmp_path)
    (root / "out").mkdir()
    (root / "out/reports.sqlite").write_bytes(b"this is not a database" * 100)
    proc = batch(root, "-j", "1")
    assert proc.returncode == 4
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --db ") and "not a database" in lines[0], lines
