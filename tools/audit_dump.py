"""Dump every value `enforce parse` takes from a directory of reports, with its evidence, for a
precision audit by reading (docs/accuracy.md, "Precision audit").

One TSV row per non-null catalogue value: file, group (identity | figure), field, value, qualifier,
rule, line, the evidence span, and the source line around it (the span marked 【…】) so a reader can
judge the value against the text without opening the file. Identity is agency.*, report_year,
published_on and document.kind; every other catalogue value is a figure.

    python tools/audit_dump.py ../shared/corpus > audit.tsv            # all values
    python tools/audit_dump.py ../shared/corpus --group figure         # figures only
    python tools/audit_dump.py DIR --glob 'p*.txt' --context 50
"""
from __future__ import annotations

import argparse
import csv
import pathlib
import sys

from enforcement_parser.api import extract_text, parse_bytes, read_input
from enforcement_parser.knowledge.catalogue import fields as catalogue
from enforcement_parser.errors import EnforceError

IDENTITY = {"agency.name", "agency.province", "agency.city", "agency.district",
            "report_year", "published_on", "document.kind"}
COLUMNS = ("file", "group", "field", "value", "qualifier", "rule", "line", "evidence", "context")


def field_value(record: dict, path: str):
    """The value at a dotted catalogue path of a record."""
    node = record
    for part in path.split("."):
        node = node[part]
    return node


def context_of(text: str, start: int, end: int, width: int) -> str:
    """The evidence's source line, cut to `width` characters either side, the span in 【】."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = max(line_start, start - width)
    right = min(line_end, end + width)
    return f"{text[left:start]}【{text[start:end]}】{text[end:right]}".replace("\t", " ")


def rows_for(path: pathlib.Path, fields: list[str], width: int) -> list[dict]:
    """Audit rows of one file: every non-null field of `fields`, in catalogue order."""
    data = read_input(str(path))
    text = extract_text(data, path=str(path))[0]
    record = parse_bytes(data, path=str(path))
    rows = []
    for name in fields:
        value = field_value(record, name)
        if value is None:
            continue
        ev = record["evidence"].get(name, {})
        rows.append({
            "file": path.name,
            "group": "identity" if name in IDENTITY else "figure",
            "field": name,
            "value": value if not isinstance(value, list) else "、".join(value),
            "qualifier": ev.get("qualifier", ""),
            "rule": ev.get("rule", ""),
            "line": ev.get("line", ""),
            "evidence": ev.get("text", "").replace("\n", "⏎").replace("\t", " "),
            "context": context_of(text, ev["start"], ev["end"], width).replace("\n", "⏎") if ev else "",
        })
    return rows


def catalogue_fields() -> list[str]:
    """Catalogue paths in catalogue order, document.kind included."""
    return [f.path for f in catalogue()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("directory", type=pathlib.Path)
    ap.add_argument("--glob", default="*.txt", help="which files of the directory (default *.txt)")
    ap.add_argument("--group", choices=("all", "identity", "figure"), default="all")
    ap.add_argument("--context", type=int, default=40, help="characters of context either side")
    args = ap.parse_args(argv)
    if not args.directory.is_dir():
        print(f"error: {args.directory}: not a directory", file=sys.stderr)
        return 2
    fields = [f for f in catalogue_fields()
              if args.group == "all" or (f in IDENTITY) == (args.group == "identity")]
    out = csv.DictWriter(sys.stdout, COLUMNS, delimiter="\t", lineterminator="\n",
                         quoting=csv.QUOTE_MINIMAL)
    out.writeheader()
    failed = 0
    for path in sorted(args.directory.glob(args.glob)):
        try:
            out.writerows(rows_for(path, fields, args.context))
        except EnforceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
