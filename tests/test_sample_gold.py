"""Held-out sample gold files must stay usable by the scorer: valid JSON, known paths, typed values."""
import json
import re

import pytest

from conftest import SAMPLES
from enforcement_parser.knowledge.catalogue import fields

GOLD_DIR = SAMPLES / "gold"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
KINDS = {f.path: f.kind for f in fields()}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _alternatives(value):
    """An {"any_of": [...]} value stands for each of its members."""
    if isinstance(value, dict):
        assert set(value) == {"any_of"} and value["any_of"], value
        return value["any_of"]
    return [value]


def _fits_kind(kind: str, value) -> bool:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in ("count", "year"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind in ("money_yuan", "ratio"):
        return number and value >= 0
    if kind == "percent":
        return number and 0 <= value <= 100
    if kind == "date":
        return isinstance(value, str) and bool(ISO_DATE.match(value))
    if kind == "names":
        return isinstance(value, list) and all(isinstance(x, str) and x for x in value)
    if kind == "enum":
        return value in ("report", "notice", "unknown")
    return isinstance(value, str) and bool(value.strip())


def test_there_are_held_out_samples():
    assert len(GOLD_FILES) >= 10


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_file_is_well_formed(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert set(gold) <= {"seed", "fields", "optional", "note"}
    assert gold["seed"] == path.stem + ".txt"
    assert (SAMPLES / gold["seed"]).is_file()
    required, optional = gold.get("fields", {}), gold.get("optional", {})
    assert not set(required) & set(optional), "a path is either required or optional"
    for field_path, value in {**required, **optional}.items():
        assert field_path in KINDS, f"unknown catalogue path {field_path}"
        for alt in _alternatives(value):
            assert _fits_kind(KINDS[field_path], alt), f"{field_path}: {alt!r} is not a {KINDS[field_path]}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_sample_text_is_utf8_and_report_sized(path):
    text = (SAMPLES / (path.stem + ".txt")).read_text(encoding="utf-8")
    assert 1000 <= len(text) <= 4500


def test_readme_lists_every_sample():
    readme = (GOLD_DIR / "README.md").read_text(encoding="utf-8")
    for path in GOLD_FILES:
        assert path.stem + ".txt" in readme
