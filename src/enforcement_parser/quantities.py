"""Every figure in a text: value, unit, qualifier and span, from one table-driven parser.

Years, dates, document and article numbers, phone numbers, durations and ordinals are not
figures; a number with no unit is kept as `bare` so that table and template readers (where a
cell is the whole value) can use it while sentence readers cannot.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

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
    from .datafiles import load_toml

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
    number = (
        rf"(?P<arabic>(?<!\d)(?<!\d[.,，])(?:\d{{1,3}}(?:[,，]\d{{3}})+(?![\d])|\d+)(?:\.\d+)?)"
        rf"|(?<![\d.])(?P<cn>[{cn_chars}]+)"
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
        "not_before": tuple(t["not_a_figure"]["before"]),
        "before_q": t["qualifiers"]["before"],
        "after_q": t["qualifiers"]["after"],
        "cn": cn,
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
MAX_DIGITS = 16   # longer digit runs are codes, corruption or attacks, never a count


def _arabic(text: str) -> int | float | None:
    clean = text.replace(",", "").replace("，", "")
    if len(clean.split(".")[0]) > MAX_DIGITS:
        return None
    return float(clean) if "." in clean else int(clean)


class FigureIndex:
    """All figures of one text, found once; readers ask for those inside a span (a cell, a line)."""

    def __init__(self, text: str):
        import bisect

        self._bisect = bisect
        self.figures = find_figures(text)
        self.starts = [f.start for f in self.figures]

    def within(self, start: int, end: int) -> list[Figure]:
        lo = self._bisect.bisect_left(self.starts, start)
        hi = self._bisect.bisect_left(self.starts, end, lo)   # indexes, not a slice: it would copy the tail
        figures = self.figures
        return [figures[i] for i in range(lo, hi) if figures[i].end <= end]


def find_figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """All figures in text[start:end], left to right, never raising."""
    c = _compiled()
    end = len(text) if end is None else end
    out: list[Figure] = []
    for m in patterns.finditer(c["pattern"], text, start, end):
        fig = _figure(m, text, c)
        if fig is not None:
            out.append(fig)
    if c["percent_words"] in text[start:end]:
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
    arabic = m.group("arabic")
    num_start, num_end = m.span("arabic") if arabic else m.span("cn")
    before = text[max(0, num_start - 4):num_start]
    # endswith/startswith with a tuple run in C: the word itself is looked for only on a hit.
    qb = next((w for w in c["before_words"] if before.endswith(w)), None) \
        if before.endswith(c["before_words"]) else None
    if qb is None and before.endswith(c["not_before"]):
        return None
    if num_start > 0 and text[num_start - 1] in "-—~～/:：._" and num_start > 1 and text[num_start - 2].isdigit():
        return None   # ranges, dates, times, codes: 2023-01-20, 8:30, 1/2
    after = text[num_end:num_end + 6]
    ratio = _RATIO.match(after)
    if ratio:   # "配备比例达到1.2:1": devices per officer
        value = _arabic(arabic) if arabic else None
        if value is None:
            return None
        return Figure(value, ratio.group(), "ratio", "exact", num_start, num_end + ratio.end())
    if after[:1] in ("-", "—", "/", "～", "~", ".", ":") and after[1:2].isdigit():
        return None
    if after[:1].isascii() and after[:1].isalpha():
        return None   # 4G, 5A, 110kV
    unit_written = m.group("unit") or ""
    blocked = next((w for w in c["not_after"] if after.startswith(w)), None) \
        if after.startswith(c["not_after"]) else None
    if blocked and len(blocked) > len(unit_written) and unit_written not in ("%", "％"):
        return None   # 2024年, 24小时, 3个工作日 — but 2批次 is a unit
    chinese = not arabic
    if chinese:
        value = parse_chinese_numeral(m.group("cn"))
        if value is None or not m.group("unit"):
            return None   # Chinese numerals only count with a unit (三项制度 aside, 一是, 十九大 ...)
        if m.group("mult"):
            return None
    else:
        value = _arabic(arabic)
        if value is None:
            return None
    unit = m.group("unit") or ""
    family = c["unit_to_family"].get(unit, "")
    tail = text[m.end():m.end() + 4]
    if unit and tail.startswith(c["not_after"]) and unit not in ("%", "％"):
        return None   # 3个工作日 is caught above; 5个月, 2次性 ...
    if unit == "次" and tail[:1] == "性":
        return None
    mult = m.group("mult")
    if mult:
        value = value * tables()["multipliers"][mult]
    if m.group("rest"):   # "632万5400元": the 万 part and the rest written in one figure ("5万8千元" is not)
        if not isinstance(value, int):
            return None
        value = value + int(m.group("rest"))
    if family == "money":
        value = value * tables()["money_multipliers"][unit]
    if isinstance(value, float) and family != "percent" and abs(value - round(value)) < 1e-6:
        value = int(round(value))
    elif isinstance(value, float) and family not in ("percent", "money", "ratio", ""):
        return None   # 1.5件 is not a count
    if isinstance(value, float) and family == "money":
        value = round(value, 2)
    qualifier = c["before_q"][qb] if qb else "exact"
    for group in ("q1", "q2", "q3"):
        if m.group(group):
            qualifier = c["after_q"][m.group(group)]
    end = m.end()
    if not unit and not mult and m.group("q3") is None:
        end = num_end + (len(m.group("q1") or ""))
    start = num_start - len(qb) if qb and qualifier != "exact" else num_start   # "达" is not kept
    return Figure(value, unit, family, qualifier, start, end, chinese)
