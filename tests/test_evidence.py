"""Evidence and warnings are exact on every text we have: samples, and the shared dev cases."""
import pytest

from conftest import ROOT
from engine_records import DEV_TEXTS, NO_SHARED, SAMPLE_TEXTS, parsed, value_at
from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.outputs.record_model import validate_record
from enforcement_parser.engine.warning_codes import CODES

# Catalogue values that are a judgement on the whole text rather than a span of it.
NO_SPAN = {"document.kind": "the document type is decided from the whole text, not read from one place"}


def _texts():
    params = [pytest.param(p, id=str(p.relative_to(ROOT))) for p in SAMPLE_TEXTS]
    if DEV_TEXTS:
        params += [pytest.param(p, id="dev/" + p.name) for p in DEV_TEXTS]
    else:
        params.append(pytest.param(None, id="dev", marks=pytest.mark.skip(reason=NO_SHARED)))
    return params


TEXTS = _texts()


def test_there_are_texts():
    assert len(SAMPLE_TEXTS) >= 5


@pytest.mark.parametrize("path", TEXTS)
def test_evidence_is_the_exact_text_and_line(path):
    record, text = parsed(path)
    for field_path, ev in record["evidence"].items():
        assert 0 <= ev["start"] < ev["end"] <= len(text), field_path
        assert text[ev["start"]:ev["end"]] == ev["text"], field_path
        assert ev["line"] == text.count("\n", 0, ev["start"]) + 1, field_path


@pytest.mark.parametrize("path", TEXTS)
def test_every_value_has_evidence_and_only_values_do(path):
    record, _ = parsed(path)
    values = {f.path: value_at(record, f.path) for f in fields()}
    without = [p for p, v in values.items() if v is not None and p not in record["evidence"] and p not in NO_SPAN]
    assert without == []
    stray = [p for p in record["evidence"] if values.get(p, None) is None]
    assert stray == [], "evidence for a path that is null or not in the catalogue"


@pytest.mark.parametrize("path", TEXTS)
def test_missing_field_warnings_match_the_nulls(path):
    record, _ = parsed(path)
    count: dict[str, int] = {}
    for w in record["warnings"]:
        if w["code"] == "missing-field":
            count[w["field"]] = count.get(w["field"], 0) + 1
    for f in fields():
        expected = 1 if value_at(record, f.path) is None else 0
        assert count.get(f.path, 0) == expected, f.path
    assert set(count) <= {f.path for f in fields()}


@pytest.mark.parametrize("path", TEXTS)
def test_record_validates(path):
    record, _ = parsed(path)
    validate_record(record)


@pytest.mark.parametrize("path", TEXTS)
def test_warning_codes_are_known(path):
    record, _ = parsed(path)
    assert {w["code"] for w in record["warnings"]} <= set(CODES)
    assert all(w["severity"] in ("error", "warning", "info") for w in record["warnings"])


@pytest.mark.parametrize("path", TEXTS)
def test_source_describes_the_input(path):
    import hashlib

    record, text = parsed(path)
    assert record["source"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["source"]["length"] == len(text)
