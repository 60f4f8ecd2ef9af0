"""D3xx document: the record as a whole (its shape, its kind, its year and its date)."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from pydantic import ValidationError

from ..outputs.record_model import validate_record
from .completeness import label, warning_message
from .rule import Context, Hit, evidence_line, is_report, record_warnings, rule, value

_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
SIGNATURE_DEADLINE = (1, 31)  # month, day of the year after report_year


def schema_errors(record) -> list[str]:
    """The record model's complaints, one line each (empty when the record is valid)."""
    if not isinstance(record, dict):
        return [f"top level is {type(record).__name__}, not an object"]
    try:
        validate_record(record)
    except ValidationError as exc:
        return [f"{'.'.join(map(str, e['loc'])) or '(record)'}: {e['msg']}" for e in exc.errors()]
    return []


@rule("D300", "invalid-record", "error")
def invalid_record(record: dict, ctx: Context) -> Iterator[Hit]:
    """The record does not match the record schema (`enforce schema`); no other rule runs on it.

    Checked for JSON inputs and for records parsed on the fly alike: the values the other rules
    read must have the types the catalogue promises.

    Fails: {"penalties.decisions": -3}
    Passes: {"penalties.decisions": 0}
    """
    errors = schema_errors(record)
    if errors:
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        yield Hit("record does not match the schema: " + "; ".join(errors[:3]) + more)


@rule("D301", "not-a-report", "error")
def not_a_report(record: dict, ctx: Context) -> Iterator[Hit]:
    """The document is not detected as an annual enforcement report (document.kind is not report).

    An error, so a check that "this report is complete" fails when a notice was committed in its
    place. Completeness rules are skipped for such documents (a notice has no figures to miss), so
    for a directory of mixed documents turn this off: `--ignore D301`, or `ignore = ["D301"]` in
    enforce.toml / [tool.enforce].

    Fails: {"document.kind": "notice"}
    Passes: {"document.kind": "report"}
    """
    kind = value(record, "document.kind")
    if kind != "report":
        yield Hit(f"not an enforcement report (document.kind is {kind or 'missing'})", "document.kind")


@rule("D302", "missing-report-year", "error")
def missing_report_year(record: dict, ctx: Context) -> Iterator[Hit]:
    """A report without the year its figures cover (report_year).

    Fails: {"report_year": null}
    Passes: {"report_year": 2023}
    """
    if is_report(record) and value(record, "report_year") is None:
        yield Hit(f"{label('report_year')} is missing: the year the figures cover is not stated",
                  "report_year")


@rule("D303", "late-signature", "warning")
def late_signature(record: dict, ctx: Context) -> Iterator[Hit]:
    """The signature date (published_on) is after 31 January of the year after report_year.

    Annual enforcement data are due by the end of January of the following year.

    Fails: {"report_year": 2024, "published_on": "2025-02-01"}
    Passes: {"report_year": 2024, "published_on": "2025-01-31"}
    """
    year, signed = value(record, "report_year"), value(record, "published_on")
    if not isinstance(year, int) or not signed:
        return
    try:
        signed_on = date.fromisoformat(str(signed))
    except ValueError:
        return
    deadline = date(year + 1, *SIGNATURE_DEADLINE)
    if signed_on > deadline:
        yield Hit(f"signed on {signed_on.isoformat()}, after the {deadline.isoformat()} deadline "
                  f"for {year} figures", "published_on", evidence_line(record, "published_on"))


@rule("D304", "figure-year-mismatch", "warning")
def figure_year_mismatch(record: dict, ctx: Context) -> Iterator[Hit]:
    """A figure's sentence names a year other than the report year (record warning year-mismatch).

    Fails: {"warnings": [{"code": "year-mismatch", "field": "penalties.decisions", "line": 9}]}
    Passes: {"warnings": [{"code": "not-annual", "field": "penalties.decisions", "line": 9}]}
    """
    for w in record_warnings(record, "year-mismatch"):
        path, detail = w.get("field"), w.get("message")
        yield Hit(warning_message(path, "is stated for another year than the report", detail),
                  path, w.get("line") or (evidence_line(record, path) if path else None))


def title_year(title: str | None) -> int | None:
    """The year a title names (沈阳市公安局2024年度...), the first one when it names several."""
    match = _TITLE_YEAR.search(title or "")
    return int(match.group(1)) if match else None


@rule("D305", "title-year-mismatch", "error")
def title_year_mismatch(record: dict, ctx: Context) -> Iterator[Hit]:
    """The title names one year and report_year says another: one of them is misread.

    Fails: {"document.title": "某市某局2023年度行政执法工作报告", "report_year": 2024}
    Passes: {"document.title": "某市某局2024年度行政执法工作报告", "report_year": 2024}
    """
    named, year = title_year(value(record, "document.title")), value(record, "report_year")
    if named is not None and year is not None and named != year:
        yield Hit(f"the title names {named} but {label('report_year')} is {year}", "report_year",
                  evidence_line(record, "report_year"))


@rule("D306", "not-annual", "warning")
def not_annual(record: dict, ctx: Context) -> Iterator[Hit]:
    """The figures cover a quarter, half-year, several years or a campaign, not one year.

    Reported from the record's not-annual warnings, or from document.period when it is not annual.

    Fails: {"document.period": "2025年第一季度"}
    Passes: {"document.period": "annual"}
    """
    found = False
    for w in record_warnings(record, "not-annual"):
        found = True
        yield Hit("the figures are not annual" + (f": {w['message']}" if w.get("message") else ""),
                  w.get("field"), w.get("line"))
    period = value(record, "document.period")
    if not found and period not in (None, "", "annual"):
        yield Hit(f"the figures are not annual (document.period is {period!r})", "document.period")


@rule("D307", "review-conflict", "warning")
def review_conflict(record: dict, ctx: Context) -> Iterator[Hit]:
    """A reviewed value was decided when the engine read the field differently from now (record warning
    review-conflict, from `--review` / `--reviews`): the person's value is kept, but someone should look
    at the field again before the data are published.

    Fails: {"warnings": [{"code": "review-conflict", "field": "penalties.decisions"}]}
    Passes: {"warnings": []}
    """
    for w in record_warnings(record, "review-conflict"):
        path = w.get("field")
        yield Hit(warning_message(path, "was reviewed on another machine reading", w.get("message")),
                  path, evidence_line(record, path) if path else None)
