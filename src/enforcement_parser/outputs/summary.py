"""`enforce parse --summary`: a short table of what was found, on stderr (stdout stays JSON)."""

from __future__ import annotations

from ..knowledge.catalogue import fields
from .record import value_at


def print_summary(record: dict) -> None:
    # Deferred for start-up: rich (~60 ms) loads only for `--summary`, not for every parse.
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True, highlight=False)
    doc = record.get("document", {})
    title = f"{value_at(record, 'agency.name') or '?'} · {record.get('report_year') or '?'} · {doc.get('kind')}"
    table = Table(title=title, show_lines=False)
    for col in ("field", "value", "source text", "line"):
        table.add_column(col)
    evidence = record.get("evidence", {})
    found = 0
    for f in fields():
        value = value_at(record, f.path)
        if value is None:
            continue
        found += 1
        ev = evidence.get(f.path, {})
        shown = "、".join(value) if isinstance(value, list) else str(value)
        table.add_row(f"{f.label}\n[dim]{f.path}[/dim]", shown, ev.get("text", ""), str(ev.get("line", "")))
    console.print(table)
    core_missing = [w["field"] for w in record.get("warnings", [])
                    if w["code"] == "missing-field" and w["severity"] == "error"]
    others = [w for w in record.get("warnings", []) if w["code"] != "missing-field"]
    console.print(f"{found} fields found; {len(core_missing)} core fields missing"
                  + (f" ({', '.join(core_missing)})" if core_missing else "")
                  + f"; {len(others)} other warnings")
    for w in others:
        console.print(f"  [yellow]{w['code']}[/yellow] {w.get('field') or ''} {w['message']}")
