"""Label fragments expand to the literal phrases they denote; a trie finds the phrases in text."""

import pytest
import regex
from hypothesis import given, settings, strategies as st

from enforcement_parser.engine.phrases import Trie, expand, required_runs


@pytest.mark.parametrize("fragment, expected", [
    ("行政处罚", ["行政处罚"]),
    ("罚没(款)?", ["罚没款", "罚没"]),
    ("行政(处罚|许可)决定", ["行政处罚决定", "行政许可决定"]),
    ("(依法)?受委托(的)?组织", ["依法受委托的组织", "依法受委托组织", "受委托的组织", "受委托组织"]),
    ("执法证件?", ["执法证件", "执法证"]),               # '?' makes only the last character optional
    ("a\\(b", ["a(b"]),                                   # an escaped bracket is a literal
    ("", [""]),
])
def test_expand(fragment, expected):
    assert sorted(expand(fragment)) == sorted(expected)


@pytest.mark.parametrize("fragment", [
    "持有.{0,10}执法证", "[一二三]季度", "a+", "(?:a|b)", "\\d件", "?a", "a??", "(a", "a)", "(a|?)",
])
def test_patterns_that_are_not_literal_lists_are_refused(fragment):
    """None sends the fragment to the regex path instead (wildcards, classes, malformed syntax)."""
    assert expand(fragment) is None


# A small grammar of fragments with its own meaning, independent of the parser under test.
_LITERAL = st.text(alphabet="ab行政", min_size=1, max_size=3).map(lambda s: ("lit", s))


def _group(children):
    return st.lists(children, min_size=2, max_size=3).map(lambda alts: ("alt", alts))


_NODE = st.recursive(_LITERAL, lambda children: st.one_of(
    _group(st.lists(children, min_size=1, max_size=3).map(lambda seq: ("seq", seq))),
    children.map(lambda n: ("opt", n)),
), max_leaves=8)


def _render(node) -> str:
    kind, body = node
    if kind == "lit":
        return body
    if kind == "seq":
        return "".join(_render(n) for n in body)
    if kind == "alt":
        return "(" + "|".join(_render(n) for n in body) + ")"
    bare = body[0] == "alt" or (body[0] == "lit" and len(body[1]) == 1)   # '?' binds to one unit
    inner = body if bare else ("alt", [body])
    return _render(inner) + "?"


def _meaning(node) -> set[str]:
    kind, body = node
    if kind == "lit":
        return {body}
    if kind == "seq":
        out = {""}
        for n in body:
            out = {a + b for a in out for b in _meaning(n)}
        return out
    if kind == "alt":
        return set().union(*(_meaning(n) for n in body))
    return _meaning(body) | {""}


@settings(max_examples=300, deadline=None)
@given(st.lists(_NODE, min_size=1, max_size=3))
def test_expand_denotes_exactly_what_the_fragment_means(nodes):
    fragment = "".join(_render(n) for n in nodes)
    expected = {""}
    for n in nodes:
        expected = {a + b for a in expected for b in _meaning(n)}
    got = expand(fragment)
    assert got is not None and set(got) == expected
    assert all(regex.fullmatch(fragment, s) for s in got)
    assert [len(s) for s in got] == sorted((len(s) for s in got), reverse=True)   # longest first


@pytest.mark.parametrize("phrases, text, scan", [
    (["行政", "行政处罚", "处罚"], "依法行政处罚", [(2, 4), (2, 6), (4, 6)]),
    (["ab"], "abab", [(0, 2), (2, 4)]),
    (["x"], "", []),
    ([], "abc", []),
    (["a.b", "(x)", "a"], "a.b(x)a", [(0, 1), (0, 3), (3, 6), (6, 7)]),   # pattern syntax is literal
    (["abc", "bcd"], "abcd", [(0, 3), (1, 4)]),   # a start inside another phrase's prefix
])
def test_trie(phrases, text, scan):
    assert Trie(phrases).scan(text) == scan


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text("abc.|(", min_size=1, max_size=5), max_size=8), st.text("abcd.|(", max_size=30),
       st.integers(0, 5), st.integers(0, 35))
def test_trie_scan_finds_every_occurrence(phrases, text, start, end):
    """Every (start, end) where a phrase occurs inside text[start:end], by start, shortest first."""
    trie = Trie(phrases)
    end = min(end, len(text))
    expected = sorted({(i, i + len(p)) for p in phrases for i in range(start, end)
                       if i + len(p) <= end and text.startswith(p, i)})
    assert list(trie.scan(text, start, end)) == expected


@pytest.mark.parametrize("phrases, start, end, scan", [
    (["a", "ab"], 0, 1, [(0, 1)]),            # the walk stops at the span's end: no "ab"
    (["a", "ab"], 1, 4, [(2, 3), (2, 4)]),    # the "a" at 0 is before the span
    (["a", "ab"], 0, 4, [(0, 1), (0, 2), (2, 3), (2, 4)]),
    (["ab"], 0, 1, []),                       # the start pattern's lookahead ("a" then "b") stops there too
    (["ab"], 0, 2, [(0, 2)]),
])
def test_trie_scan_stays_inside_its_span(phrases, start, end, scan):
    assert Trie(phrases).scan("abab", start, end) == scan


def test_trie_scan_sees_phrases_added_after_a_scan():
    trie = Trie(["ab"])
    assert list(trie.scan("abc")) == [(0, 2)]
    trie.add("bc")
    assert list(trie.scan("abc")) == [(0, 2), (1, 3)]


def test_nested_optionals_expand_without_counting_duplicates():
    """Hypothesis found this: the duplicates "(a?)?" makes once grew the list past the cap."""
    fragment = "(a|(a?)?)?(a|(a?)?(a?)?(a?)?)((a?)?|(a?)?(a?)?(a?)?)"
    assert expand(fragment) == ["a" * n for n in range(7, -1, -1)]


# Wildcard pieces the literal grammar lacks: classes, quantifiers, escapes, lookarounds, groups.
_WILD = st.sampled_from([".", "[ab]", "[^a]", "a{0,2}", "b*", "政+", "\\d", "(?:ab|行)", "(?!a)", "(?<=b)",
                         "(?P<x>a|b)", "a{2}", "行??", "(?i)", "\\(", "|", "\\u884c", "\\x61", "[^]a]",
                         "[a\\]]", "(?x) ", " ", "\\s", "\\p{Han}"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_NODE.map(_render), _WILD), min_size=1, max_size=4).map("".join),
       st.text(alphabet="ab行政(1", max_size=30))
def test_every_match_holds_the_required_runs(fragment, text):
    """What the implicit reader relies on to skip a whole-text scan: a match contains the runs."""
    try:
        pattern = regex.compile(fragment)
    except regex.error:
        return
    runs = required_runs(fragment) or ()
    for m in pattern.finditer(text, overlapped=True):
        assert all(run in m.group() for run in runs), (fragment, m.group())


@pytest.mark.parametrize("fragment, runs", [
    ("均(予以|被)?维持", ("均", "维持")),
    ("经[^，,。；;]{0,12}?复议(机关)?(予以)?维持(?![^，,。；;]{0,6}\\d)", ("经", "复议", "维持")),
    ("执法证件?", ("执法证",)),
    ("(均|全部)胜诉", ("胜诉",)),
    ("a|b", None),
    ("(a|b)?", None),
    ("(?i)abc", None),
    ("\\u5747予以维持", None),           # an escape of unknown length: nothing claimed
    ("[^]a]bc维持", ("bc维持",)),          # "]" first in a class is a member, not its end
    ("a[b\\]c]d", ("a", "d")),
    ("(?x)均 予以维持", None),             # verbose: the blank is not matched
    ("\\d\\d年", ("年",)),
])
def test_required_runs(fragment, runs):
    assert required_runs(fragment) == runs
