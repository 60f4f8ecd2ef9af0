"""Which line breaks of hard-wrapped prose (PDF copies) the view leaves out (wrapping.joins)."""

import pytest

from enforcement_parser.normalizing import normalize
from enforcement_parser.wrapping import joins

LINE = "全年共作出行政处罚决定八十四件罚没金额合计三百一十五万元其中警告"   # 64 columns, no stop


@pytest.mark.parametrize("text,joined", [
    # broken at the page width mid-sentence: joined, the next line's indentation too
    ("\n".join([LINE] * 6), 5),
    # every line ends a sentence: nothing to join
    ("\n".join([LINE[:-1] + "。"] * 6), 0),
    # a line that opens a paragraph (indented or numbered) is not joined to the one above
    ("\n".join([LINE, "　　" + LINE] * 3), 2),
    ("\n".join([LINE, "二、" + LINE[2:]] * 3), 2),
    # a blank line is a paragraph break, a page mark between is not
    ("\n".join([LINE, ""] * 6), 0),
    ("\n".join([LINE, "", "— 3 —", "第 3 页 共 4 页", ""] * 6), 5),
    # ordinary text: whole paragraphs on long lines, short lines
    ("\n".join([LINE * 3] * 6 + [LINE] * 2), 0),
    ("\n".join(["行政处罚决定", "84件"] * 6), 0),
])
def test_joins(text, joined):
    assert len(joins(text)) == joined


def test_joined_view_maps_back_exactly():
    text = "\n".join([LINE[:-4] + "罚款12"] + ["件" + LINE[1:]] * 5)
    view = normalize(text)
    at = view.text.index("罚款12件")
    start, end = view.span(at + 2, at + 5)
    assert text[start:end] == "12\n件"


def test_display_width_counts_east_asian_wide_characters():
    import unicodedata

    from enforcement_parser.wrapping import _WIDE_RUN, display_width

    # Every character the fast path takes as wide is wide in the Unicode database.
    for first, last in ((0x3000, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF60)):
        assert _WIDE_RUN.fullmatch("".join(map(chr, range(first, last + 1))))
        assert all(unicodedata.east_asian_width(chr(c)) in "WF" for c in range(first, last + 1))
    assert not _WIDE_RUN.search("".join(map(chr, range(0x3000))) + "\u303f\u4dc0\uff00\uff61")
    for line in ["", "abc 12", "罚款１２件，共3,500元。", "é中\u3000x\u2e80ｱ😀\u4dc0", LINE]:
        assert display_width(line) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
