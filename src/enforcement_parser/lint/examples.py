"""The examples in rule docstrings, turned into records so `enforce rules` shows them and a test runs them.

An example is one docstring line, `Fails: {...}` or `Passes: {...}`: a JSON object of dotted paths
(catalogue fields, document.title, document.period) and an optional `warnings` list, applied over a
complete, consistent report record so that only the rule under test can fire.
"""

from __future__ import annotations

import copy
import json

from ..outputs.record import nest
from .rule import Rule

BASE_VALUES = {
    "agency.name": "某市某局",
    "report_year": 2024,
    "document.kind": "report",
    "personnel.officers": 100,
    "penalties.decisions": 50,
    "penalties.fines_yuan": 100000,
    "permits.decisions": 20,
    "permits.granted": 20,
    "inspections.total": 30,
    "reviews.legal_review.reviewers": 5,
    "reviews.legal_review.cases": 40,
    "reviews.reconsideration.cases": 2,
    "reviews.litigation.cases": 1,
    "filings.major_decisions": 3,
    "recorders.body_cameras": 100,
}


def base_record() -> dict:
    """A report record with every core field filled and nothing contradicting: no default rule fires."""
    record = {"schema_version": "1.0",
              "source": {"path": "example.txt", "sha256": "0" * 64, "encoding": "utf-8",
                         "format": "text", "length": 0}}
    body = nest(BASE_VALUES)
    document = body.pop("document")
    record["document"] = {**document, "style": "example", "title": None}
    record.update(body)
    record["evidence"] = {}
    record["warnings"] = []
    return record


def apply(record: dict, overrides: dict) -> dict:
    """A copy of record with dotted paths set; `warnings` entries get the fields a record requires."""
    out = copy.deepcopy(record)
    for path, v in overrides.items():
        if path == "warnings":
            out["warnings"] = [{"severity": "warning", "field": None, "message": "", **w} for w in v]
            continue
        node = out
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = v
    return out


def examples(r: Rule) -> dict[str, list[dict]]:
    """{'fails': [...], 'passes': [...]} parsed from the rule's docstring."""
    out: dict[str, list[dict]] = {"fails": [], "passes": []}
    for line in r.doc.splitlines():
        head, _, rest = line.strip().partition(":")
        if head in ("Fails", "Passes") and rest.strip().startswith("{"):
            out[head.lower()].append(json.loads(rest))
    return out
