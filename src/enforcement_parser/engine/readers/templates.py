"""The template reader: an item label on one line, its value alone on the next line
("1.在岗在编人员数量" / "7309"); an item with nothing under it is reported as blank."""

from __future__ import annotations

import bisect
import functools

from .. import patterns
from ...knowledge.catalogue import by_path
from ..quantities import Figure
from ..segmenting import Segments, heading_level
from ..labels import LabelHit, columns_index, entries, table
from . import Candidate, cell_value, takes
from .tables import apply_unit, split_header

_ITEM_PREFIX = patterns.compile(r"^[#*\s]*(?:[（(]?\d{1,2}[)）.、．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)\s*")
_YEAR_PREFIX = patterns.compile(r"^(?:19|20)\d\d\s*年度?")
_NOTE = patterns.compile(r"[（(][^）)]*[）)]")
_NAMES = patterns.compile(r"^[（(](?P<names>[^）)]+)[）)]")
_NAME_SEP = patterns.compile(r"[、，,;；]")

NAME_FIELDS = {"subjects.statutory": "subjects.statutory_names",
               "subjects.authorized": "subjects.authorized_names"}


@functools.cache
def _quantity_item() -> "patterns.regex.Pattern":
    """A label that asks for a quantity: it ends with one of vocabulary.toml [columns] quantity_items."""
    return patterns.compile(rf"(?:{'|'.join(table('columns')['quantity_items'])})\s*$")


def item_label(text: str) -> str:
    """The words of an item label: numbering, a leading year and notes removed."""
    s = text.strip()
    m = _ITEM_PREFIX.match(s)   # anchored: what sub(count=1) would remove, without building a string
    if m:
        s = s[m.end():]
    if s.startswith(("19", "20")):   # a C-level test spares most lines the regex
        s = _YEAR_PREFIX.sub("", s, count=1)
    return s.strip(" *:：")


def value_line(seg: Segments, line_index: int) -> tuple[Figure, Figure | None] | None:
    """The figure that is the whole line (optionally followed by a parenthesised list of names)."""
    ln = seg.lines[line_index]
    s = ln.text.strip().rstrip("。.")
    if not s or len(s) > 200:
        return None
    lead = ln.start + ln.text.index(s[0])
    fig = seg.figures.first_within(lead, lead + len(s))
    if fig is None or fig.start != lead:
        return None
    rest = seg.text[fig.end:lead + len(s)].strip()
    if not rest:
        return fig, None
    m = _NAMES.match(rest)
    if m and m.end() == len(rest):
        names = tuple(n.strip() for n in _NAME_SEP.split(m.group("names")) if n.strip())
        at = seg.text.index(rest, fig.end)
        span = Figure(names, "", "", "exact", at + m.start("names"), at + m.end("names"))
        return fig, span
    return None


def label_path(label: str, fig: Figure | None, topics: list[frozenset[str]], hits: list[LabelHit]) -> str | None:
    """Which field an item label names: a listed column/item name first, then the vocabulary."""
    cols = columns_index()
    for key in (label, _NOTE.sub("", label)) if "(" in label or "（" in label else (label,):   # no note to drop
        paths = [p for p in cols.get(key, ()) if _fits(p, fig, topics)]
        if len(paths) == 1:
            return paths[0]
    best: list[tuple[int, str]] = []
    for h in hits:
        for path, role in h.meanings:
            if role == "after" or not _fits(path, fig, topics):
                continue
            if role == "generic" and all(t.isdisjoint(entries()[path].topics) for t in topics[:2]):
                continue
            best.append((-(h.end - h.start), path))
    if not best:
        return None
    best.sort()
    top = [p for n, p in best if n == best[0][0]]
    return top[0] if len(set(top)) == 1 else None


def _fits(path: str, fig: Figure | None, topics) -> bool:
    if fig is None:
        return True
    if fig.bare:
        return by_path()[path].kind == "count"
    return takes(path, fig)


def read_templates(seg: Segments, hits: list[LabelHit], table_lines: set[int] = frozenset()
                   ) -> tuple[list[Candidate], list[tuple[str | None, str, int]], set[int]]:
    """Candidates, blank items (path, label, line start) and the figure starts consumed."""
    lines = seg.lines
    out: list[Candidate] = []
    blanks: list[tuple[str | None, str, int]] = []
    used: set[int] = set()
    nonempty = [i for i, ln in enumerate(lines) if ln.text.strip()]
    hit_starts = [h.start for h in hits]
    taken: set[int] = set()
    # a line is looked at as a label, as a value and as the line after next: read it once
    value_at = functools.cache(lambda i: value_line(seg, i))
    header_at = functools.cache(lambda i: split_header(item_label(lines[i].text)))
    for k, i in enumerate(nonempty[:-1]):
        if i in table_lines or nonempty[k + 1] in table_lines:
            continue
        ln = lines[i]
        text = ln.text.strip()
        if len(text) > 50 or text.endswith(("。", "；")) or value_at(i) is not None:
            continue
        j = nonempty[k + 1]
        label, unit = header_at(i)
        if not label:
            continue
        prev = nonempty[k - 1] if k > 0 else None
        if unit and prev is not None and prev not in table_lines and prev not in taken \
                and value_at(prev) is not None:
            j = prev   # infographic style: the value stands above its label "（名）"
        elif k + 2 < len(nonempty) and header_at(nonempty[k + 2])[1] is not None:
            continue   # the value below belongs to the "label（单位）" under it
        got = value_at(j)
        if got is None:
            if _quantity_item().search(label) and heading_level(text) is not None \
                    and heading_level(lines[j].text) is not None:
                path = label_path(label, None, seg.heading_topics(ln.start), _line_hits(ln, hits, hit_starts))
                blanks.append((path, label, ln.start))
            continue
        fig, names = got
        fig = apply_unit(fig, unit)
        path = label_path(label, fig, seg.heading_topics(ln.start), _line_hits(ln, hits, hit_starts))
        if path is None:
            continue
        value = cell_value(path, fig)
        if value is None:
            continue
        used.add(fig.start)
        taken.add(j)
        overview = seg.in_overview(ln.start)
        out.append(Candidate(path, value, fig, "template", "template:item-then-value", overview))
        if names is not None and path in NAME_FIELDS and len(names.value) == value:
            out.append(Candidate(NAME_FIELDS[path], names.value, names, "template", "template:names-in-brackets",
                                 overview))
    return out, blanks, used


def _line_hits(ln, hits: list[LabelHit], hit_starts: list[int]) -> list[LabelHit]:
    lo = bisect.bisect_left(hit_starts, ln.start)
    hi = bisect.bisect_left(hit_starts, ln.end, lo)
    return [h for h in hits[lo:hi] if h.end <= ln.end]


__all__ = ["NAME_FIELDS", "read_templates", "item_label", "value_line", "label_path"]
