"""The matching wrappers: a line-chunked scan finds exactly what one scan of the whole span finds."""
from unittest import mock

import pytest
from hypothesis import example, given, settings, strategies as st

from enforcement_parser.engine import patterns
from enforcement_parser.errors import InputError

LINE_BOUND = [
    r"[，,；;。！？!?\n]",                       # a match may be the newline itself
    r"\d+(?:\.\d+)?(?![\d])[件起人]?",           # one character of lookahead
    r"(?<=\n)[^\n]{1,3}",                       # looks behind across a line start
    r"罚款|罚款金额",
]
chars = st.sampled_from(list("罚款金额件起人，,；。!?\n 0123456789.") + ["\n\n", "12345", "罚款金额"])
texts = st.lists(chars, max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from(LINE_BOUND), st.integers(1, 40), st.integers(0, 400), st.integers(0, 400))
@example("123456\n78", LINE_BOUND[1], 3, 0, 100)      # a chunk cut inside a number would split it
@example("罚款金额\n罚款", LINE_BOUND[3], 3, 0, 100)
@example("ab\ncd\nef", LINE_BOUND[2], 2, 1, 100)
def test_chunked_scan_matches_the_whole_scan(text, pattern, span, pos, endpos):
    """With the untimed span shrunk, short texts are cut into many chunks (and long lines)."""
    compiled = patterns.compile(pattern)
    pos = min(pos, len(text))
    endpos = min(max(pos, endpos), len(text))
    whole = [(m.span(), m.group()) for m in patterns.finditer(compiled, text, pos, endpos)]
    with mock.patch.object(patterns, "TIMED_SPAN", span):
        chunked = [(m.span(), m.group()) for m in patterns.finditer_lines(compiled, text, pos, endpos)]
    assert chunked == whole


def test_a_line_longer_than_the_span_is_scanned_whole():
    compiled = patterns.compile(r"\d+")
    with mock.patch.object(patterns, "TIMED_SPAN", 4):
        assert [m.group() for m in patterns.finditer_lines(compiled, "12345678\n9")] == ["12345678", "9"]


@settings(max_examples=200, deadline=None)
@given(texts)
def test_stop_positions_are_those_of_a_class_scan(text):
    """The sentence reader finds clause stops with str.find per character instead of a regex."""
    from enforcement_parser.engine.readers.sentences import CLAUSE_STOPS, _positions

    stops = patterns.compile("[" + patterns.regex.escape(CLAUSE_STOPS) + "]")
    assert _positions(text, CLAUSE_STOPS) == [m.start() for m in patterns.finditer(stops, text)]


@pytest.mark.parametrize("call", [
    lambda p, t: patterns.search(p, t),
    lambda p, t: patterns.finditer(p, t),
    lambda p, t: patterns.match(p, t),
    lambda p, t: patterns.fullmatch(p, t),
])
def test_every_wrapper_passes_its_timeout(call):
    """A long scan with a time limit of a nanosecond
    must stop with the one clear error every command reports."""
    compiled = patterns.compile(r"(?:a|b)*c")
    with mock.patch.object(patterns, "TIMEOUT_S", 1e-9), pytest.raises(InputError, match="pathological"):
        call(compiled, "ab" * 200_000)
