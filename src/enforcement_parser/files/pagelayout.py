"""Text rebuilt from recognised boxes (OCR), and where each span of it stands on the pages.

Kept apart from ocr.py, which loads the OCR engine, so that the record builder and the tests use it
without the ocr extra.
"""

from __future__ import annotations

from typing import NamedTuple

CELL_GAP = 1.2     # a gap wider than this many line heights separates two table cells
SAME_LINE = 0.5    # boxes whose centres differ by less than this many heights share a line
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
    """Where each span of a recognised text stands on the pages, and how sure the recogniser was."""

    boxes: tuple[Box, ...]
    min_confidence: float = MIN_CONFIDENCE

    def within(self, start: int, end: int) -> list[Box]:
        """The boxes that a text span [start, end) touches."""
        return [b for b in self.boxes if b.start < end and start < b.end]


class Recognised(NamedTuple):
    text: str
    box: tuple[int, int, int, int]
    score: float

    @property
    def height(self) -> int:
        return max(1, self.box[3] - self.box[1])

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2


def rebuild_lines(boxes: list[Recognised]) -> list[list[Recognised]]:
    """Group boxes on one baseline into a line (left to right), lines top to bottom."""
    lines: list[list[Recognised]] = []
    for raw in sorted(boxes, key=lambda b: b.middle):
        if lines:
            last = lines[-1]
            middle = sum(b.middle for b in last) / len(last)
            height = min(raw.height, min(b.height for b in last))
            if abs(raw.middle - middle) < SAME_LINE * height:
                last.append(raw)
                continue
        lines.append([raw])
    return [sorted(line, key=lambda b: b.box[0]) for line in lines]


def join_line(line: list[Recognised]) -> tuple[str, list[tuple[int, int, tuple, float]]]:
    """A line's text, with each box's span in it; a wide gap becomes a cell separator."""
    text, pieces = "", []
    for i, raw in enumerate(line):
        if i:
            prev = line[i - 1]
            gap = raw.box[0] - prev.box[2]
            text += " | " if gap > CELL_GAP * min(raw.height, prev.height) else ""
        pieces.append((len(text), len(text) + len(raw.text), raw.box, raw.score))
        text += raw.text
    return text, pieces
