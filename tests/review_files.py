"""Review files built by hand for the merge tests: decisions as a person makes them on the page."""

import json

from enforcement_parser.outputs.record import value_at

TIME = "2026-12-06T10:30:00.000Z"


def span(text: str, snippet: str, nth: int = 0) -> dict:
    """{start, end, text} of the nth occurrence of snippet, in characters of text (as Python counts)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(snippet, start + 1)
    return {"start": start, "end": start + len(snippet), "text": snippet}


def decision(record: dict, text: str, path: str, action: str, value=None, snippet=None, *, nth=0,
             machine="current", **extra) -> dict:
    """One decision; `machine` defaults to the record's value (what the page showed)."""
    out = {"action": action, "value": value, "time": TIME,
           "machine": value_at(record, path) if machine == "current" else machine, **extra}
    if action == "confirm":
        out["value"] = value_at(record, path)
        ev = record["evidence"][path]
        out["evidence"] = {"start": ev["start"], "end": ev["end"], "text": ev["text"]}
    elif snippet is not None:
        out["evidence"] = span(text, snippet, nth)
    return out


def review(record: dict, fields: dict, reviewer="王审核") -> dict:
    return {"review_version": "1", "source": {"path": record["source"]["path"], "sha256": record["source"]["sha256"]},
            "engine": "0.1.0", "reviewer": reviewer, "fields": fields}


def write(path, data: dict):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path
