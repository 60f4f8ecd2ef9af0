"""`enforce validate --write-baseline / --baseline` and `--reviews`: CI on verified data, adopted step by step."""

import json
import shutil

import pytest
from review_files import decision, review, write

from conftest import SAMPLES
from enforcement_parser.api import parse_text, sha256_hex


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / "reports").mkdir()
    shutil.copy(SAMPLES / "dongli_narrative.txt", tmp_path / "reports/dongli.txt")
    shutil.copy(SAMPLES / "yubei_markdown.txt", tmp_path / "reports/yubei.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(proc) -> list[dict]:
    return json.loads(proc.stdout)


def test_write_then_check_against_the_baseline(run_enforce, repo):
    before = run_enforce("validate", "reports", "--isolated", "--format", "json", cwd=repo)
    assert before.returncode == 1 and findings(before)
    proc = run_enforce("validate", "reports", "--isolated", "--write-baseline", "baseline.json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert proc.stderr.decode() == f"wrote {len(findings(before))} findings to baseline.json\n"
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    assert data["baseline_version"] == 1
    # dongli's text never states its number of officers (a core field): accepted once, by report, rule, field
    assert {"report": "reports/dongli.txt", "code": "C101", "field": "personnel.officers", "count": 1} in data["findings"]
    assert sum(f["count"] for f in data["findings"]) == len(findings(before))

    proc = run_enforce("validate", "reports", "--isolated", "--baseline", "baseline.json", "--format", "json",
                       cwd=repo)
    assert (proc.returncode, findings(proc)) == (0, [])

    # a new report brings new findings: only those are reported, and they fail the check
    shutil.copy(SAMPLES / "shenyang_template.txt", repo / "reports/shenyang.txt")
    new = run_enforce("validate", "reports/shenyang.txt", "--isolated", "--format", "json", cwd=repo)
    proc = run_enforce("validate", "reports", "--isolated", "--baseline", "baseline.json", "--format", "json",
                       cwd=repo)
    assert findings(proc) == findings(new) and findings(new)
    assert proc.returncode == new.returncode


def test_a_finding_beyond_the_accepted_count_is_new(run_enforce, repo):
    """The baseline counts: a second finding of an accepted (report, rule, field) is still reported."""
    proc = run_enforce("validate", "reports", "--isolated", "--write-baseline", "baseline.json", cwd=repo)
    assert proc.returncode == 0
    data = json.loads((repo / "baseline.json").read_text(encoding="utf-8"))
    entry = next(f for f in data["findings"] if f["field"] == "personnel.officers")
    entry["count"] = 0
    (repo / "baseline.json").write_text(json.dumps(data), encoding="utf-8")
    proc = run_enforce("validate", "reports", "--isolated", "--baseline", "baseline.json", "--format", "json",
                       cwd=repo)
    assert [(f["file"], f["code"], f["field"]) for f in findings(proc)] == [
        ("reports/dongli.txt", "C101", "personnel.officers")]
    assert proc.returncode == 1


@pytest.mark.parametrize("args, message", [
    (["--baseline", "nowhere.json"], "--baseline nowhere.json: No such file or directory"),
    (["--baseline", "reports/dongli.txt"], "not a baseline file written by --write-baseline"),
    (["--baseline", "b.json", "--write-baseline", "b.json"], "--baseline and --write-baseline"),
])
def test_baseline_usage_errors(run_enforce, repo, args, message):
    proc = run_enforce("validate", "reports", "--isolated", *args, cwd=repo)
    assert proc.returncode == 2
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines


def test_reviews_make_validate_check_the_verified_values(run_enforce, tmp_path):
    """执法队伍 35 人 states the officers, which the engine does not read (C101); a review adds them."""
    text = "某市乙局2023年度行政执法工作报告\n全年作出行政处罚决定 87 件，罚款 5万元。本局执法队伍 35 人。\n"
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/yi.txt").write_text(text, encoding="utf-8")
    record = parse_text(text, path="reports/yi.txt", sha256=sha256_hex(text.encode()))
    (tmp_path / "reviews").mkdir()
    write(tmp_path / "reviews/yi.review.json", review(record, {
        "personnel.officers": decision(record, text, "personnel.officers", "add", 35, "35 人")}))

    def officers_missing(*extra) -> bool:
        proc = run_enforce("validate", "reports", "--isolated", "--format", "json", *extra, cwd=tmp_path)
        return ("C101", "personnel.officers") in {(f["code"], f["field"]) for f in findings(proc)}

    assert officers_missing()
    assert not officers_missing("--reviews", "reviews")


def test_reviewed_records_are_checked_and_conflicts_reported(run_enforce, tmp_path):
    """Records written by batch --reviews validate like any record; a review-conflict is D307."""
    text = "某市乙局2023年度行政执法工作报告\n全年作出行政处罚决定 87 件，罚款 5万元。本局执法队伍 35 人。\n"
    record = parse_text(text, path="yi.txt")
    (tmp_path / "in").mkdir()
    (tmp_path / "in/yi.txt").write_text(text, encoding="utf-8")
    (tmp_path / "reviews").mkdir()
    write(tmp_path / "reviews/yi.review.json", review(record, {
        "personnel.officers": decision(record, text, "personnel.officers", "add", 35, "35 人"),
        "penalties.decisions": decision(record, text, "penalties.decisions", "correct", 78, "87 件", machine=80)}))
    assert run_enforce("batch", tmp_path / "in", "-o", tmp_path / "out", "--reviews", tmp_path / "reviews",
                       "-q", "-j", "1").returncode == 0
    proc = run_enforce("validate", tmp_path / "out/yi.json", "--isolated", "--format", "json")
    found = {(f["code"], f["field"]) for f in findings(proc)}
    assert ("D307", "penalties.decisions") in found
    assert ("C101", "personnel.officers") not in found
    assert not any(f["code"] == "D300" for f in findings(proc))
