"""The field catalogue (path, kind, core, Chinese label), loaded once from the shipped TSV."""

from __future__ import annotations

import functools
from typing import NamedTuple

from .datafiles import read_text

KINDS = ("text", "year", "date", "enum", "count", "money_yuan", "percent", "ratio", "names")


class Field(NamedTuple):
    path: str
    kind: str
    core: bool
    label: str
    notes: str


@functools.cache
def fields() -> tuple[Field, ...]:
    """Every catalogue field in file order (the order of JSON output and CSV columns)."""
    text = read_text("catalogue.tsv")
    out = []
    for row in text.splitlines()[1:]:
        if not row.strip():
            continue
        cells = (row.split("\t") + [""] * 5)[:5]
        path, kind, core, label, notes = cells
        if kind not in KINDS:
            raise ValueError(f"catalogue: unknown kind {kind!r} for {path}")
        out.append(Field(path, kind, core == "yes", label, notes))
    return tuple(out)


@functools.cache
def by_path() -> dict[str, Field]:
    return {f.path: f for f in fields()}

