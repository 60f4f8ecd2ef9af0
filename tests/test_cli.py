"""The `enforce` command as users run it: the installed entry point, real files, exit codes."""
import json

import pytest

from conftest import SAMPLES
from enforcement_parser.knowledge.catalogue import fields

SAMPLE = SAMPLES / "dongli_narrative.txt"


def _one_error_line(proc) -> None:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), err


@pytest.fixture(scope="module")
def parsed_sample():
    """`enforce parse SAMPLE` once for the tests that only read its output."""
    import os
    import subprocess

    from conftest import enforce_exe

    return subprocess.run([enforce_exe(), "parse", str(SAMPLE)], capture_output=True,
                          env={**os.environ, "NO_COLOR": "1"})


def test_parse_prints_utf8_json_with_chinese_unescaped(parsed_sample):
    assert parsed_sample.returncode == 0, parsed_sample.stderr
    out = parsed_sample.stdout.decode("utf-8")
    record = json.loads(out)
    assert record["document"]["kind"] == "report"
    assert record["source"]["path"] == str(SAMPLE)
    assert "公安东丽分局" in out and "\\u" not in out
    assert out.endswith("}\n") and "\n  " in out   # indented by default
    assert parsed_sample.stderr == b""


def test_parse_reads_stdin(run_enforce, parsed_sample):
    proc = run_enforce("parse", "-", input=SAMPLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    expected = json.loads(parsed_sample.stdout)
    assert record["source"]["path"] == "-"
    del record["source"]["path"], expected["source"]["path"]
    assert record == expected


def test_parse_writes_the_output_file_and_no_temp_file(run_enforce, tmp_path, parsed_sample):
    target = tmp_path / "record.json"
    proc = run_enforce("parse", SAMPLE, "-o", target)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(parsed_sample.stdout)
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]


def test_compact_is_one_line(run_enforce, parsed_sample):
    proc = run_enforce("parse", SAMPLE, "--compact")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert out.count("\n") == 1 and out.endswith("\n")
    assert json.loads(out) == json.loads(parsed_sample.stdout)


def test_summary_goes_to_stderr_only(run_enforce, parsed_sample):
    proc = run_enforce("parse", SAMPLE, "--summary")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == parsed_sample.stdout
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert "penalties" in err or "行政处罚" in err


def test_schema_is_a_json_schema_that_accepts_a_record(run_enforce, parsed_sample):
    import jsonschema

    proc = run_enforce("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"source", "evidence", "warnings", "penalties"} <= set(schema["properties"])
    jsonschema.validate(json.loads(parsed_sample.stdout), schema)


def test_fields_lists_every_catalogue_path(run_enforce):
    proc = run_enforce("fields")
    assert proc.returncode == 0, proc.stderr
    listed = [ln.split("\t")[0] for ln in proc.stdout.decode("utf-8").splitlines()]
    assert listed == [f.path for f in fields()]


def test_version(run_enforce):
    from enforcement_parser import __version__

    proc = run_enforce("--version")
    assert proc.returncode == 0
    assert proc.stdout.decode().strip() == f"enforce {__version__}"


def test_parse_help_has_an_example(run_enforce):
    proc = run_enforce("parse", "--help")
    assert proc.returncode == 0
    assert "Example" in proc.stdout.decode("utf-8")


def test_root_help_has_an_example(run_enforce):
    proc = run_enforce("--help")
    assert proc.returncode == 0
    assert "Example" in proc.stdout.decode("utf-8")


def test_unknown_option_is_a_usage_error(run_enforce):
    proc = run_enforce("parse", SAMPLE, "--no-such-option")
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert "Traceback" not in proc.stderr.decode("utf-8")


def test_unknown_option_is_one_error_line(run_enforce):
    _one_error_line(run_enforce("parse", SAMPLE, "--no-such-option"))


def _binary(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(256)) * 40)
    return path


def _empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize("make", [
    pytest.param(lambda tmp: tmp / "no-such-report.txt", id="missing"),
    pytest.param(lambda tmp: tmp, id="directory"),
    pytest.param(_empty, id="empty"),
    pytest.param(_binary, id="binary"),
])
def test_unreadable_input_is_exit_3_with_one_error_line(run_enforce, tmp_path, make):
    proc = run_enforce("parse", make(tmp_path))
    assert proc.returncode == 3
    assert proc.stdout == b""
    _one_error_line(proc)


def test_output_file_is_not_written_on_error(run_enforce, tmp_path):
    target = tmp_path / "record.json"
    proc = run_enforce("parse", _empty(tmp_path), "-o", target)
    assert proc.returncode == 3
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt"]


def test_absurd_number_is_no_traceback(run_enforce, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("某市某局2023年度行政执法工作报告\n\n罚款" + "9" * 5000 + "件。\n", encoding="utf-8")
    proc = run_enforce("parse", path)
    assert "Traceback" not in proc.stderr.decode("utf-8")
    assert proc.returncode in (0, 3)
