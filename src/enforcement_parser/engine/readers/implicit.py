"""Values the text states without a figure: zeros in words ("未发生行政复议和行政诉讼案件",
"行政诉讼零败诉") and outcomes covering every case ("经复议均予以维持" after "行政复议案件2件")."""

from __future__ import annotations

import bisect
import functools

from .. import patterns
from ..phrases import may_match_in, required_runs
from ..quantities import Figure
from ..segmenting import Segments, last_major_topic
from ..labels import entries, table, vetoed
from . import Candidate, topic_of
from .templates import NAME_FIELDS

_SAYS_NONE = patterns.compile(r"[：:]\s*无(?=\s*(?:$|[；;。，,\n]))")
_STOP = r"(?=$|[，,。；;、和及与或\n])"


@functools.cache
def _compiled():
    t = table("implicit")
    neg = "|".join(sorted(t["negations"], key=len, reverse=True))
    tail = f"(?:{'|'.join(t['noun_tails'])})?"
    # the noun, then a stop ("未发生行政诉讼案件。") or a colon and 无 ("行政诉讼：无")
    zero = [(path, patterns.compile(rf"(?:{'|'.join(frags)}){tail}(?:{_STOP}|(?={_SAYS_NONE.pattern}))"))
            for path, frags in t["zero"].items()]
    words = [(path, patterns.compile("|".join(frags))) for path, frags in t["zero_words"].items()]
    # the runs each fragment's matches must hold (see _could_match)
    whole = [(path, row["of"], patterns.compile("|".join(row["words"])), [required_runs(w) for w in row["words"]])
             for path, row in t["whole"].items()]
    return patterns.compile(neg), zero, words, whole


def read_implicit(seg: Segments, ctx, stated: list[Candidate]) -> list[Candidate]:
    """Zero and whole-outcome candidates; each must sit in a clause free of vetoes."""
    neg, zero, words, whole = _compiled()
    text = seg.text
    out: list[Candidate] = []
    for m in patterns.finditer_lines(neg, text):   # negations, zero words, "不涉及": words within a line
        start, end = m.end(), ctx.clause_end(m.end())
        clause_start = ctx.clause_start(m.start())
        if vetoed("", text[clause_start:end]) or seg.in_campaign(m.start()):
            continue
        for path, pat in zero:
            # the noun right after the negation, or after "和/及/、" in the same clause
            for z in patterns.finditer(pat, text, start, end):
                if not _in_topic(path, text, ctx, z.start()):
                    break
                if z.start() == start or text[z.start() - 1] in "和及、与":
                    out.append(_make(path, 0, z.start(), z.end(), "implicit:zero-in-words"))
                    break
    listed = _says_none_somewhere(text)
    for path, pat in zero if listed else ():   # "行政诉讼：无" in a data list
        for z in patterns.finditer(pat, text):
            none = _SAYS_NONE.match(text, z.end())
            if none and text[z.start() - 1:z.start()] in ("", "\n", "；", ";", "，", ",", "：", ":", "、", "|", " ") \
                    and _in_topic(path, text, ctx, z.start()):
                out.append(_make(path, 0, z.start(), none.end(), "implicit:none-listed"))
    for path, pat in words:
        for z in patterns.finditer_lines(pat, text):
            if not vetoed("", text[ctx.clause_start(z.start()):z.start()]):
                out.append(_make(path, 0, z.start(), z.end(), "implicit:zero-word"))
    return out + _whole_outcomes(seg, ctx, stated, whole)


def _says_none_somewhere(text: str) -> bool:
    """Whether any colon opens a "：无": a match tried at each colon costs less than a search of
    a long text, which is timed at every position."""
    for colon in "：:":
        at = text.find(colon)
        while at >= 0:
            if _SAYS_NONE.match(text, at):
                return True
            at = text.find(colon, at + 1)
    return False


def _in_topic(path: str, text: str, ctx, pos: int) -> bool:
    """A field read by topic-bound labels (撤销 in 行政复议) takes a zero only inside its topic:
    the last major topic word of the sentence before the zero names it."""
    topics = entries()[path].topics
    return not topics or last_major_topic(text, ctx.sentence_bounds(pos)[0], pos) in topics


def _whole_outcomes(seg: Segments, ctx, stated: list[Candidate], whole) -> list[Candidate]:
    """"行政复议案件2件，均维持", "其中警告11件、罚款149件，均适用一般程序": an outcome said of
    every case takes the figure it is said of (see _referent). The outcome may have no subject
    of its own ("重大行政处罚决定均经法制审核", "2022年作出的处罚均为警告" speak of other cases)
    beyond a word that refers back (以上, 上述, 处罚种类 …) or the body that acted (公安机关), and
    no negation ("均不需要…")."""
    text = seg.text
    ordered = sorted(stated, key=lambda c: c.figure.start)
    by_start = {c.figure.start: c for c in ordered}
    starts = [c.figure.start for c in ordered]
    subjects = _outcome_subjects()
    out = []
    stated_paths = {c.path for c in stated}
    for path, of, pat, needs in whole:
        if stated_paths.isdisjoint(of):
            continue   # no figure it could be said of
        if not _could_match(needs, text):
            continue
        for z in patterns.finditer(pat, text):
            clause_start = ctx.clause_start(z.start())
            if vetoed("", text[clause_start:z.start()]) or seg.in_campaign(z.start()) or _NEGATED.search(z.group()):
                continue
            line_start = seg.lines[seg.line_index(z.start())].start
            ref = _referent(seg, ordered, starts, by_start, of, line_start, z.start())
            if ref is None:
                continue
            # the clause may hold the figure it is said of ("一般程序案件17件全部经法制审核"), no other
            subject = text[max(clause_start, ref.figure.end):z.start()]
            if subject.strip() and not patterns.fullmatch(subjects, subject.strip()):
                continue
            out.append(_make(path, ref.value, z.start(), z.end(), "implicit:whole-outcome"))
    return out


def _could_match(needs: list[tuple[str, ...] | None], text: str) -> bool:
    """Whether some fragment of an alternation may match in the text (see phrases.may_match_in)."""
    return any(may_match_in(runs, text) for runs in needs)


_NEGATED = patterns.compile(r"[不未无没非]")


@functools.cache
def _outcome_subjects():
    """The whole subject an outcome may have: words pointing back at the counted cases, or the
    body that acted on them (vocabulary.toml [implicit] outcome_subjects)."""
    words = sorted(table("implicit")["outcome_subjects"], key=len, reverse=True)
    return patterns.compile("(?:" + "|".join(words) + ")+")


def _referent(seg: Segments, ordered: list[Candidate], starts: list[int], by_start: dict, of: list[str],
              line_start: int, pos: int):
    """The latest figure of a field in `of` before `pos` in its paragraph. Any count between it
    and the outcome must be one of its parts (read, of the same topic) and the parts must add up
    to it: "其中适用简易程序12件，均为警告" speaks of the 12, not of the total before."""
    ref = None
    for c in reversed(ordered[bisect.bisect_left(starts, line_start):bisect.bisect_left(starts, pos)]):
        if c.path in of:
            ref = c
            break
    if ref is None:
        return None
    # amounts beside the counts ("罚没款合计18.75万元") are no parts of a count
    between = [f for f in seg.figures.within(ref.figure.end, pos) if f.family not in ("money", "percent", "ratio")]
    if not between:
        return ref
    parts = [by_start.get(f.start) for f in between]
    if any(c is None or c.path in of or topic_of(c.path) != topic_of(of[0])
           or not isinstance(c.value, (int, float)) for c in parts):
        return None
    return ref if sum(c.value for c in parts) == ref.value else None


@functools.cache
def _not_applicable():
    return patterns.compile("|".join(table("implicit")["not_applicable"]))


def find_not_applicable(seg: Segments, ctx) -> list[tuple[str, int, int]]:
    """"不涉及行政征收征用工作": (path, start, end) of items the report declares not applicable."""
    _, zero, _, _ = _compiled()
    text = seg.text
    out = []
    for m in patterns.finditer_lines(_not_applicable(), text):
        a, b = ctx.sentence_bounds(m.start())
        for path, pat in zero:
            z = patterns.search(pat, text, a, b)
            if z:
                out.append((path, m.start(), max(m.end(), z.end())))
    return out


def _make(path: str, value: int, start: int, end: int, rule: str) -> Candidate:
    fig = Figure(value, "", "", "exact", start, end)
    return Candidate(path, value, fig, "implicit", rule, False)


@functools.cache
def _name_list() -> "patterns.regex.Pattern":
    """Names right after a count, after one of vocabulary.toml [implicit] names_after."""
    words = "|".join(table("implicit")["names_after"])
    return patterns.compile(rf"[,，:：]?\s*(?:分别)?(?:{words})[:：]?(?P<names>[^。；;,，\n]+)")


def read_name_lists(seg: Segments, stated: list[Candidate]) -> list[Candidate]:
    """"授权组织有1个,为黄石市不动产登记中心": the names right after a count, when they number it."""
    out = []
    for c in stated:
        if c.path not in NAME_FIELDS or not isinstance(c.value, int) or c.value < 1:
            continue
        m = _name_list().match(seg.text, c.figure.end, min(len(seg.text), c.figure.end + 400))
        if not m:
            continue
        names = tuple(n.strip() for n in m.group("names").split("、") if n.strip())
        if len(names) == c.value and all(2 <= len(n) <= 40 for n in names):
            fig = Figure(names, "", "", "exact", m.start("names"), m.end("names"))
            out.append(Candidate(NAME_FIELDS[c.path], names, fig, c.reader, "sentence:names-after-count", c.overview))
    return out
