"""A normalized view of the report text that keeps an exact map back to the original.

Readers match on the view (full-width folded, traditional folded to simplified, stray spaces
around CJK text removed, lines hard-wrapped inside a sentence joined); every span they report is mapped back to the decoded original, so
evidence offsets are exact by construction.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from typing import NamedTuple

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


@functools.cache
def _fold_table() -> dict[int, str]:
    """Character-for-character folds: full-width ASCII, odd spaces, traditional -> simplified."""
    table: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " ",
                  0xFEFF: " ", 0x3007: "〇", 0x2014: "—", 0x2015: "—", 0xFE50: ",", 0xFE51: "、"})
    # Keep the Chinese sentence punctuation distinct from ASCII where it carries structure.
    for keep in "，；：（）":
        table.pop(ord(keep), None)
    from ..knowledge.datafiles import read_text

    # One "traditional<TAB>simplified" pair of single characters per line; maketrans builds the
    # map in C (a Python loop over the 2,700 rows cost ~3 ms of start-up).
    cells = read_text("t2s.tsv").split()
    table.update(str.maketrans("".join(cells[0::2]), "".join(cells[1::2])))
    return table


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


_FEW = 16   # more distinct characters to fold than this: one translate pass instead of replaces


def fold(text: str) -> str:
    """Same-length fold used for matching (also applied to vocabulary)."""
    table = _fold_table()
    present = table.keys() & _code_points(text)
    if len(present) > _FEW:
        return text.translate(table)
    # Most texts hold no character to fold, or a few kinds (full-width digits, ideographic
    # spaces): replacing those costs far less than translate (~700 instructions a character).
    # The fold is idempotent (test_fold_is_idempotent): the order of the replacements is free.
    for cp in present:
        to = table[cp]
        text = text.replace(chr(cp), to if isinstance(to, str) else chr(to))
    return text


def _code_points(text: str) -> memoryview:
    """The code points of `text` as ints, read in C from its UTF-32 form (iterating the str
    would make a one-character string of each). Plain "utf-32" is native byte order with a
    byte-order mark, skipped; its codec needs no lookup or import."""
    return memoryview(text.encode("utf-32", "surrogatepass")).cast("I")[1:]


def fold_strings(obj):
    """`fold` applied to every string (keys included) of a loaded data table."""
    if isinstance(obj, str):
        return fold(obj)
    if isinstance(obj, dict):
        return {fold(k): fold_strings(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [fold_strings(v) for v in obj]
    return obj


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
