"""Data tables: the JSON snapshots start-up reads must be fresh and must equal the TOML they stand for."""

import json
import tomllib

import pytest

from enforcement_parser.knowledge import tables
from enforcement_parser.knowledge.datafiles import read_bytes, read_text
from enforcement_parser.knowledge.folding import fold_strings

NAMES = tables.toml_names()


def test_every_table_is_covered():
    assert {"vocabulary.toml", "topics.toml", "units.toml", "document.toml"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_snapshot_is_fresh(name):
    with open(tables.snapshot_path(name), encoding="utf-8") as fh:
        committed = fh.read()
    assert committed == tables.snapshot_text(name), f"{name}: snapshot is stale: run `make data`"


@pytest.mark.parametrize("name", NAMES)
def test_loaded_table_equals_the_toml(name):
    assert tables.load_toml(name) == fold_strings(tomllib.loads(read_text(name)))


def _load_with(tmp_path, monkeypatch, name, snapshot):
    """load_toml with data/snapshots/<name>.json replaced by `snapshot` (text, or None for absent)."""
    monkeypatch.setattr(tables, "SNAPSHOT_DIR", str(tmp_path))
    if snapshot is not None:
        (tmp_path / (name.removesuffix(".toml") + ".json")).write_text(snapshot, encoding="utf-8")
    return tables.load_toml(name)


@pytest.mark.parametrize("snapshot", [
    None,                                             # missing
    "{not json",                                      # damaged
    "[]",                                             # wrong shape
    json.dumps({"source_crc32": 1, "table": {"stale": True}}),   # made from other TOML bytes
    json.dumps({"source_crc32": None, "table": {}}),
])
def test_a_missing_damaged_or_stale_snapshot_falls_back_to_the_toml(tmp_path, monkeypatch, snapshot):
    assert _load_with(tmp_path, monkeypatch, "units.toml", snapshot) == \
        fold_strings(tomllib.loads(read_text("units.toml")))


def test_a_matching_snapshot_is_what_is_read(tmp_path, monkeypatch):
    """The checksum, not the content, decides: a snapshot with the right checksum is trusted."""
    crc = tables._source_crc(read_bytes("units.toml"))
    marker = json.dumps({"source_crc32": crc, "table": {"from": "snapshot"}})
    assert _load_with(tmp_path, monkeypatch, "units.toml", marker) == {"from": "snapshot"}


def test_fold_strings_folds_keys_and_values_and_keeps_other_types():
    table = {"處罰": ["１２件", "行政許可"], "n": 3, "flag": True, "nested": {"x": ["復議"]}}
    assert fold_strings(table) == {"处罚": ["12件", "行政许可"], "n": 3, "flag": True, "nested": {"x": ["复议"]}}
