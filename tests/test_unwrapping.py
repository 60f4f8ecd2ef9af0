"""Which line breaks of hard-wrapped prose (PDF copies) the view leaves out (engine/unwrapping.joins)."""

import pytest
from hypothesis import given, settings, strategies as st

from enforcement_parser.api import parse_text
from enforcement_parser.engine.normalizing import normalize
from enforcement_parser.engine.unwrapping import display_width, joins

LINE = "全年共作出行政处罚决定八十四件罚没金额合计三百一十五万元其中警告"   # 64 columns, no stop


@pytest.mark.parametrize("text,joined", [
    # broken at the page width mid-sentence: joined, the next line's indentation too
    ("\n".join([LINE] * 6), 5),
    # every line ends a sentence: nothing to join
    ("\n".join([LINE[:-1] + "。"] * 6), 0),
    # a line that opens a paragraph (indented or numbered) is not joined to the one above
    ("\n".join([LINE, "　　" + LINE] * 3), 2),
    ("\n".join([LINE, "二、" + LINE[2:]] * 3), 2),
    # a blank line is a paragraph break, a page mark between is not
    ("\n".join([LINE, ""] * 6), 0),
    ("\n".join([LINE, "", "— 3 —", "第 3 页 共 4 页", ""] * 6), 5),
    # ordinary text: whole paragraphs on long lines, short lines
    ("\n".join([LINE * 3] * 6 + [LINE] * 2), 0),
    ("\n".join(["行政处罚决定", "84件"] * 6), 0),
])
def test_joins(text, joined):
    assert len(joins(text)) == joined


def test_joined_view_maps_back_exactly():
    text = "\n".join([LINE[:-4] + "罚款12"] + ["件" + LINE[1:]] * 5)
    view = normalize(text)
    at = view.text.index("罚款12件")
    start, end = view.span(at + 2, at + 5)
    assert text[start:end] == "12\n件"


def test_display_width_counts_east_asian_wide_characters():
    import unicodedata

    from enforcement_parser.engine.unwrapping import _WIDE_RUN, display_width

    # Every character the fast path takes as wide is wide in the Unicode database.
    for first, last in ((0x3000, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF01, 0xFF60)):
        assert _WIDE_RUN.fullmatch("".join(map(chr, range(first, last + 1))))
        assert all(unicodedata.east_asian_width(chr(c)) in "WF" for c in range(first, last + 1))
    assert not _WIDE_RUN.search("".join(map(chr, range(0x3000))) + "\u303f\u4dc0\uff00\uff61")
    for line in ["", "abc 12", "罚款１２件，共3,500元。", "é中\u3000x\u2e80ｱ😀\u4dc0", LINE]:
        assert display_width(line) == sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


# --- text cut every N characters, whatever their width (a PDF text layer, the surface probe) ---

def cut_every(text: str, n: int) -> str:
    """What a tool that breaks lines by character count makes of `text`."""
    return "\n".join(piece for line in text.split("\n")
                     for piece in ([line[i:i + n] for i in range(0, len(line), n)] or [""]))


def cut_at_width(text: str, columns: int) -> str:
    """What a page of `columns` display columns makes of `text` (a PDF copy)."""
    out = []
    for line in text.split("\n"):
        piece, used = "", 0
        for ch in line:
            w = display_width(ch)
            if used + w > columns:
                out.append(piece)
                piece, used = "", 0
            piece += ch
            used += w
        out.append(piece)
    return "\n".join(out)


PROSE = ("2023年，全局共作出行政处罚决定1,234件，罚没金额56.78万元，其中适用一般程序办理案件1,100件。"
         "全年受理行政许可申请3,456件，准予许可3,400件，不予许可56件。现有持证执法人员128人，"
         "组织执法培训12期。")


def view_lines(text: str) -> list[str]:
    return normalize(text).text.split("\n")


@pytest.mark.parametrize("n", [20, 23, 29, 38, 44])
def test_prose_cut_by_count_reads_as_one_line(n):
    # lines of mixed digits and ideographs are all n characters but not all of one width
    text = "某市交通运输局2023年度行政执法工作报告\n" + "\n".join([PROSE] * 3)
    assert view_lines(cut_every(text, n)) == view_lines(text)


@pytest.mark.parametrize("before,after,joined", [
    # a number cut in two: digits after digits go on, though "2 起" looks like a numbered heading
    ("本年度共办理行政处罚案件42起，行政检查案件共计12", "2 起，较上年下降12.2%，执法检查精准度持续提升。", True),
    # a decimal, and a multiplier, cut from the rest of the figure
    ("其中行政处罚类241件，罚款金额197.", "62万元；行政征收类1943件，征收金额9036.6万元。", True),
    ("行政拘留1943件，其他行政处罚79件，罚没金额7282.1179万", "元，简易程序90086件，一般程序22368件。", True),
    # a line that opens with a comma continues the one above, even after a figure and its unit
    ("截至2025年12月25日，新城镇行政处罚案件共计17起", "，共计罚款3200元，全部进行公示。", True),
    # a report's whole title, exactly as long as the cut, is not run into the text below it
    ("广州市某区分局关于2023年度法治政府建设情况的报告", "2023年，我分局在区委的坚强领导下深入学习贯彻。", False),
    ("1.与部门职责相关的主要法律法规执行情况", "2023年，全区共接报有效警情39665起，同比下降。", False),
    # ... but a line that ends on a report word inside an open title does run on
    ("根据《司法部办公厅关于做好2020年全国行政复议统计", "分析工作的通知》要求，我局对全区案件进行统计。", True),
])
def test_a_line_cut_at_the_count(before, after, joined):
    n = len(before)
    prose = cut_every("按照上级部署要求，坚持依法行政，文明执法，柔性执法，着力服务城市管理，不断提升执法水平" * 8, n)
    text = prose + "。\n" + before + "\n" + after
    whole = prose + "。\n" + before + after
    assert (view_lines(text) == view_lines(whole)) is joined


def test_table_rows_cut_by_count_are_put_back_whole():
    header = "警告 | 罚款 | 没收违法所得、没收非法财物 | 暂扣许可证件 | 行政拘留 | 合计(宗) | 罚没金额(万元) |"
    values = "12175 | 94929 | 235 | 189 | 504 | 108156 | 1753.79 |"
    permits = ["行政许可实施数量(宗) | ||||", "申请数量 | 受理数量 | 许可数量 | 不予许可数量 | 撤销许可 |",
               "26569 | 26569 | 26462 | 102 | 5 |"]
    n = len(permits[1])   # the permit header row is exactly one cut long: it stays a row of its own
    text = "\n".join([(PROSE * 2)[:n]] * 6 + ["行政处罚实施数量(宗) | ||||||", header, values, "说明：", *permits])
    lines = view_lines(cut_every(text, n))
    squeeze = [ln.replace(" ", "") for ln in lines]
    for row in (header, values, *permits):
        assert row.replace(" ", "") in squeeze, (row, lines)


def test_a_cut_row_then_prose_is_not_joined():
    head = "行政处罚实施数量(宗) | |||"
    row = "警告 | 罚款 | 行政拘留 | 罚没金额(万元) |"
    text = "\n".join([PROSE[:40]] * 6 + [head, row + "12175 | 94929 | 504 | 1753.79 |", "说明：统计范围为统计年度。"])
    lines = view_lines(cut_at_width(text, 2 * 40))
    assert "说明：统计范围为统计年度。" in lines


# --- property: a report cut at any width reads as the report itself ---------------------------

def _figure(n: int, grouped: bool) -> str:
    return f"{n:,}" if grouped else str(n)


@st.composite
def reports(draw):
    """A short annual report with known figures, its sentences in any order, and those figures."""
    count = st.integers(1, 99_999)
    officers, applications, granted, measures, inspections = (draw(count) for _ in range(5))
    summary, general = draw(count), draw(count)
    fines = draw(st.integers(1, 999_999)) / 100
    g = draw(st.booleans())
    sentences = [
        f"我局现有持证执法人员{_figure(officers, g)}人，全年组织执法培训12期。",
        f"全年受理行政许可申请{_figure(applications, g)}件，准予许可{_figure(granted, g)}件。",
        f"全年共作出行政处罚决定{_figure(summary + general, g)}件，罚没金额{fines}万元，其中适用简易程序办理案件"
        f"{_figure(summary, g)}件，适用一般程序办理案件{_figure(general, g)}件。",
        f"全年实施行政强制措施{_figure(measures, g)}件，开展行政检查{_figure(inspections, g)}次。",
    ]
    order = draw(st.permutations(sentences))
    split = draw(st.integers(1, len(order)))
    text = "\n".join([
        "某市交通运输局2023年度行政执法工作报告",
        "2023年，在市委、市政府的坚强领导下，我局坚持依法行政，严格规范公正文明执法，现将有关情况报告如下。",
        "一、行政执法基本情况", "".join(order[:split]), "".join(order[split:]),
        "二、存在的问题", "执法队伍结构有待优化，执法信息化水平有待提高，部分执法人员业务能力不足，"
        "基层执法力量与执法任务不相适应，执法装备保障不够充分，案卷制作不够规范，说理性不强。",
        "三、下一步工作打算", "我局将继续深入学习贯彻习近平法治思想，加强执法队伍建设，完善执法程序，"
        "规范执法行为，强化执法监督，推进执法信息化建设，不断提升行政执法规范化水平，为建设法治政府作出新的贡献。"])
    values = {"personnel.officers": officers, "permits.accepted": applications, "permits.granted": granted,
              "penalties.decisions": summary + general, "penalties.summary_procedure": summary,
              "penalties.general_procedure": general, "penalties.fines_yuan": round(fines * 10_000),
              "coercion.measures": measures, "inspections.total": inspections, "report_year": 2023}
    return text, values


def _value(record: dict, path: str):
    node = record
    for key in path.split("."):
        node = node[key]
    return node["value"] if isinstance(node, dict) else node


@settings(max_examples=60, deadline=None, derandomize=True)
@given(reports(), st.one_of(st.integers(20, 50).map(lambda n: ("count", n)),
                            st.integers(40, 100).map(lambda n: ("columns", n))))
def test_a_report_cut_at_any_width_keeps_its_values_and_exact_offsets(report, cut):
    text, values = report
    how, n = cut
    wrapped = cut_every(text, n) if how == "count" else cut_at_width(text, n)
    for source in (text, wrapped):
        record = parse_text(source)
        assert {path: _value(record, path) for path in values} == values, source
        for path, ev in record["evidence"].items():
            assert source[ev["start"]:ev["end"]] == ev["text"], path
