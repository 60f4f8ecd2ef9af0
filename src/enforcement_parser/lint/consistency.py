"""K2xx consistency: figures of one record that contradict each other, computed from the values.

These rules read only the values (and evidence lines), so they work on any record, whoever made it.
"""

from __future__ import annotations

from typing import Iterator

from .completeness import label
from .rule import Context, Hit, Parts, evidence_qualifier, first_line, parts, record_warnings, rule, value

PENALTY_TYPES = ("warnings", "fines", "confiscations", "license_suspensions", "business_suspensions",
                 "license_revocations", "detentions", "other")
MIN_REVIEWER_SHARE = 0.05
RATIO_TOLERANCE = 0.10


def _fmt(n) -> str:
    return f"{n:g}" if isinstance(n, float) else str(n)


def _exceeds(record: dict, p: Parts, what: str) -> Iterator[Hit]:
    if p.exceeded():
        listed = " + ".join(f"{p_.rsplit('.', 1)[1]} {_fmt(v)}" for p_, v in p.parts.items())
        yield Hit(f"{what}: {listed} = {_fmt(sum(p.parts.values()))} exceeds "
                  f"{label(p.total_path)} {_fmt(p.total)}",
                  p.total_path, first_line(record, p.total_path, *p.parts))


@rule("K201", "procedure-split-exceeds-decisions", "error")
def procedure_split(record: dict, ctx: Context) -> Iterator[Hit]:
    """简易程序 + 一般程序 add up to more than the penalty decisions they split.

    Fails: {"penalties.decisions": 10, "penalties.summary_procedure": 6, "penalties.general_procedure": 5}
    Passes: {"penalties.decisions": 11, "penalties.summary_procedure": 6, "penalties.general_procedure": 5}
    """
    p = parts(record, "penalties.decisions",
              ("penalties.summary_procedure", "penalties.general_procedure"))
    yield from _exceeds(record, p, "simple plus general procedure")


@rule("K202", "penalty-types-exceed-decisions", "warning")
def penalty_types(record: dict, ctx: Context) -> Iterator[Hit]:
    """The penalty categories (警告, 罚款, 没收, 暂扣, 责令停产停业, 吊销, 拘留, 其他) sum above the decisions.

    A warning, not an error: one decision may impose two penalties (罚款并处没收), so some reports
    legitimately count more penalties than decisions; check the report before correcting the record.

    Fails: {"penalties.decisions": 10, "penalties.warnings": 4, "penalties.fines": 5, "penalties.detentions": 2}
    Passes: {"penalties.decisions": 11, "penalties.warnings": 4, "penalties.fines": 5, "penalties.detentions": 2}
    """
    p = parts(record, "penalties.decisions", (f"penalties.{t}" for t in PENALTY_TYPES))
    yield from _exceeds(record, p, "penalty categories")


@rule("K203", "permit-outcomes-exceed-accepted", "error")
def permit_outcomes(record: dict, ctx: Context) -> Iterator[Hit]:
    """准予 + 不予许可 exceed the accepted applications (or the applications when accepted is not given).

    Fails: {"permits.accepted": 10, "permits.granted": 9, "permits.denied": 2}
    Passes: {"permits.accepted": 11, "permits.granted": 9, "permits.denied": 2}
    """
    total = "permits.accepted" if value(record, "permits.accepted") is not None else "permits.applications"
    p = parts(record, total, ("permits.granted", "permits.denied"))
    yield from _exceeds(record, p, "permit outcomes")


@rule("K204", "permits-accepted-exceed-applications", "error")
def permits_accepted(record: dict, ctx: Context) -> Iterator[Hit]:
    """More permit applications were accepted (受理) than were filed (申请).

    Fails: {"permits.applications": 10, "permits.accepted": 11}
    Passes: {"permits.applications": 11, "permits.accepted": 11}
    """
    p = parts(record, "permits.applications", ("permits.accepted",))
    yield from _exceeds(record, p, "accepted permit applications")


@rule("K205", "reconsideration-outcomes-exceed-cases", "error")
def reconsideration_outcomes(record: dict, ctx: Context) -> Iterator[Hit]:
    """复议 outcomes (维持 + 纠错 + 审理中 + 终止) exceed the reconsideration cases.

    Fails: {"reviews.reconsideration.cases": 3, "reviews.reconsideration.upheld": 2, "reviews.reconsideration.corrected": 1, "reviews.reconsideration.pending": 1}
    Passes: {"reviews.reconsideration.cases": 4, "reviews.reconsideration.upheld": 2, "reviews.reconsideration.corrected": 1, "reviews.reconsideration.pending": 1}
    """
    p = parts(record, "reviews.reconsideration.cases",
              (f"reviews.reconsideration.{k}" for k in ("upheld", "corrected", "pending", "terminated")))
    yield from _exceeds(record, p, "reconsideration outcomes")


@rule("K206", "litigation-outcomes-exceed-cases", "error")
def litigation_outcomes(record: dict, ctx: Context) -> Iterator[Hit]:
    """诉讼 outcomes (胜诉 + 败诉 + 撤诉 + 审理中) exceed the litigation cases.

    Fails: {"reviews.litigation.cases": 1, "reviews.litigation.won": 1, "reviews.litigation.withdrawn": 1}
    Passes: {"reviews.litigation.cases": 2, "reviews.litigation.won": 1, "reviews.litigation.withdrawn": 1}
    """
    p = parts(record, "reviews.litigation.cases",
              (f"reviews.litigation.{k}" for k in ("won", "lost", "withdrawn", "pending")))
    yield from _exceeds(record, p, "litigation outcomes")


@rule("K207", "too-few-legal-reviewers", "warning")
def too_few_reviewers(record: dict, ctx: Context) -> Iterator[Hit]:
    """法制审核人员 are fewer than 5 % of the enforcement officers (the usual minimum staffing).

    Fails: {"personnel.officers": 200, "reviews.legal_review.reviewers": 9}
    Passes: {"personnel.officers": 200, "reviews.legal_review.reviewers": 10}
    """
    officers = value(record, "personnel.officers")
    reviewers = value(record, "reviews.legal_review.reviewers")
    if not officers or reviewers is None or reviewers >= officers * MIN_REVIEWER_SHARE:
        return
    share = 100 * reviewers / officers
    yield Hit(f"{label('reviews.legal_review.reviewers')} {_fmt(reviewers)} is {share:.1f}% of "
              f"{label('personnel.officers')} {_fmt(officers)}, below {MIN_REVIEWER_SHARE:.0%}",
              "reviews.legal_review.reviewers",
              first_line(record, "reviews.legal_review.reviewers", "personnel.officers"))


def _ratio_contradicts(stated: float, computed: float, qualifier: str | None) -> bool:
    """Whole numbers and at-least figures are floors (1部/人 claims full coverage), others are two-sided."""
    low, high = computed * (1 - RATIO_TOLERANCE), computed * (1 + RATIO_TOLERANCE)
    if qualifier in ("less_than", "at_most"):
        return computed > stated * (1 + RATIO_TOLERANCE)
    if qualifier in ("at_least", "more_than") or float(stated).is_integer():
        return stated > high
    return not low <= stated <= high


@rule("K208", "camera-ratio-mismatch", "warning")
def camera_ratio(record: dict, ctx: Context) -> Iterator[Hit]:
    """The stated body-camera ratio does not match 执法记录仪 / 执法人员 within 10 %.

    A whole-number ratio (1部/人) or an at-least figure is read as a floor: it only fails when the
    counts give fewer cameras per officer than stated.

    Fails: {"recorders.body_cameras": 80, "personnel.officers": 100, "recorders.per_officer": 1}
    Passes: {"recorders.body_cameras": 150, "personnel.officers": 100, "recorders.per_officer": 1}
    """
    stated = value(record, "recorders.per_officer")
    cameras = value(record, "recorders.body_cameras")
    officers = value(record, "personnel.officers")
    if stated is None or cameras is None or not officers:
        return
    computed = cameras / officers
    if _ratio_contradicts(stated, computed, evidence_qualifier(record, "recorders.per_officer")):
        yield Hit(f"the stated ratio is {_fmt(stated)} per officer, but {_fmt(cameras)} cameras / "
                  f"{_fmt(officers)} officers = {computed:.2f}", "recorders.per_officer",
                  first_line(record, "recorders.per_officer", "recorders.body_cameras"))


@rule("K209", "fines-amount-implausible-unit", "error")
def fines_unit(record: dict, ctx: Context) -> Iterator[Hit]:
    """The fine amount in yuan is smaller than the number of fines: the unit (元/万元) is probably wrong.

    Fails: {"penalties.fines": 120, "penalties.fines_yuan": 35.6}
    Passes: {"penalties.fines": 120, "penalties.fines_yuan": 356000}
    """
    count = value(record, "penalties.fines")
    amount = value(record, "penalties.fines_yuan")
    if count and amount is not None and amount < count:
        yield Hit(f"{label('penalties.fines_yuan')} {_fmt(amount)} yuan is less than one yuan per fine "
                  f"({_fmt(count)} fines); check the unit (元 or 万元)", "penalties.fines_yuan",
                  first_line(record, "penalties.fines_yuan", "penalties.fines"))


@rule("K290", "engine-flagged-inconsistency", "warning", default=False)
def engine_flagged(record: dict, ctx: Context) -> Iterator[Hit]:
    """The record's own inconsistent warnings, as the parser reported them.

    Not selected by default because K201-K209 recompute the same checks from the values; enable it
    with --extend-select K290 to see what the engine itself flagged.

    Fails: {"warnings": [{"code": "inconsistent", "field": "penalties.decisions", "line": 20}]}
    Passes: {"warnings": [{"code": "ambiguous-value", "field": "penalties.decisions", "line": 20}]}
    """
    for w in record_warnings(record, "inconsistent"):
        yield Hit(w.get("message") or "the parser flagged an inconsistency", w.get("field"), w.get("line"))
