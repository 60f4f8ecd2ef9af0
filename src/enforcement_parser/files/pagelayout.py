"""Text rebuilt from recognised boxes (OCR), and where each span of it stands on the pages.

Kept apart from ocr.py, which loads the OCR engine, so that the record builder and the tests use it
without the ocr extra.
"""

from __future__ import annotations

from typing import NamedTuple

CELL_GAP = 1.2     # a gap wider than this many line heights separates two table cells
SAME_LINE = 0.5    # boxes whose centres differ by less than this many heights share a line
# A page's skew is the median slope of its long boxes (at least this many times wider than high: a
# short box's slope is noise); a skew under NO_SKEW (0.1°) is none, so a straight page is grouped as is.
LONG_BOX = 3
NO_SKEW = 0.002
# rapidocr scores a box by the mean probability of its characters (it gives no per-character score);
# a value whose evidence touches a box scored below this is not taken (warning low-confidence).
MIN_CONFIDENCE = 0.90


class Box(NamedTuple):
    """One recognised box: its span in the rebuilt text, page (1-based), pixels, confidence."""

    start: int
    end: int
    page: int
    box: tuple[int, int, int, int]   # left, top, right, bottom in page pixels
    score: float


class Layout(NamedTuple):
    """Where each span of a recognised text stands on the pages, and how sure the recogniser was.

    no_text: the pages (1-based) on which nothing was recognised with confidence (blank, a photo).
    turns: per page, the degrees (0, 90, 180, 270, counter-clockwise) the page image was turned to
    read it upright; its boxes are in pixels of the turned (upright) image.
    """

    boxes: tuple[Box, ...]
    min_confidence: float = MIN_CONFIDENCE
    no_text: tuple[int, ...] = ()
    turns: tuple[int, ...] = ()

    def within(self, start: int, end: int) -> list[Box]:
        """The boxes that a text span [start, end) touches."""
        return [b for b in self.boxes if b.start < end and start < b.end]


class Recognised(NamedTuple):
    """One box as the recogniser gave it: its text, upright bounding rectangle (left, top, right,
    bottom), score, and the slope (dy/dx) of its own top edge, which a skewed page tilts."""

    text: str
    box: tuple[int, int, int, int]
    score: float
    slope: float = 0.0

    @property
    def width(self) -> int:
        return max(1, self.box[2] - self.box[0])

    @property
    def height(self) -> int:
        return max(1, self.box[3] - self.box[1])

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2


class _Placed(NamedTuple):
    """A box seen on its page with the skew taken out: the middle of its deskewed baseline, and its
    height across the line (a tilted line's bounding rectangle is higher than its text)."""

    raw: Recognised
    middle: float
    height: float


def page_skew(boxes: list[Recognised]) -> float:
    """The page's tilt (dy/dx): the median slope of its long boxes, 0 when too few or too small."""
    slopes = sorted(b.slope for b in boxes if b.width >= LONG_BOX * b.height)
    if len(slopes) < 3:
        return 0.0
    skew = slopes[len(slopes) // 2]
    return skew if abs(skew) >= NO_SKEW else 0.0


def _placed(raw: Recognised, skew: float) -> _Placed:
    """raw with the page's skew sheared out (exact for a straight page: skew 0 changes nothing)."""
    centre = (raw.box[0] + raw.box[2]) / 2
    return _Placed(raw, raw.middle - skew * centre, max(1.0, raw.height - abs(skew) * raw.width))


def rebuild_lines(boxes: list[Recognised], skew: float | None = None) -> list[list[Recognised]]:
    """Group boxes on one baseline into a line (left to right), lines top to bottom. On a skewed
    page the baselines are compared once the page's skew (page_skew, unless given) is taken out."""
    skew = page_skew(boxes) if skew is None else skew
    lines: list[list[_Placed]] = []
    for box in sorted((_placed(b, skew) for b in boxes), key=lambda p: p.middle):
        if lines:
            last = lines[-1]
            middle = sum(p.middle for p in last) / len(last)
            height = min(box.height, min(p.height for p in last))
            if abs(box.middle - middle) < SAME_LINE * height:
                last.append(box)
                continue
        lines.append([box])
    return [[p.raw for p in sorted(line, key=lambda p: p.raw.box[0])] for line in lines]


def join_line(line: list[Recognised], skew: float = 0.0) -> tuple[str, list[tuple[int, int, tuple, float]]]:
    """A line's text, with each box's span in it; a wide gap (in line heights across the page's
    skew) becomes a cell separator."""
    text, pieces = "", []
    for i, raw in enumerate(line):
        if i:
            prev = line[i - 1]
            gap = raw.box[0] - prev.box[2]
            height = min(_placed(raw, skew).height, _placed(prev, skew).height)
            text += " | " if gap > CELL_GAP * height else ""
        pieces.append((len(text), len(text) + len(raw.text), raw.box, raw.score))
        text += raw.text
    return text, pieces
