"""C1xx completeness: required figures that are missing, left blank, or declared not applicable."""

from __future__ import annotations

from typing import Iterator

from ..knowledge.catalogue import by_path
from .rule import Context, Hit, evidence_line, is_report, record_warnings, rule, value

# Fields another rule owns, so one gap is reported once: report_year -> D302, document.kind -> D301.
OWNED_ELSEWHERE = ("report_year", "document.kind")


def label(path: str) -> str:
    f = by_path().get(path)
    return f"{f.label} ({path})" if f else path


def _missing_line(record: dict, path: str) -> int | None:
    """Where the engine says the figure should be (its missing-field warning's line), if it knows."""
    for w in record_warnings(record, "missing-field"):
        if w.get("field") == path and w.get("line"):
            return w["line"]
    return None


@rule("C101", "missing-field", "error")
def missing_field(record: dict, ctx: Context) -> Iterator[Hit]:
    """A field the profile or --required asks for has no value (one finding per field).

    Only documents detected as reports are checked; D301 covers the rest. A field the report
    declares not applicable (C103) is an answer, not a gap. Under the core profile
    permits.decisions and permits.granted count as one requirement: either one satisfies it.

    Fails: {"penalties.decisions": null}
    Passes: {"permits.decisions": null}
    """
    if not is_report(record):
        return
    declared = {w.get("field") for w in record_warnings(record, "not-applicable")}
    for path in ctx.required:
        if path not in OWNED_ELSEWHERE and path not in declared and _blank(value(record, path)):
            yield Hit(f"{label(path)} is missing", path, _missing_line(record, path))
    for group in ctx.alternatives:
        if all(_blank(value(record, p)) for p in group):
            names = " nor ".join(label(p) for p in group)
            yield Hit(f"neither {names} is given (either one is enough)", group[0],
                      _missing_line(record, group[0]))


def _blank(v) -> bool:
    return v in (None, "", [])


def _from_warnings(record: dict, code: str, what: str) -> Iterator[Hit]:
    for w in record_warnings(record, code):
        path, detail = w.get("field"), w.get("message")
        yield Hit(warning_message(path, what, detail), path,
                  w.get("line") or (evidence_line(record, path) if path else None))


def warning_message(path: str | None, what: str, detail: str | None) -> str:
    """Our wording for a field's warning; the parser's own message alone when it names no field."""
    if path:
        return f"{label(path)} {what}" + (f": {detail}" if detail else "")
    return detail or f"an item {what}"


@rule("C102", "blank-in-template", "warning")
def blank_in_template(record: dict, ctx: Context) -> Iterator[Hit]:
    """A template item is present but its value is left blank (record warning blank-in-template).

    Fails: {"warnings": [{"code": "blank-in-template", "field": "penalties.fines", "line": 30}]}
    Passes: {"warnings": [{"code": "not-applicable", "field": "penalties.fines", "line": 30}]}
    """
    yield from _from_warnings(record, "blank-in-template", "is left blank in the template")


@rule("C103", "not-applicable", "info")
def not_applicable(record: dict, ctx: Context) -> Iterator[Hit]:
    """The report declares an item not applicable, e.g. 不涉及 or 无数据 (record warning not-applicable).

    Fails: {"warnings": [{"code": "not-applicable", "field": "expropriation.cases", "line": 41}]}
    Passes: {"warnings": [{"code": "blank-in-template", "field": "expropriation.cases", "line": 41}]}
    """
    yield from _from_warnings(record, "not-applicable", "is declared not applicable by the report")


@rule("C104", "ambiguous-value", "warning")
def ambiguous_value(record: dict, ctx: Context) -> Iterator[Hit]:
    """Two different candidates were found for one field and none was chosen (record warning ambiguous-value).

    Fails: {"warnings": [{"code": "ambiguous-value", "field": "personnel.officers", "line": 12}]}
    Passes: {"warnings": [{"code": "year-mismatch", "field": "personnel.officers", "line": 12}]}
    """
    yield from _from_warnings(record, "ambiguous-value", "has two different candidate values")
