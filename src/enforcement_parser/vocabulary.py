"""The vocabulary that finds each field, loaded from data/vocabulary.toml and compiled once.

One combined leftmost-longest pattern over every label lets a single pass over the text find
all label occurrences; which fields a matched label can mean is then looked up (and cached).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from . import patterns
from .catalogue import by_path
from .normalizing import fold


@dataclass(frozen=True)
class Entry:
    path: str
    labels: tuple[str, ...]
    after: tuple[str, ...]
    generic: tuple[str, ...]
    topics: tuple[str, ...]
    columns: tuple[str, ...]
    units: tuple[str, ...]
    veto: tuple[str, ...]
    example: str
    near_miss: str


@dataclass(frozen=True)
class LabelHit:
    """A label occurrence: where it is and which (path, role) pairs it can mean."""

    start: int
    end: int
    meanings: tuple[tuple[str, str], ...]   # (path, "label" | "generic" | "after")


@functools.cache
def _raw() -> dict:
    text = resources.files(__package__).joinpath("data/vocabulary.toml").read_text(encoding="utf-8")
    return tomllib.loads(fold(text))


@functools.cache
def entries() -> dict[str, Entry]:
    """Vocabulary entries keyed by path; refuses unknown paths and duplicate entries."""
    out: dict[str, Entry] = {}
    catalogue = by_path()
    for row in _raw()["field"]:
        path = row["path"]
        if path not in catalogue:
            raise ValueError(f"vocabulary: {path} is not a catalogue path")
        if path in out:
            raise ValueError(f"vocabulary: duplicate entry for {path}")
        out[path] = Entry(
            path=path,
            labels=tuple(row.get("labels", ())),
            after=tuple(row.get("after", ())),
            generic=tuple(row.get("generic", ())),
            topics=tuple(row.get("topics", ())),
            columns=tuple(fold(c) for c in row.get("columns", ())),
            units=tuple(row.get("units", ())),
            veto=tuple(row.get("veto", ())),
            example=row.get("example", ""),
            near_miss=row.get("near_miss", ""),
        )
    return out


def global_table() -> dict:
    return _raw()["global"]


@functools.cache
def _role_patterns() -> tuple[tuple[str, str, "patterns.regex.Pattern"], ...]:
    """(path, role, anchored pattern) for every label fragment."""
    out = []
    for e in entries().values():
        for role, frags in (("label", e.labels), ("generic", e.generic), ("after", e.after)):
            for frag in frags:
                out.append((e.path, role, patterns.compile(f"(?:{frag})")))
    return tuple(out)


@functools.cache
def _combined() -> "patterns.regex.Pattern":
    frags = sorted({frag for e in entries().values() for frag in (*e.labels, *e.generic, *e.after)},
                   key=len, reverse=True)
    return patterns.compile("|".join(f"(?:{f})" for f in frags), patterns.regex.POSIX)


@functools.lru_cache(maxsize=8192)
def meanings(label_text: str) -> tuple[tuple[str, str], ...]:
    """Every (path, role) whose fragment matches the whole label text."""
    return tuple((path, role) for path, role, pat in _role_patterns() if patterns.fullmatch(pat, label_text))


def find_labels(text: str) -> list[LabelHit]:
    """All label occurrences in text (overlapping, the longest at each start), by start."""
    hits = []
    try:
        found = _combined().finditer(text, overlapped=True, timeout=patterns.TIMEOUT_S)
        for m in found:
            if m.end() > m.start():
                hits.append(LabelHit(m.start(), m.end(), meanings(m.group())))
    except TimeoutError:
        from .errors import InputError

        raise InputError("input is pathological: label search exceeded its time limit") from None
    return hits


@functools.cache
def compiled_vetoes() -> dict[str, "patterns.regex.Pattern"]:
    """Per-field veto patterns plus the global one under the key ''."""
    out = {"": patterns.compile("|".join(global_table()["veto"]))}
    for path, e in entries().items():
        if e.veto:
            out[path] = patterns.compile("|".join(e.veto))
    return out


@functools.cache
def filler_pattern() -> "patterns.regex.Pattern":
    words = sorted(global_table()["filler"], key=len, reverse=True)
    return patterns.compile("(?:" + "|".join(words) + ")")


@functools.cache
def columns_index() -> dict[str, tuple[str, ...]]:
    """Folded table/template cell text -> paths it may name."""
    out: dict[str, list[str]] = {}
    for e in entries().values():
        for c in e.columns:
            out.setdefault(c, []).append(e.path)
    return {k: tuple(v) for k, v in out.items()}
