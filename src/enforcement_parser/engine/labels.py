"""The vocabulary that finds each field, loaded from data/vocabulary.toml and compiled once.

Label fragments expand to literal phrases in a trie (see phrases), so one pass over the text
finds every label occurrence and a dictionary says which fields each can mean.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from . import patterns
from ..knowledge.catalogue import by_path
from .phrases import Trie, expand, may_match_in, required_runs
from ..knowledge.tables import load_toml
from .normalizing import fold


class Entry(NamedTuple):
    path: str
    labels: tuple[str, ...]
    after: tuple[str, ...]
    generic: tuple[str, ...]
    topics: tuple[str, ...]
    columns: tuple[str, ...]
    units: tuple[str, ...]
    veto: tuple[str, ...]
    part_of: str     # the field whose breakdown ("其中…", "（…）") the `parts` labels name this one in
    parts: tuple[str, ...]
    example: str
    near_miss: str


class LabelHit(NamedTuple):
    """A label occurrence: where it is and which (path, role) pairs it can mean."""

    start: int
    end: int
    meanings: tuple[tuple[str, str], ...]   # (path, "label" | "generic" | "after" | "part")


@functools.cache
def _raw() -> dict:
    return load_toml("vocabulary.toml")


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
            part_of=row.get("part_of", ""),
            parts=tuple(row.get("parts", ())),
            example=row.get("example", ""),
            near_miss=row.get("near_miss", ""),
        )
    return out


def table(name: str) -> dict:
    """A table of vocabulary.toml beside the per-field entries: [global], [implicit], [columns] ..."""
    return _raw()[name]


@functools.cache
def _lexicon() -> tuple[Trie, dict[str, tuple[tuple[str, str], ...]], tuple]:
    """Literal phrases (expanded from the fragments) with their meanings, plus the few
    fragments that need a real pattern (wildcards), compiled only when first needed."""
    index: dict[str, list[tuple[str, str]]] = {}
    patterned: list[tuple[str, str, str]] = []
    for e in entries().values():
        for role, frags in (("label", e.labels), ("generic", e.generic), ("after", e.after), ("part", e.parts)):
            for frag in frags:
                literals = expand(frag)
                if literals is None:
                    patterned.append((e.path, role, frag))
                    continue
                for lit in literals:
                    if (e.path, role) not in index.setdefault(lit, []):
                        index[lit].append((e.path, role))
    return Trie(index), {k: tuple(v) for k, v in index.items()}, tuple(patterned)


@functools.cache
def _patterned() -> tuple[tuple[str, str, "patterns.regex.Pattern"], ...]:
    return tuple((path, role, patterns.compile(f"(?:{f})")) for path, role, f in _lexicon()[2])


def meanings(label_text: str, context: str | None = None, at: int = 0) -> tuple[tuple[str, str], ...]:
    """Every (path, role) whose fragment matches the whole label text; a fragment that looks
    beyond the label ("…(?=…备案)") is tried in its `context`, the label starting at `at`."""
    found = list(_lexicon()[1].get(label_text, ()))
    if _lexicon()[2]:
        for path, role, pat in _patterned():
            if (path, role) in found:
                continue
            m = patterns.fullmatch(pat, label_text) if context is None else \
                patterns.match(pat, context, at)
            if m and m.end() - m.start() == len(label_text):
                found.append((path, role))
    return tuple(found)


def find_labels(text: str) -> list[LabelHit]:
    """Every label occurrence in text (overlapping), by start."""
    trie, index, patterned = _lexicon()
    hits = [LabelHit(i, j, index[text[i:j]]) for i, j in trie.scan(text)]   # by (start, end)
    wild = _wildcard_spans(text) if patterned else []
    if wild:
        hits += [LabelHit(start, end, meanings(text[start:end], text, start)) for start, end in wild]
        hits.sort(key=lambda h: (h.start, h.end))
    return hits


@functools.cache
def _wildcards() -> tuple[tuple["patterns.regex.Pattern", tuple[str, ...] | None], ...]:
    """Each distinct wildcard pattern, in vocabulary order, with the runs of plain text its
    matches must hold (phrases.required_runs)."""
    pairs = zip(_lexicon()[2], _patterned())
    return tuple(dict.fromkeys((pat, required_runs(frag)) for (_, _, frag), (_, _, pat) in pairs))


def _wildcard_spans(text: str) -> list[tuple[int, int]]:
    """Where the wildcard fragments match, leftmost first and never overlapping, as their
    alternation would find them. Each fragment is searched for on its own: a search led by
    its literal start runs in C, while the alternation was tried at every character (4x the cost)."""
    first: dict[int, int] = {}   # start -> end of the first fragment, in vocabulary order, found there
    for pat, runs in _wildcards():
        if not may_match_in(runs, text):
            continue   # every match holds these words: without them the search finds nothing
        pos = 0
        while (m := patterns.search(pat, text, pos)) is not None:
            if m.end() > m.start():
                first.setdefault(m.start(), m.end())
            pos = m.start() + 1
    spans: list[tuple[int, int]] = []
    for start in sorted(first):
        if not spans or start >= spans[-1][1]:
            spans.append((start, first[start]))
    return spans


@functools.cache
def _veto_parts(path: str) -> tuple[tuple[str, ...], "patterns.regex.Pattern | None"]:
    """A field's veto words ('' = the global list): literal phrases, plus one pattern for the
    few with wildcards (compiled only when that field is first checked)."""
    words = [w for group in global_vetoes().values() for w in group] if path == "" else entries()[path].veto
    literals: list[str] = []
    wild: list[str] = []
    for w in words:
        expanded = expand(w)
        if expanded is None:
            wild.append(w)
        else:
            literals.extend(expanded)
    if len(literals) > _LITERALS_IN_PYTHON:   # the global list: one search in C beats a loop over it
        wild = [patterns.regex.escape(w) for w in sorted(set(literals), key=lambda w: (-len(w), w))] + wild
        literals = []
    return tuple(literals), (patterns.compile("|".join(wild)) if wild else None)


_LITERALS_IN_PYTHON = 16


def vetoed(path: str, zone: str) -> bool:
    """Whether `zone` holds a veto word of the field (path) or of every field ('')."""
    literals, wild = _veto_parts(path)
    return any(map(zone.__contains__, literals)) or (wild is not None and patterns.search(wild, zone) is not None)


def global_vetoes() -> dict[str, list[str]]:
    """The global veto lists by id (veto.change ...): the words that veto a figure for every field."""
    return {f"veto.{name}": words for name, words in table("global")["veto"].items()}


def veto_word(path: str, zone: str) -> tuple[str, str] | None:
    """(veto id, the words that matched) of the first veto word of the field (path) or of every
    field ('') in zone: what --explain names. Slower than `vetoed`, asked only when explaining."""
    groups = global_vetoes() if path == "" else {"veto.field": entries()[path].veto}
    for rule, words in groups.items():
        for w in words:
            literals = expand(w)
            if literals is None:
                if m := patterns.search(patterns.compile(w), zone):
                    return rule, m.group()
            elif found := next((lit for lit in literals if lit in zone), None):
                return rule, found
    return None


@functools.cache
def platform_entry_pattern() -> "patterns.regex.Pattern":
    """Words that make a figure a count of records entered on a supervision platform."""
    return patterns.compile("|".join(f"(?:{p})" for p in table("global")["platform_entries"]))


@functools.cache
def list_size_words() -> tuple[str, ...]:
    return tuple(table("global")["list_sizes"])


@functools.cache
def list_verbs() -> tuple[str, ...]:
    return tuple(table("global")["list_verbs"])


@functools.cache
def quoted_place_words() -> tuple[str, ...]:
    return tuple(table("global")["quoted_place_words"])


@functools.cache
def total_words() -> tuple[str, ...]:
    return tuple(table("global")["total_lines"])


@functools.cache
def filler_pattern() -> "patterns.regex.Pattern":
    words = sorted(table("global")["filler"], key=len, reverse=True)
    return patterns.compile("(?:" + "|".join(words) + ")")


@functools.cache
def columns_index() -> dict[str, tuple[str, ...]]:
    """Folded table/template cell text -> paths it may name."""
    out: dict[str, list[str]] = {}
    for e in entries().values():
        for c in e.columns:
            out.setdefault(c, []).append(e.path)
    return {k: tuple(v) for k, v in out.items()}
