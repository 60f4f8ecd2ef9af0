"""The national 行政执法工作统计年报 tables in every flattening a copy gives them: pipes, tabs, one cell
per line, the wide table cut into two stacked halves, a two-row header with spanned (empty) cells,
columns outside the catalogue, units in the header, rows by unit under a 合计 row, notes below.
Every expected value is read off the table by hand."""

import pytest

from enforcement_parser.api import parse_text

TITLE = "某市市场监督管理局2023年度行政执法统计年报\n一、行政处罚实施情况统计表\n"
NOTES = "填表说明：1.统计范围为统计年度1月1日至12月31日期间作出行政处罚决定的数量。2.并处两种以上行政处罚的，算一宗。\n"
# the 2021 template's columns, 通报批评 / 降低资质等级 / 限制开展生产经营活动 / 责令关闭 / 限制从业 outside the catalogue
LEFT = ["警告", "通报批评", "罚款", "没收违法所得、没收非法财物", "暂扣许可证件", "降低资质等级", "吊销许可证件"]
LEFT_VALUES = ["12", "3", "45", "6", "0", "1", "2"]
RIGHT = ["限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他行政处罚", "合计", "罚没金额（万元）"]
RIGHT_VALUES = ["4", "5", "0", "1", "", "7", "86", "123.45"]   # 行政拘留 left blank: not stated
HEADERS, VALUES = LEFT + RIGHT, LEFT_VALUES + RIGHT_VALUES
PENALTIES = {"warnings": 12, "fines": 45, "confiscations": 6, "license_suspensions": 0, "license_revocations": 2,
             "business_suspensions": 5, "detentions": None, "other": 7, "decisions": 86, "fines_yuan": 1_234_500}


def rows(sep: str, *cells: list[str]) -> str:
    return "".join(sep.join(r) + "\n" for r in cells)


def cells(*cells: list[str]) -> str:
    return "".join((c or " ") + "\n" for r in cells for c in r)


GROUP = "行政处罚实施数量（宗）\n"
FLATTENINGS = {
    "pipes": TITLE + "行政处罚实施数量（宗）" + " |" * (len(HEADERS) - 1) + "\n" + rows(" | ", HEADERS, VALUES),
    "pipes with outer bars": TITLE + "".join(f"| {' | '.join(r)} |\n" for r in (
        ["行政处罚实施数量（宗）"] + [""] * (len(HEADERS) - 1), HEADERS, VALUES)),
    "tabs": TITLE + GROUP + rows("\t", HEADERS, VALUES),
    "one cell per line": TITLE + GROUP + cells(HEADERS, VALUES),
    "two halves, one cell per line": TITLE + GROUP + cells(LEFT, LEFT_VALUES, RIGHT, RIGHT_VALUES),
    "two halves, pipes": TITLE + GROUP + rows(" | ", LEFT, LEFT_VALUES, RIGHT, RIGHT_VALUES),
    "two halves, tabs": TITLE + GROUP + rows("\t", LEFT, LEFT_VALUES, RIGHT, RIGHT_VALUES),
    # 罚没金额 spans both header rows: its sub-header cell is empty
    "two-row header, empty cell": TITLE + rows(" | ", ["行政处罚实施数量（宗）"] + [""] * (len(HEADERS) - 2)
                                               + ["罚没金额（万元）"], HEADERS[:-1] + [""], VALUES),
}


def values(record: dict, group: str, names) -> dict:
    return {name: record[group][name]["value"] if isinstance(record[group][name], dict) else record[group][name]
            for name in names}


@pytest.mark.parametrize("name", sorted(FLATTENINGS))
def test_the_penalty_table_reads_the_same_in_every_flattening(name):
    record = parse_text(FLATTENINGS[name] + NOTES)
    assert values(record, "penalties", PENALTIES) == PENALTIES


def test_rows_by_unit_give_only_their_total_row():
    text = TITLE + rows(" | ", ["单位", "警告", "罚款", "行政拘留", "合计", "罚没金额（万元）"],
                        ["本局", "10", "40", "0", "50", "100.5"], ["执法支队", "2", "5", "0", "7", "23"],
                        ["合 计", "12", "45", "0", "57", "123.5"]) + NOTES
    want = {"warnings": 12, "fines": 45, "detentions": 0, "decisions": 57, "fines_yuan": 1_235_000}
    assert values(parse_text(text), "penalties", want) == want


def test_rows_by_unit_without_a_total_row_give_nothing():
    # the first unit's row is a part of the whole, not the report's value
    text = TITLE + rows(" | ", ["单位", "警告", "罚款", "合计"], ["本局", "10", "40", "50"],
                        ["执法支队", "2", "5", "7"]) + NOTES
    got = values(parse_text(text), "penalties", ["warnings", "fines", "decisions"])
    assert got == {"warnings": None, "fines": None, "decisions": None}


def test_a_group_total_takes_the_group_name():
    # two 合计 columns: the measures' total is coercion.measures, the enforcement total is no field
    text = ("某县交通运输局2023年度行政执法统计年报\n三、行政强制实施情况统计表\n"
            + rows(" | ", ["行政强制措施实施数量（宗）", "", "", "", "", "行政强制执行实施数量（宗）", "", ""],
                   ["查封场所、设施或者财物", "扣押财物", "冻结存款、汇款", "其他行政强制措施", "合计",
                    "加处罚款或者滞纳金", "其他强制执行方式", "合计"],
                   ["3", "4", "0", "1", "8", "2", "0", "2"]))
    want = {"measures": 8, "seizures": None, "other_measures": 1, "enforcement_late_fees": 2}
    assert values(parse_text(text), "coercion", want) == want


def test_the_permit_table_one_cell_per_line():
    text = ("某县交通运输局2023年度行政执法统计年报\n二、行政许可实施情况统计表\n行政许可实施数量（件）\n"
            + cells(["申请数量", "受理数量", "许可数量", "不予许可数量", "撤销许可数量"], ["120", "118", "110", "8", "1"]))
    want = {"applications": 120, "accepted": 118, "granted": 110, "denied": 8}
    assert values(parse_text(text), "permits", want) == want


def test_two_halves_with_the_agency_row_and_a_trailing_empty_header_cell():
    # the Hubei layout: a unit-name column in the first half, the agency's own (only) row under it;
    # the second half's header row ends in an empty cell its value row does not have
    text = TITLE + "行政处罚实施数量（宗） | ||||||||\n" + rows(
        " | ", ["单位名称"] + LEFT + [""], ["某市市场监督管理局"] + LEFT_VALUES + [""]) + \
        " | ".join(RIGHT) + " | |\n" + " | ".join(RIGHT_VALUES) + " |\n" + NOTES
    assert values(parse_text(text), "penalties", PENALTIES) == PENALTIES


# the Hubei 2023 template splits 没收违法所得、没收非法财物 in two columns
SPLIT = ["警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "合计", "罚没金额（万元）"]


@pytest.mark.parametrize("layout", ["pipes", "cells"])
@pytest.mark.parametrize("parts,want", [(["3", "2"], 5), (["0", "0"], 0), (["3", ""], None)])
def test_a_category_split_in_two_columns_is_their_sum(layout, parts, want):
    cells_ = ["1", "0", "4"] + parts + ["0", "10", "2.5"]
    table = rows(" | ", SPLIT, cells_) if layout == "pipes" else GROUP + cells(SPLIT, cells_)
    record = parse_text(TITLE + table + NOTES)
    got = values(record, "penalties", ["confiscations", "fines", "decisions", "fines_yuan"])
    assert got == {"confiscations": want, "fines": 4, "decisions": 10, "fines_yuan": 25_000}
    if want is not None:
        ev = record["evidence"]["penalties.confiscations"]
        assert ev["text"].startswith(parts[0]) and ev["text"].endswith(parts[1])


def test_one_cell_per_line_with_the_agency_row_label_before_its_values():
    # 单位名称 heads a column of row labels: the agency's name stands right before its values
    head = ["单位名称", "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "吊销许可证件"]
    text = TITLE + GROUP + cells(head, ["某市商务局", "1", "2", "3", "4", "5", "6", "7"]) + NOTES
    want = {"warnings": 1, "fines": 3, "confiscations": 9, "license_suspensions": 6, "license_revocations": 7}
    assert values(parse_text(text), "penalties", want) == want
