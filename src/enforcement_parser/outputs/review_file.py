"""The review file (`NAME.review.json`): a person's decisions on the fields of one report, and merging
them back into the record (`enforce parse --review`, `enforce batch --reviews`).

A review is tied to the input bytes by their sha256 and to the machine reading it was made on by the
machine value stored with each decision, so a later engine that reads the field differently is seen
(`review-conflict`) instead of silently losing either the person's decision or the new reading.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from datetime import datetime
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field as PField, NonNegativeInt, TypeAdapter, ValidationError

from ..api import parse_document, read_input
from ..engine.warning_codes import make
from ..errors import EnforceError, InputError, UsageError
from ..knowledge.catalogue import by_path, fields
from .record import missing_field_warnings, value_at
from .record_model import _TYPES

REVIEW_VERSION = "1"
ACTIONS = ("confirm", "correct", "not-stated", "add")
RULES = {"confirm": "review:confirmed", "correct": "review:corrected", "add": "review:added"}
COUNT_KEYS = {"confirm": "confirmed", "correct": "corrected", "add": "added", "not-stated": "not_stated"}
MAX_REVIEW_BYTES = 8 * 1024 * 1024


class ReviewError(EnforceError):
    """A review that does not fit its input: other bytes, a span whose text differs, a bad value (exit 5)."""

    exit_code = 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReviewSpan(_Strict):
    """Offsets into the decoded text the record's evidence uses (`enforce parse --text`), in characters."""

    start: NonNegativeInt
    end: NonNegativeInt
    text: str = PField(min_length=1)


class Decision(_Strict):
    action: Literal["confirm", "correct", "not-stated", "add"]
    value: Any = PField(None, description="the value confirmed, typed or selected; null for not-stated")
    machine: Any = PField(None, description="the machine's value the page showed when the decision was made")
    evidence: Optional[ReviewSpan] = PField(None, description="required except for not-stated")
    qualifier: Literal["exact", "more_than", "about", "less_than", "at_least", "at_most"] = "exact"
    note: Optional[str] = None
    time: datetime


class ReviewSource(_Strict):
    path: str
    sha256: str = PField(pattern=r"^[0-9a-f]{64}$")


class ReviewFile(_Strict):
    review_version: Literal["1"]
    source: ReviewSource
    engine: str = PField(description="enforce version of the page the review was made on")
    reviewer: Optional[str] = None
    fields: dict[str, Decision]


REVIEW_SUFFIX = ".review.json"


def review_files(folder: str) -> list[str]:
    """`*.review.json` under folder, sorted, hidden files and folders skipped."""
    found = []
    for root, dirs, names in os.walk(os.path.realpath(folder)):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, n) for n in sorted(names) if n.endswith(REVIEW_SUFFIX) and not n.startswith(".")]
    return found


def review_index(folder: str) -> dict[str, str]:
    """sha256 of the reviewed bytes -> review file, for every review under folder (each one checked).

    Raises UsageError for a missing folder, ReviewError for an invalid review or two reviews of one input.
    """
    if not os.path.isdir(folder):
        raise UsageError(f"--reviews {folder}: not a folder")
    index: dict[str, str] = {}
    for path in review_files(folder):
        sha = load_review(path).source.sha256
        if sha in index:
            raise ReviewError(f"{index[sha]} and {path} are both reviews of the same input (sha256 {sha[:12]}…)")
        index[sha] = path
    return index


def review_json_schema() -> dict:
    schema = ReviewFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "review.schema.json"
    return schema


def load_review(path: str) -> ReviewFile:
    """Read and check one review file; unreadable is an input error (3), invalid a review error (4)."""
    data = read_input(path, max_bytes=MAX_REVIEW_BYTES)
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not a JSON review file ({exc})") from None
    try:
        review = ReviewFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ReviewError(f"{path}: not a review file: {where}: {first['msg']}") from None
    unknown = [p for p in review.fields if p not in by_path()]
    if unknown:
        raise ReviewError(f"{path}: unknown field {unknown[0]!r} (see `enforce fields`)")
    return review


@functools.cache
def _adapter(kind: str) -> TypeAdapter:
    return TypeAdapter(_TYPES[kind])


def checked_value(path: str, value: Any) -> Any:
    """The value as the record holds it (a date as ISO text), or ReviewError when the kind refuses it."""
    kind = by_path()[path].kind
    if isinstance(value, bool) or (kind == "count" and isinstance(value, float) and not value.is_integer()):
        raise ReviewError(f"{path}: {value!r} is not a {kind}")
    try:
        out = _adapter(kind).validate_python(value)
    except ValidationError as exc:
        raise ReviewError(f"{path}: {value!r} is not a {kind} ({exc.errors()[0]['msg']})") from None
    return out.isoformat() if hasattr(out, "isoformat") else out


def check_span(path: str, span: ReviewSpan, text: str) -> None:
    """Refuse evidence that does not point at its own text: offsets from another decoding would lie."""
    if not span.start < span.end <= len(text):
        raise ReviewError(f"{path}: evidence {span.start}..{span.end} is outside the text ({len(text)} characters)")
    if text[span.start:span.end] != span.text:
        raise ReviewError(f"{path}: text[{span.start}:{span.end}] is {text[span.start:span.end]!r}, "
                          f"the review says {span.text!r}")


def _same(a: Any, b: Any) -> bool:
    """Values equal as JSON values (613 == 613.0; a date and its ISO text)."""
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str) or a == b


def apply_review(record: dict, text: str, review: ReviewFile, *, name: str = "review") -> dict:
    """A copy of record with the review's decisions applied; `text` is the text its offsets point into.

    confirm: the value is marked verified. correct / add: the value is replaced (rule review:corrected /
    review:added, evidence from the span). not-stated: the value becomes null. A decision made when the
    engine read another value than it reads now is still applied and gets a `review-conflict` warning.
    """
    sha = record.get("source", {}).get("sha256")
    if review.source.sha256 != sha:
        raise ReviewError(f"{name} is for other bytes (sha256 {review.source.sha256[:12]}…), "
                          f"not for this input (sha256 {str(sha)[:12]}…)")
    out = copy.deepcopy(record)
    counts = dict.fromkeys(COUNT_KEYS.values(), 0)
    conflicts = []
    order = {f.path: i for i, f in enumerate(fields())}
    for path in sorted(review.fields, key=order.__getitem__):
        decision = review.fields[path]
        conflict = _apply_one(out, text, path, decision)
        if conflict:
            conflicts.append(conflict)
        counts[COUNT_KEYS[decision.action]] += 1
    # missing-field is recomputed from the new values; an ambiguity a person settled is gone.
    kept = [w for w in out["warnings"] if w.get("code") != "missing-field"
            and not (w.get("code") == "ambiguous-value" and w.get("field") in review.fields)]
    out["warnings"] = kept + conflicts + missing_field_warnings(out)
    times = [d.time for d in review.fields.values()]
    out["review"] = {"reviewer": review.reviewer, "reviewed_at": max(times).isoformat() if times else None,
                     "engine": review.engine, **counts, "conflicts": len(conflicts),
                     "fields": {p: review.fields[p].action for p in sorted(review.fields, key=order.__getitem__)}}
    return out


def _apply_one(record: dict, text: str, path: str, decision: Decision) -> dict | None:
    """Apply one decision in place; returns its review-conflict warning, if any."""
    current = value_at(record, path)
    value = None if decision.action == "not-stated" else checked_value(path, decision.value)
    if decision.action == "not-stated":
        if decision.value is not None or decision.evidence is not None:
            raise ReviewError(f"{path}: a not-stated decision has no value and no evidence")
    elif decision.action == "confirm" and not _same(value, decision.machine):
        raise ReviewError(f"{path}: a confirm decision confirms the machine value {_show(decision.machine)}, "
                          f"not {_show(value)} (that is a correct decision)")
    elif decision.evidence is None:
        raise ReviewError(f"{path}: a {decision.action} decision needs the evidence span of its value")
    else:
        check_span(path, decision.evidence, text)
    conflict = not _same(decision.machine, current) and not _same(value, current)
    evidence = record["evidence"]
    if decision.action == "confirm" and not conflict and path in evidence:
        evidence[path] = {**evidence[path], "verified": True}
    elif decision.action == "not-stated":
        evidence.pop(path, None)
    else:
        span = decision.evidence
        evidence[path] = {"text": span.text, "start": span.start, "end": span.end,
                          "line": text.count("\n", 0, span.start) + 1, "qualifier": decision.qualifier,
                          "rule": RULES[decision.action], "verified": True}
    _set(record, path, value)
    if not conflict:
        return None
    return make("review-conflict", path, f"reviewed ({decision.action}) when the engine read "
                f"{_show(decision.machine)}; it now reads {_show(current)}; the reviewed value {_show(value)} "
                "is kept: check this field again").as_dict()


def _show(value: Any) -> str:
    return "nothing" if value is None else json.dumps(value, ensure_ascii=False)


def _set(record: dict, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = record
    for key in parents:
        node = node[key]
    node[leaf] = value


def apply_review_file(record: dict, text: str, path: str) -> dict:
    """load_review + apply_review, naming the file in every message."""
    try:
        return apply_review(record, text, load_review(path), name=path)
    except ReviewError as exc:
        if str(exc).startswith(path):
            raise
        raise ReviewError(f"{path}: {exc}") from None


def parse_reviewed(data: bytes, path: str, review: str, *, max_pages: int | None = None, ocr=None) -> dict:
    """The record of data with a review file merged (its offsets point into the same decoded text);
    max_pages and ocr as for api.parse_bytes."""
    doc, record = parse_document(data, path=path, max_pages=max_pages, ocr=ocr)
    return apply_review_file(record, doc.text, review)
