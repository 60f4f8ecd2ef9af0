"""A normalized view of the report text that keeps an exact map back to the original.

Readers match on the view (full-width folded, traditional folded to simplified, stray spaces
around CJK text removed, lines hard-wrapped inside a sentence joined); every span they report is mapped back to the decoded original, so
evidence offsets are exact by construction.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from ..knowledge.folding import fold
from .unwrapping import joins


class View(NamedTuple):
    """Normalized text plus its map back to the original. The view is a few runs of original
    characters (edits are few, the text long): run k starts at view offset `starts[k]` and at
    original offset `origins[k]`."""

    text: str
    starts: list[int]
    origins: list[int]

    def offset(self, i: int) -> int:
        """Original offset of view[i]; IndexError outside the view, as a list of offsets gave."""
        if not 0 <= i < len(self.text):
            raise IndexError(f"view offset {i} outside 0..{len(self.text) - 1}")
        k = bisect_right(self.starts, i) - 1
        return self.origins[k] + i - self.starts[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering view[start:end]."""
        return self.offset(start), self.offset(end - 1) + 1


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PUNCT = r"，。、；：？！“”‘’（）《》【】〔〕%％,.;:()\[\]|"
# Horizontal white space with a CJK character or punctuation on at least one side carries no
# meaning in Chinese text ("42 起", "2023 年", "罚款7900 元"); between two ASCII alphanumerics it
# separates tokens ("31 54" in a flattened table row) and is kept. Only whole runs match. The
# pattern opens with the blank class so that `re` skips to the next blank in C (a lookbehind
# first made it try every position: ~700 instructions a character).
# Mirrors of traditional-script pages annotate characters with their pinyin: "應(yīng)急管理部",
# "本級(jí)行政機關". A parenthesis of Latin letters with a tone mark right after a CJK character is such
# a note, never report text ("(以下简称…)", "(1)", "(a)" have no tone mark), and is left out of the view.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_NOTE = re.compile(rf"(?<=[{_CJK}])\((?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,8}}\)")
_REMOVABLE_SPACE = re.compile(
    rf"[ \t](?:(?<=[{_CJK}{_PUNCT}][ \t])[ \t]*|(?<![ \t][ \t])[ \t]*(?=[{_CJK}{_PUNCT}]))"
)


def normalize(text: str) -> View:
    """Build the matching view of `text` (see module docstring)."""
    # Folding keeps the length, so the folded text and every cut below are in original offsets.
    folded = fold(text)
    cuts = []
    if "\r" in text:
        folded = folded.replace("\r", "\n")
        cuts = _crlf_cuts(text)
    tabs = []
    for m in _REMOVABLE_SPACE.finditer(folded):
        start, end = m.span()
        if "\t" in m.group():
            # Tabs separate table cells in flattened tables: keep one as a separator (at the
            # run's first character, whose offset it takes).
            tabs.append(start)
            start += 1
        if end > start:
            cuts.append((start, end))
    if tabs:
        folded = _with_tabs(folded, tabs)
    if "(" in folded:
        cuts += [m.span() for m in _PINYIN_NOTE.finditer(folded)]
    cuts += joins(text)
    cuts.sort()
    return _view(folded, cuts)


def _crlf_cuts(text: str) -> list[tuple[int, int]]:
    """The "\r" of each "\r\n": folded to "\n\n" it would double blank lines."""
    cuts = []
    at = text.find("\r\n")
    while at >= 0:
        cuts.append((at, at + 1))
        at = text.find("\r\n", at + 2)
    return cuts


def _with_tabs(folded: str, tabs: list[int]) -> str:
    """`folded` with a tab at each of the offsets `tabs`."""
    pieces, last = [], 0
    for at in tabs:
        pieces += (folded[last:at], "\t")
        last = at + 1
    pieces.append(folded[last:])
    return "".join(pieces)


def _view(folded: str, cuts: list[tuple[int, int]]) -> View:
    """`folded` without the ranges `cuts` (sorted, they may overlap)."""
    starts: list[int] = []
    origins: list[int] = []
    pieces: list[str] = []
    size = pos = 0
    for start, end in [*cuts, (len(folded), len(folded))]:
        if start > pos:
            starts.append(size)
            origins.append(pos)
            pieces.append(folded[pos:start])
            size += start - pos
        pos = max(pos, end)
    return View("".join(pieces), starts, origins)
