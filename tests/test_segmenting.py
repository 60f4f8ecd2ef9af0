"""Shortcuts in segmenting that must agree with the patterns they stand in for."""

import pytest

from conftest import SAMPLES
from enforcement_parser.engine import patterns
from enforcement_parser.engine.segmenting import _HEADING, _factored, _numbering, heading_level, topic_table


@pytest.mark.parametrize("opening", ["", "  ", "#", "## ", "*\t", "\u3000"])
def test_numbering_precheck_agrees_with_the_heading_pattern(opening):
    for cp in range(0x4E00, 0xA000):
        for rest in ("、行政处罚情况", "、", "年行政处罚", "一章 总则", "一", "三]", "表一：", ""):
            line = opening + chr(cp) + rest
            expected = patterns.search(_HEADING, line)
            got = _numbering(line)
            assert (got and got.span()) == (expected and expected.span()), line


@pytest.mark.parametrize("line,level", [("一、基本情况", 1), ("  （二）行政处罚", 2), ("3.罚款", 3),
                                        ("## 第一部分", 1), ("全年共处罚", None), ("", None), ("  \t", None)])
def test_heading_level(line, level):
    assert heading_level(line) == level


def _alternation(words) -> str:
    return "|".join(sorted(map(patterns.regex.escape, words), key=len, reverse=True))


def test_factored_alternation_finds_what_the_longest_first_alternation_finds():
    t = topic_table()
    groups = [[w for row in t["topic"].values() for w in row["major"] + row["minor"]],
              t["veto"]["campaign"] + t["veto"]["not_counted"] + t["veto"]["not_data"],
              ["a", "ab", "abc", "abd", "b", "bc", "x"]]
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts += ["abcabdabxbcab", "行政强制执行行政强制措施强制执行法制审核情况法制审查", ""]
    for words in groups:
        plain = patterns.compile(_alternation(words))
        factored = patterns.compile(_factored(words))
        for text in texts:
            assert [m.span() for m in patterns.finditer(factored, text)] == \
                [m.span() for m in patterns.finditer(plain, text)]
