"""Review files: their schema, merging them into a record, and what is refused (enforce parse --review)."""

import json
import pathlib

import pytest
from review_files import decision, review, span, write

from conftest import SAMPLES
from enforcement_parser.api import parse_text, sha256_hex
from enforcement_parser.outputs.record_model import validate_record
from enforcement_parser.outputs.record import value_at
from enforcement_parser.outputs.review_file import ReviewError, ReviewFile, apply_review, review_json_schema

ROOT = pathlib.Path(__file__).resolve().parents[1]
DONGLI = SAMPLES / "dongli_narrative.txt"


@pytest.fixture(scope="module")
def dongli():
    text = DONGLI.read_text(encoding="utf-8")
    record = parse_text(text, path="dongli_narrative.txt", sha256=sha256_hex(DONGLI.read_bytes()))
    return record, text


def four_decisions(record, text):
    """Read by hand in the sample: 1260名 is right; the agency's full name is 天津市公安局东丽分局 (the
    title says 公安东丽分局); the 复议 纠错率0% says none was corrected; 东丽区 is a district of a 直辖市,
    with no prefecture-level city above it."""
    return {
        "personnel.certified_basic": decision(record, text, "personnel.certified_basic", "confirm"),
        "agency.name": decision(record, text, "agency.name", "correct", "天津市公安局东丽分局", "公安东丽分局",
                                note="full name"),
        "reviews.reconsideration.corrected": decision(record, text, "reviews.reconsideration.corrected", "add",
                                                      0, "纠错率0%"),
        "agency.city": decision(record, text, "agency.city", "not-stated"),
    }


def test_review_schema_file_is_fresh():
    committed = json.loads((ROOT / "schemas/review.schema.json").read_text(encoding="utf-8"))
    assert committed == review_json_schema(), "review schema is stale: run `make schema`"


def test_merge_applies_each_action(dongli):
    record, text = dongli
    merged = apply_review(record, text, ReviewFile.model_validate(review(record, four_decisions(record, text))))
    validate_record(merged)
    ev = merged["evidence"]
    # confirm: value and evidence unchanged, marked verified
    assert merged["personnel"]["certified_basic"] == 1260
    assert ev["personnel.certified_basic"] == {**record["evidence"]["personnel.certified_basic"], "verified": True}
    # correct: the value replaced, evidence from the span (line counted in the text)
    assert merged["agency"]["name"] == "天津市公安局东丽分局"
    assert ev["agency.name"] == {"text": "公安东丽分局", "start": 0, "end": 6, "line": 1, "qualifier": "exact",
                                 "rule": "review:corrected", "verified": True}
    # add: a value where the engine had none
    assert merged["reviews"]["reconsideration"]["corrected"] == 0
    assert ev["reviews.reconsideration.corrected"]["rule"] == "review:added"
    # not stated: the value and its evidence go, and the field is reported missing again
    assert merged["agency"]["city"] is None and "agency.city" not in ev
    missing = {w["field"] for w in merged["warnings"] if w["code"] == "missing-field"}
    assert "agency.city" in missing and "reviews.reconsideration.corrected" not in missing
    assert merged["review"] == {"reviewer": "王审核", "reviewed_at": "2026-12-06T10:30:00+00:00", "engine": "0.1.0",
                                "confirmed": 1, "corrected": 1, "added": 1, "not_stated": 1, "conflicts": 0,
                                "fields": {"agency.name": "correct", "agency.city": "not-stated",
                                           "personnel.certified_basic": "confirm",
                                           "reviews.reconsideration.corrected": "add"}}
    # everything else is the machine's reading, untouched
    untouched = {p for p in record["evidence"]} - {"personnel.certified_basic", "agency.name", "agency.city"}
    assert all(ev[p] == record["evidence"][p] for p in untouched)
    assert record["agency"]["name"] == "公安东丽分局", "the input record is not modified"


def test_astral_characters_count_once(dongli):
    """Offsets are in characters of the decoded text (code points), not UTF-16 units: 𠮷 counts one."""
    text = "𠮷𠮷某县某局2023年行政执法工作报告\n全年作出行政处罚决定 613 件。\n"
    record = parse_text(text, path="astral.txt")
    d = {"penalties.decisions": decision(record, text, "penalties.decisions", "correct", 613, "613 件",
                                         machine=record["penalties"]["decisions"])}
    merged = apply_review(record, text, ReviewFile.model_validate(review(record, d)))
    # 2 astral characters + 18 more on line 1, the newline, 10 characters and a space: 31 (UTF-16 would say 33)
    assert merged["evidence"]["penalties.decisions"]["start"] == 31
    assert merged["evidence"]["penalties.decisions"]["line"] == 2


def test_conflict_keeps_the_reviewed_value_and_flags_it(dongli):
    """Conflict: the machine value stored with the decision is not what the engine reads now, and the
    reviewed value is not what it reads now either. The person's value is kept (it was decided on these
    same bytes) and a review-conflict warning names all three."""
    record, text = dongli
    record = json.loads(json.dumps(record))
    record["penalties"]["decisions"] = 417  # a later engine reads the field differently
    d = {"penalties.decisions": decision(record, text, "penalties.decisions", "correct", 417000, "41.7万余起",
                                         machine=400000, qualifier="more_than")}
    merged = apply_review(record, text, ReviewFile.model_validate(review(record, d)))
    assert merged["penalties"]["decisions"] == 417000
    assert merged["evidence"]["penalties.decisions"]["qualifier"] == "more_than"
    conflicts = [w for w in merged["warnings"] if w["code"] == "review-conflict"]
    assert conflicts == [{"code": "review-conflict", "severity": "warning", "field": "penalties.decisions",
                          "message": "reviewed (correct) when the engine read 400000; it now reads 417; "
                                     "the reviewed value 417000 is kept: check this field again"}]
    assert merged["review"]["conflicts"] == 1
    validate_record(merged)


@pytest.mark.parametrize("machine, now_reads, conflict", [
    (40, 40, False),     # the engine reads what the page showed: no conflict
    (40, 45, True),      # it reads something else now
    (40, None, True),    # it lost the value
    (45, 40, False),     # it now agrees with the person's 40: nothing to decide
])
def test_conflict_definition(dongli, machine, now_reads, conflict):
    record, text = dongli
    record = json.loads(json.dumps(record))
    record["personnel"]["certified_advanced"] = now_reads
    if now_reads is None:
        del record["evidence"]["personnel.certified_advanced"]
    d = {"personnel.certified_advanced": decision(record, text, "personnel.certified_advanced", "correct", 40,
                                                  "45人", machine=machine)}
    merged = apply_review(record, text, ReviewFile.model_validate(review(record, d)))
    assert merged["personnel"]["certified_advanced"] == 40
    assert [w["field"] for w in merged["warnings"] if w["code"] == "review-conflict"] == (
        ["personnel.certified_advanced"] if conflict else [])


def test_confirm_on_a_changed_reading_is_a_conflict(dongli):
    record, text = dongli
    d = {"personnel.public_lawyers": {**decision(record, text, "personnel.public_lawyers", "confirm"),
                                      "value": 24, "machine": 24}}
    merged = apply_review(record, text, ReviewFile.model_validate(review(record, d)))
    assert merged["personnel"]["public_lawyers"] == 24
    assert merged["evidence"]["personnel.public_lawyers"]["rule"] == "review:confirmed"
    assert any(w["code"] == "review-conflict" for w in merged["warnings"])


@pytest.mark.parametrize("change, message", [
    (lambda d: d["fields"]["agency.name"]["evidence"].update(start=1), "the review says '公安东丽分局'"),
    (lambda d: d["fields"]["agency.name"]["evidence"].update(end=10 ** 6), "outside the text"),
    (lambda d: d["fields"]["reviews.reconsideration.corrected"].update(value="零"), "is not a count"),
    (lambda d: d["fields"]["reviews.reconsideration.corrected"].update(value=-1), "is not a count"),
    (lambda d: d["fields"]["reviews.reconsideration.corrected"].update(value=1.5), "is not a count"),
    (lambda d: d["fields"]["personnel.certified_basic"].update(value=1261), "not 1261"),
    (lambda d: d["fields"]["agency.city"].update(value="天津市"), "has no value"),
    (lambda d: d["fields"]["agency.name"].pop("evidence"), "needs the evidence span"),
    (lambda d: d["source"].update(sha256="0" * 64), "is for other bytes"),
])
def test_bad_reviews_are_refused(dongli, change, message):
    record, text = dongli
    data = review(record, four_decisions(record, text))
    change(data)
    with pytest.raises(ReviewError, match=message):
        apply_review(record, text, ReviewFile.model_validate(data))


def test_cli_merges_a_review(run_enforce, dongli, tmp_path):
    record, text = dongli
    path = write(tmp_path / "dongli.review.json", review(record, four_decisions(record, text)))
    proc = run_enforce("parse", DONGLI, "--review", path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["review"]["corrected"] == 1 and value_at(out, "agency.name") == "天津市公安局东丽分局"
    validate_record(out)


@pytest.mark.parametrize("case, code, message", [
    ("other-bytes", 5, "is for other bytes"),
    ("bad-span", 5, "r.review.json: agency.name: text[7:10] is '024', the review says '公安东丽分局'"),
    ("not-json", 3, "not a JSON review file"),
    ("missing", 3, "no such file"),
    ("not-a-review", 5, "not a review file: review_version"),
    ("unknown-field", 5, "unknown field 'penalties.nonsense'"),
])
def test_cli_refuses_with_one_error_line(run_enforce, dongli, tmp_path, case, code, message):
    record, text = dongli
    data = review(record, four_decisions(record, text))
    path = tmp_path / "r.review.json"
    if case == "other-bytes":
        data["source"]["sha256"] = sha256_hex(b"other")
    elif case == "bad-span":
        data["fields"]["agency.name"]["evidence"] = {**span(text, "公安东丽分局"), "start": 7, "end": 10}
    elif case == "unknown-field":
        data["fields"]["penalties.nonsense"] = data["fields"].pop("agency.city")
    elif case == "not-a-review":
        data = {"hello": 1}
    if case == "not-json":
        path.write_text("{", encoding="utf-8")
    elif case != "missing":
        write(path, data)
    proc = run_enforce("parse", DONGLI, "--review", path)
    assert proc.returncode == code
    assert proc.stdout == b""
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
