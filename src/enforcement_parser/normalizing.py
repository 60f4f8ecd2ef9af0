"""A normalized view of the report text that keeps an exact map back to the original.

Readers match on the view (full-width folded, traditional folded to simplified, stray spaces
around CJK text removed, lines hard-wrapped inside a sentence joined); every span they report is mapped back to the decoded original, so
evidence offsets are exact by construction.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from .wrapping import joins


class View(NamedTuple):
    """Normalized text plus, for each of its characters, the offset in the original text."""

    text: str
    offsets: tuple[int, ...] | list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering view[start:end]."""
        return self.offsets[start], self.offsets[end - 1] + 1


@functools.cache
def _fold_table() -> dict[int, str]:
    """Character-for-character folds: full-width ASCII, odd spaces, traditional -> simplified."""
    table: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " ",
                  0xFEFF: " ", 0x3007: "〇", 0x2014: "—", 0x2015: "—", 0xFE50: ",", 0xFE51: "、"})
    # Keep the Chinese sentence punctuation distinct from ASCII where it carries structure.
    for keep in "，；：（）":
        table.pop(ord(keep), None)
    from .datafiles import read_text

    # One "traditional<TAB>simplified" pair of single characters per line; maketrans builds the
    # map in C (a Python loop over the 2,700 rows cost ~3 ms of start-up).
    cells = read_text("t2s.tsv").split()
    table.update(str.maketrans("".join(cells[0::2]), "".join(cells[1::2])))
    return table


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PUNCT = r"，。、；：？！“”‘’（）《》【】〔〕%％,.;:()\[\]|"
# Horizontal white space with a CJK character or punctuation on at least one side carries no
# meaning in Chinese text ("42 起", "2023 年", "罚款7900 元"); between two ASCII alphanumerics it
# separates tokens ("31 54" in a flattened table row) and is kept.
_REMOVABLE_SPACE = re.compile(
    rf"(?<=[{_CJK}{_PUNCT}])[ \t]+|(?<![ \t])[ \t]+(?=[{_CJK}{_PUNCT}])"   # no restart inside a run
)


def fold(text: str) -> str:
    """Same-length fold used for matching (also applied to vocabulary)."""
    return text.translate(_fold_table())


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
    folded = fold(text).replace("\r", "\n") if "\r" in text else fold(text)
    if "\r\n" in text:
        # "\r\n" folded to "\n\n" would double blank lines: drop the "\r" instead.
        keep = [i for i, ch in enumerate(text) if not (ch == "\r" and text[i + 1:i + 2] == "\n")]
        folded = "".join(folded[i] for i in keep)
        base = keep
    else:
        base = None
    pieces: list[str] = []
    offsets: list[int] = []
    last = 0
    for m in _REMOVABLE_SPACE.finditer(folded):
        if "\t" in m.group():
            # Tabs separate table cells in flattened tables: keep one as a separator.
            pieces.append(folded[last:m.start()] + "\t")
            offsets.extend(range(last, m.start() + 1))
            last = m.end()
            continue
        pieces.append(folded[last:m.start()])
        offsets.extend(range(last, m.start()))
        last = m.end()
    pieces.append(folded[last:])
    offsets.extend(range(last, len(folded)))
    if base is not None:
        offsets = [base[i] for i in offsets]
    return _without(View("".join(pieces), offsets), joins(text))


def _without(view: View, drops: list[tuple[int, int]]) -> View:
    """The view minus the characters whose original offsets fall in `drops` (sorted ranges)."""
    if not drops:
        return view
    keep = []
    k = 0
    for i, off in enumerate(view.offsets):
        while k < len(drops) and drops[k][1] <= off:
            k += 1
        if k < len(drops) and drops[k][0] <= off:
            continue
        keep.append(i)
    return View("".join(view.text[i] for i in keep), [view.offsets[i] for i in keep])
