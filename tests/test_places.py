"""The gazetteer: finding full place names in text and resolving province/city/district."""

import pytest
from hypothesis import given, settings, strategies as st

from enforcement_parser.knowledge.places import (all_names, by_short_name, find_places, is_place, named,
                                                 resolve_place, short_name)

NAMES = sorted(all_names())


def _reference(text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest by brute force: at each position the longest name starting there."""
    out, i = [], 0
    while i < len(text):
        ends = [j for j in range(i + 1, len(text) + 1) if is_place(text[i:j])]
        if ends:
            out.append((i, max(ends), text[i:max(ends)]))
            i = max(ends)
        else:
            i += 1
    return out


@pytest.mark.parametrize("text, expected", [
    ("天津市东丽区城市管理委员会", ["天津市", "东丽区"]),
    ("宁夏回族自治区银川市", ["宁夏回族自治区", "银川市"]),
    ("市公安局", []),                                  # no 公安县 inside 市公安局: 公安 is not a name here
    ("湖北省荆州市公安县", ["湖北省", "荆州市", "公安县"]),
    ("", []),
    ("区县市", []),
])
def test_find_places(text, expected):
    assert [n for _, _, n in find_places(text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from(["市", "区", "县", "的", "局", "东丽", "人民"])),
                max_size=8))
def test_find_places_is_leftmost_longest(parts):
    text = "".join(parts)
    assert find_places(text) == _reference(text)


@pytest.mark.parametrize("name, short", [("东丽区", "东丽"), ("宁夏回族自治区", "宁夏回族"), ("和县", "和县"), ("滨海新区", "滨海")])
def test_short_name(name, short):
    assert short_name(name) == short


def test_by_short_name_inverts_short_name():
    assert {p.name for p in by_short_name("东丽")} == {"东丽区"}
    for name in NAMES[::97]:
        if short_name(name) != name:
            assert name in {p.name for p in by_short_name(short_name(name))}
    assert by_short_name("不存在的") == ()


def test_gazetteer_rows():
    assert len(NAMES) > 3000
    assert named("东丽区") == (named("东丽区")[0],) and named("东丽区")[0].city == "天津市"
    assert {p.city for p in named("普陀区")} == {"上海市", "舟山市"}
    assert named("不存在区") == () and not is_place("不存在区")
    assert all(p.name == "朝阳区" and p.level == "district" for p in named("朝阳区"))


def test_resolve_place_needs_an_anchor_for_an_ambiguous_district():
    assert resolve_place(["普陀区"]) == {"district": "普陀区"}   # 上海 and 舟山 both have one: only the name is sure
    assert resolve_place(["通州区"]) == {"district": "通州区"}   # 北京 and 南通
    assert resolve_place(["上海市", "普陀区"])["district"] == "普陀区"
    assert resolve_place(["上海市", "普陀区"])["city"] == "上海市"


@pytest.mark.parametrize("body, district", [
    # the short name of an autonomous county in the title, its full name in the text
    ("2023年，互助土族自治县交通运输局认真履行职责。", "互助土族自治县"),
    # never from the short name alone
    ("2023年，我局认真履行职责。", None),
])
def test_autonomous_county_short_name(body, district):
    from enforcement_parser.api import parse_text
    from enforcement_parser.outputs.record import value_at

    record = parse_text(f"互助县交通运输局2023年度行政执法工作报告\n\n{body}\n")
    assert value_at(record, "agency.district") == district
