"""What a rule is, the registry, and the small record accessors every rule shares."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..outputs.record import value_at as value  # rules read values by dotted path

SEVERITIES = ("error", "warning", "info")
FAMILIES = {"C": "completeness", "K": "consistency", "D": "document"}
_FAMILY_MODULES = ("completeness", "consistency", "document")


@dataclass(frozen=True)
class Hit:
    """What a check yields: the message, the field it concerns, and the report line if known."""

    message: str
    field: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Context:
    """Settings a check may need: the fields the profile requires, and groups where one is enough."""

    required: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    check: Callable[[dict, Context], Iterable[Hit]]
    default: bool = True

    @property
    def family(self) -> str:
        return FAMILIES[self.code[0]]

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""


_REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, *, default: bool = True):
    """Register a check function as a rule; codes and names must be unique and well-formed."""
    if code[:1] not in FAMILIES or not code[1:].isdigit() or len(code) != 4:
        raise ValueError(f"rule code {code!r} must be a family letter and three digits")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {code}: unknown severity {severity!r}")

    def register(check):
        if code in _REGISTRY or any(r.name == name for r in _REGISTRY.values()):
            raise ValueError(f"rule {code} {name}: duplicate code or name")
        _REGISTRY[code] = Rule(code, name, severity, check, default)
        return check

    return register


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule by number, C1xx K2xx D3xx (importing the family modules registers them)."""
    for module in _FAMILY_MODULES:
        importlib.import_module(f".{module}", __package__)
    return tuple(sorted(_REGISTRY.values(), key=lambda r: code_order(r.code)))


def code_order(code: str) -> tuple[str, str]:
    """Sort codes by their number, so the families come in their documented order C, K, D."""
    return (code[1:], code)


def find_rule(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    for r in all_rules():
        if key.upper() == r.code or key.lower() == r.name:
            return r
    return None


# --- record accessors: records are plain dicts nested by the catalogue's dots ---------------




def evidence_line(record: dict, path: str) -> int | None:
    ev = (record.get("evidence") or {}).get(path)
    return ev.get("line") if isinstance(ev, dict) else None


def evidence_qualifier(record: dict, path: str) -> str | None:
    ev = (record.get("evidence") or {}).get(path)
    return ev.get("qualifier") if isinstance(ev, dict) else None


def first_line(record: dict, *paths: str) -> int | None:
    """The evidence line of the first path that has one: the total first, then its parts."""
    for p in paths:
        line = evidence_line(record, p)
        if line is not None:
            return line
    return None


def record_warnings(record: dict, code: str) -> Iterator[dict]:
    """The record's own warnings with one code (the engine's view of gaps and doubts)."""
    for w in record.get("warnings") or ():
        if isinstance(w, dict) and w.get("code") == code:
            yield w


def is_report(record: dict) -> bool:
    return value(record, "document.kind") == "report"


@dataclass(frozen=True)
class Parts:
    """A total and the parts that may not exceed it, read from one record."""

    total_path: str
    total: int | float | None
    parts: dict[str, int | float] = field(default_factory=dict)

    def exceeded(self) -> bool:
        return self.total is not None and bool(self.parts) and sum(self.parts.values()) > self.total


def parts(record: dict, total_path: str, part_paths: Iterable[str]) -> Parts:
    present = {p: value(record, p) for p in part_paths}
    return Parts(total_path, value(record, total_path),
                 {p: v for p, v in present.items() if isinstance(v, (int, float))})
