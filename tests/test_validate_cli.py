"""`enforce validate` and `enforce rules` through the installed entry point: exit codes, config, samples."""

import json

from conftest import ROOT
from test_validate_formats import record_file

EXPECTED = ROOT / "tests/data/validate_samples.expected.json"


def test_exit_0_when_only_warnings(run_enforce, tmp_path):
    record_file(tmp_path / "r.json", {"report_year": 2024, "published_on": "2025-02-01"})
    proc = run_enforce("validate", tmp_path / "r.json", "--isolated")
    assert proc.returncode == 0 and b"D303" in proc.stdout


def test_a_document_that_is_not_a_report_fails_unless_d301_is_ignored(run_enforce, tmp_path):
    """A notice committed in place of the report fails the default check; a mixed directory turns D301 off."""
    notice = ROOT / "samples" / "huainan_notice.txt"
    proc = run_enforce("validate", notice, "--isolated")
    assert proc.returncode == 1 and b"D301 not an enforcement report (document.kind is notice)" in proc.stdout
    assert run_enforce("validate", notice, "--isolated", "--ignore", "D301").returncode == 0
    assert run_enforce("validate", notice, "--isolated", "--ignore", "not-a-report").returncode == 0
    (tmp_path / "enforce.toml").write_text('ignore = ["D301"]\n', encoding="utf-8")
    assert run_enforce("validate", notice, cwd=tmp_path).returncode == 0
    page = run_enforce("rules", "D301").stdout.decode()
    assert page.startswith("D301 ") and "error" in page.split("\n")[0] and "--ignore D301" in page


def test_exit_1_on_error_findings_and_exit_zero(run_enforce, tmp_path):
    record_file(tmp_path / "r.json", {"report_year": None})
    assert run_enforce("validate", tmp_path, "--isolated").returncode == 1
    assert run_enforce("validate", tmp_path, "--isolated", "--exit-zero").returncode == 0
    assert run_enforce("validate", tmp_path, "--isolated", "--ignore", "D302").returncode == 0


def test_exit_2_on_usage_errors(run_enforce, tmp_path):
    """Bad values in general are covered in test_validate_config; here the boundary turns them into exit 2."""
    for args in (["--isolated", "--select", "Z1"], ["--config", tmp_path / "missing.toml"],
                 ["--config", tmp_path / "x.toml", "--isolated"]):
        proc = run_enforce("validate", tmp_path, *args)
        assert proc.returncode == 2, args
        assert proc.stderr.decode().startswith("error: ") and b"Traceback" not in proc.stderr
    assert run_enforce("validate").returncode == 2


def test_exit_3_on_unreadable_inputs_while_the_rest_is_checked(run_enforce, tmp_path):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    record_file(tmp_path / "r.json", {"report_year": None})
    proc = run_enforce("validate", tmp_path, tmp_path / "nothing-here", "--isolated")
    assert proc.returncode == 3
    err = proc.stderr.decode()
    assert "broken.json: invalid JSON" in err and "empty.txt: input is empty" in err
    assert "nothing-here: no such file or directory" in err
    assert b"D302" in proc.stdout


def test_schema_failure_is_a_finding(run_enforce, tmp_path):
    (tmp_path / "x.json").write_text('{"name": "not a record"}', encoding="utf-8")
    proc = run_enforce("validate", tmp_path / "x.json", "--isolated", "--format", "json")
    (found,) = json.loads(proc.stdout)
    assert proc.returncode == 1 and found["code"] == "D300" and found["line"] == 1


def test_directories_are_walked_for_reports_and_records(run_enforce, tmp_path):
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    (tmp_path / "sub" / "a.txt").write_text("某局2024年度行政执法工作报告\n", encoding="utf-8")
    (tmp_path / "sub" / ".hidden" / "b.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "sub" / "notes.md").write_text("# readme\n", encoding="utf-8")
    proc = run_enforce("validate", tmp_path, "--isolated", "--format", "junit", "--exit-zero")
    assert proc.returncode == 0 and b'name="' + str(tmp_path / "sub" / "a.txt").encode() in proc.stdout
    assert b"b.txt" not in proc.stdout and b"notes.md" not in proc.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_enforce("validate", empty, "--isolated")
    assert proc.returncode == 0 and b"no report or record files found" in proc.stderr


def test_config_discovered_from_the_working_directory(run_enforce, tmp_path):
    record_file(tmp_path / "r.json", {"report_year": None, "inspections.total": None})
    (tmp_path / "pyproject.toml").write_text('[tool.enforce]\nselect = ["C"]\n', encoding="utf-8")
    work = tmp_path / "deep" / "er"
    work.mkdir(parents=True)
    proc = run_enforce("validate", tmp_path / "r.json", "--format", "json", cwd=work)
    assert [p["code"] for p in json.loads(proc.stdout)] == ["C101"]
    (tmp_path / "deep" / "enforce.toml").write_text('select = ["D302"]\n', encoding="utf-8")
    proc = run_enforce("validate", tmp_path / "r.json", "--format", "json", cwd=work)
    assert [p["code"] for p in json.loads(proc.stdout)] == ["D302"]
    proc = run_enforce("validate", tmp_path / "r.json", "--format", "json", "--select", "C,D", cwd=work)
    assert [p["code"] for p in json.loads(proc.stdout)] == ["C101", "D302"]
    proc = run_enforce("validate", tmp_path / "r.json", "--config", tmp_path / "pyproject.toml", cwd=work)
    assert b"C101" in proc.stdout and b"D302" not in proc.stdout


def test_config_key_error_exits_2(run_enforce, tmp_path):
    (tmp_path / "enforce.toml").write_text('formatt = "json"\n', encoding="utf-8")
    proc = run_enforce("validate", tmp_path, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.decode().strip().endswith("unknown key 'formatt'; did you mean 'format'?")


def test_rules_lists_and_explains(run_enforce):
    listing = run_enforce("rules").stdout.decode().splitlines()
    assert listing[0].startswith("C101  error    missing-field")
    assert any(line.startswith("K290") and "off by default" in line for line in listing)
    page = run_enforce("rules", "K201").stdout.decode()
    assert "Example that fires on:" in page and "-> K201 simple plus general procedure" in page
    assert "Example that passes on:" in page and "-> no finding" in page
    assert run_enforce("rules", "camera-ratio-mismatch").stdout.startswith(b"K208 ")
    assert json.loads(run_enforce("rules", "--json").stdout)[0]["code"] == "C101"
    proc = run_enforce("rules", "Q999")
    assert proc.returncode == 2 and proc.stderr == b"error: unknown rule 'Q999' (see `enforce rules`)\n"


def test_samples_match_the_expected_findings(run_enforce, update_golden):
    """`enforce validate samples` on the project's own samples; regenerate with pytest --update-golden."""
    proc = run_enforce("validate", "samples", "--isolated", "--format", "json", cwd=ROOT)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    got = {"command": "enforce validate samples --isolated --format json",
           "exit_code": proc.returncode, "findings": json.loads(proc.stdout)}
    if update_golden:
        EXPECTED.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(EXPECTED.read_text(encoding="utf-8")), \
        "validate findings on samples/ changed: review, then run pytest --update-golden"


def test_a_folders_readme_and_license_are_not_reports(run_enforce, tmp_path):
    """As batch and review: a walked folder's own documents are skipped; named on the command line,
    a README is validated like any file."""
    (tmp_path / "README.txt").write_text("本目录存放各单位2024年行政执法年度报告。\n", encoding="utf-8")
    (tmp_path / "LICENSE").write_text("CC BY 4.0\n", encoding="utf-8")
    record_file(tmp_path / "r.json", {"report_year": 2024, "published_on": "2025-02-01"})
    walked = run_enforce("validate", tmp_path, "--isolated", "--format", "json")
    assert {p["file"] for p in json.loads(walked.stdout)} <= {str(tmp_path / "r.json")}
    assert b"README" not in walked.stdout + walked.stderr
    named = run_enforce("validate", tmp_path / "README.txt", "--isolated", "--format", "json")
    assert {p["file"] for p in json.loads(named.stdout)} == {str(tmp_path / "README.txt")}
