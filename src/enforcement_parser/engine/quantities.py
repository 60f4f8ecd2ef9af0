"""Every figure in a text: value, unit, qualifier and span, from one table-driven parser.

Years, dates, document and article numbers, phone numbers, durations and ordinals are not
figures; a number with no unit is kept as `bare` so that table and template readers (where a
cell is the whole value) can use it while sentence readers cannot.
"""

from __future__ import annotations

import bisect
import functools
from typing import NamedTuple

from ..knowledge.tables import load_toml
from . import patterns


class Figure(NamedTuple):
    value: int | float
    unit: str          # the unit word as written ("件", "万元", "%"), "" when none
    family: str        # persons, cases, times, devices, items, money, percent, ratio, or "" (bare)
    qualifier: str     # exact, more_than, about, less_than, at_least, at_most
    start: int         # span in the text searched, qualifier and unit included
    end: int
    chinese: bool = False  # written in Chinese numerals

    @property
    def bare(self) -> bool:
        return self.family == ""


@functools.cache
def tables() -> dict:
    return load_toml("units.toml")


@functools.cache
def _compiled():
    t = tables()
    unit_to_family: dict[str, str] = {}
    for family, words in t["units"].items():
        for w in words:
            unit_to_family.setdefault(w, family)
    units = sorted(unit_to_family, key=len, reverse=True)
    cn = t["chinese_numerals"]
    cn_chars = "".join(list(cn["digits"]) + list(cn["small_units"]) + list(cn["big_units"]))
    before_q = sorted(t["qualifiers"]["before"], key=len, reverse=True)
    after_q = sorted(t["qualifiers"]["after"], key=len, reverse=True)
    alt = lambda words: "|".join(patterns.regex.escape(w) for w in words)  # noqa: E731
    # \p{Nt=Nu} (Numeric_Type=Numeric, which every Chinese numeral has) is one table lookup, where the
    # class of numerals is tried member by member at each character: it rules out most text first
    # a space may separate thousands ("检查2 136 次") when a unit or a word follows the last group,
    # so that a row of numbers ("12 345 678") stays three numbers
    number = (
        rf"(?P<arabic>(?<!\d)(?<!\d[.,，])(?:\d{{1,3}}(?:[,，]\d{{3}})+(?![\d])"
        rf"|(?<!\d[ \u2009\u202f])\d{{1,3}}(?:[ \u2009\u202f]\d{{3}})+(?=(?:\.\d+)?[ \u2009\u202f]?[\p{{Han}}%])"
        rf"|\d+)(?:\.\d+)?)"
        rf"|(?=\p{{Nt=Nu}})(?<![\d.])(?P<cn>[{cn_chars}]+)"
    )
    # a unit may follow the digits after 万 ("1万2000件"), a multiplier may not ("5万8千元")
    rest_units = "".join(sorted({w[0] for w in units} - set("千万亿")))
    pattern = patterns.compile(
        rf"(?:{number})"
        rf"(?P<q1>{alt(after_q)})?(?P<mult>千万|[万亿千](?!元))?"
        rf"(?:(?<=\d万)(?P<rest>\d{{1,4}})(?=[元{rest_units}]))?(?P<q2>{alt(after_q)})?"
        rf"(?P<unit>{alt(units)})?(?P<q3>{alt(after_q)})?"
    )
    not_after = sorted(t["not_a_figure"]["after"], key=len, reverse=True)
    words = t["percent_in_words"]
    return {
        "percent_words": words["prefix"],
        "percent_pattern": patterns.compile(
            rf"{words['prefix']}(?P<n>[{cn_chars}]+?)(?:{words['point']}(?P<d>[{''.join(cn['digits'])}]+))?"
            rf"(?![{cn_chars}])"),
        "pattern": pattern,
        "before_words": tuple(before_q),
        "unit_to_family": unit_to_family,
        "not_after": tuple(not_after),
        # by unit length: the words that block a figure with that unit (批 blocks 2批, not 2批次)
        "not_after_longer": {n: tuple(w for w in not_after if len(w) > n) for n in {0, *map(len, units)}},
        "qualifier_or_not_before": tuple(before_q) + tuple(t["not_a_figure"]["before"]),
        "words_before_ends": frozenset(w[-1] for w in (*before_q, *t["not_a_figure"]["before"])),
        "not_after_starts": frozenset(w[0] for w in not_after),
        "before_q": t["qualifiers"]["before"],
        "after_q": t["qualifiers"]["after"],
        "cn": cn,
        "multipliers": t["multipliers"],
        "money_multipliers": t["money_multipliers"],
    }


def parse_chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral ("一百二十" -> 120, "两万三千" -> 23000); None if malformed."""
    cn = tables()["chinese_numerals"]
    digits, small, big = cn["digits"], cn["small_units"], cn["big_units"]
    if not text:
        return None
    if len(text) > 1 and all(ch in digits for ch in text):
        # written digit by digit: 一〇五 = 105, 二〇二〇 = 2020
        return int("".join(str(digits[ch]) for ch in text)) if "〇" in text or "零" in text else None
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in digits:
            if digit is not None and digit != 0 and digits[ch] != 0:
                # "一二" is a list of digits, not a numeral.
                return None
            digit = digits[ch]
        elif ch in small:
            section += (1 if digit is None else digit) * small[ch]
            digit = None
        elif ch in big:
            section += digit or 0
            if section == 0:
                return None
            total += section * big[ch]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


_RATIO = patterns.compile(r"[:：]1(?!\d|\.\d)")   # "1.1:1." may end a sentence with an ASCII stop
_RATIO_STARTS = frozenset(":：")
_JOINERS = frozenset("-—/～~.:")   # a digit after one of these continues a date, range or code
MAX_DIGITS = 16   # longer digit runs are codes, corruption or attacks, never a count


def _arabic(text: str) -> int | float | None:
    """None for a run that is no number: too long, or a digit newer than this interpreter's
    Unicode tables (`regex` knows Unicode 16's digits, Python 3.11's int() only Unicode 14's)."""
    if text.isdigit():   # most figures: no separator, no decimals
        return int(text) if len(text) <= MAX_DIGITS else None
    clean = text.replace(",", "").replace("，", "").replace(" ", "").replace("\u2009", "").replace("\u202f", "")
    dot = clean.find(".")
    if (dot if dot >= 0 else len(clean)) > MAX_DIGITS:
        return None
    try:
        return float(clean) if dot >= 0 else int(clean)
    except ValueError:
        return None


class FigureIndex:
    """All figures of one text, found once; readers ask for those inside a span (a cell, a line)."""

    def __init__(self, text: str):
        self._bisect = bisect
        self.figures = find_figures(text)
        self.starts = [f.start for f in self.figures]

    def within(self, start: int, end: int) -> list[Figure]:
        lo = self._bisect.bisect_left(self.starts, start)
        hi = self._bisect.bisect_left(self.starts, end, lo)   # indexes, not a slice: it would copy the tail
        figures = self.figures
        return [figures[i] for i in range(lo, hi) if figures[i].end <= end]

    def only(self, start: int, end: int) -> Figure | None:
        """The figure that is all of text[start:end] and the only one there (a table cell)."""
        i = self._bisect.bisect_left(self.starts, start)
        if i == len(self.starts) or self.starts[i] != start:
            return None   # most cells start with no figure: no list built
        figs = self.within(start, end)
        return figs[0] if len(figs) == 1 and figs[0].start == start and figs[0].end == end else None

    def first_within(self, start: int, end: int) -> Figure | None:
        """within(start, end)[0] (or None), without building the list."""
        figures = self.figures
        for i in range(self._bisect.bisect_left(self.starts, start), len(figures)):
            if figures[i].start >= end:
                break
            if figures[i].end <= end:
                return figures[i]
        return None


def find_figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """All figures in text[start:end], left to right, never raising."""
    c = _compiled()
    end = len(text) if end is None else end
    out: list[Figure] = []
    for m in patterns.finditer_lines(c["pattern"], text, start, end):
        fig = _figure(m, text, c)
        if fig is not None:
            out.append(fig)
    if text.find(c["percent_words"], start, end) >= 0:
        out = sorted(out + _percents_in_words(text, start, end, c), key=lambda f: f.start)
    return out


def _percents_in_words(text: str, start: int, end: int, c: dict) -> list[Figure]:
    """"百分之九十二点三" -> 92.3, "百分之百" -> 100: percentages written out in words."""
    out = []
    for m in patterns.finditer(c["percent_pattern"], text, start, end):
        whole = parse_chinese_numeral(m.group("n"))
        digits = c["cn"]["digits"]
        decimals = m.group("d") or ""
        if whole is None or not all(ch in digits for ch in decimals):
            continue
        value = float(f"{whole}.{''.join(str(digits[ch]) for ch in decimals)}") if decimals else whole
        if 0 <= value <= 100:
            out.append(Figure(value, "%", "percent", "exact", m.start(), m.end(), True))
    return out


def _figure(m, text: str, c: dict) -> Figure | None:
    # groups by position (their order in the pattern, which a test checks): a group asked for
    # by name costs `regex` a raised and caught TypeError
    arabic, cn, q1, mult, rest, q2, unit, q3 = m.groups()
    unit = unit or ""
    if not arabic and (not unit or mult):
        return None   # Chinese numerals only count with a unit (三项制度 aside, 一是, 十九大 ...)
    num_start = m.start()   # the number opens the match
    num_end = num_start + len(arabic or cn)
    before = num_start - 4 if num_start > 4 else 0
    # endswith/startswith with a tuple run in C on the text itself, and only after a character that
    # ends (starts) one of the words: the word is looked for only on a hit.
    qb = None
    if text[num_start - 1:num_start] in c["words_before_ends"] \
            and text.endswith(c["qualifier_or_not_before"], before, num_start):
        qb = next((w for w in c["before_words"] if text.endswith(w, before, num_start)), None)
        if qb is None:
            return None   # 第3, 〔2024〕, 电话12345
    if num_start > 1 and text[num_start - 1] in "-—~～/:：._" and text[num_start - 2].isdigit():
        return None   # ranges, dates, times, codes: 2023-01-20, 8:30, 1/2
    after = text[num_end:num_end + 1]
    if after in _RATIO_STARTS:
        ratio = _RATIO.match(text, num_end, num_end + 6)
        if ratio:   # "配备比例达到1.2:1": devices per officer
            value = _arabic(arabic) if arabic else None
            if value is None:
                return None
            return Figure(value, ratio.group(), "ratio", "exact", num_start, ratio.end())
    if after in _JOINERS and text[num_end + 1:num_end + 2].isdigit():
        return None
    if after.isascii() and after.isalpha():
        return None   # 4G, 5A, 110kV
    if after in c["not_after_starts"] and unit not in ("%", "％") \
            and text.startswith(c["not_after_longer"][len(unit)], num_end, num_end + 6):
        return None   # 2024年, 24小时, 3个工作日 — but 2批次 is a unit
    value = _arabic(arabic) if arabic else parse_chinese_numeral(cn)
    if value is None:
        return None
    family = c["unit_to_family"].get(unit, "")
    end = m.end()
    if unit and text[end:end + 1] in c["not_after_starts"] and unit not in ("%", "％") \
            and text.startswith(c["not_after"], end, end + 4):
        return None   # 3个工作日 is caught above; 5个月, 2次性 ...
    if unit == "次" and text.startswith("性", end):
        return None
    if mult:
        value = value * c["multipliers"][mult]
    if rest:   # "632万5400元": the 万 part and the rest written in one figure ("5万8千元" is not)
        if not isinstance(value, int):
            return None
        value = value + int(rest)
    if family == "money":
        value = value * c["money_multipliers"][unit]
    if isinstance(value, float):
        if family != "percent" and abs(value - round(value)) < 1e-6:
            value = int(round(value))
        elif family not in ("percent", "money", "ratio", ""):
            return None   # 1.5件 is not a count
        elif family == "money":
            value = round(value, 2)
    qualifier = c["before_q"][qb] if qb else "exact"
    q = q3 or q2 or q1
    if q:
        qualifier = c["after_q"][q]
    if not unit and not mult and q3 is None:
        end = num_end + len(q1 or "")
    start = num_start - len(qb) if qb and qualifier != "exact" else num_start   # "达" is not kept
    return Figure(value, unit, family, qualifier, start, end, not arabic)
