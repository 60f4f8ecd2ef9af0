"""The per-field ratchet's list of known misses: tests/data/known_misses.tsv.

One row per (set, case, field) whose reading does not match gold today: its kind (miss: a required
value left null; wrong: another value; extra: a value where gold expects null) and why, as read in the
case. tests/test_golden.py holds every other (case, field) to its gold and each row to a strict xfail.

`make known-misses` (`python tests/known_misses.py`) rewrites the file from what the engine reads now,
keeping the reason of every row that stays, and prints the rows added (a field that broke: a
regression, unless it is a new case), removed (a field that got fixed) and changed (another kind).
"""
import csv
import functools
import sys
from dataclasses import dataclass

from conftest import ROOT, SHARED
from engine_records import GoldCase, gold_cases, parsed
from scoring import catalogue_values, verdicts

FILE = ROOT / "tests" / "data" / "known_misses.tsv"
COLUMNS = ("set", "case", "field", "kind", "reason")
KINDS = ("miss", "wrong", "extra")
TODO = "TODO: read the case and say why"


@dataclass(frozen=True)
class Row:
    set: str
    case: str
    field: str
    kind: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.set, self.case, self.field


def load(path=FILE) -> dict:
    """{(set, case, field): Row} of the file."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert tuple(header) == COLUMNS, f"{path}: header {header}, want {COLUMNS}"
        rows = [Row(*line) for line in reader if line]
    return {row.key: row for row in rows}


def save(rows, path=FILE) -> None:
    lines = ["\t".join(COLUMNS)]
    lines += ["\t".join((r.set, r.case, r.field, r.kind, r.reason)) for r in sorted(rows, key=lambda r: r.key)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@functools.cache
def case_values(case: GoldCase) -> dict:
    """{catalogue path: value} the engine reads from one case (parsed once per session)."""
    return catalogue_values(parsed(case.text)[0])


@functools.cache
def case_verdicts(case: GoldCase) -> dict:
    """{field: (kind, score.py's message)} of the fields of one case that do not match its gold."""
    return verdicts(case_values(case), case.gold)


def now_reading(cases) -> dict:
    """{(set, case, field): (kind, message)} of every mismatch the engine makes now."""
    return {(c.set, c.name, p): bad for c in cases for p, bad in case_verdicts(c).items()}


def regenerate(old: dict, now: dict) -> tuple[list, list, list, list]:
    """(new rows, added, removed, changed kind): the reasons of rows that stay are kept."""
    rows, added, changed = [], [], []
    for key, (kind, message) in sorted(now.items()):
        before = old.get(key)
        row = Row(*key, kind, before.reason if before else TODO)
        rows.append(row)
        if before is None:
            added.append((row, message))
        elif before.kind != kind:
            changed.append((before, row, message))
    removed = [old[key] for key in sorted(old) if key not in now]
    return rows, added, removed, changed


def main() -> int:
    if not (SHARED / "dev" / "gold").is_dir():
        print(f"error: {SHARED} is absent: the list would lose the seed and dev rows", file=sys.stderr)
        return 2
    rows, added, removed, changed = regenerate(load(), now_reading(gold_cases()))
    save(rows)
    for row, message in added:
        print(f"added    {row.set}/{row.case}  {message}")
    for row in removed:
        print(f"removed  {row.set}/{row.case}  {row.field} ({row.kind}: {row.reason})")
    for before, row, message in changed:
        print(f"changed  {row.set}/{row.case}  {before.kind} -> {row.kind}  {message}")
    print(f"{FILE.relative_to(ROOT)}: {len(rows)} rows, {len(added)} added, {len(removed)} removed, "
          f"{len(changed)} changed")
    if added:
        print(f"write the reason of each added row (read the case) in place of '{TODO}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
