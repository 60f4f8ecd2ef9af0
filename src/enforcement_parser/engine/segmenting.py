"""Lines, headings, sections with topics, and sentences of the normalized view."""

from __future__ import annotations

import bisect
import functools
from typing import NamedTuple

from ..knowledge.tables import load_toml
from . import patterns
from .phrases import Trie, expand
from .quantities import FigureIndex


class Line(NamedTuple):
    start: int   # view offsets, newline excluded
    end: int
    text: str


class Section(NamedTuple):
    level: int
    heading: Line | None
    start: int
    end: int
    topics: frozenset[str]
    campaign: bool
    scope: str | None = None   # "own" (本局…情况) or "wider" (全县…情况, 县人民政府…) from the heading
    scope_subject: str = ""    # what the heading says after its scope word ("行政执法情况")


_HEADING = patterns.compile(
    r"^[#*\s]*(?:"
    r"(?P<l1>第[一二三四五六七八九十]+(?:部分|章|节)|[一二三四五六七八九十]+[、.．]|附[表件][一二三四五六七八九十\d]*(?:[:：\s]|$))"
    r"|(?P<l2>[（(][一二三四五六七八九十]+[）)])"
    r"|(?P<l3>\d{1,2}(?:[、.．](?!\d)|\s))"
    r"|(?P<l4>[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩])"
    r"|(?P<l5>表[一二三四五六七八九十\d]+)"
    r")"
)
_LEVELS = {"l1": 1, "l2": 2, "l3": 3, "l4": 4, "l5": 2}
# The CJK ideographs a numbering opens with (after "#", "*" and blanks): a line that opens with
# any other, as most body text does, is no heading, and needs no regex search to tell.
_NUMBERING_IDEOGRAPHS = frozenset("第一二三四五六七八九十附表")


@functools.cache
def topic_table() -> dict:
    return load_toml("topics.toml")


def _factored(words) -> str:
    """The longest-first alternation of literal `words` with their common prefixes factored out
    ("行政(?:处罚|许可)"): the same matches, and the regex module tries a few branches a character
    instead of every word."""
    return _trie_pattern(Trie(words).root)


def _trie_pattern(node: dict) -> str:
    # Branches open with distinct characters, so at most one goes on; a word ending here (the
    # trie's end mark, the key "") comes last, so the longest word wins as in the longest-first
    # alternation.
    branches = [patterns.regex.escape(ch) + _trie_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    if "" in node:
        branches.append("")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


@functools.cache
def _topic_patterns():
    t = topic_table()["topic"]
    major = {w: topic for topic, row in t.items() for w in row["major"]}
    every = dict(major)
    for topic, row in t.items():
        for w in row["minor"]:
            every.setdefault(w, topic)
    veto = topic_table()["veto"]
    campaign = veto["campaign"] + veto["not_counted"]
    heading_veto = _factored(campaign + veto["not_data"])   # either kind: one search
    return (patterns.compile(_factored(major)), major, patterns.compile(_factored(every)), every,
            patterns.compile(_factored(campaign)), patterns.compile(heading_veto))


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for piece in text.split("\n"):
        end = pos + len(piece)
        out.append(Line(pos, end, piece))
        pos = end + 1
    return out


def _numbering(line: str):
    """The match of the numbering a heading opens with, None for body text."""
    first = line.lstrip(" \t#*")[:1]
    if not first or "\u4e00" <= first <= "\u9fff" and first not in _NUMBERING_IDEOGRAPHS:
        return None
    return patterns.search(_HEADING, line)


def numbering_end(line: str) -> int | None:
    """Where a numbered heading's numbering ends ("（一）加强…" -> 3), None for body text."""
    m = _numbering(line)
    return m.end() if m else None


def heading_level(line: str) -> int | None:
    """Level of a numbered heading (一、=1, （一）=2, 1.=3, （1）=4), None for body text."""
    m = _numbering(line)
    if not m:
        return None
    return _LEVELS[m.lastgroup]


def topics_in(text: str, *, major_only: bool = False) -> frozenset[str]:
    major_pat, major, every_pat, every, *_ = _topic_patterns()
    pat, table = (major_pat, major) if major_only else (every_pat, every)
    return frozenset(table[m.group()] for m in patterns.finditer(pat, text))


def last_major_topic(text: str, start: int, end: int) -> str | None:
    """The topic of the last major topic keyword in text[start:end]."""
    major_pat, major, *_ = _topic_patterns()
    if end - start < _shortest_major():
        return None   # most often asked of the empty span before a label that opens its clause
    last = None
    for m in patterns.finditer(major_pat, text, start, end):
        last = major[m.group()]
    return last


@functools.cache
def _shortest_major() -> int:
    return min(map(len, _topic_patterns()[1]), default=0)


def is_campaign(text: str) -> bool:
    """A campaign's figures, or figures said not to count in the agency's data: not its totals."""
    return patterns.search(_topic_patterns()[4], text) is not None


@functools.cache
def _scope_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Literal heading openings (expanded from topics.toml [scope]) that mark the agency's own
    figures and those of a wider area or another body."""
    scope = topic_table()["scope"]
    own = tuple(w for frag in scope["own"] for w in expand(frag))
    wider = tuple(w for frag in scope["wider"] for w in expand(frag))
    return own, wider


_YEAR_OPENING = patterns.compile(r"^\s*(?:(?:19|20)\d\d\s*年度?)?\s*")


_TRAILING_NOTE = patterns.compile(r"\s*[（(][^（()）]*[）)]\s*$")


def heading_scope(body: str) -> tuple[str | None, str]:
    """A heading's words after its numbering: "本局行政执法情况" (of "一、本局…") -> ("own",
    "行政执法情况"); "全县行政执法情况（汇总）", "县人民政府行政复议…" -> ("wider", …). Only the
    opening words count ("…各部门协作机制" is no scope); the subject is the rest, without a closing
    note in brackets."""
    if not "\u4e00" <= body[:1] <= "\u9fff":   # a CJK ideograph opens no year
        body = body[patterns.search(_YEAR_OPENING, body).end():]
    own, wider = _scope_words()
    for scope, words in (("own", own), ("wider", wider)):
        if body.startswith(words):   # one C-level test; which word only on a hit
            word = next(w for w in words if body.startswith(w))
            return scope, _TRAILING_NOTE.sub("", body[len(word):]).strip()
    return None, ""


def _heading_text(line: Line) -> str:
    """A heading's own words: up to the first full stop when body text follows on the line."""
    cut = line.text.find("。")
    return line.text if cut < 0 else line.text[:cut]


def build_sections(lines: list[Line]) -> list[tuple[Section, ...]]:
    """For each line, the chain of enclosing sections (outermost first)."""
    chains: list[tuple[Section, ...]] = []
    stack: list[Section] = []
    for line in lines:
        m = _numbering(line.text)
        head = _heading_text(line) if m else ""
        if m and len(head) <= 60:
            level = _LEVELS[m.lastgroup]
            while stack and stack[-1].level >= level:
                stack.pop()
            vetoed = patterns.search(_topic_patterns()[5], head) is not None   # campaign or not data
            # The numbering ends before the first full stop: it matches the heading as the line.
            sec = Section(level, line, line.start, line.end, topics_in(head), vetoed,
                          *heading_scope(head[m.end():]))
            stack.append(sec)
        chains.append(tuple(stack))
    return chains


class Segments:
    """Lines, their section chains and sentence boundaries, with fast position lookups."""

    def __init__(self, text: str):
        self.text = text
        self.lines = split_lines(text)
        self.line_starts = [ln.start for ln in self.lines]
        self.chains = build_sections(self.lines)

    @functools.cached_property
    def figures(self):
        """Every figure of the text, found once (see quantities.FigureIndex)."""
        return FigureIndex(self.text)

    def line_index(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos) - 1

    def chain(self, pos: int) -> tuple[Section, ...]:
        return self.chains[self.line_index(pos)]

    def heading_topics(self, pos: int) -> list[frozenset[str]]:
        """Topics of the enclosing headings, innermost first."""
        return [s.topics for s in reversed(self.chain(pos)) if s.topics]

    def in_campaign(self, pos: int) -> bool:
        return self._campaign_lines[self.line_index(pos)]

    def in_overview(self, pos: int) -> bool:
        """Under a 基本情况 / 总体情况 / 数据 heading, where a report states its totals."""
        return self._overview_lines[self.line_index(pos)]

    # Per line, once: readers ask both for every figure.
    @functools.cached_property
    def _campaign_lines(self) -> list[bool]:
        return [any(s.campaign for s in chain) for chain in self.chains]

    @functools.cached_property
    def _overview_lines(self) -> list[bool]:
        return [any("overview" in s.topics for s in chain) for chain in self.chains]

    def scope(self, pos: int) -> str | None:
        """The scope of the innermost enclosing section whose heading states one."""
        return next((s.scope for s in reversed(self.chain(pos)) if s.scope), None)

    @functools.cached_property
    def scoped_sections(self) -> bool:
        """Whether the report keeps its own figures apart from a wider area's under parallel
        headings ("一、本局行政执法情况" / "二、全县行政执法情况（汇总）": one subject opens the other).
        Only then do heading scopes say
        whose figures a section holds: for most agencies "全县…情况" is their own data."""
        sections = {s for chain in self.chains for s in chain if s.scope}
        own = [s.scope_subject for s in sections if s.scope == "own" and len(s.scope_subject) >= 2]
        return any(s.scope == "wider" and len(s.scope_subject) >= 2 and
                   any(s.scope_subject.startswith(o) or o.startswith(s.scope_subject) for o in own)
                   for s in sections)
