"""The corpus lens: what the engine does, at scale, on reports nobody has labelled. Built on the
decisions recorder of `enforce parse --explain` (engine/decisions.py, engine/explaining.py).

    python tools/lens.py ../shared/corpus -o lens-out        # writes five files into lens-out/

- untaken.tsv: every figure with a unit no reader made a candidate of, with the words before and
  after it and the rule that dropped it, if one did;
- untaken_groups.tsv: the same grouped by the label-like words in front of the figure (the run of
  CJK characters that ends right before it) and its unit, counted across files, most files first;
- taken.tsv: every value taken, with its evidence, the reading rule and the decision that chose it;
- dropped.tsv: every candidate or figure a rule dropped, by rule; drop_rules.tsv counts them.
- summary.md: the top of untaken_groups and drop_rules, to paste into docs/accuracy.md.
"""
from __future__ import annotations

import argparse
import collections
import csv
import pathlib
import re
import sys

from enforcement_parser.api import extract_text, parse_text, read_input
from enforcement_parser.engine.decisions import recording
from enforcement_parser.errors import EnforceError
from enforcement_parser.engine.explaining import explain_record

CONTEXT = 16   # characters of the line either side of a figure
GROUP_CHARS = 4   # untaken figures are grouped by this many characters of label before them
SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
# the label-like words in front of a figure: CJK characters (and 、 inside a name) up to it,
# after filler a label does not need ("共", "为", "达" ...)
_LABEL = re.compile(r"([\u4e00-\u9fff]{1,12})[共计为达有约近逾超过余：:\s]*$")
_FILLER = re.compile(r"(?:共计|合计|累计|总计|共|计|为|达|有|约|近|逾|超过|是)+$")
_DATE_TAIL = re.compile(r"^(?:年度?|月份?|日)")   # the rest of a date the run starts in ("2022年作出…")


def label_before(text: str, start: int) -> str:
    """The label-like words right before a figure ("全局在岗执法人员67人" -> "全局在岗执法人员"),
    "" when a digit, a stop or nothing stands there."""
    line_start = text.rfind("\n", 0, start) + 1
    m = _LABEL.search(text, max(line_start, start - 20), start)
    return _DATE_TAIL.sub("", _FILLER.sub("", m.group(1))) if m else ""


def around(text: str, start: int, end: int) -> tuple[str, str]:
    """The words before and after a span, within its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[max(line_start, start - CONTEXT):start], text[end:min(line_end, end + CONTEXT)]


def look(path: pathlib.Path) -> dict:
    """One report through the lens: its untaken figures, taken values and drops."""
    data = read_input(str(path))
    text = extract_text(data, path=str(path))[0]
    with recording() as rec:
        record = parse_text(text, path=str(path))
    explanation = explain_record(record, rec)
    name = path.name
    made = {c.figure.start for c in (d.candidate for d in rec.decisions)}
    dropped_at = {d.figure.start: d.rule for d in rec.drops}
    untaken = []
    if rec.stopped is None:
        for fig in rec.seg.figures.figures:
            if fig.bare or fig.start in made:
                continue
            start, end = rec.view.span(fig.start, fig.end)
            before, after = around(text, start, end)
            untaken.append({"file": name, "line": text.count("\n", 0, start) + 1, "label": label_before(text, start),
                            "figure": text[start:end], "unit": fig.unit, "before": before, "after": after,
                            "dropped_by": dropped_at.get(fig.start, "")})
    taken, dropped = [], []
    for path_, field in explanation["fields"].items():
        for c in field["candidates"]:
            before, after = around(text, c["span"]["start"], c["span"]["end"])
            row = {"file": name, "field": path_, "value": c["value"], "line": c["span"]["line"],
                   "evidence": c["span"]["text"], "rule": c["rule"] or "", "decision": c["decision"]["rule"],
                   "reason": c["decision"]["reason"], "before": before, "after": after}
            (taken if c["taken"] else dropped).append(row)
        if field["value"] is not None and "evidence" in field:   # identity, named by the document reader
            ev = field["evidence"]
            before, after = around(text, ev["start"], ev["end"])
            taken.append({"file": name, "field": path_, "value": field["value"], "line": ev["line"],
                          "evidence": ev["text"], "rule": ev["rule"], "decision": "document.identity",
                          "reason": "", "before": before, "after": after})
    for c in explanation["unattached"]:
        before, after = around(text, c["span"]["start"], c["span"]["end"])
        dropped.append({"file": name, "field": "", "value": c["value"], "line": c["span"]["line"],
                        "evidence": c["span"]["text"], "rule": "", "decision": c["decision"]["rule"],
                        "reason": c["decision"]["reason"], "before": before, "after": after})
    return {"untaken": untaken, "taken": taken, "dropped": dropped}


def group_untaken(rows: list[dict]) -> list[dict]:
    """Untaken figures by the last GROUP_CHARS characters of their label words and their unit ("在岗执法人员"
    and "全局执法人员" are both "执法人员"): how many, in how many files, the labels seen, one example;
    most files first."""
    groups: dict[tuple[str, str], list[dict]] = collections.defaultdict(list)
    for r in rows:
        groups[(r["label"][-GROUP_CHARS:], r["unit"])].append(r)
    out = [{"label": label, "unit": unit, "count": len(rs), "files": len({r["file"] for r in rs}),
            "labels": "、".join(w for w, _ in collections.Counter(r["label"] for r in rs).most_common(4)),
            "dropped_by": ",".join(sorted({r["dropped_by"] for r in rs if r["dropped_by"]})),
            "example": f'{rs[0]["file"]}:{rs[0]["line"]} {rs[0]["before"]}【{rs[0]["figure"]}】{rs[0]["after"]}'}
           for (label, unit), rs in groups.items()]
    return sorted(out, key=lambda g: (-g["files"], -g["count"], g["label"], g["unit"]))


def count_rules(rows: list[dict]) -> list[dict]:
    """Drops by the rule that dropped them: how many, in how many files, for which fields."""
    by_rule: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        by_rule[r["decision"]].append(r)
    out = [{"rule": rule, "count": len(rs), "files": len({r["file"] for r in rs}),
            "fields": ",".join(f"{f}:{n}" for f, n in collections.Counter(r["field"] or "-" for r in rs).most_common(5))}
           for rule, rs in by_rule.items()]
    return sorted(out, key=lambda g: (-g["count"], g["rule"]))


def write_tsv(path: pathlib.Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def summary(directory: str, n_files: int, failed: list[str], groups: list[dict], rules: list[dict],
            taken: int, top: int = 15) -> str:
    lines = [f"Corpus lens over `{directory}`: {n_files} files ({len(failed)} unreadable), {taken} values taken, "
             f"{sum(g['count'] for g in groups)} figures with a unit no reader took, "
             f"{sum(r['count'] for r in rules)} drops.", "",
             "| label words before the untaken figure (last 4) | unit | figures | files | labels seen | dropped by |",
             "|---|---|---|---|---|---|"]
    for g in [g for g in groups if g["label"]][:top]:
        lines.append(f"| {g['label']} | {g['unit']} | {g['count']} | {g['files']} | {g['labels']} | {g['dropped_by']} |")
    lines += ["", "| drop rule | drops | files | fields (most) |", "|---|---|---|---|"]
    lines += [f"| `{r['rule']}` | {r['count']} | {r['files']} | {r['fields']} |" for r in rules]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directory")
    ap.add_argument("-o", "--output", required=True, help="directory to write the lens files into")
    args = ap.parse_args(argv)
    files = sorted(p for p in pathlib.Path(args.directory).rglob("*")
                   if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
    if not files:
        sys.stderr.write(f"error: no report files in {args.directory}\n")
        return 2
    out = pathlib.Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    untaken, taken, dropped, failed = [], [], [], []
    for path in files:
        try:
            got = look(path)
        except EnforceError as exc:
            failed.append(str(exc))
            continue
        untaken += got["untaken"]
        taken += got["taken"]
        dropped += got["dropped"]
    groups, rules = group_untaken(untaken), count_rules(dropped)
    write_tsv(out / "untaken.tsv", untaken, ["file", "line", "label", "figure", "unit", "before", "after", "dropped_by"])
    write_tsv(out / "untaken_groups.tsv", groups, ["label", "unit", "count", "files", "labels", "dropped_by",
                                                    "example"])
    cols = ["file", "field", "value", "line", "evidence", "rule", "decision", "reason", "before", "after"]
    write_tsv(out / "taken.tsv", taken, cols)
    write_tsv(out / "dropped.tsv", sorted(dropped, key=lambda r: r["decision"]), cols)
    write_tsv(out / "drop_rules.tsv", rules, ["rule", "count", "files", "fields"])
    (out / "summary.md").write_text(summary(args.directory, len(files), failed, groups, rules, len(taken)),
                                    encoding="utf-8")
    for f in failed:
        sys.stderr.write(f"skipped: {f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
