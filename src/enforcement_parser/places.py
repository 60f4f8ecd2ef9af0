"""Province, city and district from a gazetteer of China's administrative divisions (data/places.tsv)."""

from __future__ import annotations

import functools
from typing import NamedTuple

from .lexicon import Trie

MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "新区", "地区", "省", "市", "区", "县", "盟", "旗", "州")


class Place(NamedTuple):
    code: str
    level: str      # province | city | district
    name: str
    province: str
    city: str


@functools.cache
def gazetteer() -> tuple[Place, ...]:
    from .datafiles import read_text

    rows = read_text("places.tsv").splitlines()[1:]
    return tuple(Place(*r.split("\t")) for r in rows if r)


@functools.cache
def by_name() -> dict[str, tuple[Place, ...]]:
    out: dict[str, list[Place]] = {}
    for p in gazetteer():
        out.setdefault(p.name, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def short_name(name: str) -> str:
    """东丽区 -> 东丽, 宁夏回族自治区 -> 宁夏回族 (never shorter than two characters)."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@functools.cache
def by_short_name() -> dict[str, tuple[Place, ...]]:
    out: dict[str, list[Place]] = {}
    for p in gazetteer():
        s = short_name(p.name)
        if s != p.name:
            out.setdefault(s, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _names() -> Trie:
    return Trie(by_name())


def find_places(text: str) -> list[tuple[int, int, str]]:
    """Full place names in text, leftmost-longest, as (start, end, name)."""
    return [(i, j, text[i:j]) for i, j in _names().longest(text)]


def resolve_place(names: list[str]) -> dict[str, str]:
    """Province/city/district implied by place names seen together (e.g. in one agency name).

    A name that exists in several provinces (普陀区) is kept only when another name pins it down.
    """
    out: dict[str, str] = {}
    places = [by_name()[n] for n in names if n in by_name()]
    anchors = {p.province for opts in places if len(opts) == 1 for p in opts} | \
              {p.city for opts in places if len(opts) == 1 for p in opts if p.city}
    anchors |= {p.name for opts in places if len(opts) == 1 for p in opts}
    for opts in places:
        if len(opts) > 1:
            opts = tuple(p for p in opts if p.province in anchors or p.city in anchors)
            if len(opts) != 1:
                continue
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
