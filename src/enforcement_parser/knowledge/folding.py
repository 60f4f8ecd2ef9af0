"""The character fold both the text and the data tables get before they are matched: full-width
ASCII to ASCII, odd spaces to a space, traditional to simplified (data/t2s.tsv). It keeps the length,
so offsets in folded text are offsets in the original."""

from __future__ import annotations

import functools

from .datafiles import read_text


@functools.cache
def _fold_table() -> dict[int, str]:
    """Character-for-character folds: full-width ASCII, odd spaces, traditional -> simplified."""
    table: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
    table.update({0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " ",
                  0xFEFF: " ", 0x3007: "〇", 0x2014: "—", 0x2015: "—", 0xFE50: ",", 0xFE51: "、"})
    # Keep the Chinese sentence punctuation distinct from ASCII where it carries structure.
    for keep in "，；：（）":
        table.pop(ord(keep), None)
    # One "traditional<TAB>simplified" pair of single characters per line; maketrans builds the
    # map in C (a Python loop over the 2,700 rows cost ~3 ms of start-up).
    cells = read_text("t2s.tsv").split()
    table.update(str.maketrans("".join(cells[0::2]), "".join(cells[1::2])))
    return table


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
