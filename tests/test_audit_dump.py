"""tools/audit_dump.py, run as a user runs it: every value taken, with evidence and context, as TSV."""
import csv
import io
import pathlib
import subprocess
import sys

TOOL = pathlib.Path(__file__).resolve().parents[1] / "tools" / "audit_dump.py"

# My own small report: a title with agency and year, two figures with their labels.
REPORT = (
    "某某县应急管理局2023年度行政执法工作报告\n"
    "2023年，我局共作出行政处罚决定15件，罚款金额共计3.2万元。\n"
)


def dump(directory: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), str(directory), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def rows(stdout: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(stdout), delimiter="\t"))


def test_every_value_with_its_evidence_and_context(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    out = dump(tmp_path)
    assert out.returncode == 0, out.stderr
    by_field = {r["field"]: r for r in rows(out.stdout)}
    decisions = by_field["penalties.decisions"]
    assert (decisions["file"], decisions["group"], decisions["value"]) == ("a.txt", "figure", "15")
    assert decisions["evidence"] in decisions["context"].replace("【", "").replace("】", "")
    assert "行政处罚决定【15件】" in decisions["context"]
    assert by_field["penalties.fines_yuan"]["value"] == "32000"
    assert by_field["report_year"]["group"] == "identity"
    assert by_field["report_year"]["value"] == "2023"
    assert by_field["document.kind"]["value"] == "report"
    assert "penalties.warnings" not in by_field  # nulls are not dumped


def test_group_filter_and_glob(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "b.md").write_text(REPORT, encoding="utf-8")
    figures = rows(dump(tmp_path, "--group", "figure").stdout)
    assert figures and {r["group"] for r in figures} == {"figure"}
    assert {r["file"] for r in figures} == {"a.txt"}
    both = rows(dump(tmp_path, "--glob", "*", "--group", "identity").stdout)
    assert {r["file"] for r in both} == {"a.txt", "b.md"}


def test_not_a_directory_is_one_error_line(tmp_path):
    out = dump(tmp_path / "missing")
    assert out.returncode == 2
    assert out.stderr.startswith("error:") and "Traceback" not in out.stderr


def test_an_unreadable_file_is_reported_and_the_others_dumped(tmp_path):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = dump(tmp_path)
    assert out.returncode == 1
    assert out.stderr.startswith("error:") and "empty.txt" in out.stderr and "Traceback" not in out.stderr
    assert {r["file"] for r in rows(out.stdout)} == {"a.txt"}
