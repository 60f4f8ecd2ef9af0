"""Province, city and district from a gazetteer of China's administrative divisions (data/places.tsv)."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from .datafiles import read_text

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "新区", "地区", "省", "市", "区", "县", "盟", "旗", "州")


class Place(NamedTuple):
    code: str
    level: str      # province | city | district
    name: str
    province: str
    city: str


# A gazetteer row: code, level, name, province, city (TAB separated).
_ROW = re.compile(r"^(\d+\t\w+\t([^\t\r\n]+)\t[^\r\n]*)\r?$", re.M)   # a CRLF checkout too


@functools.cache
def _rows() -> dict[str, tuple[str, ...]]:
    """Gazetteer rows by place name, unparsed: only the few names a report mentions are ever
    turned into Places (parsing all 3,000 rows cost ~4 ms of start-up)."""
    out: dict[str, tuple[str, ...]] = {}
    for row, name in _ROW.findall(read_text("places.tsv")):
        out[name] = out.get(name, ()) + (row,)
    return out


def is_place(name: str) -> bool:
    return name in _rows()


@functools.lru_cache(maxsize=1024)
def named(name: str) -> tuple[Place, ...]:
    """The places called `name`; one name can be several places (普陀区 in 上海 and in 舟山)."""
    return tuple(Place._make(row.split("\t")) for row in _rows().get(name, ()))


def all_names() -> list[str]:
    return list(_rows())


def short_name(name: str) -> str:
    """东丽区 -> 东丽, 宁夏回族自治区 -> 宁夏回族 (never shorter than two characters)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def by_short_name(short: str) -> tuple[Place, ...]:
    """Places whose name without its division suffix is `short` (东丽 -> 东丽区)."""
    return tuple(p for suffix in _SUFFIXES for p in named(short + suffix) if short_name(p.name) == short)


@functools.cache
def autonomous_short_names() -> dict[str, str]:
    """"大通县" -> "大通回族土族自治县": the usual short name of an autonomous county or banner
    (its first two characters and 县/旗), where only one place shortens to it."""
    out: dict[str, list[str]] = {}
    for name in _rows():
        for long, short in (("自治县", "县"), ("自治旗", "旗")):
            if name.endswith(long) and len(name) > len(long) + 2:
                out.setdefault(name[:2] + short, []).append(name)
    return {k: v[0] for k, v in out.items() if len(v) == 1 and k not in _rows()}


@functools.cache
def _name_shape() -> tuple[tuple[int, ...], frozenset[str]]:
    """Name lengths (longest first) and the characters names end with (市, 区, 县, 旗 ...)."""
    names = _rows()
    return tuple(sorted({len(n) for n in names}, reverse=True)), frozenset(n[-1] for n in names)


def find_places(text: str) -> list[tuple[int, int, str]]:
    """Full place names in text, leftmost-longest, as (start, end, name).

    Every name ends with one of a few division characters, so only the text before such a
    character is looked up in the name table; no trie of the 3,000 names is built.
    """
    names = _rows()
    lengths, last_chars = _name_shape()
    found = []
    for j, ch in enumerate(text):
        if ch in last_chars:
            end = j + 1
            found.extend((end - n, end) for n in lengths if end - n >= 0 and text[end - n:end] in names)
    out: list[tuple[int, int, str]] = []
    cursor = 0
    for start, end in sorted(found, key=lambda m: (m[0], -m[1])):
        if start >= cursor:
            out.append((start, end, text[start:end]))
            cursor = end
    return out


def resolve_place(names: list[str]) -> dict[str, str]:
    """Province/city/district implied by place names seen together (e.g. in one agency name).

    A name that exists in several provinces (普陀区 in 上海 and 舟山) gives its province and city only
    when another name pins it down; a district's own name is the same whichever it is.
    """
    out: dict[str, str] = {}
    places = [named(n) for n in names if is_place(n)]
    anchors = {p.province for opts in places if len(opts) == 1 for p in opts} | \
              {p.city for opts in places if len(opts) == 1 for p in opts if p.city}
    anchors |= {p.name for opts in places if len(opts) == 1 for p in opts}
    for opts in places:
        if len(opts) > 1:
            pinned = tuple(p for p in opts if p.province in anchors or p.city in anchors)
            if len(pinned) != 1:
                if all(p.level == "district" for p in opts):
                    out.setdefault("district", opts[0].name)   # 通州区: the name is sure, its city is not
                continue
            opts = pinned
        p = opts[0]
        out.setdefault("province", p.province)
        if p.level == "city" or (p.level == "province" and p.name in MUNICIPALITIES):
            out.setdefault("city", p.city or p.name)
        if p.level == "district":
            out.setdefault("district", p.name)
            if p.city:
                out.setdefault("city", p.city)
    if out.get("province") in MUNICIPALITIES:
        out["city"] = out["province"]
    return out
