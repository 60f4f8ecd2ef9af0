"""Spreadsheets (.xlsx .xlsm .xls .ods): workbooks built here, read to table text, checked cell by cell
and figure by figure against hand readings and against their plain-text twins."""

import datetime
import json

import pytest
from hypothesis import given, strategies as st

import formats_builders as B
from conftest import SHARED
from enforcement_parser.api import extract_text, parse_bytes, parse_text
from enforcement_parser.errors import InputError
from enforcement_parser.files.sheets import cell_text, number_text
from test_formats import TWIN_TEXT, assert_spans, figures

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
WORKBOOKS = {
    "xlsx": lambda sheets, **kw: B.xlsx_bytes(sheets, **kw),
    "ods": lambda sheets, **kw: B.ods_bytes(sheets),
    "xls": lambda sheets, **kw: B.xls_bytes(sheets),
}


# --- what a sheet reads as --------------------------------------------------------------------

CELLS = [["某局2023年行政执法数据统计表"],
         ["项目", "行政处罚", None, "行政许可"],
         [None, "警告", "罚款", "准予"],
         ["数量", 31, 54.0, 0.1 + 0.2],
         ["日期", 3223708.0, datetime.date(2023, 5, 1), None],
         [],
         [],
         ["注：数据截至2023年12月31日"]]
CELLS_TEXT = ["某局2023年行政执法数据统计表",
              "| 项目 | 行政处罚 |  | 行政许可 |",
              "|  | 警告 | 罚款 | 准予 |",
              "| 数量 | 31 | 54 | 0.3 |",
              "| 日期 | 3223708 | 2023-05-01 |  |",
              "",
              "注：数据截至2023年12月31日"]


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_cells_read_as_the_sheet_shows_them(kind):
    """Title and note as plain lines, table rows framed so empty first/last cells keep their column,
    12.0 as 12, no float noise, dates as dates, runs of empty rows as one empty line."""
    text, encoding, fmt = extract_text(WORKBOOKS[kind]([("2023年", CELLS)]), path=f"book.{kind}")
    assert (text.split("\n"), encoding, fmt) == (["2023年", *CELLS_TEXT], "binary", kind)


def test_xlsx_formulas_merges_hidden_and_default_sheet_names():
    rows = [["项目", "警告", "罚款", "合计"], ["件数", 31, 54, B.Formula("B2+C2", 85)],
            ["说明", B.Formula('"共"&D2&"件"', "共85件"), None, None]]
    data = B.xlsx_bytes([("Sheet1", [["行政处罚情况（单位：件）"], *rows]), ("2022年（隐藏）", [["警告", 12], ["罚款", 20]])],
                        hidden=("2022年（隐藏）",), merged={"Sheet1": ["A1:D1", "B4:D4"]})
    text = extract_text(data, path="x.xlsx")[0]
    assert text.split("\n") == ["行政处罚情况（单位：件）",   # "Sheet1" is no heading
                                "| 项目 | 警告 | 罚款 | 合计 |", "| 件数 | 31 | 54 | 85 |", "| 说明 | 共85件 |  |  |",
                                "", "2022年（隐藏）", "| 警告 | 12 |", "| 罚款 | 20 |"]


def test_xlsx_percentages_read_as_the_sheet_shows_them():
    rows = [["项目", "2023年"], ["行政诉讼败诉率", B.Percent(0.053)], ["复议纠错率", B.Percent(0.5)], ["件数", 12]]
    text = extract_text(B.xlsx_bytes([("2023年", rows)]), path="p.xlsx")[0]
    assert text.split("\n") == ["2023年", "| 项目 | 2023年 |", "| 行政诉讼败诉率 | 5.3% |", "| 复议纠错率 | 50% |", "| 件数 | 12 |"]


@pytest.mark.parametrize("code, percent", [("0%", True), ("0.00%;[Red]-0.00%", True), ('0.0"%"', False),
                                           ("[Color10]0.0", False), ("0\\%", False), ("#,##0", False)])
def test_which_number_formats_are_percentages(code, percent):
    from enforcement_parser.files.docx import parse_part
    from enforcement_parser.files.sheets import _percent_styles

    xml = (f'<styleSheet xmlns="{B.XLSX_NS}"><numFmts><numFmt numFmtId="170" formatCode="{code.replace(chr(34), "&quot;")}"/>'
           f'</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="9"/></cellXfs></styleSheet>')
    assert _percent_styles(parse_part(xml.encode())) == ({b"1", b"2"} if percent else {b"2"})


def test_a_labelled_row_without_a_value_stays_in_its_table():
    rows = [[None, "2022年", "2023年"], ["行政复议", 3, 5], ["行政诉讼", None, None], ["行政许可", 10, 12]]
    text = extract_text(B.xlsx_bytes([("Sheet1", rows)]), path="x.xlsx")[0]
    assert text.split("\n") == ["|  | 2022年 | 2023年 |", "| 行政复议 | 3 | 5 |", "| 行政诉讼 |  |  |",
                                "| 行政许可 | 10 | 12 |"]


@pytest.mark.parametrize("value, shown", [
    (None, ""), ("", ""), (12.0, "12"), (0.1 + 0.2, "0.3"), (1 / 3, "0.333333333333333"), (-5.0, "-5"),
    (3223708.0, "3223708"), (4.1, "4.1"), (1e-7, "0.0000001"), (1e20, "100000000000000000000"),
    (float("nan"), ""), (True, "TRUE"), (7, "7"), (" 行政\n处罚 ", "行政 处罚"), ("a|b", "a｜b"),
    (datetime.date(2023, 5, 1), "2023-05-01"), (datetime.datetime(2023, 5, 1), "2023-05-01"),
    (datetime.datetime(2023, 5, 1, 9, 30), "2023-05-01 09:30"), (datetime.time(9, 30, 5), "09:30:05"),
])
def test_cell_text(value, shown):
    assert cell_text(value) == shown


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_a_typed_decimal_reads_back_as_typed(dec):
    """What a person typed (at most 15 significant digits) is what the text shows, whatever binary noise the float has."""
    want = format(dec.normalize(), "f")
    want = "0" if want in ("-0", "0") else want
    assert number_text(float(dec)) == want


# --- records ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", WORKBOOKS)
def test_every_workbook_format_gives_the_record_of_its_plain_twin(kind):
    data = WORKBOOKS[kind]([("Sheet1", B.sheet_rows(B.TWIN))])
    record = parse_bytes(data, path=f"r.{kind}")
    text = extract_text(data, path=f"r.{kind}")[0]
    assert_spans(record, text)
    assert record["source"]["format"] == kind
    assert figures(record) == figures(parse_text(TWIN_TEXT))


@pytest.mark.parametrize("seed", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_a_seed_typed_into_a_workbook_reads_to_the_same_figures(seed):
    text = seed.read_text(encoding="utf-8")
    record = parse_bytes(B.xlsx_bytes([("Sheet1", B.sheet_rows(text.splitlines()))]), path="seed.xlsx")
    assert figures(record) == figures(parse_text(text))


def test_a_template_sheet_reads_value_by_value():
    """A statistics template as a 司法局 sends it out: title, unit note, label | unit | value rows."""
    rows = [["某县市场监督管理局2023年度行政执法数据统计表"], ["填报单位：某县市场监督管理局"],
            ["指标", "单位", "数量"],
            ["行政处罚决定", "件", 85], ["其中：警告", "件", 31], ["罚款", "件", 54],
            ["罚没金额", "万元", 4.1], ["行政许可申请", "件", 1816568], ["准予许可", "件", 1816005],
            ["行政复议案件", "件", None], ["行政诉讼案件", "件", 0]]
    record = parse_bytes(B.xlsx_bytes([("2023年", rows)]), path="t.xlsx")
    hand = {"penalties.decisions": 85, "penalties.warnings": 31, "penalties.fines": 54, "penalties.fines_yuan": 41000,
            "permits.applications": 1816568, "permits.granted": 1816005, "reviews.litigation.cases": 0}
    assert record["report_year"] == 2023
    assert record["document"]["title"].endswith("某县市场监督管理局2023年度行政执法数据统计表")
    read = {path: value_at(record, path) for path in record["evidence"] if path.split(".")[0] in ("penalties", "permits", "reviews")}
    assert read == {path: v for path, v in hand.items() if path in read}   # every value read is the hand reading
    assert len(read) >= 6, read


def value_at(record: dict, path: str):
    for key in path.split("."):
        record = record[key]
    return record


def test_rates_formatted_as_percentages_are_read_as_percentages():
    rows = [["某县司法局2023年行政复议应诉情况"], ["项目", "2023年"], ["行政诉讼案件", 19],
            ["行政诉讼败诉率", B.Percent(0.053)], ["行政复议案件", 46], ["复议被纠错率", B.Percent(0.087)]]
    record = parse_bytes(B.xlsx_bytes([("Sheet1", rows)]), path="p.xlsx")
    reviews = record["reviews"]
    assert (reviews["litigation"]["cases"], reviews["litigation"]["loss_rate_pct"]) == (19, 5.3)
    assert (reviews["reconsideration"]["cases"], reviews["reconsideration"]["corrected_rate_pct"]) == (46, 8.7)
    assert record["evidence"]["reviews.litigation.loss_rate_pct"]["text"] == "5.3%"


def test_a_wide_table_under_a_two_row_header_reads_only_true_values():
    """行政处罚 spans its three columns, 行政许可 its two; whatever the reader takes must be the hand reading."""
    rows = [["某市2023年行政执法情况汇总表"],
            ["单位", "行政处罚", None, None, "行政许可", None],
            [None, "警告", "罚款", "合计", "申请", "准予"],
            ["合计", 31, 54, 85, 100, 98]]
    record = parse_bytes(B.xlsx_bytes([("Sheet1", rows)], merged={"Sheet1": ["A1:F1", "B2:D2", "E2:F2"]}),
                         path="w.xlsx")
    hand = {"penalties.warnings": 31, "penalties.fines": 54, "penalties.decisions": 85,
            "permits.applications": 100, "permits.granted": 98, "permits.accepted": None}
    read = {path: value_at(record, path) for path in record["evidence"] if path.split(".")[0] in ("penalties", "permits")}
    assert read == {path: hand[path] for path in read}
    # without the row label the sub-header row stands over the values: the specific headers are read
    rows = [rows[0], rows[1][1:], rows[2][1:], rows[3][1:]]
    record = parse_bytes(B.xlsx_bytes([("Sheet1", rows)], merged={"Sheet1": ["A1:E1", "A2:C2", "D2:E2"]}), path="w.xlsx")
    read = {path: value_at(record, path) for path in record["evidence"] if path.split(".")[0] in ("penalties", "permits")}
    assert read == {path: hand[path] for path in read} and {"penalties.warnings", "penalties.fines"} <= set(read)


def test_a_sheet_per_year_never_gives_last_years_figures():
    header = ["项目", "警告", "罚款"]
    sheets = [("2022年", [["某县2022年行政处罚统计"], header, ["件数", 12, 20]]),
              ("2023年", [["某县2023年行政处罚统计"], header, ["件数", 31, 54]])]
    record = parse_bytes(B.xlsx_bytes(sheets), path="y.xlsx")
    assert record["penalties"]["warnings"] in (31, None) and record["penalties"]["fines"] in (54, None)


# --- the CLI ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, build", [
    ("r.xlsx", lambda: B.xlsx_bytes([("Sheet1", B.sheet_rows(B.TWIN))])),
    ("r.xlsm", lambda: B.xlsx_bytes([("Sheet1", B.sheet_rows(B.TWIN))])),
    ("r.ods", lambda: B.ods_bytes([("Sheet1", B.sheet_rows(B.TWIN))])),
    ("r.xls", lambda: B.xls_bytes([("Sheet1", B.sheet_rows(B.TWIN))])),
])
def test_cli_text_and_record_of_a_workbook(tmp_path, run_enforce, name, build):
    path = tmp_path / name
    path.write_bytes(build())
    shown = run_enforce("parse", "--text", path)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout.decode("utf-8")
    assert text.split("\n")[:4] == B.TWIN[:4] and "| 警告 | 罚款 | 合计 |" in text
    record = json.loads(run_enforce("parse", "--compact", path).stdout)
    assert record["penalties"]["warnings"] == 31 and record["source"]["length"] == len(text)
    assert_spans(record, text)


@pytest.mark.parametrize("kind", WORKBOOKS)
def test_a_workbook_without_a_readable_cell_is_refused(kind):
    with pytest.raises(InputError, match="no readable cell"):
        extract_text(WORKBOOKS[kind]([("Sheet1", [[None, ""], []])]), path=f"e.{kind}")
