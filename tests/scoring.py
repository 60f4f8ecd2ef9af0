"""Precision and recall of records against hand-checked gold, by the rules of shared/tools/score.py.

`flatten` and `same` are copied from that script (keep them in step with it): a gold file holds
required `fields` and `optional` ones; every other catalogue path is expected to be null.
"""
import functools
from dataclasses import dataclass, field

from enforcement_parser.knowledge.catalogue import fields


def flatten(obj, prefix=""):
    out = {}
    if isinstance(obj, dict):
        if set(obj) >= {"value"} and not any(isinstance(v, dict) for k, v in obj.items() if k != "value"):
            out[prefix[:-1]] = obj["value"]
            return out
        for k, v in obj.items():
            out.update(flatten(v, prefix + k + "."))
    else:
        out[prefix[:-1]] = obj
    return out


def same(g, e):
    if isinstance(g, dict) and "any_of" in g:
        return any(same(x, e) for x in g["any_of"])
    if e is None:
        return False
    if isinstance(g, (int, float)) and not isinstance(g, bool):
        try:
            ef = float(e)
        except (TypeError, ValueError):
            return False
        return abs(ef - g) <= 1e-6 * max(1.0, abs(g))
    if isinstance(g, list):
        return isinstance(e, list) and [str(x).strip() for x in e] == [str(x).strip() for x in g]
    return str(e).strip() == str(g).strip()


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    req: int = 0
    errors: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.req += other.req
        self.errors += other.errors

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return (self.req - self.fn) / max(1, self.req)


@functools.cache
def _paths() -> tuple[tuple[str, ...], frozenset]:
    """The catalogue paths, and the record keys they start with."""
    paths = tuple(f.path for f in fields())
    return paths, frozenset(p.split(".")[0] for p in paths)


def catalogue_values(record: dict) -> dict:
    """{catalogue path: value or None} as score.py reads a record ("" and [] count as null).

    Only the record's top-level keys that catalogue paths start with are flattened: the result is
    the same as flattening it all, without walking the evidence and warnings."""
    paths, roots = _paths()
    flat = flatten({k: v for k, v in record.items() if k in roots})
    return {p: None if flat.get(p) in ("", []) else flat.get(p) for p in paths}


def verdicts(values: dict, gold: dict) -> dict:
    """{path: (kind, message)} of every catalogue path whose value (`catalogue_values`) does not
    match gold.

    kind is "miss" (required, null), "wrong" (required or optional, another value) or "extra"
    (a value where gold expects null); the message is the line score.py prints for it."""
    req, opt = gold.get("fields", {}), gold.get("optional", {})
    out = {}
    for p, e in values.items():
        if p in req:
            if not same(req[p], e):
                out[p] = ("wrong", f"WRONG {p}: got {e!r} want {req[p]!r}") if e is not None else (
                    "miss", f"MISS  {p}: want {req[p]!r}")
        elif p in opt:
            if e is not None and not same(opt[p], e):
                out[p] = ("wrong", f"WRONG {p} (optional): got {e!r} want {opt[p]!r}")
        elif e is not None:
            out[p] = ("extra", f"EXTRA {p}: got {e!r}")
    return out


def score(values: dict, gold: dict, name: str = "") -> Score:
    """One record's `catalogue_values` against one gold file, counted as score.py counts it."""
    req, opt = gold.get("fields", {}), gold.get("optional", {})
    bad = verdicts(values, gold)
    s = Score(req=len(req))
    s.fn = sum(1 for p in req if p in bad)
    s.fp = sum(1 for kind, _ in bad.values() if kind != "miss")
    s.tp = sum(1 for p in set(req) | set(opt) if values.get(p) is not None and p not in bad)
    s.errors = [f"{name}: {message}" for _, message in bad.values()]
    return s
