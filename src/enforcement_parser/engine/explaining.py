"""`enforce parse --explain`: for each catalogue field, the candidates found, the rule that took or
dropped each (decisions.RULES ids) and the winner; figures a veto dropped before any field named
them are given to the fields whose labels stand right by them, else listed as unattached.

The explanation is built from one ordinary parse run under decisions.recording(): its values are
the record's, byte for byte.
"""

from __future__ import annotations

from ..knowledge.catalogue import fields
from .decisions import RULES, Recorder, recording
from .readers import takes
from ..outputs.record import value_at
from .labels import find_labels, global_vetoes

_CLAUSE_STOPS = "，,；;。！？!?\n：:|"
_NEAR = 6   # characters between a label and a dropped figure for the label to claim it


def explain_record(record: dict, rec: Recorder) -> dict:
    """The explanation of a record from what its parse recorded."""
    per_field: dict[str, list[dict]] = {f.path: [] for f in fields()}
    first: dict[int, object] = {}
    for d in rec.decisions:   # a candidate's first decision is the one that took or dropped it
        first.setdefault(id(d.candidate), d)
    for d in first.values():
        c = d.candidate
        per_field[c.path].append({
            "value": list(c.value) if isinstance(c.value, tuple) else c.value,
            "span": _span(rec, c.figure.start, c.figure.end), "rule": c.rule,
            "decision": _decision(d.rule, d.reason), "taken": d.taken})
    unattached = []
    hits = find_labels(rec.seg.text) if rec.seg is not None else []
    for drop in rec.drops:
        entry = {"value": drop.figure.value, "unit": drop.figure.unit,
                 "span": _span(rec, drop.figure.start, drop.figure.end), "rule": None,
                 "decision": _decision(drop.rule, drop.reason), "taken": False}
        paths = {drop.path: None} if drop.path else _claimed(rec.seg.text, hits, drop.figure)
        for path, label in paths.items():
            per_field[path].append(entry if label is None else {**entry, "near_label": label})
        if not paths:
            unattached.append(entry)
    for path, dropped in rec.dropped_values.items():
        _dropped_after(per_field[path], dropped)
    out_fields = {}
    for f in fields():
        value = value_at(record, f.path)
        cands = sorted(per_field[f.path], key=lambda e: e["span"]["start"])
        entry = {"label": f.label, "core": f.core, "value": value, "candidates": cands}
        evidence = record["evidence"].get(f.path)
        if value is not None and evidence is not None and not any(c["taken"] for c in cands):
            entry["decision"] = _decision("document.identity", f"read by {evidence['rule']}")
            entry["evidence"] = evidence
        if value is None and not cands:
            entry["note"] = RULES[rec.stopped[0]] if rec.stopped else "no candidate"
        out_fields[f.path] = entry
    return {"source": record["source"], "document": record["document"],
            "stopped": _decision(*rec.stopped) if rec.stopped else None,
            "fields": out_fields, "unattached": sorted(unattached, key=lambda e: e["span"]["start"])}


def explain(parse) -> dict:
    """Run `parse()` (which returns a record) with the recorder on; its explanation."""
    with recording() as rec:
        record = parse()
    return explain_record(record, rec)


def _dropped_after(cands: list[dict], dropped) -> None:
    """A value the record builder dropped after resolving (ocr.low-confidence): the candidates that
    were taken are shown dropped by that rule; a value read without candidates (the document
    reader's) is listed as a dropped candidate from its evidence."""
    taken = [c for c in cands if c["taken"]]
    for c in taken:
        c.update(taken=False, decision=_decision(dropped.rule, dropped.reason))
    if not taken:
        ev = dropped.evidence
        cands.append({"value": list(dropped.value) if isinstance(dropped.value, tuple) else dropped.value,
                      "span": {k: ev[k] for k in ("start", "end", "line", "text")}, "rule": ev["rule"],
                      "decision": _decision(dropped.rule, dropped.reason), "taken": False})


def _span(rec: Recorder, start: int, end: int) -> dict:
    """A view span as offsets, 1-based line and text of the decoded text (as evidence has them)."""
    a, b = rec.view.span(start, end) if start < end else (rec.view.offset(start),) * 2
    return {"start": a, "end": b, "line": rec.text.count("\n", 0, a) + 1, "text": rec.text[a:b]}


def _decision(rule: str, reason: str = "") -> dict:
    return {"rule": rule, "reason": reason or _describe(rule)}


def _describe(rule: str) -> str:
    if rule in RULES:
        return RULES[rule]
    if rule in global_vetoes():
        return f"a word of the global veto list {rule} (vocabulary.toml [global])"
    return ""


def _claimed(text: str, hits, figure) -> dict[str, str]:
    """Fields a dropped figure would have gone to: those a label right before it in its clause (or
    right after it) names, when the field takes the figure's unit. path -> the label's text."""
    clause = max(text.rfind(ch, 0, figure.start) for ch in _CLAUSE_STOPS) + 1
    found: dict[str, str] = {}
    for h in hits:
        if h.start > figure.end + 3:
            break
        before = clause <= h.start and h.end <= figure.start and figure.start - h.end <= _NEAR
        after = figure.end <= h.start <= figure.end + 3
        for path, role in h.meanings:
            if (role == "label" and before or role == "after" and after) and path not in found \
                    and takes(path, figure):
                found[path] = text[h.start:h.end]
    return found


def render_text(explanation: dict) -> str:
    """A listing for a terminal: each field with candidates (✓ taken, ✗ dropped), then the null
    fields without any, then the unattached drops."""
    lines = []
    empty = []
    for path, f in explanation["fields"].items():
        if f["value"] is None and not f["candidates"]:
            empty.append(path)
            continue
        value = "null" if f["value"] is None else f["value"]
        how = f"  ({f['decision']['rule']}: {f['decision']['reason']})" if "decision" in f else ""
        lines.append(f"{path}  {f['label']} = {value}{how}")
        lines += [_candidate_line(c) for c in f["candidates"]]
    if explanation["stopped"]:
        lines.append(f"no figure taken: {explanation['stopped']['rule']}: {explanation['stopped']['reason']}")
    if empty:
        lines.append(f"no candidate: {', '.join(empty)}")
    if explanation["unattached"]:
        lines.append("dropped, no field named:")
        lines += [_candidate_line(c) for c in explanation["unattached"]]
    return "\n".join(lines) + "\n"


def _candidate_line(c: dict) -> str:
    s, d = c["span"], c["decision"]
    how = f" {c['rule']}" if c["rule"] else ""
    near = f" (label {c['near_label']!r})" if c.get("near_label") else ""
    reason = f": {d['reason']}" if d["reason"] else ""
    return f"  {'✓' if c['taken'] else '✗'} {c['value']!s:>10}  line {s['line']} {s['text']!r}{how}{near} — {d['rule']}{reason}"

