"""Hard-wrapped prose: the line breaks a PDF copy puts inside sentences.

Text copied from a PDF breaks every line at the page width, mid-sentence and even between a
figure and its unit ("行政检查2,318" / "项次"), and a page footer and running header can stand
in the middle of a sentence. `joins` finds the original-text ranges (the break, the page debris
between, the next line's indentation) that the normalized view leaves out, so that such a
sentence reads as one line while every offset still maps back exactly.
"""

from __future__ import annotations

import functools
import unicodedata

from . import patterns

MIN_WIDTH = 40        # display columns: narrower lines are titles, cells or signatures, never wrapped prose
MAX_WIDTH = 100       # a page holds no wider line; longer lines are whole paragraphs
MIN_WRAPPED = 5       # lines at the wrap width needed before a document counts as hard-wrapped
NEAR_WIDTH = 0.9      # a line this close to the wrap width was broken by it
TERMINAL = "。！？；：!?;:"
CLOSING = "”’」』）)"
_CLAUSE_MARKS = set("，,。；;：:、")


@functools.cache
def _page_marks():
    from .datafiles import load_toml

    return patterns.compile("|".join(f"(?:{p})" for p in load_toml("document.toml")["pages"]["marks"]))


# CJK punctuation, ideographs and full-width forms, all wide (W or F): removed in C, they leave
# the few other characters of a line to look up one by one (~1,000 instructions each).
_WIDE_RUN = patterns.compile(r"[\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+")


def display_width(line: str) -> int:
    """Columns in a monospaced font: two for a wide (W) or full-width (F) character."""
    rest = _WIDE_RUN.sub("", line)
    wide = len(line) - len(rest)
    if not rest.isascii():   # ASCII is all narrow
        wide += sum(unicodedata.east_asian_width(ch) in "WF" for ch in rest)
    return len(line) + wide


def _width(line: str) -> int:
    """Display width where it decides anything; lines that are surely too short or too wide for
    a page line keep a cheap estimate on their side of the range."""
    n = len(line)
    return n if n > MAX_WIDTH or 2 * n < MIN_WIDTH else display_width(line)


def _may_wrap(sizes: list[int]) -> bool:
    """Whether wrap_width can find a width, judged from the lines' lengths (a display width is
    between the length and twice it): enough lines that may be of page width, and more than
    twice as many as surely wider ones. Most texts are ruled out without measuring any line."""
    page = sum(1 for n in sizes if MIN_WIDTH <= 2 * n and n <= MAX_WIDTH)
    wider = sum(1 for n in sizes if n > MAX_WIDTH)
    return page >= MIN_WRAPPED and page > 2 * wider


def wrap_width(widths: list[int]) -> int | None:
    """The width the text was wrapped at: most lines of page width are within a few columns of
    the widest of them. None for ordinary text (one paragraph a line)."""
    page = sorted(w for w in widths if MIN_WIDTH <= w <= MAX_WIDTH)
    wider = sum(1 for w in widths if w > MAX_WIDTH)
    if len(page) < MIN_WRAPPED:
        return None
    top = page[int(len(page) * 0.9)]
    near = sum(1 for w in page if w >= NEAR_WIDTH * top)
    return top if near >= MIN_WRAPPED and near > 2 * wider else None


def _ends_sentence(line: str) -> bool:
    s = line.rstrip()
    if s[-1:] in CLOSING:
        s = s[:-1]
    return s[-1:] in TERMINAL


# A figure and its unit at a line end close an item: a wrapped sentence that went on would keep
# its comma on this line (Chinese typesetting never starts a line with one), so a list of one
# item a line is not joined. A bare number ("行政检查2,318" / "项次") may still be split.
_COUNT_END = patterns.compile(r"\d\s*[^\d\s，,。；;、：:（）()]{1,2}\s*$")


def _ends_with_count(line: str) -> bool:
    return patterns.search(_COUNT_END, line) is not None


def _is_page_mark(line: str) -> bool:
    return bool(line.strip()) and patterns.fullmatch(_page_marks(), line.strip()) is not None


def _is_running_header(line: str, width: int) -> bool:
    """A short line with no clause punctuation after a page mark: the document's page header."""
    from .segmenting import heading_level

    s = line.strip()
    return bool(s) and display_width(s) < NEAR_WIDTH * width and not (_CLAUSE_MARKS & set(s)) \
        and heading_level(s) is None


def _continuation(lines: list[str], i: int, width: int) -> int | None:
    """The line that continues line i: the next one, or the first after a page break (its
    footer, page numbers and running header skipped). None at a paragraph break."""
    j = i + 1
    crossed = False
    while j < len(lines) and (not lines[j].strip() or _is_page_mark(lines[j])):
        crossed = crossed or _is_page_mark(lines[j])
        j += 1
    if j >= len(lines) or (j > i + 1 and not crossed):
        return None   # a blank line alone ends the paragraph
    if crossed and _is_running_header(lines[j], width):
        k = j + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        j = k if k < len(lines) else j
    return j


def _opens_paragraph(line: str) -> bool:
    from .segmenting import heading_level

    return line[:1] in (" ", "\u3000", "\t") or heading_level(line) is not None


def joins(text: str) -> list[tuple[int, int]]:
    """Original-text [start, end) ranges to leave out: each joins a line broken at the wrap
    width without a sentence end to the line that continues it."""
    lines = text.split("\n")
    trimmed = [ln.rstrip() for ln in lines]
    if not _may_wrap(list(map(len, trimmed))):
        return []
    widths = [_width(ln) for ln in trimmed]
    width = wrap_width(widths)
    if width is None:
        return []
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    out = []
    for i, ln in enumerate(lines):
        if widths[i] < NEAR_WIDTH * width or _ends_sentence(ln) or _ends_with_count(ln):
            continue
        j = _continuation(lines, i, width)
        if j is None or _opens_paragraph(lines[j]):
            continue
        out.append((starts[i] + len(ln.rstrip()), starts[j] + len(lines[j]) - len(lines[j].lstrip())))
    return out
