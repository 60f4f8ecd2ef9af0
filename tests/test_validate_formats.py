"""Each output format of `enforce validate`, run through the real entry point and parsed back."""

import json
import xml.etree.ElementTree as ET

import pytest

from enforcement_parser.lint.examples import apply, base_record


def record_file(path, overrides=None, evidence=None):
    record = apply(base_record(), overrides or {})
    record["source"]["path"] = "reports/bad.txt"
    record["evidence"] = {p: {"text": "x", "start": 0, "end": 1, "line": line, "qualifier": "exact", "rule": "t"}
                          for p, line in (evidence or {}).items()}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path):
    record_file(tmp_path / "a,bad.json", {"penalties.decisions": 5, "penalties.summary_procedure": 6,
                                         "inspections.total": None},
                evidence={"penalties.decisions": 7, "penalties.summary_procedure": 8})
    record_file(tmp_path / "good.json")
    return tmp_path


def run_validate(run_enforce, cwd, *args):
    return run_enforce("validate", ".", "--isolated", *args, cwd=cwd)


def test_text_lines(run_enforce, tree):
    proc = run_validate(run_enforce, tree)
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        "a,bad.json:1: C101 行政检查次数 (inspections.total) is missing",
        "a,bad.json:1: K201 simple plus general procedure: summary_procedure 6 = 6 exceeds "
        "行政处罚决定数 (penalties.decisions) 5 (report reports/bad.txt:7)",
    ]
    assert "\x1b[" not in proc.stdout.decode()
    assert proc.stderr.decode() == "Found 2 problems (2 errors) in 2 files.\n"


def test_json_round_trip(run_enforce, tree):
    found = json.loads(run_validate(run_enforce, tree, "--format", "json").stdout)
    assert [(p["code"], p["file"], p["line"], p["source"], p["source_line"]) for p in found] == [
        ("C101", "a,bad.json", 1, "reports/bad.txt", None),
        ("K201", "a,bad.json", 1, "reports/bad.txt", 7),
    ]
    assert found[1]["severity"] == "error" and found[1]["name"] == "procedure-split-exceeds-decisions"
    assert found[1]["field"] == "penalties.decisions"


def test_github_lines_exactly(run_enforce, tree):
    proc = run_validate(run_enforce, tree, "--format", "github")
    assert proc.stdout.decode().splitlines() == [
        "::error file=a%2Cbad.json,line=1,title=C101::行政检查次数 (inspections.total) is missing",
        "::error file=a%2Cbad.json,line=1,title=K201::simple plus general procedure: summary_procedure 6 = 6 "
        "exceeds 行政处罚决定数 (penalties.decisions) 5 (report reports/bad.txt:7)",
    ]
    assert proc.stderr == b""


def test_github_levels_for_warnings_and_info(run_enforce, tmp_path):
    record_file(tmp_path / "r.json", {"warnings": [
        {"code": "not-applicable", "field": "expropriation.cases", "line": 3},
        {"code": "blank-in-template", "field": "penalties.fines", "line": 4, "message": "50%\nblank"}]})
    lines = run_validate(run_enforce, tmp_path, "--format", "github").stdout.decode().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning", "::notice"]
    assert "50%25%0Ablank" in lines[0]


def test_junit_structure(run_enforce, tree):
    root = ET.fromstring(run_validate(run_enforce, tree, "--format", "junit").stdout)
    assert root.tag == "testsuites" and root.get("failures") == "2" and root.get("tests") == "3"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"a,bad.json", "good.json"}
    bad = suites["a,bad.json"]
    assert bad.get("failures") == "2"
    failures = [case.find("failure") for case in bad.iter("testcase")]
    assert [f.get("type") for f in failures] == ["C101", "K201"]
    assert "inspections.total" in failures[0].get("message")
    (clean,) = suites["good.json"].iter("testcase")
    assert clean.find("failure") is None


def test_sarif_structure(run_enforce, tree):
    sarif = json.loads(run_validate(run_enforce, tree, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and "sarif-2.1.0" in sarif["$schema"]
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "enforce"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["C101", "K201"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["level"] == "error" and r["message"]["text"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "a%2Cbad.json" and loc["region"]["startLine"] == 1
    related = results[1]["relatedLocations"][0]["physicalLocation"]
    assert related == {"artifactLocation": {"uri": "reports/bad.txt"}, "region": {"startLine": 7}}


def test_statistics_text_and_json(run_enforce, tree):
    proc = run_validate(run_enforce, tree, "--statistics")
    assert proc.stdout.decode().splitlines() == ["1  C101  missing-field  [error]",
                                                 "1  K201  procedure-split-exceeds-decisions  [error]"]
    stats = json.loads(run_validate(run_enforce, tree, "--statistics", "--format", "json").stdout)
    assert stats[0] == {"code": "C101", "name": "missing-field", "severity": "error", "count": 1}
    assert run_validate(run_enforce, tree, "--statistics", "--format", "sarif").returncode == 2


def test_output_file(run_enforce, tree):
    proc = run_validate(run_enforce, tree, "--format", "json", "--output-file", "out.json")
    assert proc.stdout == b"" and proc.returncode == 1
    assert len(json.loads((tree / "out.json").read_text(encoding="utf-8"))) == 2
    assert not list(tree.glob(".enforce-*"))


def test_colour_only_on_a_terminal_without_no_color(monkeypatch, capsys):
    import io

    from enforcement_parser.commands import validate as command
    from enforcement_parser.lint.config import resolve
    from enforcement_parser.lint.problem import Problem
    from enforcement_parser.lint.runner import Result

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    result = Result([Problem("r.txt", 3, "K201", "procedure-split-exceeds-decisions", "error", "m")], ["r.txt"])
    monkeypatch.delenv("NO_COLOR", raising=False)
    for tty, no_color, coloured in ((True, False, True), (True, True, False), (False, False, False)):
        out = Terminal() if tty else io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        if no_color:
            monkeypatch.setenv("NO_COLOR", "1")
        command._emit(result, resolve({}, {}), None)
        assert ("\x1b[31mK201\x1b[0m" in out.getvalue()) is coloured
        assert out.getvalue().endswith(" m\n")


def test_sarif_uris_are_percent_encoded():
    from enforcement_parser.lint.formatters import format_sarif
    from enforcement_parser.lint.problem import Problem

    p = Problem("报告 2024.txt", 2, "D302", "missing-report-year", "error", "m")
    sarif = json.loads(format_sarif([p], ["报告 2024.txt"], ()))
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E6%8A%A5%E5%91%8A%202024.txt"
    assert "ruleIndex" not in sarif["runs"][0]["results"][0]
