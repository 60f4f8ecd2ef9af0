"""`enforce parse FILE` skips typer; the result must be exactly what the typer command gives."""

import subprocess
import sys

import pytest

from conftest import SAMPLES
from enforcement_parser.commands.parse import plain_parse_args

SAMPLE = SAMPLES / "shenyang_template.txt"
# --max-bytes with its default value changes nothing but sends the command through typer
VIA_TYPER = ["--max-bytes", str(20 * 1024 * 1024)]


@pytest.mark.parametrize("args, expected", [
    (["parse", "a.txt"], {"file": "a.txt"}),
    (["parse", "-"], {"file": "-"}),
    (["parse", "--compact", "a.txt", "-o", "out.json"], {"compact": True, "file": "a.txt", "output": "out.json"}),
    (["parse", "a.txt", "--summary", "--text"], {"file": "a.txt", "summary": True, "text": True}),
])
def test_plain_shapes_take_the_fast_path(args, expected):
    assert plain_parse_args(args) == expected


@pytest.mark.parametrize("args", [
    [], ["parse"], ["schema"], ["parse", "--help"], ["parse", "a.txt", "-h"], ["parse", "a.txt", "b.txt"],
    ["parse", "a.txt", "--compact", "--compact"], ["parse", "a.txt", "--output=o.json"],
    ["parse", "a.txt", "-o"], ["parse", "a.txt", "-o", "-"], ["parse", "a.txt", *VIA_TYPER],
    ["parse", "--", "a.txt"], ["--version", "parse", "a.txt"],
])
def test_everything_else_goes_through_typer(args):
    assert plain_parse_args(args) is None


def test_completion_request_goes_through_typer(monkeypatch):
    monkeypatch.setenv("_ENFORCE_COMPLETE", "bash_complete")
    assert plain_parse_args(["parse", "a.txt"]) is None


@pytest.mark.parametrize("args", [
    [str(SAMPLE)], [str(SAMPLE), "--compact"], ["--compact", str(SAMPLE)], [str(SAMPLE), "--text"],
    ["-"], ["missing.txt"], ["."],
])
def test_fast_path_output_equals_typer_output(run_enforce, args, tmp_path):
    stdin = SAMPLE.read_bytes()
    fast = run_enforce("parse", *args, input=stdin, cwd=tmp_path)
    typer = run_enforce("parse", *args, *VIA_TYPER, input=stdin, cwd=tmp_path)
    assert (fast.returncode, fast.stdout, fast.stderr) == (typer.returncode, typer.stdout, typer.stderr)


def test_fast_path_output_file_equals_typer_output_file(run_enforce, tmp_path):
    fast = run_enforce("parse", SAMPLE, "-o", tmp_path / "fast.json")
    typer = run_enforce("parse", SAMPLE, "-o", tmp_path / "typer.json", *VIA_TYPER)
    assert fast.returncode == typer.returncode == 0 and fast.stdout == typer.stdout == b""
    assert (tmp_path / "fast.json").read_bytes() == (tmp_path / "typer.json").read_bytes()


def test_parse_does_not_import_typer():
    code = ("import sys; from enforcement_parser.commands.cli import main; main(['parse', sys.argv[1]]); "
            "sys.stderr.write(' '.join(m for m in ('typer', 'rich', 'click') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
