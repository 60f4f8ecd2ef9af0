"""Values the text states without a figure: zeros in words ("未发生行政复议和行政诉讼案件",
"行政诉讼零败诉") and outcomes covering every case ("经复议均予以维持" after "行政复议案件2件")."""

from __future__ import annotations

import functools

from .. import patterns
from ..quantities import Figure
from ..segmenting import Segments
from ..vocabulary import _raw, vetoed
from . import Candidate
from .templates import NAME_FIELDS

_SAYS_NONE = patterns.compile(r"[：:]\s*无(?=\s*(?:$|[；;。，,\n]))")
_NOUN_TAIL = r"(?:案件|事项|情况|行为|工作)?"
_STOP = r"(?=$|[，,。；;、和及与或\n])"


@functools.cache
def _compiled():
    t = _raw()["implicit"]
    neg = "|".join(sorted(t["negations"], key=len, reverse=True))
    # the noun, then a stop ("未发生行政诉讼案件。") or a colon and 无 ("行政诉讼：无")
    zero = [(path, patterns.compile(rf"(?:{'|'.join(frags)}){_NOUN_TAIL}(?:{_STOP}|(?={_SAYS_NONE.pattern}))"))
            for path, frags in t["zero"].items()]
    words = [(path, patterns.compile("|".join(frags))) for path, frags in t["zero_words"].items()]
    whole = [(path, row["of"], patterns.compile("|".join(row["words"]))) for path, row in t["whole"].items()]
    return patterns.compile(neg), zero, words, whole


def read_implicit(seg: Segments, ctx, stated: list[Candidate]) -> list[Candidate]:
    """Zero and whole-outcome candidates; each must sit in a clause free of vetoes."""
    neg, zero, words, whole = _compiled()
    text = seg.text
    out: list[Candidate] = []
    for m in patterns.finditer(neg, text):
        start, end = m.end(), ctx.clause_end(m.end())
        clause_start = ctx.clause_start(m.start())
        if vetoed("", text[clause_start:end]) or seg.in_campaign(m.start()):
            continue
        for path, pat in zero:
            # the noun right after the negation, or after "和/及/、" in the same clause
            for z in patterns.finditer(pat, text, start, end):
                if z.start() == start or text[z.start() - 1] in "和及、与":
                    out.append(_make(path, 0, z.start(), z.end(), "implicit:zero-in-words"))
                    break
    for path, pat in zero:   # "行政诉讼：无" in a data list
        for z in patterns.finditer(pat, text):
            none = _SAYS_NONE.match(text, z.end())
            if none and text[z.start() - 1:z.start()] in ("", "\n", "；", ";", "，", ",", "：", ":", "、", "|", " "):
                out.append(_make(path, 0, z.start(), none.end(), "implicit:none-listed"))
    for path, pat in words:
        for z in patterns.finditer(pat, text):
            if not vetoed("", text[ctx.clause_start(z.start()):z.start()]):
                out.append(_make(path, 0, z.start(), z.end(), "implicit:zero-word"))
    totals = sorted((c for c in stated if c.path in {of for _, of, _ in whole}), key=lambda c: c.figure.start)
    for path, of, pat in whole:
        for z in patterns.finditer(pat, text):
            s_start, _ = ctx.sentence_bounds(z.start())
            before = [c for c in totals if c.path == of and s_start <= c.figure.start < z.start()]
            if before:
                out.append(_make(path, before[-1].value, z.start(), z.end(), "implicit:whole-outcome"))
    return out


@functools.cache
def _not_applicable():
    return patterns.compile("|".join(_raw()["implicit"]["not_applicable"]))


def find_not_applicable(seg: Segments, ctx) -> list[tuple[str, int, int]]:
    """"不涉及行政征收征用工作": (path, start, end) of items the report declares not applicable."""
    _, zero, _, _ = _compiled()
    text = seg.text
    out = []
    for m in patterns.finditer(_not_applicable(), text):
        a, b = ctx.sentence_bounds(m.start())
        for path, pat in zero:
            z = patterns.search(pat, text, a, b)
            if z:
                out.append((path, m.start(), max(m.end(), z.end())))
    return out


def _make(path: str, value: int, start: int, end: int, rule: str) -> Candidate:
    fig = Figure(value, "", "", "exact", start, end)
    return Candidate(path, value, fig, "implicit", rule, False)


_LIST = patterns.compile(r"[,，:：]?\s*(?:分别)?(?:为|是|即|包括)[:：]?(?P<names>[^。；;,，\n]+)")


def read_name_lists(seg: Segments, stated: list[Candidate]) -> list[Candidate]:
    """"授权组织有1个,为黄石市不动产登记中心": the names right after a count, when they number it."""
    out = []
    for c in stated:
        if c.path not in NAME_FIELDS or not isinstance(c.value, int) or c.value < 1:
            continue
        m = _LIST.match(seg.text, c.figure.end, min(len(seg.text), c.figure.end + 400))
        if not m:
            continue
        names = tuple(n.strip() for n in m.group("names").split("、") if n.strip())
        if len(names) == c.value and all(2 <= len(n) <= 40 for n in names):
            fig = Figure(names, "", "", "exact", m.start("names"), m.end("names"))
            out.append(Candidate(NAME_FIELDS[c.path], names, fig, c.reader, "sentence:names-after-count", c.overview))
    return out
