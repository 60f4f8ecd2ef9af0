"""Assemble the output record: catalogue values nested by their dots, evidence, warnings."""

from __future__ import annotations

import functools

from ..version import SCHEMA_VERSION
from ..knowledge.catalogue import fields
from ..engine.decisions import recorder
from ..engine.warning_codes import make


# The core profile needs one of these, either one (fields.tsv notes).
EITHER_CORE = ("permits.decisions", "permits.granted")
_EMPTY = (None, [], "")   # a value that counts as not found


def value_at(record: dict, path: str):
    """The value at a dotted catalogue path of a record (None when absent)."""
    node = record
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


@functools.cache
def _layout() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """(path, parent keys, leaf key) of every catalogue field in catalogue order: split once."""
    return tuple((f.path, tuple(f.path.split(".")[:-1]), f.path.split(".")[-1]) for f in fields())


def nest(values: dict[str, object]) -> dict:
    """Every catalogue path present, nested by its dots, in catalogue order."""
    out: dict = {}
    for path, parents, leaf in _layout():
        node = out
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = values.get(path)
    return out


@functools.cache
def _missing_field(f, severity: str) -> dict:
    """The missing-field warning of a catalogue field as a record holds it: made once, copied
    into each record (most of the 95 fields are missing from most records)."""
    return make("missing-field", f.path, f"{f.label} ({f.path}) not found", severity=severity).as_dict()


def missing_warnings(value_of, is_report: bool) -> list[dict]:
    """One missing-field warning per catalogue field without a value (error for a core field of a report)."""
    missing = []
    for f in fields():
        if value_of(f.path) in _EMPTY:
            core = f.core and not (f.path in EITHER_CORE and any(value_of(p) not in _EMPTY for p in EITHER_CORE))
            missing.append(dict(_missing_field(f, "error" if core and is_report else "info")))
    return missing


def missing_field_warnings(record: dict) -> list[dict]:
    """missing_warnings of a finished record (after a review changed its values)."""
    return missing_warnings(lambda p: value_at(record, p), record.get("document", {}).get("kind") == "report")


def review_counts(record: dict) -> tuple[int, int]:
    """(verified, corrected): fields a person decided, and values a person typed or selected (a review)."""
    review = record.get("review") or {}
    return len(review.get("fields", {})), review.get("corrected", 0) + review.get("added", 0)


def build_record(text: str, source: dict, extraction, layout=None) -> dict:
    """Turn an engine Extraction into the JSON-ready record of output.md.

    layout (files.ocr.Layout) places a recognised text on its pages: each evidence gains its page
    and box, and a value read from a box the recogniser was unsure of is dropped (low-confidence).
    """
    values = {p: None if v in _EMPTY else v for p, v in extraction.values.items()}
    evidence = {p: ev.as_dict() for p, ev in extraction.evidence.items() if values.get(p) is not None}
    unsure = _place_on_pages(text, evidence, values, layout) + _pages_without_text(layout) \
        if layout is not None else []
    missing = missing_warnings(values.get, values.get("document.kind") == "report")
    record = {"schema_version": SCHEMA_VERSION, "source": source}
    body = nest(values)
    document = body.pop("document")
    document.update(extraction.document)
    record["document"] = document
    record.update(body)
    record["evidence"] = evidence
    record["warnings"] = [w.as_dict() for w in extraction.warnings] + unsure + missing
    return record


# The document kind is read from the title, not a figure: a doubtful title still names a report.
_KEEP_WHEN_UNSURE = ("document.kind",)


def _place_on_pages(text: str, evidence: dict, values: dict, layout) -> list[dict]:
    """Add page and box to each evidence; drop the values read from low-confidence boxes, with a
    warning naming the line and the text read (precision first: a misread digit is a wrong figure)."""
    warnings, lines = [], text.split("\n")
    for path in list(evidence):
        ev = evidence[path]
        boxes = layout.within(ev["start"], ev["end"])
        if not boxes:
            continue
        doubtful = [b for b in boxes if b.score < layout.min_confidence]
        if doubtful and path not in _KEEP_WHEN_UNSURE:
            read = " ".join(text[b.start:b.end] for b in doubtful)
            line = lines[ev["line"] - 1]
            message = (f"OCR read {read!r} in line {line!r} with confidence {min(b.score for b in doubtful):.2f}, "
                       f"below {layout.min_confidence}: {ev['text']!r} not taken")
            if (rec := recorder()) is not None:
                rec.drop_value(path, "ocr.low-confidence", values[path], ev, message)
            values[path] = None
            del evidence[path]
            warnings.append(make("low-confidence", path, message, line=ev["line"]).as_dict())
            continue
        page = [b for b in boxes if b.page == boxes[0].page]
        ev["page"] = page[0].page
        ev["box"] = [min(b.box[0] for b in page), min(b.box[1] for b in page),
                     max(b.box[2] for b in page), max(b.box[3] for b in page)]
    return warnings


def _pages_without_text(layout) -> list[dict]:
    """One warning naming the pages on which OCR recognised nothing with confidence."""
    if not layout.no_text:
        return []
    pages = ", ".join(map(str, layout.no_text))
    read = "no page is read" if len(layout.no_text) == len(layout.turns) else "the other pages are read"
    return [make("no-text-recognised", None, f"no text was recognised on page{'s' * (len(layout.no_text) > 1)} "
                 f"{pages} of {len(layout.turns)} (blank, or a picture without text): {read}").as_dict()]
