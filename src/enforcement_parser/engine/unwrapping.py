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
from ..knowledge.tables import load_toml
from .segmenting import heading_level, numbering_end

MIN_WIDTH = 40        # display columns: narrower lines are titles, cells or signatures, never wrapped prose
CHAR_SHARE = 1 / 3    # share of the lines of page length that must be exactly N characters long
MIN_CUT = 3           # lines of exactly N characters needed (a length that common is no chance)
MAX_WIDTH = 100       # a page holds no wider line; longer lines are whole paragraphs
MIN_CHARS = MIN_WIDTH // 2   # the same bounds in characters, for text cut every N characters
MAX_CHARS = MAX_WIDTH // 2
MIN_WRAPPED = 5       # lines at the wrap width needed before a document counts as hard-wrapped
NEAR_WIDTH = 0.9      # a line this close to the wrap width was broken by it
TERMINAL = "。！？；：!?;:"
CLOSING = "”’」』）)"
_CLAUSE_MARKS = set("，,。；;：:、")
# the dots that join a statistics form's label to its value ("05行政执法人员（人）………… 94"):
# such rows are padded to one length, and are no prose cut at it
LEADER = patterns.compile(r"\s*(?:[…⋯]{2,}|[.．·・]{4,})\s*")


@functools.cache
def _page_marks():
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
    """Whether wrap_width or char_width can find a width, judged from the lines' lengths (a display width is
    between the length and twice it): enough lines that may be of page width, and more than
    twice as many as surely wider ones. Most texts are ruled out without measuring any line."""
    page = sum(1 for n in sizes if MIN_WIDTH <= 2 * n and n <= MAX_WIDTH)
    wider = sum(1 for n in sizes if n > MAX_WIDTH)
    return page >= min(MIN_WRAPPED, MIN_CUT) and page > 2 * wider


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


def char_width(lengths: list[int]) -> int | None:
    """The N a text was cut at every N characters (a PDF text layer or a tool that breaks lines
    by count, not by width): most of its long lines are exactly N long, whatever their mix of
    wide and narrow characters. None when no length is that common."""
    long = [n for n in lengths if MIN_CHARS <= n <= MAX_CHARS]
    if len(long) < MIN_CUT:
        return None
    counts: dict[int, int] = {}
    for n in long:
        counts[n] = counts.get(n, 0) + 1
    top, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    wider = sum(1 for n in lengths if n > top)
    return top if count >= MIN_CUT and count >= CHAR_SHARE * len(long) and count > 2 * wider else None


def _ends_sentence(line: str) -> bool:
    s = line.rstrip()
    if s[-1:] in CLOSING:
        s = s[:-1]
    return s[-1:] in TERMINAL


# A figure and its unit at a line end close an item: a wrapped sentence that went on would keep
# its comma on this line (Chinese typesetting never starts a line with one), so a list of one
# item a line is not joined. A bare number ("行政检查2,318" / "项次", "197." / "62万元") or
# a multiplier without its unit ("7282.1179万" / "元") may still be split.
_COUNT_END = patterns.compile(r"\d\s*[^\d\s，,。；;、：:（）()|.．万亿]{1,2}\s*$")


def _ends_with_count(line: str) -> bool:
    return patterns.search(_COUNT_END, line) is not None


@functools.cache
def _title_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    kind = load_toml("document.toml")["kind"]
    return tuple(kind["report_title"]), tuple(kind["report_title_topic"]), tuple(kind["report_heading_words"])


def _is_title(line: str) -> bool:
    """A whole title or heading, which may be exactly as long as the lines are cut: no clause
    mark or unclosed bracket, and a report's title ("…局2023年度行政执法工作报告": a report word
    at its end, a topic word in it) or a numbered heading's end ("1.…法律法规执行情况")."""
    s = line.strip()
    numbering = numbering_end(s)
    words = s[numbering:] if numbering else s
    closed = s.count("《") == s.count("》") and s.count("（") + s.count("(") == s.count("）") + s.count(")")
    if not closed or _CLAUSE_MARKS & set(words):
        return False
    ends, topics, heading_ends = _title_words()
    return s.endswith(ends) and any(t in s for t in topics) or numbering is not None and s.endswith(heading_ends)


def _is_page_mark(line: str) -> bool:
    return bool(line.strip()) and patterns.fullmatch(_page_marks(), line.strip()) is not None


def _is_running_header(line: str, width: int) -> bool:
    """A short line with no clause punctuation after a page mark: the document's page header."""
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


# Chinese typesetting never opens a line with these: a line that does continues the one above.
_NEVER_FIRST = set("，,、。；;：:！？!?）)」』”’%％")


def _opens_paragraph(line: str, before: str, by_count: bool) -> bool:
    """An indented or numbered line. In text cut by count, one space at the start is the space
    the sentence had there ("罚款3200" / " 元"), not an indent; digits after digits go on the
    number the line above breaks off ("共计12" / "2 起"), they number no heading."""
    if line[:1] in _NEVER_FIRST or by_count and line[:1] == " " and line[1:2] not in (" ", "\u3000", "\t"):
        return False
    if line[:1].isdigit() and before.rstrip()[-1:].isdigit():
        return False
    return line[:1] in (" ", "\u3000", "\t") or heading_level(line) is not None


def _cell_marks(lines: list[str], cut: list[bool]) -> tuple[list[int], list[float]]:
    """Per line: its cell separators ("|", else tabs), and the most a whole row of its table
    has (a line neither cut nor the end of a cut one): the pieces of a cut row add up to no
    more. Without a whole row to go by there is no bound."""
    marks = [ln.count("|") or ln.count("\t") for ln in lines]
    most: list[float] = [0] * len(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and marks[j]:
            j += 1
        whole = [marks[k] for k in range(i, j) if not cut[k] and not (k and cut[k - 1])]
        for k in range(i, j):
            most[k] = max(whole, default=float("inf"))
        i = j + 1
    return marks, most


def joins(text: str) -> list[tuple[int, int]]:
    """Original-text [start, end) ranges to leave out: each joins a line broken at the wrap
    width (or cut at the character count) without a sentence end to the line that continues it;
    the pieces of a cut table row are joined up to a whole row."""
    lines = text.split("\n")
    trimmed = [ln.rstrip() for ln in lines]
    if not _may_wrap(list(map(len, trimmed))):
        return []
    widths = [_width(ln) for ln in trimmed]
    # form rows are never cut prose (most texts have no leader to look for)
    leaders = any(c * 2 in text for c in "…⋯") or any(c * 4 in text for c in ".．·・")
    forms = [leaders and patterns.search(LEADER, ln) is not None for ln in lines]
    lengths = [0 if form else len(ln.rstrip("\r")) for form, ln in zip(forms, lines)]
    width, count = wrap_width(widths), char_width(lengths)
    if width is None and count is None:
        return []
    starts = [0]
    for ln in lines[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    by_count = [count is not None and n == count for n in lengths]
    cut = [c or not form and width is not None and w >= NEAR_WIDTH * width
           for c, form, w in zip(by_count, forms, widths)]
    marks, most = _cell_marks(lines, cut)
    row = marks[:]   # separators of the table row a line ends, with the pieces joined before it
    out = []
    for i, ln in enumerate(lines):
        if not cut[i]:
            continue
        j = _continuation(lines, i, width or 2 * count)
        if j is None:
            continue
        if marks[j]:
            # a table row's next piece, unless this line holds a whole row or is no row at all
            if not marks[i] or row[i] + marks[j] > most[j]:
                continue
            row[j] += row[i]
        elif marks[i] and (ln.rstrip().endswith(("|", "\t")) or row[i] >= most[i]):
            continue   # a whole table row, and prose or a note after it
        elif lines[j].lstrip()[:1] not in _NEVER_FIRST \
                and (_ends_sentence(ln) or not by_count[i] and _ends_with_count(ln)):
            continue   # an end (cut by count, a line ends where the count does, whatever it ends with)
        elif _is_title(ln) or _opens_paragraph(lines[j], ln, by_count[i]):
            continue
        out.append((starts[i] + len(ln.rstrip()), starts[j] + len(lines[j]) - len(lines[j].lstrip())))
    return out
