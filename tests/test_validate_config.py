"""Config discovery (enforce.toml, pyproject [tool.enforce]), layering under the command line, selection."""

import pytest

from enforcement_parser.errors import UsageError
from enforcement_parser.lint.config import find_config, load_config, resolve, select_rules


def codes(*layers):
    return [r.code for r in select_rules([(values, "test") for values in layers])]


def test_default_selection_is_every_default_rule():
    selected = codes({})
    assert "C101" in selected and "K201" in selected and "K290" not in selected


def test_select_prefix_name_and_all():
    assert codes({"select": ["K20"]}) == [f"K20{i}" for i in range(1, 10)]
    assert codes({"select": ["missing-field"]}) == ["C101"]
    assert "K290" in codes({"select": ["ALL"]})


def test_more_specific_selector_wins_and_ignore_wins_a_tie():
    assert codes({"select": ["K"], "ignore": ["K2"]}) == []
    assert codes({"select": ["K201"], "ignore": ["K"]}) == ["K201"]
    assert codes({"select": ["K201"], "ignore": ["K201"]}) == []
    assert codes({"extend_select": ["K290"], "ignore": ["K"]}) == [c for c in codes({}) if c[0] != "K"][:4] + \
        ["K290"] + [c for c in codes({}) if c[0] == "D"]


def test_command_line_layer_applies_after_the_file():
    file, cli = {"select": ["C"], "ignore": ["C103"]}, {}
    assert codes(file, cli) == ["C101", "C102", "C104"]
    assert codes(file, {"extend_select": ["D302"]}) == ["C101", "C102", "C104", "D302"]
    assert codes(file, {"select": ["C103", "D"]})[:2] == ["C103", "D300"]
    assert codes(file, {"select": ["K201", "D302"]}) == ["K201", "D302"]


def test_unknown_selector_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown rule selector 'X9'"):
        codes({"ignore": ["X9"]})


def test_scalars_command_line_over_file():
    s = resolve({"profile": "full", "format": "json", "exit_zero": True}, {"format": "sarif"})
    assert (s.profile, s.format, s.exit_zero) == ("full", "sarif", True)
    assert resolve({"required": ["penalties.fines"]}, {"required": ["penalties.warnings"]}).required[-1] == \
        "penalties.warnings"


@pytest.mark.parametrize("values,message", [
    ({"profile": "strict"}, "unknown profile"),
    ({"format": "xml"}, "unknown format"),
    ({"required": ["penalties.decision"]}, "did you mean 'penalties.decisions'"),
])
def test_bad_values_are_usage_errors(values, message):
    with pytest.raises(UsageError, match=message):
        resolve(values, {})


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_walks_up_and_nearest_wins(tmp_path):
    top = write(tmp_path / "pyproject.toml", '[tool.enforce]\nprofile = "full"\n')
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == top
    nearer = write(tmp_path / "a" / "enforce.toml", 'select = ["K"]\n')
    assert find_config(deep) == nearer
    assert load_config(nearer) == {"select": ["K"]}


def test_enforce_toml_beats_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.enforce]\nprofile = "full"\n')
    both = write(tmp_path / "enforce.toml", 'profile = "core"\n')
    assert find_config(tmp_path) == both


def test_pyproject_without_our_table_is_passed_over(tmp_path):
    top = write(tmp_path / "enforce.toml", "")
    write(tmp_path / "sub" / "pyproject.toml", '[tool.black]\nline-length = 100\n')
    assert find_config(tmp_path / "sub") == top


@pytest.mark.parametrize("name,text,message", [
    ("enforce.toml", 'extend_select = ["K"]\n', "unknown key 'extend_select'; did you mean 'extend-select'"),
    ("enforce.toml", 'select = "K"\n', "select must be a list of strings"),
    ("enforce.toml", 'exit-zero = "yes"\n', "exit-zero must be true or false"),
    ("enforce.toml", "select = [\n", "invalid TOML"),
    ("pyproject.toml", '[tool.ruff]\n', "no \\[tool.enforce\\] table"),
    ("pyproject.toml", '[tool.enforce]\nprofiles = "full"\n', "\\[tool.enforce\\]: unknown key 'profiles'"),
])
def test_bad_config_files(tmp_path, name, text, message):
    with pytest.raises(UsageError, match=message):
        load_config(write(tmp_path / name, text))
