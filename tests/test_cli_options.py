"""One option vocabulary across commands (-o/--output, --format json, -V/--version), old spellings kept
as hidden aliases, and every command and option documented."""

import json
import re

import pytest

from conftest import ROOT, SAMPLES
from enforcement_parser import __version__
from enforcement_parser.commands.app import build_app

SAMPLE = SAMPLES / "dongli_narrative.txt"
COMMANDS = build_app().commands
# Where each command's options are documented (README's command table links the pages).
DOC_PAGES = {"parse": ["README.md"], "schema": ["README.md"], "fields": ["README.md"],
             "batch": ["docs/batch.md"], "validate": ["docs/validate.md"], "rules": ["docs/validate.md"],
             "review": ["docs/review.md"]}


def _help_lines(run_enforce, *args) -> str:
    proc = run_enforce(*args, "--help")
    assert proc.returncode == 0
    return proc.stdout.decode("utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_every_command_accepts_version(run_enforce, command, flag):
    proc = run_enforce(command, flag)
    assert (proc.returncode, proc.stdout.decode(), proc.stderr) == (0, f"enforce {__version__}\n", b"")


def test_version_spelled_as_an_option_value_is_the_value(run_enforce, tmp_path):
    proc = run_enforce("parse", SAMPLE, "-o", "-V", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == b""
    assert json.loads((tmp_path / "-V").read_text(encoding="utf-8"))["document"]["kind"] == "report"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_that_writes_names_its_file_with_o_output(command):
    """-o and --output on every command (batch's is its output folder)."""
    opts = {o for p in COMMANDS[command].params for o in p.opts}
    assert {"-o", "--output"} <= opts


def test_validate_output_file_is_a_hidden_alias_of_output(run_enforce, tmp_path):
    new = run_enforce("validate", SAMPLE, "--format", "json", "--output", tmp_path / "new.json")
    old = run_enforce("validate", SAMPLE, "--format", "json", "--output-file", tmp_path / "old.json")
    assert new.returncode == old.returncode == 1   # the sample misses core fields: error findings
    assert (tmp_path / "new.json").read_bytes() == (tmp_path / "old.json").read_bytes()
    assert json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))[0]["code"].startswith("C")
    assert "--output-file" not in _help_lines(run_enforce, "validate")


@pytest.mark.parametrize("args", [["fields"], ["rules"], ["rules", "K201"]])
def test_json_is_a_hidden_alias_of_format_json(run_enforce, args):
    new = run_enforce(*args, "--format", "json")
    old = run_enforce(*args, "--json")
    text = run_enforce(*args)
    assert new.returncode == old.returncode == text.returncode == 0
    assert new.stdout == old.stdout and json.loads(new.stdout)
    assert text.stdout != new.stdout and not text.stdout.startswith((b"[", b"{"))
    assert "--json" not in _help_lines(run_enforce, args[0])


@pytest.mark.parametrize("command", ["fields", "rules"])
def test_unknown_format_is_a_usage_error(run_enforce, command):
    proc = run_enforce(command, "--format", "xml")
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode() == "error: --format must be text or json, not 'xml'\n"


def _documented(command: str) -> str:
    return "\n".join((ROOT / page).read_text(encoding="utf-8") for page in DOC_PAGES[command])


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(DOC_PAGES) == set(COMMANDS)
    for command in COMMANDS:
        assert f"enforce {command}" in readme, command


@pytest.mark.parametrize("command", sorted(DOC_PAGES))
def test_every_option_is_documented(command):
    """Each option's long name (or its only name) in the command's page; hidden aliases too, as old
    spellings that still work. --help and --version are documented once in the README."""
    text = _documented(command)
    for param in COMMANDS[command].params:
        if param.name in ("help", "version") or param.param_type_name == "argument":
            continue
        flag = max(param.opts, key=len)
        assert re.search(rf"`[^`]*{re.escape(flag)}(?![\w-])", text), f"{command} {flag}"
