"""docs/validate.md and .pre-commit-hooks.yaml stay in step with the rules, config keys and suffixes."""

import re

from conftest import ROOT
from enforcement_parser.lint.config import FORMATS, KEYS
from enforcement_parser.lint.rule import all_rules
from enforcement_parser.lint.runner import REPORT_SUFFIXES

DOC = (ROOT / "docs/validate.md").read_text(encoding="utf-8")


def test_every_rule_is_in_the_table_with_its_name_severity_and_default():
    rows = {m[0]: m[1:] for m in re.findall(r"^\| ([CKD]\d{3}) \| `([a-z-]+)` \| (\w+) \| \**(yes|no)\** \|", DOC, re.M)}
    assert rows == {r.code: (r.name, r.severity, "yes" if r.default else "no") for r in all_rules()}


def test_every_config_key_and_format_is_documented():
    for key in KEYS:
        assert re.search(rf"^{re.escape(key)} = ", DOC, re.M), key
    for fmt in FORMATS:
        assert f"- `{fmt}`" in DOC, fmt


def test_pre_commit_hook_matches_the_report_suffixes():
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: enforce-validate\n" in hooks and "  entry: enforce validate\n" in hooks
    assert "  language: python\n" in hooks
    pattern = re.search(r"^  files: '(.+)'$", hooks, re.M)[1]
    assert all(re.search(pattern, "a" + suffix) for suffix in REPORT_SUFFIXES)
    assert not re.search(pattern, "README.md") and not re.search(pattern, "a.json")
