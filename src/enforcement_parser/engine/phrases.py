"""Literal phrase matching.

Vocabulary fragments are written in a tiny regex subset (literals, `(a|b)` groups, `?`); they
are expanded into every literal phrase they denote and put in a character trie; one scan for
the places a phrase may start, and a walk down the trie from each, give every occurrence of
every phrase.
"""

from __future__ import annotations

import re

_WILDCARDS = set(".[]{}*+^$")
_SYNTAX = _WILDCARDS | set("|()?\\")
_END = ""


def expand(fragment: str) -> list[str] | None:
    """Every literal string `fragment` matches, or None if it uses wildcards."""
    try:
        options, pos = _sequence(fragment, 0)
    except ValueError:
        return None
    if pos != len(fragment):
        return None
    return sorted(set(options), key=lambda s: (-len(s), s))


def required_runs(fragment: str) -> tuple[str, ...] | None:
    """The runs of plain characters every match of `fragment` contains: those outside any group
    or class and not made optional by a quantifier. None when nothing is known to be required:
    alternatives at the top level, no such run, or syntax this reader does not follow (inline
    flags such as (?i) or (?x), escapes such as \\u5747 or \\p{…})."""
    runs, run, depth, i = [], "", 0, 0
    while i < len(fragment):
        ch = fragment[i]
        if depth == 0 and ch not in _SYNTAX:
            run += ch
            i += 1
            continue
        if ch in "?*+{" and depth == 0:
            run = run[:-1]   # the quantifier makes the last character optional
        if ch == "|" and depth == 0:
            return None
        runs.append(run)
        run = ""
        if ch == "\\":
            escaped = fragment[i + 1:i + 2]
            if depth == 0 and escaped.isalnum() and escaped not in "dDsSwWbBAZ":
                return None   # \\u5747, \\x41, \\p{Han}, \\1: an atom of unknown length or meaning
            i += 1
        elif ch == "[":
            i = _class_end(fragment, i)
            if i < 0:
                return None
        elif ch == "(":
            if fragment.startswith("(?", i) and fragment[i + 2:i + 3] not in (":", "=", "!", "<", "P"):
                return None   # inline flags ((?i) ignores case, (?x) blanks) and other constructs
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "{":
            i = fragment.find("}", i)
            if i < 0:
                return None
        i += 1
    runs.append(run)
    return tuple(r for r in runs if r) or None


def may_match_in(runs: tuple[str, ...] | None, text: str) -> bool:
    """Whether a fragment with these required_runs may match in `text`: it holds every run
    (None: nothing is known to be required). Looking for them costs far less than a search."""
    return runs is None or all(r in text for r in runs)


def _class_end(fragment: str, i: int) -> int:
    """The index of the "]" closing the class that opens at i ("[]…]", "[^]…]" and "[…\\]…]"
    included), or -1."""
    j = i + 1
    if fragment[j:j + 1] == "^":
        j += 1
    if fragment[j:j + 1] == "]":
        j += 1
    while j < len(fragment):
        if fragment[j] == "\\":
            j += 2
        elif fragment[j] == "]":
            return j
        else:
            j += 1
    return -1


def _sequence(s: str, i: int) -> tuple[list[str], int]:
    """Parse a sequence up to '|' or ')' -> its literal expansions."""
    out = [""]
    while i < len(s) and s[i] not in "|)":
        ch = s[i]
        if ch in _WILDCARDS or s.startswith("(?", i):
            raise ValueError(ch)
        if ch == "\\":
            if i + 1 >= len(s) or s[i + 1].isalnum():
                raise ValueError("class escape")
            piece, i = [s[i + 1]], i + 2
        elif ch == "(":
            piece, i = _alternation(s, i + 1)
        else:
            run = _literal_run(s, i)
            if not run:
                raise ValueError("nothing to repeat")
            piece, i = [run], i + len(run)
        if i < len(s) and s[i] == "?":
            piece, i = piece + [""], i + 1
        out = list(dict.fromkeys(a + b for a in out for b in piece))   # "(a?)?" must not double the list
        if len(out) > 4096:
            raise ValueError("too many expansions")
    return out, i


def _literal_run(s: str, i: int) -> str:
    """The plain characters from i on, taken whole (one step instead of one per character);
    a character that a '?' makes optional is left for a step of its own."""
    j = i
    while j < len(s) and s[j] not in _SYNTAX:
        j += 1
    if j < len(s) and s[j] == "?" and j - i > 1:
        j -= 1
    return s[i:j]


def _alternation(s: str, i: int) -> tuple[list[str], int]:
    options: list[str] = []
    while True:
        part, i = _sequence(s, i)
        options += part
        if i >= len(s):
            raise ValueError("unclosed group")
        if s[i] == ")":
            return options, i + 1
        i += 1   # '|'


class Trie:
    """A character trie of phrases; `scan` lists every (start, end) occurrence."""

    def __init__(self, phrases=()):
        self.root: dict = {}
        self._starts: re.Pattern | None = None
        for p in phrases:
            self.add(p)

    def add(self, phrase: str) -> None:
        if not phrase:
            return
        self._starts = None
        node = self.root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[_END] = True

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Every occurrence, overlapping, by start and shortest first at each start."""
        end = len(text) if end is None else end
        if self._starts is None:
            self._starts = _start_pattern(self.root)
        found = []
        root = self.root
        # One match per place a phrase may start; the walk down the trie lists the phrases there.
        for m in self._starts.finditer(text, start, end):
            i = j = m.start()
            node = root
            while j < end and (node := node.get(text[j])) is not None:
                j += 1
                if _END in node:
                    found.append((i, j))
        return found


def _start_pattern(root: dict) -> re.Pattern:
    """A pattern that matches the first character of each place a phrase may start, the rest
    of the prefix in a lookahead. Its matches are one character long, so they never hide one
    another. `re` skips in C to the next character that opens a prefix (one pass over the text;
    a str.find per prefix cost twice as much, `regex` four times), and the alternation of
    literals cannot backtrack: no time limit is needed. Compiling it costs ~1.6 ms a process:
    docs/benchmark.md weighs it."""
    rests: dict[str, list[str]] = {}
    for prefix in _prefixes("", root):
        rests.setdefault(prefix[0], []).append(prefix[1:])
    branches = [re.escape(ch) if "" in after else f"{re.escape(ch)}(?={'|'.join(map(re.escape, after))})"
                for ch, after in rests.items()]
    return re.compile("|".join(branches) or "(?!)")


def _prefixes(prefix: str, node: dict) -> list[str]:
    """The prefixes every phrase starts with: unbranched paths are taken whole and a
    one-character prefix is split by its next character, so that few places match and need
    a walk."""
    while _END not in node and len(node) == 1:
        (ch, node), = node.items()
        prefix += ch
    if len(prefix) >= 2 or _END in node:
        return [prefix]
    return [p for ch, child in node.items() for p in _prefixes(prefix + ch, child)]
