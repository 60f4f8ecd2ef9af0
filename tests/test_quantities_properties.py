"""Properties of the quantity parser and the normalizing view that must hold for any input."""
import pytest
from hypothesis import given, settings, strategies as st

from enforcement_parser.engine.normalizing import normalize
from enforcement_parser.knowledge.folding import _fold_table, fold
from enforcement_parser.engine.quantities import find_figures

FAST = settings(max_examples=150, deadline=None)

# Text that looks like reports: CJK, digits (ASCII and full-width), units, qualifiers,
# punctuation and every kind of white space the normalizer treats specially.
REPORT_CHARS = list("罚款件起人名次元万亿余多约近第年月日号个项%％,，.。、；：（）()〔〕-/:")
REPORT_CHARS += list("0123456789０１２３４５６７８９一二两三十百千〇零萬處罰")
REPORT_CHARS += list(" \t\r\n\u3000\u00a0\u200b\ufeff")
report_text = st.text(st.sampled_from(REPORT_CHARS), max_size=60)
any_text = st.text(st.characters(codec="utf-8"), max_size=80) | st.text(
    st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF), max_size=40)


@FAST
@given(st.integers(min_value=0, max_value=10**15))
def test_arabic_count_round_trips(n):
    text = f"罚款{n}件"
    fig, = find_figures(text)
    assert (fig.value, fig.unit, fig.family, fig.qualifier) == (n, "件", "cases", "exact")
    assert type(fig.value) is int
    assert text[fig.start:fig.end] == f"{n}件"


@FAST
@given(st.integers(min_value=1000, max_value=10**15), st.sampled_from([",", "，"]))
def test_thousands_separators_round_trip(n, comma):
    written = f"{n:,}".replace(",", comma)
    text = f"共{written}件。"
    fig, = find_figures(text)
    assert fig.value == n and fig.unit == "件"
    assert text[fig.start:fig.end] == f"{written}件"


@FAST
@given(any_text | report_text)
def test_find_figures_never_raises_and_spans_lie_in_the_text(text):
    for fig in find_figures(text):
        assert 0 <= fig.start < fig.end <= len(text)


@FAST
@given(report_text | any_text)
def test_view_offsets_map_back(text):
    view = normalize(text)
    offsets = [view.offset(i) for i in range(len(view.text))]
    assert all(a < b for a, b in zip(offsets, offsets[1:]))
    assert all(0 <= o < len(text) for o in offsets)
    for i, ch in enumerate(view.text):
        source = fold(text[offsets[i]]).replace("\r", "\n")
        if ch == "\t" and source.isspace():
            continue   # a space run holding a tab: see test_tab_maps_to_the_tab
        assert source == ch, (text, i)
    with pytest.raises(IndexError):
        view.offset(len(view.text))


def _folded_characters() -> str:
    return "".join(v if isinstance(v, str) else chr(v) for v in _fold_table().values())


def test_fold_is_idempotent():
    """fold replaces the kinds of character a text holds one after the other: that equals one
    translate pass only while no folded character folds again."""
    assert fold(_folded_characters()) == _folded_characters()


@FAST
@given(report_text | any_text | st.text(st.sampled_from(sorted(map(chr, _fold_table())) + list("中a1 ")),
                                        max_size=60))
def test_fold_is_one_translate_pass(text):
    assert fold(text) == text.translate(_fold_table())


@pytest.mark.xfail(strict=True, reason="a run of spaces and a tab kept as one tab maps to the run's first "
                                       "character (a space), not to the tab")
def test_tab_maps_to_the_tab():
    text = "中 \t文"
    view = normalize(text)
    assert view.text == "中\t文"
    assert text[view.offset(1)] == "\t"


@FAST
@given(report_text)
def test_view_figures_map_to_original_spans(text):
    """What the engine does: figures found on the view, evidence cut from the original."""
    view = normalize(text)
    for fig in find_figures(view.text):
        start, end = view.span(fig.start, fig.end)
        assert 0 <= start < end <= len(text)
        assert fold(text[start:end]).replace(" ", "").replace("\u3000", "") != ""


@FAST
@given(st.lists(report_text, max_size=8).map("\n".join), st.integers(1, 30))
def test_figures_found_in_line_chunks_are_those_of_one_scan(text, span):
    """find_figures scans long texts in untimed line chunks (patterns.finditer_lines): with the
    chunk size shrunk to a few characters, it must still find exactly what one scan finds."""
    from unittest import mock

    from enforcement_parser.engine import patterns

    whole = find_figures(text)
    with mock.patch.object(patterns, "TIMED_SPAN", span):
        assert find_figures(text) == whole
