import json

import pytest

from conftest import ROOT, SHARED
from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.outputs.record_model import json_schema


@pytest.mark.skipif(not (SHARED / "spec/fields.tsv").exists(), reason="../shared is absent")
def test_catalogue_matches_contract():
    rows = (SHARED / "spec/fields.tsv").read_text(encoding="utf-8").splitlines()[1:]
    contract = [tuple(r.split("\t")[:3]) for r in rows if r.strip()]
    ours = [(f.path, f.kind, "yes" if f.core else "no") for f in fields()]
    assert ours == contract


def test_schema_file_is_fresh():
    committed = json.loads((ROOT / "schemas/enforcement-report.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "schema is stale: run `make schema`"


def test_paths_unique_and_kinds_known():
    paths = [f.path for f in fields()]
    assert len(paths) == len(set(paths))
    assert {f.kind for f in fields()} <= {"text", "year", "date", "enum", "count", "money_yuan",
                                          "percent", "ratio", "names"}
