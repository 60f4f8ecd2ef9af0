"""Readers turn figures into candidates (field, value, span, rule); `resolve` picks among them."""

from __future__ import annotations

import functools
from typing import NamedTuple

from ...knowledge.catalogue import by_path
from ..quantities import Figure, tables as unit_tables   # not `tables`: the readers.tables module takes that name
from ..labels import entries

# Readers that see structure (a template item, a table cell) outrank prose.
RANK = {"template": 3, "table": 3, "sentence": 2, "sentence-after": 1, "implicit": 1}

_TOPIC_OF_GROUP = {
    "reviews.legal_review": "legal_review",
    "reviews.reconsideration": "reconsideration",
    "reviews.litigation": "litigation",
}


class Candidate(NamedTuple):
    # The sentence reader builds candidates by position (sentences.py: _candidate, _marked):
    # a new field goes last, with a default.
    path: str
    value: int | float | tuple[str, ...]   # names fields carry a tuple of names
    figure: Figure
    reader: str        # template | table | sentence | sentence-after | implicit
    rule: str          # reader:detail, shown in evidence
    overview: bool     # found under a 基本情况/总体情况/数据 heading
    breakdown: bool = False   # a part ("其中…") of a figure stated just before
    own_scope: bool = False   # said of the agency itself ("市局本级"), not its whole system
    wider_scope: bool = False  # said of a whole system or with its subordinates ("全市…系统", "含各区县")
    generic: bool = False      # named only by a topic-bound label ("结案", "审理中"), not a specific one
    total_of: tuple[int, int] | None = None   # on a 合计/总计 line: the span of the rows above it
    entered: bool = False      # a count of records entered on a supervision platform ("在…平台录入…")

    @property
    def rank(self) -> int:
        return RANK[self.reader]


def accepts(path: str, figure: Figure) -> bool:
    """Whether a field takes a figure with this unit (个 is both a device and an item unit)."""
    if figure.bare:
        # only readers that know the cell is the whole value pass bare figures
        return _takes_bare(path)
    return figure.unit in _unit_words(path)


@functools.cache
def _unit_words(path: str) -> frozenset[str]:
    """The unit words of the field's unit families: asked about for every figure near a label."""
    words = unit_tables()["units"]
    return frozenset(w for family in entries()[path].units for w in words.get(family, ()))


@functools.cache
def _takes_bare(path: str) -> bool:
    return "" in entries()[path].units or by_path()[path].kind == "count"


@functools.cache   # asked for each candidate and label meaning, of a few hundred catalogue paths
def topic_of(path: str) -> str:
    """The section topic a field belongs to (coercion.enforcement_* is its own topic)."""
    if path.startswith("coercion.enforcement_"):
        return "coercion_enforcement"
    for prefix, topic in _TOPIC_OF_GROUP.items():
        if path.startswith(prefix):
            return topic
    return path.split(".")[0]


def takes(path: str, figure: Figure) -> bool:
    """Whether the field takes this figure: a unit it accepts and a value its kind allows."""
    return accepts(path, figure) and value_for(by_path()[path].kind, figure) is not None


def cell_value(path: str, figure: Figure):
    """The value a whole table cell / template line gives a field: a bare number only counts."""
    kind = by_path()[path].kind
    if figure.bare:
        return figure.value if kind == "count" and isinstance(figure.value, int) else None
    return value_for(kind, figure) if accepts(path, figure) else None


def value_for(kind: str, figure: Figure) -> int | float | None:
    """The catalogue value of a figure for a field kind, or None when it cannot be one."""
    v = figure.value
    if kind == "count":
        return v if isinstance(v, int) and v >= 0 else None
    if kind in ("money_yuan", "ratio"):
        return v if v >= 0 else None
    if kind == "percent":
        return v if 0 <= v <= 100 else None
    return None
