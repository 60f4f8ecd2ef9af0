"""Every validate rule: its docstring examples (one fires, a near miss passes) and hand-built edge cases."""

import pytest

from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.lint.config import profile_fields
from enforcement_parser.lint.examples import apply, base_record, examples
from enforcement_parser.lint.rule import FAMILIES, Context, all_rules, find_rule

RULES = all_rules()
CORE = Context(*profile_fields("core", ()))


def hits(code, overrides=None, ctx=CORE, record=None):
    record = apply(record or base_record(), overrides or {})
    return list(find_rule(code).check(record, ctx))


def test_registry_is_well_formed():
    codes = [r.code for r in RULES]
    assert codes == sorted(set(codes), key=lambda c: c[1:])
    assert len({r.name for r in RULES}) == len(RULES)
    for r in RULES:
        assert r.code[0] in FAMILIES and r.summary, r.code
        ex = examples(r)
        assert ex["fails"] and ex["passes"], f"{r.code} needs a failing and a passing example"


def test_base_record_is_valid_and_clean():
    from enforcement_parser.outputs.record_model import validate_record

    validate_record(base_record())
    for r in RULES:
        assert list(r.check(base_record(), CORE)) == [], r.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docstring_examples(rule):
    ex = examples(rule)
    for overrides in ex["fails"]:
        assert list(rule.check(apply(base_record(), overrides), CORE)), f"{rule.code} should fire on {overrides}"
    for overrides in ex["passes"]:
        assert list(rule.check(apply(base_record(), overrides), CORE)) == [], f"{rule.code} fired on {overrides}"


# --- C101 and the profiles ------------------------------------------------------------------

def test_missing_field_one_finding_per_field():
    found = hits("C101", {"penalties.decisions": None, "inspections.total": None})
    assert [h.field for h in found] == ["penalties.decisions", "inspections.total"]
    assert "行政处罚决定数" in found[0].message


def test_permits_either_one_under_core_profile():
    assert hits("C101", {"permits.granted": None}) == []
    assert hits("C101", {"permits.decisions": None}) == []
    both = hits("C101", {"permits.decisions": None, "permits.granted": None})
    assert len(both) == 1 and "either one" in both[0].message


def test_full_profile_requires_every_field_and_each_permit_figure():
    ctx = Context(*profile_fields("full", ()))
    found = {h.field for h in hits("C101", ctx=ctx)}
    assert "penalties.warnings" in found and "permits.applications" in found
    assert {h.field for h in hits("C101", {"permits.granted": None}, ctx=ctx)} >= {"permits.granted"}
    assert "report_year" not in {f for f in found}  # owned by D302
    assert len(found) < len(fields())


def test_required_adds_fields_and_an_explicit_permit_field_is_required_alone():
    ctx = Context(*profile_fields("core", ("penalties.warnings",)))
    assert [h.field for h in hits("C101", ctx=ctx)] == ["penalties.warnings"]
    ctx = Context(*profile_fields("core", ("permits.granted",)))
    assert [h.field for h in hits("C101", {"permits.granted": None}, ctx=ctx)] == ["permits.granted"]


def test_missing_field_uses_the_engine_line_and_skips_non_reports():
    warning = {"code": "missing-field", "field": "penalties.decisions", "line": 17}
    found = hits("C101", {"penalties.decisions": None, "warnings": [warning]})
    assert found[0].line == 17
    assert hits("C101", {"penalties.decisions": None, "document.kind": "notice"}) == []


def test_a_field_declared_not_applicable_is_not_missing():
    declared = {"code": "not-applicable", "field": "reviews.litigation.cases", "line": 40}
    assert hits("C101", {"reviews.litigation.cases": None, "warnings": [declared]}) == []


def test_warning_rules_carry_field_and_line():
    w = {"code": "blank-in-template", "field": "penalties.fines", "line": 30, "message": "罚款 left blank"}
    (h,) = hits("C102", {"warnings": [w]})
    assert (h.field, h.line) == ("penalties.fines", 30) and "罚款 left blank" in h.message
    w = {"code": "blank-in-template", "field": None, "line": 34, "message": "template item '检查' is left blank"}
    (h,) = hits("C102", {"warnings": [w]})
    assert (h.field, h.line, h.message) == (None, 34, "template item '检查' is left blank")


# --- K2xx: near misses on the boundary ------------------------------------------------------

@pytest.mark.parametrize("code,fires,passes", [
    ("K201", {"penalties.decisions": 10, "penalties.summary_procedure": 11},
     {"penalties.decisions": 10, "penalties.summary_procedure": 10}),
    ("K202", {"penalties.decisions": 3, "penalties.other": 1, "penalties.confiscations": 3},
     {"penalties.decisions": 4, "penalties.other": 1, "penalties.confiscations": 3}),
    ("K203", {"permits.applications": 5, "permits.granted": 6},
     {"permits.applications": 6, "permits.granted": 6}),
    ("K203", {"permits.applications": 50, "permits.accepted": 5, "permits.granted": 6},
     {"permits.applications": 5, "permits.granted": 4, "permits.denied": 1}),
    ("K205", {"reviews.reconsideration.cases": 2, "reviews.reconsideration.terminated": 3},
     {"reviews.reconsideration.cases": 3, "reviews.reconsideration.terminated": 3}),
    ("K206", {"reviews.litigation.cases": 1, "reviews.litigation.lost": 1, "reviews.litigation.pending": 1},
     {"reviews.litigation.cases": None, "reviews.litigation.lost": 1, "reviews.litigation.pending": 1}),
    ("K207", {"personnel.officers": 100, "reviews.legal_review.reviewers": 0},
     {"personnel.officers": 100, "reviews.legal_review.reviewers": 5}),
    ("K208", {"recorders.body_cameras": 70, "personnel.officers": 100, "recorders.per_officer": 0.85},
     {"recorders.body_cameras": 80, "personnel.officers": 100, "recorders.per_officer": 0.85}),
    ("K209", {"penalties.fines": 10, "penalties.fines_yuan": 0},
     {"penalties.fines": 0, "penalties.fines_yuan": 0}),
])
def test_consistency_boundaries(code, fires, passes):
    assert hits(code, fires), f"{code} should fire on {fires}"
    assert hits(code, passes) == [], f"{code} fired on {passes}"


def test_consistency_line_is_the_totals_evidence_else_a_parts():
    ev = {"penalties.general_procedure": {"text": "6", "start": 0, "end": 1, "line": 9,
                                          "qualifier": "exact", "rule": "t"}}
    record = apply(base_record(), {"penalties.decisions": 5, "penalties.general_procedure": 6})
    record["evidence"] = ev
    (h,) = find_rule("K201").check(record, CORE)
    assert h.line == 9 and "6 = 6 exceeds" in h.message
    record["evidence"]["penalties.decisions"] = {**ev["penalties.general_procedure"], "line": 4}
    assert next(iter(find_rule("K201").check(record, CORE))).line == 4


@pytest.mark.parametrize("qualifier,computed_cameras,fires", [
    ("at_least", 150, False), ("at_least", 50, True),
    ("less_than", 50, False), ("less_than", 150, True),
    ("exact", 100, False),
])
def test_camera_ratio_reads_the_qualifier(qualifier, computed_cameras, fires):
    record = apply(base_record(), {"recorders.per_officer": 1, "recorders.body_cameras": computed_cameras})
    record["evidence"]["recorders.per_officer"] = {"text": "1部/人", "start": 0, "end": 4, "line": 3,
                                                    "qualifier": qualifier, "rule": "t"}
    assert bool(list(find_rule("K208").check(record, CORE))) is fires


# --- D3xx ----------------------------------------------------------------------------------

def test_missing_year_only_for_reports():
    assert hits("D302", {"report_year": None, "document.kind": "notice"}) == []


def test_late_signature_ignores_unparseable_dates_and_missing_year():
    assert hits("D303", {"published_on": "2025-13-01"}) == []
    assert hits("D303", {"report_year": None, "published_on": "2026-05-01"}) == []
    assert hits("D303", {"published_on": "2026-01-01"})


def test_title_year_needs_a_year_in_the_title():
    assert hits("D305", {"document.title": "某局行政执法工作报告"}) == []
    assert hits("D305", {"document.title": "关于2023年度行政执法情况的报告", "report_year": 2023}) == []


def test_not_annual_prefers_the_records_warnings():
    w = {"code": "not-annual", "field": None, "line": 2, "message": "2025年第一季度"}
    found = hits("D306", {"warnings": [w], "document.period": "2025年第一季度"})
    assert len(found) == 1 and found[0].line == 2


def test_invalid_record_reports_the_first_errors_and_a_count():
    record = base_record()
    record["penalties"]["decisions"] = "many"
    record["stray"] = 1
    record["source"]["sha256"] = "x"
    record["personnel"]["officers"] = -1
    (h,) = find_rule("D300").check(record, CORE)
    assert "penalties.decisions" in h.message and "(and 1 more)" in h.message
    assert list(find_rule("D300").check([1], CORE))[0].message.endswith("top level is list, not an object")
