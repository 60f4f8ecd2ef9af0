"""Document kind, title, period, report year, agency, place and signature date.

Everything here is found from data (data/document.toml, the gazetteer) applied to the
normalized view; spans are view offsets that the engine maps back to the original text.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from ..knowledge.places import (
    autonomous_short_names,
    by_short_name,
    find_places,
    is_place,
    named,
    resolve_place,
)
from ..knowledge.tables import load_toml
from . import patterns
from .quantities import parse_chinese_numeral
from .segmenting import Segments, heading_level

Span = tuple[int, int]


class Found(NamedTuple):
    value: object
    span: Span
    rule: str


class DocumentInfo:
    """What `analyse` learns about the document; filled in step by step, hence mutable."""

    __slots__ = ("kind", "style", "title", "title_span", "kind_span", "kind_rule", "period",
                 "period_text", "fields")

    def __init__(self) -> None:
        self.kind = "unknown"
        self.style = "narrative"
        self.title: str | None = None
        self.title_span: Span | None = None
        self.kind_span: Span | None = None
        self.kind_rule = "document:kind-default"
        self.period = "annual"
        self.period_text: str | None = None
        self.fields: dict[str, Found] = {}   # catalogue path -> Found


@functools.cache
def table() -> dict:
    return load_toml("document.toml")


# Years and small numbers are also written in Chinese numerals: 二〇二〇年, 一月二十日.
_YEAR = r"(?:(?:19|20)\d\d|[一二][〇零○九][〇零○一二三四五六七八九]{2})"
_CN_SMALL = r"[一二三四五六七八九十]{1,3}"
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_YEAR_OPENERS = ("1", "2", "一", "二")   # the first characters _YEAR allows


def year_value(text: str) -> int:
    """"2024" or "二〇二四" -> 2024."""
    return int(text) if text.isdigit() else int("".join(_CN_DIGITS[c] for c in text))


def _small(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return parse_chinese_numeral(text)


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@functools.cache
def _compiled() -> dict:
    t = table()
    k, a, y = t["kind"], t["agency"], t["year"]
    suffix = _alt(map(patterns.regex.escape, a["suffixes"]))
    verbs = _alt(t["opening"]["verbs"])
    cjk = r"[\u4e00-\u9fff]"
    return {
        "notice_title": patterns.compile(rf"(?:{_alt(k['notice_title'])})\s*$"),
        "non_report": patterns.compile(_alt(k["non_report"])),
        "non_report_headline": patterns.compile(_alt(k["non_report_headline"])),
        "report_title": patterns.compile(_alt(k["report_title"])),
        "report_title_topic": patterns.compile(_alt(k["report_title_topic"])),
        "report_phrase": patterns.compile(_alt(k["report_phrase"])),
        "heading_words": patterns.compile(_alt(k["report_heading_words"])),
        "quarter": patterns.compile(_alt(t["period"]["quarter"])),
        "full_year": patterns.compile(_alt(t["period"]["full_year"])),
        "range": patterns.compile(_alt(t["period"]["range"])),
        "debris": patterns.compile(_alt(map(patterns.regex.escape, a["debris"]))),
        "title_debris": patterns.compile(rf"(?:{'|'.join(a['title_debris'])})\s*"),
        "org_year": patterns.compile(rf"(?P<org>{cjk}{{2,30}}?(?:{suffix}))\s*(?:关于)?\s*(?:{_YEAR}\s*年|关于)"),
        "year_org": patterns.compile(rf"\G(?:19|20)\d\d\s*年度?\s*(?P<org>{cjk}{{2,20}}?)\s*(?:{'|'.join(a['title_subjects'])})"),
                "suffix_end": patterns.compile(rf"(?:{suffix})$"),
        "name_label": patterns.compile(rf"(?:{_alt(a['name_labels'])})\s*[:：]\s*(?P<org>{cjk}{{2,30}}(?:{suffix}))\s*$", patterns.regex.M),
        "date": patterns.compile(rf"(?P<y>{_YEAR})\s*(?:年|-|/|\.)\s*(?P<m>\d{{1,2}}|{_CN_SMALL})\s*(?:月|-|/|\.)\s*(?P<d>\d{{1,2}}|{_CN_SMALL})\s*日?"),
        "meta_date": patterns.compile(rf"(?:{_alt(t['date']['metadata_keys'])})\s*[:：]\s*"),
        "year": patterns.compile(rf"(?<![\d〇零○一二三四五六七八九])(?P<y>{_YEAR})\s*年(?!\s*(?:\d{{1,2}}|{_CN_SMALL})\s*月)"),
        "title_phrase": patterns.compile(rf"{_YEAR}\s*年度?[^，,。；\n]{{0,10}}(?:{'|'.join(y['title_phrase_topics'])})"
                                         rf"[^，,。；\n]{{0,10}}(?:{'|'.join(y['title_phrase_words'])})"),
        "whole_system": patterns.compile(_alt(t["system"]["title_words"])),
        "sentence_year": patterns.compile(rf"(?:^|(?<=[。；;\n]))\s*(?P<y>{_YEAR})\s*年度?\s*[,，]"),
        "lead": patterns.compile(_leads(t["opening"]["lead_clauses"])),
        "subject_org": patterns.compile(rf"(?P<org>{cjk}{{2,30}}?(?:{suffix}))(?:{verbs})"),
        "subject_town": patterns.compile(rf"(?P<org>{cjk}{{2,12}}?(?:{'|'.join(a['town_suffixes'])}))(?:{verbs})"),
        "since_before": patterns.compile(rf"(?:{_alt(y['since_before'])})\s*$"),
        "since_after": patterns.compile(rf"\s*(?:年度?)?(?:{_alt(y['since_after'])})"),
        "event_after": patterns.compile(rf"[\d月日号]*\s{{3,}}(?:[(（][^)）\n]{{0,30}}[)）])?\s*(?:{_alt(y['event_after'])})"),
        "bracketed": patterns.compile(r"《[^》\n]{0,80}》|〔[^〕\n]{0,10}〕|\[[^\]\n]{0,10}\]"),
    }


def _leads(clauses: list[str]) -> str:
    """document.toml's lead clauses, tried in their order, each with its comma ({year}: a year)."""
    alts = "|".join(c.replace("{year}", rf"(?P<y>{_YEAR})") for c in clauses)
    return rf"(?:{alts})\s*[,，]?\s*"


def reports_whole_system(title: str | None) -> bool:
    """Whether the title reports on a whole area's system (document.toml [system])."""
    if not title:
        return False
    return patterns.search(_compiled()["whole_system"], title) is not None


def _mask_brackets(text: str) -> str:
    """Blank out 《titles》 and 〔numbers〕 (same length) so their years and names are not read."""
    return _compiled()["bracketed"].sub(lambda m: " " * len(m.group()), text)


class Opening(NamedTuple):
    """What the body's first sentence says of the reporter: "2020年,越城区公安分局深入贯彻…"."""
    span: Span                              # lead clauses and subject
    year: Found | None                      # the lead clause's year
    truncated: bool                         # the excerpt starts inside the year ("年,万州区…")
    org: Found | None                       # an organ as the subject
    places: list[tuple[int, int, str]]      # else an area as the subject ("2023年,通州区…")
    self_ref: bool                          # else the reporter speaking of itself ("2018年,我局在…")


def analyse(seg: Segments) -> DocumentInfo:
    text = seg.text
    masked = _mask_brackets(text)
    info = DocumentInfo()
    top = _top_lines(seg)
    _find_title(seg, top, info)
    opening = _opening(seg, masked, top, info)
    info.kind = _kind(seg, masked, top, info, opening)
    _find_period(seg, masked, info)
    _find_year(seg, masked, top, info, opening)
    _find_agency(seg, masked, top, info, opening)
    _find_date(seg, top, info)
    info.style = _style(seg)
    return info


def _top_lines(seg: Segments) -> list[int]:
    """Indexes of the first meaningful lines (web debris skipped)."""
    c = _compiled()
    out = []
    for i, ln in enumerate(seg.lines):
        s = ln.text.strip(" |•·*#")
        if not s or (len(s) < 60 and patterns.search(c["debris"], s)):
            continue
        out.append(i)
        if len(out) >= 12:
            break
    return out


def _opening(seg: Segments, masked: str, top: list[int], info: DocumentInfo) -> Opening | None:
    """Lead clauses (a year, "近年来", "在…领导下") then the subject of the body's first sentence."""
    line = _first_body_line(seg, top, info)
    if line is None:
        return None
    c = _compiled()
    end = masked.find("。", line.start, line.end)
    sent = masked[line.start: end if end >= 0 else line.end]
    pos, year, truncated = 0, None, False
    for _ in range(3):
        m = patterns.match(c["lead"], sent, pos)
        if not m or m.end() == pos:
            break
        if m.group("y"):
            y = m.start("y")
            year = year or Found(year_value(m.group("y")), (line.start + y, line.start + m.end("y")), "document:opening-year")
        truncated = truncated or (pos == 0 and sent.startswith("年"))
        pos = m.end()
    if pos == 0:
        return None
    org = _subject_org(sent, pos, line.start)
    places = [] if org else _subject_places(sent, pos, line.start)
    self_ref = org is None and not places and sent.startswith(tuple(table()["agency"]["self_refs"]), pos)
    if org is None and not places and not self_ref and year is None:
        return None   # "2024年,县委、县政府坚持…" still dates the report
    last = org.span[1] if org else places[-1][1] if places else line.start + pos
    return Opening((line.start, last), year, truncated, org, places, self_ref)


def _first_body_line(seg: Segments, top: list[int], info: DocumentInfo):
    """The first line after the title that is not an addressee ("区政府:"), None if a heading."""
    after = info.title_span[1] if info.title_span else 0
    limit = table()["opening"]["addressee_max"]
    for i in top:
        ln = seg.lines[i]
        s = ln.text.strip()
        if ln.start < after or not any("\u4e00" <= ch <= "\u9fff" for ch in s):
            continue
        if len(s) <= limit and (s.endswith(("：", ":")) or not any(p in s for p in "，,。；;")) and "。" not in s:
            continue   # an addressee ("区政府:") or a heading line without a number
        return None if heading_level(s) is not None else ln
    return None


def _subject_org(sent: str, pos: int, base: int) -> Found | None:
    """An organ's name right before its first verb: "越城区公安分局深入…", "大口屯镇紧紧围绕…"."""
    c = _compiled()
    for key in ("subject_org", "subject_town"):
        m = patterns.match(c[key], sent, pos)
        if m and _is_subject(m.group("org")):
            return Found(m.group("org"), (base + m.start("org"), base + m.end("org")), "document:opening-subject")
    return None


def _is_subject(org: str) -> bool:
    t = table()["opening"]
    return not (org.startswith(tuple(t["not_subject_start"])) or _is_self(org)
                or any(w in org for w in t["not_subject_inside"]))


def _subject_places(sent: str, pos: int, base: int) -> list[tuple[int, int, str]]:
    """Gazetteer places that open the subject ("通州区…", "北京市通州区…"): an area's report."""
    out = []
    for s, e, name in find_places(sent[pos: pos + 30]):
        if s != (out[-1][1] - base - pos if out else 0):
            break
        out.append((base + pos + s, base + pos + e, name))
    return out


def _find_title(seg: Segments, top: list[int], info: DocumentInfo) -> None:
    c = _compiled()
    for n, i in enumerate(top[:8]):
        ln = seg.lines[i]
        s = _without_debris(ln.text.strip(" |*#"))
        if not s or len(s) > 70 or "。" in s or s.endswith(("：", ":")) or heading_level(s) is not None:
            continue
        is_title = patterns.search(c["notice_title"], s) or (
            patterns.search(c["report_title"], s) and patterns.search(c["report_title_topic"], s))
        if not is_title:
            continue
        start = ln.start + ln.text.index(s)
        # A title wrapped over two short lines: join the previous one.
        if n > 0:
            prev = seg.lines[top[n - 1]]
            p = _without_debris(prev.text.strip(" |*#"))
            if 0 < len(p) <= 30 and not patterns.search(c["debris"], p) and not any(x in p for x in "。：:") \
                    and top[n - 1] >= i - 3 and heading_level(p) is None:
                info.title = p + s
                info.title_span = (prev.start + prev.text.rindex(p), start + len(s))
                return
        info.title, info.title_span = s, (start, start + len(s))
        return


def _without_debris(s: str) -> str:
    """The title without the web-page labels glued before it (document.toml title_debris)."""
    while s and (m := patterns.match(_compiled()["title_debris"], s)) and m.end() > 0:
        s = s[m.end():]
    return s


def _kind(seg: Segments, masked: str, top: list[int], info: DocumentInfo, opening: Opening | None) -> str:
    """report / notice / unknown, remembering the span that decided it (its evidence)."""
    c = _compiled()
    head = masked[: min(len(masked), 600)]
    title = info.title or ""
    if title and patterns.search(c["notice_title"], title):
        # "关于2023年度行政执法数据备案情况的通报": a circular on what others filed, a notice however
        # report-like the words before its last one ("…工作报告的通知" asks for reports)
        return _decided(info, info.title_span, "document:kind-notice-title", "notice")
    m = patterns.search(c["non_report"], head) or _news_headline(seg, top)
    if m:
        return _decided(info, m.span(), "document:kind-news-or-yearbook", "notice")
    if title and patterns.search(c["report_title"], title):
        return _decided(info, info.title_span, "document:kind-report-title", "report")
    m = patterns.search(c["report_phrase"], masked[:3000])
    if m:
        return _decided(info, m.span(), "document:kind-report-phrase", "report")
    if opening is not None and (opening.year or opening.truncated) and \
            (opening.org or opening.places or opening.self_ref) and \
            any(heading_level(ln.text) is not None for ln in seg.lines[:60]):
        # "2020年,越城区公安分局深入贯彻…" then numbered sections: one agency's (or area's) year, a
        # report without a title (a yearbook entry opens the same way but has no numbered sections)
        return _decided(info, opening.span, "document:kind-opening", "report")
    headed = [ln for ln in seg.lines[:400] if heading_level(ln.text) is not None
              and len(ln.text) < 60 and patterns.search(c["heading_words"], ln.text)]
    if len(headed) >= 2:
        return _decided(info, (headed[0].start, headed[0].end), "document:kind-report-headings", "report")
    return "unknown"


def _news_headline(seg: Segments, top: list[int]):
    """A news word (新闻发布会) in a short line without sentence marks among the first few: a headline,
    not a report's sentence."""
    for i in top[:3]:
        ln = seg.lines[i]
        if len(ln.text) <= 60 and not any(p in ln.text for p in "。，,；;"):
            m = patterns.search(_compiled()["non_report_headline"], seg.text, ln.start, ln.end)
            if m:
                return m
    return None


def _decided(info: DocumentInfo, span, rule: str, kind: str) -> str:
    if span and span[1] > span[0]:
        info.kind_span, info.kind_rule = span, rule
    return kind


def _find_period(seg: Segments, masked: str, info: DocumentInfo) -> None:
    """A quarter, half-year or multi-year range named up front means the figures are not annual."""
    c = _compiled()
    start = info.title_span[0] if info.title_span else 0
    head = masked[start: start + 400]
    title_end = info.title_span[1] - start if info.title_span else 0
    for key, name in (("range", "multi-year"), ("quarter", "part-year")):
        for m in patterns.finditer(c[key], head):
            if (m.start() < title_end or _opens_clause(head, m.start())) and not patterns.fullmatch(c["full_year"], m.group()):
                info.period, info.period_text = name, m.group()
                return


def _opens_clause(text: str, i: int) -> bool:
    """"2023年一季度,…", "。上半年,…": a period that opens a clause is the text's own; one inside a
    phrase ("荣获2016—2020年…先进单位", "第二、三季度综合评价指数") qualifies something else."""
    before = text[:i].rstrip(" \t")
    return not before or before[-1] in "。；;，,：:\n" or before.endswith(("年", "年度"))


def _find_year(seg: Segments, masked: str, top: list[int], info: DocumentInfo, opening: Opening | None) -> None:
    if info.period != "annual":
        return
    c = _compiled()
    zones = []
    if info.title_span:
        zones.append((info.title_span, "document:title-year"))
    m = patterns.search(c["report_phrase"], masked[:4000])
    if m:
        zones.append(((max(0, m.start() - 60), m.end()), "document:report-phrase-year"))
    if opening is not None and opening.year is not None:
        zones.append((opening.span, "document:opening-year"))
    else:
        body = next((seg.lines[i] for i in top if seg.lines[i].start >= (info.title_span or (0, 0))[1]), None)
        if body is not None and "|" not in body.text and "\t" not in body.text:
            zones.append(((body.start, min(body.end, body.start + 12)), "document:opening-year"))
    m = patterns.search(c["title_phrase"], masked, 0, min(len(masked), 400))
    if m:
        zones.append(((m.start(), m.end()), "document:title-phrase-year"))
    for (a, b), rule in zones:
        for m in patterns.finditer(c["year"], masked, a, b):
            if not _qualified(masked, m):
                info.fields["report_year"] = Found(year_value(m.group("y")), (m.start("y"), m.end("y")), rule)
                return
    if opening is not None and opening.truncated and opening.year is None:
        _year_after_cut(seg, masked, info)


def _qualified(masked: str, m) -> bool:
    """A year that dates a law, starts a period or ends a range ("自1999年《…》颁布实施以来",
    "从2021年起", "荣获2016—2020年…先进单位")."""
    c = _compiled()
    a, b = m.start(), m.end()
    return bool(patterns.search(c["since_before"], masked[max(0, a - 3):a])
                or patterns.match(c["since_after"], masked[b: b + 4])
                or patterns.match(c["event_after"], masked[b: b + 120])
                or any(r.start() < b and a < r.end() for r in patterns.finditer(c["range"], masked, max(0, a - 9), b + 9)))


def _year_after_cut(seg: Segments, masked: str, info: DocumentInfo) -> None:
    """An excerpt cut inside its opening year ("年,万州区公安局在…"): the year that opens the
    body's sentences ("。2024年,全区…"), when they all name the same one."""
    c = _compiled()
    found = [m for m in patterns.finditer(c["sentence_year"], masked) if not _qualified(masked, m)]
    if found and len({m.group("y") for m in found}) == 1:
        m = found[0]
        info.fields["report_year"] = Found(year_value(m.group("y")), (m.start("y"), m.end("y")), "document:sentence-year")


def _find_agency(seg: Segments, masked: str, top: list[int], info: DocumentInfo, opening: Opening | None) -> None:
    found = _title_agency(seg, masked, top, info)
    hints: list[tuple[int, int, str]] = _title_places(seg, info)
    if found is None and opening is not None:
        found, hints = opening.org, hints or opening.places
    if found is not None:
        found = _organ_of_party_body(found)
    if found is not None and found.value[0] in "市区县省":
        found = _expand(found.value, seg.text) or found
    if found is not None:
        info.fields["agency.name"] = found
    _find_places(seg, masked, info, found, hints)


def _organ_of_party_body(found: Found) -> Found:
    """"中共…淄川大队总支部委员会" -> "…淄川大队": the organ inside its Party committee's name."""
    a = table()["agency"]
    name = found.value
    if not name.startswith(a["party_prefix"]):
        return found
    for suffix in a["party_suffixes"]:
        inner = name[len(a["party_prefix"]): -len(suffix)]
        if name.endswith(suffix) and len(inner) >= 4 and patterns.search(_compiled()["suffix_end"], inner):
            start = found.span[0] + len(a["party_prefix"])
            return Found(inner, (start, start + len(inner)), found.rule)
    return found


def _title_agency(seg: Segments, masked: str, top: list[int], info: DocumentInfo) -> Found | None:
    """The organ that opens the title ("宝坻区交通局" / "2024年度…报告" on two lines too), else one
    before a year in a top line, else one after the title's year."""
    c = _compiled()
    if info.title_span:
        a, b = info.title_span
        m = patterns.search(c["org_year"], masked, a, b)
        if m and _is_title_org(m.group("org")):
            return _org(m, "document:title-agency")
        m = patterns.match(c["subject_org"], masked[a:b])   # "黄冈市公安局开展…情况汇报"
        if m and _is_title_org(m.group("org")):
            return Found(m.group("org"), (a + m.start("org"), a + m.end("org")), "document:title-agency")
    for i in top:
        ln = seg.lines[i]
        if ln.end - ln.start > 70:
            continue
        m = patterns.search(c["org_year"], masked, ln.start, ln.end)
        if m and _is_title_org(m.group("org")):
            return _org(m, "document:title-agency")
    name_line = _name_line(seg, top, info)
    if name_line is not None:
        return name_line
    m = patterns.search(c["name_label"], masked, 0, min(len(masked), 2000))   # "本级行政机关:某某局"
    if m and _is_title_org(m.group("org")):
        return _org(m, "document:label-agency")
    if info.title_span:
        m = patterns.search(c["year_org"], masked, *info.title_span)
        if m:
            return _org(m, "document:title-agency")
    return None


_ORGAN_ONLY = patterns.compile(r"[\u4e00-\u9fff]{2,30}")


def _name_line(seg: Segments, top: list[int], info: DocumentInfo) -> Found | None:
    """A line that is only an organ's name, first on the page or right under the title
    ("2023年度行政执法工作报告" / "湘潭市交通运输局"): the page's author."""
    near = top[:1]
    if info.title_span:
        near = [i for i in top if seg.lines[i].start > info.title_span[1]][:1]
    for i in near:
        ln = seg.lines[i]
        s = ln.text.strip()
        if _ORGAN_ONLY.fullmatch(s) and _is_org_line(s) and _is_title_org(s) and _is_subject(s):
            start = ln.start + ln.text.index(s)
            return Found(s, (start, start + len(s)), "document:name-line-agency")
    return None


def _is_title_org(org: str) -> bool:
    return not org.startswith(("各", "关于")) and not _is_self(org)


def _title_places(seg: Segments, info: DocumentInfo) -> list[tuple[int, int, str]]:
    """A title that opens with an area and its year ("宝坻区2024年度行政执法工作情况报告")."""
    if not info.title_span:
        return []
    a, b = info.title_span
    out: list[tuple[int, int, str]] = []
    for s, e, name in find_places(seg.text[a:b]):
        if s != (out[-1][1] - a if out else 0):
            break
        out.append((a + s, a + e, name))
    after = seg.text[out[-1][1]: out[-1][1] + 2] if out else ""
    return out if after[:1].isdigit() or after[:1] in _YEAR_OPENERS or after == "关于" else []


_TAGS = patterns.compile(r"<[^<>\n]{0,200}>")


def _is_self(org: str) -> bool:
    """"我局", "现将我局", "本局": a self reference, not a name (document.toml self_words, self_refs)."""
    a = table()["agency"]
    return any(w in org for w in (*a["self_words"], *a["self_refs"]))


def _org(m, rule: str) -> Found:
    return Found(m.group("org").strip(), (m.start("org"), m.end("org")), rule)


def _expand(short: str, text: str) -> Found | None:
    """"市公安局" -> the "宜春市公安局" the text names elsewhere (most frequent expansion)."""
    rest = short[1:]
    pat = patterns.compile(rf"[\u4e00-\u9fff]{{2,8}}{patterns.regex.escape(short[0])}{patterns.regex.escape(rest)}")
    counts: dict[str, list] = {}
    for m in patterns.finditer(pat, text):
        head = m.group()[: -len(short)]
        for start in range(len(head) - 1):
            name = head[start:] + short[0]
            if is_place(name):
                counts.setdefault(name + rest, []).append((m.start() + start, m.end()))
                break
    if not counts:
        return None
    best = max(counts, key=lambda k: len(counts[k]))
    return Found(best, counts[best][0], "document:agency-expanded")


def _find_places(seg: Segments, masked: str, info: DocumentInfo, agency: Found | None,
                 hints: list[tuple[int, int, str]]) -> None:
    names: list[tuple[int, int, str]] = []
    if agency is not None:
        a, b = agency.span
        names = [(a + s, a + e, n) for s, e, n in find_places(seg.text[a:b])]
        if not any(named(n)[0].level == "district" for _, _, n in names):
            names += _short_district(seg.text, agency) or _short_autonomous(seg.text, agency)
    if not names:
        names = hints or _place_pair(masked)
    if not names:
        return
    resolved = resolve_place([n for _, _, n in names])
    if "district" in resolved and "province" not in resolved:
        # 和平区 is in 天津 and in 沈阳: the text writing "天津市和平区" somewhere decides
        pair = _place_pair(masked)
        if pair and pair[-1][2] == resolved["district"]:
            names += pair
            resolved = resolve_place([n for _, _, n in names])
    spans = {n: (s, e) for s, e, n in names}
    for key in ("province", "city", "district"):
        value = resolved.get(key)
        if not value:
            continue
        span = spans.get(value) or next(iter(spans.values()))
        rule = "document:place" if value in spans else "document:gazetteer"
        info.fields[f"agency.{key}"] = Found(value, span, rule)


def _short_district(text: str, agency: Found) -> list[tuple[int, int, str]]:
    """公安东丽分局: "东丽" names 东丽区 when the text also writes 东丽区 in full. Only the words
    right before 分局 are tried (市公安局 must not become 公安县)."""
    a, b = agency.span
    name = text[a:b]
    if not name.endswith("分局"):
        return []
    for size in (3, 2):
        short = name[-2 - size:-2]
        if len(short) == size:
            for p in by_short_name(short):
                if p.level == "district" and p.name in text:
                    j = text.index(p.name)
                    return [(j, j + len(p.name), p.name)]
    return []


def _short_autonomous(text: str, agency: Found) -> list[tuple[int, int, str]]:
    """大通县司法局: "大通县" names 大通回族土族自治县 when the text also writes that in full."""
    name = text[agency.span[0]:agency.span[1]]
    for short, full in autonomous_short_names().items():
        if short in name and full in text:
            j = text.index(full)
            return [(j, j + len(full), full)]
    return []


def _place_pair(masked: str) -> list[tuple[int, int, str]]:
    """"天津市滨海新区" written together pins down both levels."""
    found = find_places(masked)
    for (s1, e1, a), (s2, e2, b) in zip(found, found[1:]):
        if e1 == s2 and resolve_place([a, b]).get("district") == b:
            return [(s1, e1, a), (s2, e2, b)]
    return []


def _find_date(seg: Segments, top: list[int], info: DocumentInfo) -> None:
    """The signature date under the closing name, else the page's publication metadata."""
    c = _compiled()
    lines = [ln for ln in seg.lines if ln.text.strip()]
    for k, ln in enumerate(lines):
        if "年" not in ln.text:   # a signature date has one: most lines need no search
            continue
        s = (_TAGS.sub("", ln.text) if "<" in ln.text else ln.text).strip()
        m = patterns.fullmatch(c["date"], s) if s[:1] in _YEAR_OPENERS else None
        if m and "年" in s and k > 0 and _is_org_line(lines[k - 1].text.strip()):
            at = ln.text.find(m.group())
            found = _date_found(m, ln.start + at, "document:signature-date") if at >= 0 else None
            if found:
                info.fields["published_on"] = found
                _signing_agency(seg, lines[k - 1], info)
                return
    for i in dict.fromkeys(top[:12] + list(range(min(12, len(seg.lines))))):
        ln = seg.lines[i]
        if ":" not in ln.text and "：" not in ln.text:   # no "key:" for a date
            continue
        for mk in patterns.finditer(c["meta_date"], ln.text):
            m = c["date"].match(ln.text, mk.end())
            found = _date_found(m, ln.start, "document:page-date") if m else None
            if found:
                info.fields["published_on"] = found
                return


def _signing_agency(seg: Segments, line, info: DocumentInfo) -> None:
    """The organ that signs the report names it when neither title nor opening did."""
    if "agency.name" in info.fields:
        return
    name = _TAGS.sub("", line.text).strip()
    if _is_self(name) or name.startswith("各"):
        return
    start = line.start + line.text.find(name)
    found = Found(name, (start, start + len(name)), "document:signing-agency")
    info.fields["agency.name"] = found
    _find_places(seg, _mask_brackets(seg.text), info, found, [])


def _is_org_line(s: str) -> bool:
    s = _TAGS.sub("", s).strip()
    return 2 <= len(s) <= 40 and patterns.search(_compiled()["suffix_end"], s) is not None


def _date_found(m, base: int, rule: str) -> Found | None:
    y, mo, d = year_value(m.group("y")), _small(m.group("m")), _small(m.group("d"))
    if mo is None or d is None:
        return None
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return Found(f"{y:04d}-{mo:02d}-{d:02d}", (base + m.start(), base + m.end()), rule)


def _style(seg: Segments) -> str:
    # The whole text is tested first, in C: most documents have no "|" and no "#" at all.
    if seg.text.count("|") >= 6 and sum(1 for ln in seg.lines if ln.text.count("|") >= 2) >= 3:
        return "pipe-table"
    if "#" in seg.text and any(ln.text.lstrip().startswith("#") for ln in seg.lines[:50]):
        return "markdown"
    sizes = [len(ln.text.strip()) for ln in seg.lines]
    short = sum(1 for n in sizes if 0 < n <= 12)
    if short > 0.4 * max(1, len(sizes) - sizes.count(0)):
        return "template-or-cells"
    return "narrative"
