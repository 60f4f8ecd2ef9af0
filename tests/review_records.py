"""Records built by hand for the review tests, so they do not depend on what the engine extracts."""

import hashlib

from enforcement_parser.knowledge.catalogue import fields


def hand_record(text: str, found: dict, warnings=(), path="report.txt", document=None) -> dict:
    """A record in the output.md layout; `found` maps path -> (value, snippet[, qualifier[, nth]]).

    The span of a field is the nth (default first) occurrence of its snippet in the text.
    """
    record = {"schema_version": "1.0",
              "source": {"path": path, "sha256": hashlib.sha256(text.encode()).hexdigest(),
                         "encoding": "utf-8", "format": "text", "length": len(text)},
              "document": {"kind": "report", "style": "narrative", "title": None, **(document or {})}}
    for f in fields():
        node = record
        *parents, leaf = f.path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node.setdefault(leaf, None)
    evidence, warns = {}, list(warnings)
    for fpath, (value, snippet, *rest) in found.items():
        assert fpath_value(record, fpath) is None, f"{fpath} is not a catalogue path"
        qualifier = rest[0] if rest else "exact"
        start = -1
        for _ in range((rest[1] if len(rest) > 1 else 0) + 1):
            start = text.index(snippet, start + 1)
        node = record
        *parents, leaf = fpath.split(".")
        for p in parents:
            node = node[p]
        node[leaf] = value
        evidence[fpath] = {"text": snippet, "start": start, "end": start + len(snippet),
                           "line": text.count("\n", 0, start) + 1, "qualifier": qualifier, "rule": "hand"}
    for f in fields():
        if fpath_value(record, f.path) is None:
            warns.append({"code": "missing-field", "severity": "error" if f.core else "info",
                          "field": f.path, "message": f"{f.label} ({f.path}) not found"})
    record["evidence"] = evidence
    record["warnings"] = warns
    return record


def fpath_value(record, path):
    node = record
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise KeyError(path)
        node = node[key]
    return node
