"""The sentence reader: a label right before a figure ("罚款625649件"), or right after it
("选派78名担任法制员"), inside one clause; generic labels take the sentence's topic."""

from __future__ import annotations

import bisect
import functools
from typing import NamedTuple

from .. import patterns
from ...knowledge.catalogue import by_path
from ..decisions import recorder
from ..quantities import Figure
from ..segmenting import Segments, heading_level, is_campaign, last_major_topic, topics_in
from ..labels import (LabelHit, entries, filler_pattern, list_size_words, list_verbs, meanings,
                      platform_entry_pattern, quoted_place_words, table, total_words, veto_word, vetoed)
from ..phrases import may_match_in, required_runs
from . import Candidate, accepts, takes, topic_of, value_for
from .tables import apply_unit

MAX_GAP = 3          # characters of non-filler text allowed between a label and its figure
SENTENCE_STOPS = "；;。！？!?\n"
CLAUSE_STOPS = "，," + SENTENCE_STOPS


_QUALIFYING_NOTE = patterns.compile(r"^[（(][^（()）]{1,12}[）)]")
_CLOSED_NOTE = patterns.compile(r"[（(][^（()）]*[）)]")
# a note right after a figure breaks it down ("6,218户次（其中…专项检查2,317户次）"); a note after a
# name describes it ("开展"蓝天保卫战"（大气污染专项整治）") and its campaign words are the sentence's
_BREAKDOWN_NOTE = patterns.compile(r"(?<=\d\s*[^\d\s，,。；;（(]{0,3})[（(][^（()）]*[）)]")


_GAP_YEAR = patterns.compile(r"(?:19|20)\d\d\s*年度?(?![底末])")   # "2022年底69名" is a stock at another time


class _Words(NamedTuple):
    """vocabulary.toml [sentence]: each list's words, in the shape this reader applies them."""

    change_verb: "patterns.regex.Pattern"     # change_verbs, change_reached: after a figure after 由
    change_to: "patterns.regex.Pattern"       # the same words: 由 … before a figure
    compares: "patterns.regex.Pattern"
    this_year: tuple[str, ...]
    clause_openers: "patterns.regex.Pattern"
    enumerates: "patterns.regex.Pattern"
    sector_words: tuple[str, ...]
    sector: "patterns.regex.Pattern"
    wider_runs: tuple[tuple[str, ...] | None, ...]   # what each wider fragment needs (phrases.required_runs)
    wider: "patterns.regex.Pattern"
    sub_kind: "patterns.regex.Pattern"
    conjunctions: frozenset[str]
    object_joins: tuple[str, ...]   # conjunctions and the enumeration comma


def _alt(words) -> str:
    return "|".join(words)


@functools.cache
def _words() -> _Words:
    """The lists of vocabulary.toml [sentence] compiled into the patterns that place them."""
    t = {key: row["words"] for key, row in table("sentence").items()}
    verbs = _alt(t["change_verbs"])
    change = rf"(?:{verbs})(?:到|至)|{_alt(t['change_reached'])}"
    before = _alt(table("sentence")["enumerates"]["before"])
    not_kind = t["not_sub_kind"]
    before_kind = _alt(w[:-1] for w in not_kind if w.endswith("类"))
    after_kind = _alt(w[1:] for w in not_kind if w.startswith("类"))
    return _Words(
        change_verb=patterns.compile(rf"^(?:{change}|(?:{verbs})了?)"),
        change_to=patterns.compile(rf"由[^，,。；;由]{{0,24}}?(?:{change})"
                                   r"(?:(?P<y>(?:19|20)\d\d)\s*年度?(?:底|末)?的?)?$"),
        compares=patterns.compile(_alt(t["compares"])),
        this_year=tuple(t["this_year"]),
        clause_openers=patterns.compile(_alt(t["clause_openers"])),
        enumerates=patterns.compile(rf"\s*(?:{before})?(?:{_alt(t['enumerates'])})"),
        sector_words=tuple(t["sector"]),
        sector=patterns.compile(rf"^[^，,。；;]{{0,12}}(?:{_alt(t['sector'])})"),
        wider_runs=tuple(required_runs(f) for f in t["wider"]),
        wider=patterns.compile(_alt(t["wider"])),
        sub_kind=patterns.compile(rf"(?<!{before_kind})类(?!{after_kind})(?=\p{{Han}})"),
        conjunctions=frozenset(t["conjunctions"]),
        object_joins=(*t["conjunctions"], "、"),
    )


def _gap_ok(gap: str) -> bool:
    """Only filler, a colon and at most a few characters; a short note qualifying the label
    ("行政强制措施（查封、扣押）23件") may stand first, and a year ("罚没金额2023年为86.74万元":
    one that is not the report's makes the figure another year's, see _names_other_year)."""
    if not gap:
        return True   # most labels stand right before their figure
    if gap[0] in "（(":
        gap = _QUALIFYING_NOTE.sub("", gap)
    if "年" in gap:
        gap = _GAP_YEAR.sub("", gap)
    rest = filler_pattern().sub("", gap)
    rest = rest.replace("：", "").replace(":", "").rstrip("）)")   # "（简易程序）3,506起"
    if rest in _words().conjunctions:
        return False   # "对35件行政处罚案件和4件…": the label is the object of the figure before it
    return len(rest) <= MAX_GAP and _GAP_BREAKS.isdisjoint(rest)


_GAP_BREAKS = frozenset("，,；;。、（）()|\t")   # a cell border too


def _positions(text: str, chars: str) -> list[int]:
    """Where any of `chars` stands, in order: a str.find per character runs in C and took half
    the time of a character-class scan."""
    found = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            found.append(i)
            i = text.find(ch, i + 1)
    found.sort()
    return found


def _thousands_mark(text: str, i: int) -> bool:
    """The comma of "1,091起" separates thousands, not clauses."""
    return text[i] in ",，" and text[i - 1:i].isdigit() and text[i + 1:i + 4].isdigit() \
        and len(text[i + 1:i + 4]) == 3 and not text[i + 4:i + 5].isdigit()


class SentenceContext:
    """Clause and sentence boundaries of the view, with newline joins for wrapped prose."""

    def __init__(self, seg: Segments):
        text = seg.text
        self.seg = seg
        # every line but the last ends with a newline, at its end: no search, no line lookup
        newlines = [ln.end for k, ln in enumerate(seg.lines[:-1]) if not self._soft(k)]
        self.sentence_stops = sorted(_positions(text, SENTENCE_STOPS.replace("\n", "")) + newlines)
        commas = [i for i in _positions(text, "，,") if not _thousands_mark(text, i)]
        self.clause_stops = sorted(self.sentence_stops + commas)

    def _soft(self, k: int) -> bool:
        """The newline that ends line k, inside wrapped prose (a long line without a closing stop),
        does not end it."""
        seg = self.seg
        line = seg.lines[k]
        body = line.text.rstrip()
        if len(body) < 25 or body[-1:] in "。；;！？!?：:|" or _ENDS_WITH_FIGURE.search(body) or seg.chains[k] and \
                seg.chains[k][-1].heading is line:
            return False
        nxt = k + 1
        while nxt < len(seg.lines) and not seg.lines[nxt].text.strip():
            nxt += 1
        if nxt >= len(seg.lines):
            return False
        return heading_level(seg.lines[nxt].text) is None

    def _before(self, stops: list[int], pos: int) -> int:
        k = bisect.bisect_left(stops, pos) - 1
        return stops[k] + 1 if k >= 0 else 0

    def _after(self, stops: list[int], pos: int) -> int:
        k = bisect.bisect_left(stops, pos)
        return stops[k] if k < len(stops) else len(self.seg.text)

    def clause_start(self, pos: int) -> int:
        return self._before(self.clause_stops, pos)

    def clause_end(self, pos: int) -> int:
        return self._after(self.clause_stops, pos)

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        return self._before(self.sentence_stops, pos), self._after(self.sentence_stops, pos)


def read_sentences(seg: Segments, figures: list[Figure], hits: list[LabelHit],
                   skip: set[int], ctx: SentenceContext | None = None, report_year: int | None = None,
                   other_years: list[Candidate] | None = None) -> list[Candidate]:
    """Candidates from prose. `skip` holds figure starts already read as template/table cells;
    a figure whose sentence names another year than the report's goes to `other_years` instead."""
    reader = _Reader(seg, hits, ctx or SentenceContext(seg), report_year)
    out: list[Candidate] = []
    prev_end = 0
    for fig in figures:
        c_start = reader.ctx.clause_start(fig.start)
        zone_start = max(c_start, prev_end)
        prev_end = fig.end
        if fig.start in skip:
            continue
        if seg.in_campaign(fig.start):
            reader.drop("veto.campaign-section", fig)
            continue
        got = reader.read(fig, c_start, zone_start)
        if got is None:
            continue
        cand, other_year = got
        if not other_year:
            out.append(cand)
        elif other_years is not None:
            other_years.append(cand)
    return out


class _Reader:
    """Reads figures left to right, remembering what earlier figures of the text said (the topic
    a sentence is on, the last total, the verb a list shares, the last field a label named)."""

    def __init__(self, seg: Segments, hits: list[LabelHit], ctx: SentenceContext, report_year: int | None):
        self.seg, self.text, self.ctx, self.report_year = seg, seg.text, ctx, report_year
        self.hits = hits
        self.hit_starts = [h.start for h in hits]
        self.hit_ends = sorted(hits, key=lambda h: h.end)
        self.ends = [h.end for h in self.hit_ends]
        self.lead_topic: dict[int, str] = {}   # sentence start -> topic of the latest figure read in it
        self.sentences: dict[int, _Sentence] = {}   # sentence start -> what is said of it as a whole
        self.lead_ins: dict[int, tuple[int, str | None]] = {}   # line index -> _lead_in(line)
        self.last: tuple[int, str] | None = None   # (position, topic) of the last figure read
        self.labelled: tuple[int, str] | None = None   # (sentence start, path) a label last named
        self.whole: tuple[int, str, int] | None = None   # (sentence start, path, end) of the last non-part
        self.verb: tuple[int, str] | None = None   # (sentence start, verb) a list of items shares
        self.objects: int | None = None   # clause start of an object-first reading ("对A和B进行…")
        self.rec = recorder()   # None unless --explain: then every drop below is noted

    def drop(self, rule: str, fig: Figure, zone: str | None = None) -> None:
        """Note (when explaining) that `rule` dropped the figure; with a zone, the veto word in it names the rule."""
        if self.rec:
            found = veto_word("", zone) if zone is not None else None
            self.rec.drop(found[0] if found else rule, fig, f"{found[1]!r} before the figure" if found else "")

    def read(self, fig: Figure, c_start: int, zone_start: int) -> tuple[Candidate, bool] | None:
        """The candidate a figure gives and whether it is another year's, or None. The figure's
        clause starts at c_start; its label may stand from zone_start on (after the figure before)."""
        seg, text, ctx = self.seg, self.text, self.ctx
        fig = _unit_from_label(text, fig)
        if fig.bare and not _key_value_line(seg, fig, ctx):
            return None
        s_start, s_end = ctx.sentence_bounds(fig.start)
        sentence = self.sentences.get(s_start)
        if sentence is None:   # a sentence holds many figures: judge it once
            sentence = self.sentences[s_start] = _judge_sentence(seg, s_start, s_end)
        if sentence.vetoed:
            return self.drop(sentence.vetoed, fig)
        if sentence.campaign_notes and _in_campaign_note(text, s_start, s_end, fig):
            return self.drop("veto.campaign-note", fig)
        zone = text[zone_start:fig.start]
        if "由" in zone and _CHANGE_FROM.search(zone) and _words().change_verb.search(text[fig.end:fig.end + 4]):
            return self.drop("veto.change-from", fig)   # the level a change starts from ("由40台增加到52台")
        pair = _year_pair_first(seg, fig, s_start, self.report_year) if sentence.year_pair else None
        anchor = pair or _change_anchor(text, fig, c_start, self.report_year)
        if anchor is None and vetoed("", zone):
            return self.drop("veto", fig, zone)
        if anchor is not None and not pair and vetoed("", text[c_start:anchor.start]):
            # a change is read past its own verb, not past a plan ("计划将…由52台增加到60台")
            return self.drop("veto", fig, text[c_start:anchor.start])
        if anchor is None and self._out_of_reach(fig, c_start, zone_start, zone, s_start):
            self.verb = None   # as _named leaves it
            return None
        clause = text[c_start:fig.start]
        topic = self._topic(fig, s_start, clause)
        parent = _parent(text, self.whole, s_start, fig.start)
        if anchor is not None:
            rule = "sentence:year-pair" if pair else "sentence:change-to"
            cand = _from_anchor(fig, anchor, ctx, text, self.hit_ends, self.ends, topic, seg, rule)
        else:
            cand = self._named(fig, c_start, zone_start, zone, s_start, topic, parent)
        if cand is None:
            return self.drop("sentence.no-fit", fig)
        self.labelled = (s_start, cand.path)
        # a pair names both years; a change is dated before 由 and in its own "到…年"
        dated = "" if pair else clause if anchor is None else text[c_start:anchor.start]
        if self.report_year and (_names_other_year(dated, self.report_year)
                                 or _led_by_other_period(sentence.lead_years, dated, self.report_year)) \
                or _spans_years(text[s_start:fig.start], self.report_year):
            return cand, True
        if self.report_year and anchor is None and self._dated_earlier(s_start, c_start, clause):
            return cand, True
        return self._marked(cand, fig, s_start, sentence.wider, zone, clause, parent), False

    def _dated_earlier(self, s_start: int, c_start: int, clause: str) -> bool:
        """"同比2022年行政检查1270件，实施行政处罚160起" in a 2023 report: a clause that names no
        year of its own continues the year of the nearest earlier clause of its sentence that names
        one, unless that clause only compares ("较2022年减少5件，行政检查300次")."""
        if _YEAR_WORD.search(clause) or _says_this_year(clause):
            return False
        text, pos = self.text, c_start
        while pos > s_start:
            start = self.ctx.clause_start(pos - 1)
            earlier = _TITLED.sub("", text[start:pos])
            pos = start
            years = [int(m.group(1)) for m in _YEAR_WORD.finditer(earlier)]
            this_year = _says_this_year(earlier)
            if years or this_year:
                return bool(years) and years[-1] != self.report_year and not this_year \
                    and not _words().compares.search(earlier)
        return False

    def _topic(self, fig: Figure, s_start: int, clause: str) -> str | None:
        last, text = self.last, self.text
        inherited = last[1] if last and clause.startswith("其中") and fig.start - last[0] < 200 else None
        return (self.lead_topic.get(s_start) or inherited or last_major_topic(text, s_start, fig.start)
                or self._lead_in_topic(fig.start) or _paragraph_topic(self.seg, last, fig.start))

    def _lead_in_topic(self, pos: int) -> str | None:
        """"**法制审核：**…" / "2.行政处罚：…": the label that opens the line names its topic (for
        the figures after it). Found once a line."""
        k = self.seg.line_index(pos)
        if k not in self.lead_ins:
            self.lead_ins[k] = _lead_in(self.seg.lines[k])
        label_end, topic = self.lead_ins[k]
        return topic if label_end <= pos else None

    def _named(self, fig, c_start, zone_start, zone, s_start, topic, parent) -> Candidate | None:
        """The field a label names, tried in order: the verb a list shares, a label before, a
        label after, the object-first predicate, a clause of only the report year."""
        text, seg, ctx, ends, hit_ends = self.text, self.seg, self.ctx, self.ends, self.hit_ends
        verb = self.verb[1] if self.verb and self.verb[0] == s_start else None
        cand = _from_listed(fig, zone_start, text, verb, topic, seg) if verb else None
        if cand is None:
            cand, self.verb = _from_before(fig, zone_start, text, hit_ends, ends, topic, seg, parent), None
            if cand is not None and (v := _list_verb(text, cand.figure, zone_start, hit_ends, ends)):
                self.verb = (s_start, v)
        if cand is None:
            cand = _from_after(fig, text, self.hits, self.hit_starts, ctx.clause_end(fig.end), topic, seg,
                               _opens_clause(zone))
        if cand is None and self._object_first(c_start, zone):
            cand = _from_predicate(fig, text, hit_ends, ends, _predicate_end(text, ctx, fig.end), topic, seg)
            self.objects = c_start if cand is not None else None
        if cand is None and self.labelled and self.labelled[0] == s_start:
            cand = _from_year_clause(fig, zone, self.labelled[1], self.report_year, seg)
        if cand is None and c_start > s_start:
            cand = _from_enumeration(fig, zone, s_start, text, hit_ends, ends, topic, seg)
        return cand

    def _object_first(self, c_start: int, zone: str) -> bool:
        """Whether the figure opens an object-first clause ("对217件…不予行政处罚"), or lists
        another object of the one before ("对35件…和4件…进行法制审核")."""
        listed = self.objects == c_start and zone.endswith(_words().object_joins)
        return listed or _OBJECT_FIRST.search(zone) is not None

    def _out_of_reach(self, fig, c_start, zone_start, zone, s_start) -> bool:
        """Whether no route of _named can name the figure: no label in its zone or just after it,
        no list verb or label earlier in its sentence, no object-first clause, no total after a list. Checked before the
        topic and the routes, which cost far more (in long prose reports, up to a third of the figures).
        Each route's own condition is tested, though a list verb or an object list of the sentence
        implies a label named in it: the shortcut stays safe if that ever changes."""
        if self.verb and self.verb[0] == s_start or self.labelled and self.labelled[0] == s_start:
            return False
        lo = bisect.bisect_left(self.ends, zone_start)
        if any(h.start >= zone_start for h in self.hit_ends[lo:bisect.bisect_right(self.ends, fig.start, lo)]):
            return False
        k = bisect.bisect_left(self.hit_starts, fig.end)
        if k < len(self.hit_starts) and self.hit_starts[k] <= fig.end + MAX_GAP:
            return False
        if c_start > s_start and not filler_pattern().sub("", zone).strip(" ：:"):
            return False   # a total after a list (_from_enumeration)
        return not self._object_first(c_start, zone)

    def _marked(self, cand, fig, s_start, wider, zone, clause, parent) -> Candidate:
        """The candidate with its part / scope / total flags; the reader's memory updated."""
        text = self.text
        # inside a bracket or 其中 after a total: parts run to the stop
        part = parent is not None or _says_part(text[s_start:fig.start]) or _PART_OF.search(zone) or \
            patterns.match(_INCLUDED, text, fig.end) or "类" in zone and _words().sub_kind.search(zone)
        if not part:
            self.whole = (s_start, cand.path, fig.end)
        topic = topic_of(cand.path)
        self.lead_topic[s_start] = topic   # the latest figure read sets the topic
        if not clause.startswith("其中"):
            self.last = (fig.start, topic)
        # the fields by position: NamedTuple._replace cost three times as much
        path, value, figure, reader, rule, overview, _, _, _, generic, _, _ = cand
        entered = patterns.search(platform_entry_pattern(), text, s_start, fig.start) is not None
        return Candidate(path, value, figure, reader, rule, overview, bool(part), "本级" in clause, wider,
                         generic, _total_of(self.seg, fig.start), entered)


_LABEL_UNIT = patterns.compile(r"[（(]\s*(?P<unit>[^（()）\s]{1,4})\s*[）)]\s*[:：]?\s*$")


def _unit_from_label(text: str, fig: Figure) -> Figure:
    """"罚没金额（万元）：128.6", "警告（件）：18；": a bare number takes the unit its label
    states in brackets right before it (a multiplier included)."""
    if not fig.bare:
        return fig
    m = patterns.search(_LABEL_UNIT, text, max(0, fig.start - 12), fig.start)
    return apply_unit(fig, m.group("unit")) if m else fig


_LEAD_IN = patterns.compile(r"^[\s#*]*(?:\d{1,2}[.、．]\s*)?(?P<label>[^，,。；;：:\n]{2,12})[：:]")


def _lead_in(ln) -> tuple[int, str | None]:
    """Where the label opening a line ends, and the one topic it names (None if not one)."""
    m = _LEAD_IN.match(ln.text)
    if not m:
        return 0, None
    found = topics_in(m.group("label")) - {"overview"}
    return ln.start + m.end(), next(iter(found)) if len(found) == 1 else None


def _paragraph_topic(seg: Segments, last: tuple[int, str] | None, pos: int) -> str | None:
    """The topic of the previous figure read on the same line (a paragraph runs on after "；")."""
    if last is None or seg.line_index(last[0]) != seg.line_index(pos):
        return None
    return last[1]


def _from_enumeration(fig, zone, s_start, text, hit_ends, ends, topic, seg) -> Candidate | None:
    """"行政职权事项包含行政许可、行政处罚…和行政检查，共计181项": a clause of only a total counts
    what the label that opens the list names, when no figure stands between them."""
    if filler_pattern().sub("", zone).strip(" ：:"):
        return None
    lo, hi = bisect.bisect_left(ends, s_start), bisect.bisect_right(ends, fig.start)
    for h in hit_ends[lo:hi]:
        if h.start < s_start or not patterns.match(_words().enumerates, text, h.end):
            continue
        if seg.figures.within(h.end, fig.start):
            return None
        picked = _pick(h.meanings, fig, zone, topic, seg, fig.start, ("label",))
        if picked is not None:
            return _candidate(picked, fig, seg, "sentence", "sentence:total-after-list")
    return None


_YEAR_CLAUSE = patterns.compile(r"^\s*(?P<y>(?:19|20)\d\d)\s*年度?(?:为|是|有|共)?\s*$")


def _from_year_clause(fig, zone: str, path: str, report_year: int | None, seg: Segments) -> Candidate | None:
    """"2022年办结行政复议案件2件，2023年1件": a clause holding only the report year and a figure
    continues the field of the figure named before it in the sentence (for another year)."""
    m = patterns.search(_YEAR_CLAUSE, zone)
    if not m or report_year is None or int(m.group("y")) != report_year:
        return None
    if not takes(path, fig):
        return None
    return _candidate((path, False), fig, seg, "sentence", "sentence:report-year-clause")


_YEAR_PAIR = patterns.compile(r"(?P<a>(?:19|20)\d\d)\s*年?度?\s*[、和与及]\s*(?P<b>(?:19|20)\d\d)\s*年度?[^。；;]*?分别")
_PAIR_JOIN = patterns.compile(r"^\s*[和与及、]\s*$")


def _year_pair_first(seg: Segments, fig: Figure, s_start: int, report_year: int | None) -> Figure | None:
    """"2022年、2023年我局分别受理…申请1,906件和2,134件": when the sentence gives two years'
    figures in pairs, the first figure of the pair if `fig` is the report year's member."""
    text = seg.text
    m = patterns.search(_YEAR_PAIR, text, s_start, fig.start)
    if not m or report_year not in (int(m.group("a")), int(m.group("b"))):
        return None
    pair = [f for f in seg.figures.within(m.end(), fig.end + 40) if not f.bare]
    for k in range(len(pair) - 1):
        a, b = pair[k], pair[k + 1]
        if patterns.search(_PAIR_JOIN, text[a.end:b.start]):
            member = a if report_year == int(m.group("a")) else b
            return a if member.start == fig.start else None
    return None


_CHANGE_FROM = patterns.compile(r"由[^，,。；;由]{0,12}$")
# after "由…N" and before a change word (vocabulary.toml [sentence] change_verbs, change_reached),
# N is where a change starts ("由40台增至52台", "由63.2万元增加了23.5万元")


def _change_anchor(text: str, fig: Figure, clause_start: int, report_year: int | None) -> Figure | None:
    """"执法记录仪由2022年的40台增加到2023年的52台": the level reached is named by the label before
    由 (an empty figure there stands for it), when it is reached in the report year."""
    if text.find("由", clause_start, fig.start) < 0:
        return None
    m = patterns.search(_words().change_to, text, clause_start, fig.start)
    if not m or (m.group("y") and int(m.group("y")) != report_year):
        return None
    return fig._replace(start=m.start(), end=m.start())


def _from_anchor(fig, anchor, ctx, text, hit_ends, ends, topic, seg, rule: str) -> Candidate | None:
    """The report year's member of a pair (or the level a change reaches) takes the field the
    label before the pair (or before 由) names."""
    named = _from_before(anchor, ctx.clause_start(anchor.start), text, hit_ends, ends, topic, seg)
    if named is None or not accepts(named.path, fig):
        return None
    value = value_for(by_path()[named.path].kind, fig)
    return None if value is None else named._replace(value=value, figure=fig, rule=rule)


_YEAR_WORD = patterns.compile(r"(?<![\d自至止])((?:19|20)\d\d)\s*年(?!\s*(?:起|以来|来|底|末))")
_TITLED = patterns.compile(r"《[^》]{0,80}》|〔[^〕]{0,10}〕|[（(][^）)]{0,30}[）)]")


_SINCE = patterns.compile(r"((?:19|20)\d\d)\s*年[^，,。；;]{0,24}?(?:以来|至今)")
_FROM_TO = patterns.compile(r"((?:19|20)\d\d)\s*年[^。；;]{0,40}?至[^。；;]{0,30}?((?:19|20)\d\d)\s*年")


def _says_this_year(clause: str) -> bool:
    """Whether the clause names the report's own year in words (vocabulary.toml [sentence] this_year)."""
    return any(w in clause for w in _words().this_year)


def _spans_years(before: str, report_year: int | None) -> bool:
    """"2021年以来" in a 2023 report, "1991年1月…至2012年7月…期间": the sentence counts several
    years together (with no report year known, any such span)."""
    if "年" not in before:
        return False
    if any(report_year is None or int(m.group(1)) != report_year for m in _SINCE.finditer(before)):
        return True
    return any(int(m.group(2)) - int(m.group(1)) >= 2 for m in _FROM_TO.finditer(before))


def _names_other_year(before: str, report_year: int) -> bool:
    """"2022年共计评查…" in a 2023 report: the clause states another year's figure
    (titles, notes, 自…年起, …年以来, 截至…年底 aside)."""
    if "年" not in before:
        return False
    before = _TITLED.sub("", before)
    return any(int(m.group(1)) != report_year for m in _YEAR_WORD.finditer(before))


# A sentence led by a time phrase and a comma ("2022年，…", "2020年10月1日至2021年9月30日，…",
# "自2019年以来，…"): the phrase dates every figure of the sentence. A date whose 年 and 月 a web page
# lost ("2020101日" for 2020年10月1日) still opens with its year. 截至/截止 (a stock at a date) is not a lead.
_LEAD_DATE = r"(?:19|20)\d\d(?:\s*年度?(?:\d{1,2}月份?(?:\d{1,2}日)?)?|\d{1,4}日)"
_LEAD_PERIOD = patterns.compile(
    rf"^\s*(?:自|从)?{_LEAD_DATE}(?:(?:至|到|[—–~-])(?:{_LEAD_DATE}|\d{{1,2}}月份?(?:\d{{1,2}}日)?|\d{{1,2}}日)"
    r"|以来|至今)?(?:期间)?\s*[，,]")
_LEAD_YEAR = patterns.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*年|\d{1,4}日)")


def _lead_years(sentence: str) -> tuple[int, ...]:
    """The years of the time phrase that leads a sentence, if one does."""
    m = patterns.match(_LEAD_PERIOD, sentence)
    return tuple(int(y) for y in _LEAD_YEAR.findall(m.group())) if m else ()


def _led_by_other_period(lead_years: tuple[int, ...], clause: str, report_year: int) -> bool:
    """The sentence's lead dates its figures in a period other than the report year (another
    year, or a range that runs into one), unless the figure's own clause names the report year
    ("2022年办结2件，2023年1件")."""
    if not lead_years or all(y == report_year for y in lead_years):
        return False
    return not any(int(m.group(1)) == report_year for m in _YEAR_WORD.finditer(_TITLED.sub("", clause)))


def _total_of(seg: Segments, pos: int) -> tuple[int, int] | None:
    """"合计：行政检查2,318次，行政处罚145件…" after one row per squad: when the line opens with a
    total word (vocabulary.toml total_lines) and a colon, the span of the rows it totals: the
    label-colon lines right above it."""
    k = seg.line_index(pos)
    line = seg.lines[k].text.lstrip(" #*")
    if not line.startswith(total_words()) or \
            not any(line.startswith(w) and line[len(w):len(w) + 1] in ("：", ":") for w in total_words()):
        return None
    first = k
    while first > 0 and patterns.match(_ROW, seg.lines[first - 1].text):
        first -= 1
    return (seg.lines[first].start, seg.lines[k].start) if first < k else None


# a row above a 合计 line: a short label, a colon, then its figures ("第一中队：行政检查586次…")
_ROW = patterns.compile(r"^[\s#*]*(?P<label>[^\s，,。；;：:]{1,12})[：:]\s*\S")
_YEAR_LABEL = patterns.compile(r"(?:19|20)\d\d\s*年?度?")


def _sums_years(seg: Segments, pos: int) -> bool:
    """A 合计 line under rows of years ("2022年：…", "2023年：…") adds up years: no year's figure."""
    rows = _total_of(seg, pos)
    if rows is None:
        return False
    labels = [patterns.match(_ROW, ln.text).group("label") for ln in seg.lines[seg.line_index(rows[0]):seg.line_index(pos)]]
    return any(patterns.fullmatch(_YEAR_LABEL, label) for label in labels)


def _key_value_line(seg: Segments, fig: Figure, ctx: SentenceContext) -> bool:
    """"警告 97" / "罚款：861": a short label and a number with no unit make the whole line."""
    ln = seg.lines[seg.line_index(fig.start)]
    return (not seg.text[fig.end:ln.end].strip(" 。.")
            and ctx.clause_start(fig.start) <= ln.start
            and 0 < fig.start - ln.start <= 25)


class _Sentence(NamedTuple):
    vetoed: str            # the rule id when a campaign or sector sentence, or a 合计 line that adds up years
    campaign_notes: bool   # campaign words stand in its notes only
    year_pair: bool        # it may give two years' figures in pairs (see _year_pair_first)
    wider: bool            # it speaks of a wider system than the agency's own
    lead_years: tuple[int, ...]   # the years of a time phrase leading it (see _lead_years)


def _judge_sentence(seg: Segments, start: int, end: int) -> _Sentence:
    """What holds for every figure of a sentence. Campaign words standing in its notes only veto
    that note's figures ("行政检查6,218户次（其中…专项检查2,317户次）"), not the sentence."""
    sentence = seg.text[start:end]
    # each pattern is searched only when the words it needs are there
    words = _words()
    sector = words.sector.search(sentence) is not None if any(w in sentence for w in words.sector_words) else False
    outside = in_notes = False
    if is_campaign(sentence):
        outside = is_campaign(_BREAKDOWN_NOTE.sub("", sentence))
        in_notes = not outside
    pair = "分别" in sentence and patterns.search(_YEAR_PAIR, sentence) is not None
    wider = any(may_match_in(runs, sentence) for runs in words.wider_runs) and words.wider.search(sentence) is not None
    vetoed = "veto.campaign-sentence" if outside else "veto.sector" if sector else \
        "year.sums-years" if _sums_years(seg, start) else ""
    return _Sentence(vetoed, in_notes, pair, wider,
                     _lead_years(sentence) if "年" in sentence or "日" in sentence else ())


def _in_campaign_note(text: str, s_start: int, s_end: int, fig: Figure) -> bool:
    """Whether the figure stands in a bracketed note that names a campaign."""
    opened = max(text.rfind("（", s_start, fig.start), text.rfind("(", s_start, fig.start))
    if opened < 0 or any(b in text[opened:fig.start] for b in "）)"):
        return False
    closes = [i for i in (text.find("）", fig.end, s_end), text.find(")", fig.end, s_end)) if i >= 0]
    return is_campaign(text[opened:min(closes) if closes else s_end])


# "办理欺诈骗保类行政处罚案件5件": a kind (X类) before the label counts some of the field's cases
# (not 各类, 此类, 分类 …: vocabulary.toml [sentence] not_sub_kind; "行政处罚类241件", the label
# before 类, is the field's own kind). A sentence of a wider system: [sentence] wider.
_PART_OF = patterns.compile(r"^(?:其中|含|包括)")
# "…32.5万元（已含在上述罚款金额中）": a figure said to be counted in a total already stated
_INCLUDED = patterns.compile(r"整?[（(](?:已|均)?(?:包?含在|计入|计算在|包括在)(?:上述|前述|以上)")
_ENDS_WITH_FIGURE = patterns.compile(r"\d\s*[^\d\s]{0,2}$")


def _pick(meanings, fig: Figure, zone: str, topic: str | None, seg: Segments, pos: int,
          roles: tuple[str, ...], parent: str | None = None) -> tuple[str, bool] | None:
    """The one field a label means here, by role, unit, veto and topic, and whether only a
    generic (topic-bound) reading names it; None when unclear. In a breakdown of `parent` a part
    label comes first. Items under a list's name (事项, 清单) are the list's size: power-list fields only."""
    vocab = entries()
    fits: list[tuple[int, str]] = []
    heading_topics = None   # looked up only for a generic label outside any topic
    listed = fig.family == "items" and _in_a_list(seg.text, zone, pos)
    for path, role in meanings:
        if role not in roles:
            continue
        e = vocab[path]
        if not takes(path, fig):
            continue
        if vetoed(path, zone):
            if rec := recorder():
                rec.drop("veto.field", fig, "{1!r} before the figure".format(*veto_word(path, zone)), path)
            continue
        if listed and not path.startswith("power_list."):
            if rec := recorder():
                rec.drop("veto.list-sizes", fig, "a list's size (vocabulary.toml [global] list_sizes)", path)
            continue
            continue
        if role == "part":
            if parent and e.part_of == parent:
                fits.append((-1, path))
            continue
        if role == "generic":
            if topic in e.topics:
                fits.append((0, path))
            elif topic is None:
                if heading_topics is None:
                    heading_topics = seg.heading_topics(pos)[:1]
                if any(set(e.topics) & t for t in heading_topics):
                    fits.append((1, path))
            continue
        fits.append((2, path))
    if not fits:
        return None
    fits.sort()
    best = [p for score, p in fits if score == fits[0][0]]
    return (best[0], fits[0][0] in (0, 1)) if len(set(best)) == 1 else None


def _in_a_list(text: str, zone: str, pos: int) -> bool:
    """Whether a figure in items counts entries of a list: a list word (事项, 清单) in its label zone
    or earlier in its clause ("权责事项清单421项(其中行政许可22项…": the part is the list's too)."""
    words = list_size_words()
    if any(w in zone for w in words):
        return True
    start = max(text.rfind(stop, 0, pos) for stop in CLAUSE_STOPS) + 1
    return any(w in text[start:pos] for w in words)


def _label_gap(text: str, label_end: int, fig: Figure) -> str:
    """The text between a label and its figure, less a bracket that holds only the figure
    ("作出行政处罚决定（126件）")."""
    gap = text[label_end:fig.start]
    if gap[-1:] in ("（", "(") and text[fig.end:fig.end + 1] in ("）", ")"):
        return gap[:-1]
    return gap


def _parent(text: str, whole: tuple[int, str, int] | None, s_start: int, pos: int) -> str | None:
    """The field of the figure this one is a part of: one stated before in the sentence and
    followed by "其中" or an open bracket ("法制审核案件63件（行政处罚55件、行政强制8件）")."""
    if whole is None or whole[0] != s_start:
        return None
    between = text[whole[2]:pos]
    opened = between.count("（") + between.count("(") > between.count("）") + between.count(")")
    return whole[1] if opened or _says_part(between) else None


def _says_part(span: str) -> bool:
    """Whether 其中 opens a breakdown still running at the end of `span`: one inside a closed
    bracket ("罚款229件（其中并处没收36件）、没收27件") ended with it."""
    return "其中" in span and "其中" in _CLOSED_NOTE.sub("", span)


def _from_before(fig, zone_start, text, hit_ends, ends, topic, seg, parent=None) -> Candidate | None:
    lo = bisect.bisect_left(ends, zone_start)
    hi = bisect.bisect_right(ends, fig.start)
    options = [h for h in hit_ends[lo:hi] if h.start >= zone_start and _gap_ok(_label_gap(text, h.end, fig))]
    if not options:
        return None
    if len(options) > 1:
        options = _ranked(options, text, fig)
    zone = text[zone_start:fig.start]
    for h in options:
        if _named_kind(text, h.start, h.end):
            if rec := recorder():
                rec.drop("veto.named-kind", fig, repr(text[zone_start:h.end]))
            continue
        here = last_major_topic(text, zone_start, h.start) or topic   # "…，对行政强制措施法制审核15件"
        picked = _pick(h.meanings, fig, zone, here, seg, fig.start, ("label", "generic", "part"), parent)
        if picked is not None and not _reviewed_kind(text, h.end, picked[0], topic, seg, fig.start):
            return _candidate(picked, fig, seg, "sentence", "sentence:label-before")
    return None


# "开展“综合查一次”行政检查3100次": a quoted name right before the label names a programme or kind
# of the field's acts, so the figure counts that part only, not the field's total. A name after a
# place word (在“…网”) is where the acts were done (vocabulary.toml [global] quoted_place_words).
_QUOTED_NAME = patterns.compile(r"(?P<before>\p{Han}{0,2})[“「『\"][^“”「」『』\"，,。；;]{1,20}[”」』\"]$")


def _named_kind(text: str, label_start: int, label_end: int) -> bool:
    """Whether a quoted name of the same clause ends right before the label (the name may hold
    what reads as a figure: "查一次"), not after a place word, and the label joins no other kind
    to it ("开展“双随机、一公开”抽查和日常检查共18次" counts both: the whole)."""
    if label_start == 0 or text[label_start - 1] not in "”」』\"" or \
            any(c in text[label_start:label_end] for c in "和及与、"):
        return False
    m = patterns.search(_QUOTED_NAME, text, max(0, label_start - 24), label_start)
    return m is not None and not m.group("before").endswith(quoted_place_words())


_REVIEW_TOPICS = frozenset({"reconsideration", "litigation"})


def _reviewed_kind(text: str, label_end: int, path: str, topic: str | None, seg: Segments, pos: int) -> bool:
    """"其中行政处罚类案件24件" among a 行政复议 section's figures: the kind of act the reviewed
    cases challenged, not a count of that act ("行政处罚类241件" elsewhere is one)."""
    if text[label_end:label_end + 1] != "类" or topic_of(path) in _REVIEW_TOPICS:
        return False
    return topic in _REVIEW_TOPICS or any(t & _REVIEW_TOPICS for t in seg.heading_topics(pos))


def _ranked(options: list[LabelHit], text: str, fig: Figure) -> list[LabelHit]:
    """The labels before a figure, best first. A label in brackets right after another label only
    qualifies it: "行政强制措施（查封、扣押）23件" (but "当场处罚（简易程序）3,506起" has nothing else
    to name the figure). A label with another whole label between it and the figure names
    something else ("行政处罚中罚款12起" is a count of fines): nearest first, then the longest."""
    options = [h for h in options if not (text[h.start - 1:h.start] in ("（", "(") and
                                          text[h.end:h.end + 1] in ("）", ")") and
                                          any(o.end == h.start - 1 for o in options))]
    pool = tuple(options)   # (a list being sorted reads as empty inside its own key function)
    options.sort(key=lambda h: (any(o.start >= h.end for o in pool), -(h.end - h.start), fig.start - h.end))
    return options


def _list_verb(text: str, fig: Figure, zone_start: int, hit_ends, ends) -> str | None:
    """The verb the label before a figure opens with, when later items of its list share it
    ("公示行政许可决定1,024件，行政处罚决定55件"); the verbs are vocabulary.toml's list_verbs."""
    lo, hi = bisect.bisect_left(ends, zone_start), bisect.bisect_right(ends, fig.start)
    verbs = list_verbs()
    return next((v for h in hit_ends[lo:hi] if h.start >= zone_start and text.startswith(verbs, h.start)
                 for v in verbs if text.startswith(v, h.start)), None)


def _from_listed(fig, zone_start, text, verb: str, topic, seg) -> Candidate | None:
    """A list item with no verb of its own, read with the verb of the list's first item: the
    item opens with what the verb makes a label ("…，行政处罚决定55件" after "公示行政许可决定
    1,024件" is 公示行政处罚决定; "…、扣押决定15件" after "审核…案件48件" is 审核扣押决定)."""
    while zone_start < fig.start and text[zone_start] in "、 ":
        zone_start += 1
    zone = text[zone_start:fig.start]
    for end in range(fig.start, zone_start + 1, -1):
        if not _gap_ok(_label_gap(text, end, fig)):
            break
        picked = _pick(meanings(verb + text[zone_start:end]), fig, zone, topic, seg, fig.start, ("label",))
        if picked is not None:
            return _candidate(picked, fig, seg, "sentence", "sentence:list-verb")
    return None


def _opens_clause(zone: str) -> bool:
    """Whether only filler and time words ("全年", "共", "在": vocabulary.toml [sentence]
    clause_openers) stand before the figure in its clause."""
    return not _words().clause_openers.sub("", filler_pattern().sub("", zone)).strip(" ：:")


def _from_after(fig, text, hits, hit_starts, clause_end, topic, seg, opens: bool = False) -> Candidate | None:
    """A label right after the figure. One that opens "among" ("全年145件行政处罚中，适用简易程序97件…")
    names the total when the figure opens its clause, whatever its role."""
    if text[fig.end:fig.end + 1] == "中":
        return None   # "审结的复议案件977件中直接纠错236件": among 977, the label names what follows
    lo = bisect.bisect_left(hit_starts, fig.end)
    hi = bisect.bisect_right(hit_starts, fig.end + MAX_GAP, lo)
    near = hits[lo:hi]
    for h in sorted(near, key=lambda h: (h.start, h.start - h.end)):   # longest first at each start
        if h.end > clause_end:
            continue
        if not _gap_ok(text[fig.end:h.start]):
            continue
        zone = text[fig.end:h.end]
        among = opens and text[h.end:h.end + 1] == "中"
        picked = _pick(h.meanings, fig, zone, topic, seg, fig.start, ("after", "generic", "label") if among
                       else ("after", "generic"))
        if picked is not None:
            return _candidate(picked, fig, seg, "sentence-after", "sentence:label-after")
    return None


_OBJECT_FIRST = patterns.compile(r"(?:^|对|将|把|另有|对[^，,。；;\d]{1,20}的)$")   # "对首次违法…的5件依法不予处罚"
_PREDICATE_TAIL = 2   # "…不予行政处罚了" / "…复议维持的"


def _predicate_end(text: str, ctx: SentenceContext, pos: int) -> int:
    """Where the verb phrase that closes an object-first clause ends: the clause end, before a
    closing note in brackets ("…不予行政处罚（未计入…）"), or the next clause's end when this one
    ends with its object ("对4件…的案件，依法作出不予行政处罚决定")."""
    end = ctx.clause_end(pos)
    if text[end - 2:end] in ("案件", "行为") and text[end:end + 1] in ("，", ","):
        end = ctx.clause_end(end + 1)
    if text[end - 1:end] in ("）", ")"):
        opening = max(text.rfind("（", pos, end), text.rfind("(", pos, end))
        end = opening if opening > pos else end
    return end


def _from_predicate(fig, text, hit_ends, ends, clause_end, topic, seg) -> Candidate | None:
    """"对217件轻微违法行为不予行政处罚", "1件行政复议案件经市人民政府复议维持": the figure opens
    the clause (or follows 对/将/把) and the label is the verb phrase that closes it."""
    lo = bisect.bisect_left(ends, clause_end - _PREDICATE_TAIL)
    hi = bisect.bisect_right(ends, clause_end)
    options = [h for h in hit_ends[lo:hi] if h.start >= fig.end]
    for h in sorted(options, key=lambda h: h.start - h.end):   # the longest closing label
        zone = text[fig.end:h.end]
        if vetoed("", zone):
            return None
        picked = _pick(h.meanings, fig, zone, topic, seg, fig.start, ("label", "generic", "after"))
        if picked is not None:
            part = _object_part(fig, hit_ends[bisect.bisect_left(ends, fig.end):hi], picked[0], zone)
            picked = (part, False) if part else picked
            return _candidate(picked, fig, seg, "sentence-after", "sentence:object-then-predicate")
    return None


def _object_part(fig: Figure, hits, whole: str, zone: str) -> str | None:
    """The part field the figure's object names when the verb names a total ("对35件行政处罚案件和
    4件查封扣押决定进行法制审核": each figure is a part of 法制审核, not the whole)."""
    for h in hits:
        if h.start != fig.end:
            continue
        for path, role in h.meanings:
            if role == "part" and entries()[path].part_of == whole and accepts(path, fig) \
                    and not vetoed(path, zone):
                return path
    return None


def _candidate(picked: tuple[str, bool], fig: Figure, seg: Segments, reader: str, rule: str) -> Candidate:
    path, generic = picked
    value = value_for(by_path()[path].kind, fig)
    return Candidate(path, value, fig, reader, rule, seg.in_overview(fig.start), False, False, False, generic)
