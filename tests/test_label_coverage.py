"""Labels, vetoes and resolution rules added for reports nobody here had seen (issue 15, capabilities
2, 3 and 7). Each row is our own wording of a general form found in real reports, with the value a
reader of the sentence writes down; near misses of each form say what must stay null."""
import pytest

from enforcement_parser.api import parse_text

TITLE = "某县某局2023年度行政执法工作报告\n"

ROWS = [
    # officers: 在岗 / 正式 / 队员 / 持证人数 / 执法人员数量
    ("站里在岗执法队员12人。", "personnel.officers", 12),
    ("全局执法人员数量为52人。", "personnel.officers", 52),
    ("我队现有正式执法队员9人。", "personnel.officers", 9),
    ("持有行政执法证件人数64名。", "personnel.officers", 64),
    ("今年新增在岗执法人员3人。", "personnel.officers", None),
    ("全局持有浙江省行政执法证件的执法人员共38名。", "personnel.officers", 38),
    # the enterprise share of the major decisions filed, said after 其中
    ("重大行政执法决定备案20件，其中涉企的15件。", "filings.major_decisions_enterprise", 15),
    ("全年行政处罚案件30件，其中涉企12件。", "filings.major_decisions_enterprise", None),
    # certification levels and the bar exam, the count before the label ("N名同志通过…")
    ("全局共有11名民警通过高级执法资格考试。", "personnel.certified_advanced", 11),
    ("具有高级执法资格的人员7名。", "personnel.certified_advanced", 7),
    ("组织高级执法资格考试培训2次。", "personnel.certified_advanced", None),
    ("另有3名同志通过国家法律职业资格考试。", "personnel.legal_profession_qualified", 3),
    ("通过国家司法考试的民警4人。", "personnel.legal_profession_qualified", 4),
    ("组织28名民警报名参加国家法律职业资格考试。", "personnel.legal_profession_qualified", None),
    # an amount right after 行政处罚 is what the decisions imposed; a case value is not
    ("全年行政处罚58.6万元。", "penalties.fines_yuan", 586000),
    ("行政处罚案件涉案金额58.6万元。", "penalties.fines_yuan", None),
    ("全年行政处罚12件。", "penalties.fines_yuan", None),
    # 行政征收 cases; the levy's money is never 罚没
    ("办理行政征收案件310件，征收金额1200万元。", "expropriation.cases", 310),
    ("办理行政征收案件310件，征收金额1200万元。", "penalties.fines_yuan", None),
    ("征收征用0件。", "expropriation.cases", 0),
    # 行政强制 alone counts measures; enforcement (强制执行) is another field
    ("全年实施行政强制45件。", "coercion.measures", 45),
    ("行政强制执行12件。", "coercion.measures", None),
    # pending reviews said as 在办 / 仍在办理中
    ("行政复议案件4件，其中维持2件，在办2件。", "reviews.reconsideration.pending", 2),
    ("行政诉讼案件2件，1件仍在办理中。", "reviews.litigation.pending", 1),
    ("受理行政许可申请20件，在办2件。", "reviews.reconsideration.pending", None),
    # a power list: its size after the list of what it holds, its parts in 项
    ("本部门权责清单包括行政许可、行政处罚和行政检查等，共计96项。", "power_list.items", 96),
    ("权责清单包括行政许可、行政处罚等，涉及12个科室。", "power_list.items", None),
    ("梳理职权事项215项，其中：行政处罚170项。", "power_list.items", 215),
    ("梳理职权事项215项，其中：行政处罚170项。", "power_list.penalties", 170),
    ("梳理职权事项215项，其中：行政处罚170项。", "penalties.decisions", None),
    # a power held, counted in 项 ("行政处罚权N项"), is a power-list item
    ("依法履行行政许可权35项、行政检查权12项。", "power_list.permits", 35),
    ("依法履行行政许可权35项、行政检查权12项。", "power_list.inspections", 12),
    ("全年办理行政许可35件。", "power_list.permits", None),
    # a kind named before the label (X类…) counts some of the field's cases: the total wins
    ("全年办理行政处罚案件20件。从类型看，办理食品安全类行政处罚案件12件。", "penalties.decisions", 20),
    ("全年办理各类行政处罚案件20件。", "penalties.decisions", 20),
    # parts of a list's size in a bracket are the list's parts too
    ("公布本局权责事项清单300项（其中行政许可20项、行政处罚250项）。", "power_list.items", 300),
    ("公布本局权责事项清单300项（其中行政许可20项、行政处罚250项）。", "power_list.permits", 20),
    ("公布动态调整后的权责事项清单300项（其中行政许可20项）。", "permits.decisions", None),
    # the size of a list is no count of decisions; handled matters (件) are
    ("公布行政许可事项目录58项。", "permits.decisions", None),
    ("公布行政许可事项目录58项。", "permits.granted", None),
    ("办理行政许可事项320件，全部依法准予许可。", "permits.decisions", 320),
    ("办理行政许可事项320件，全部依法准予许可。", "permits.granted", 320),
    # a kind of permit (X许可) is a sub-line, not the permits granted; a bare 许可 is
    ("作出行政许可决定400件，其中食品经营许可新办45件。", "permits.granted", None),
    ("作出行政许可决定400件，其中食品经营许可新办45件。", "permits.decisions", 400),
    ("受理许可申请120件，许可118件。", "permits.granted", 118),
    # case files reviewed are no decisions
    ("抽查各乡镇行政许可卷宗25份。", "permits.decisions", None),
    ("评查行政处罚案卷40件。", "penalties.decisions", None),
    # a category of reviewed cases is not a count of that act; in the agency's own breakdown it is
    ("一、行政复议情况\n本年受理行政复议案件30件，其中行政处罚类案件18件。", "penalties.decisions", None),
    ("一、行政复议情况\n本年受理行政复议案件30件，其中行政处罚类案件18件。", "reviews.reconsideration.cases", 30),
    ("今年办理执法案件300件。其中行政处罚类210件。", "penalties.decisions", 210),
    # "N件中…": the label after names what follows, not the N
    ("二、行政复议情况\n审结的复议案件50件中撤销3件。", "reviews.reconsideration.corrected", 3),
    # a total written figure first ("N件<label>中，…"), and an outcome said of all of it
    ("全年60件行政处罚中，适用简易程序40件、一般程序20件。", "penalties.decisions", 60),
    ("全年60件行政处罚中，适用简易程序40件、一般程序20件，处罚种类均为警告。", "penalties.warnings", 60),
    ("对12件行政处罚案件中存在的问题进行了整改。", "penalties.decisions", None),
    # records entered on a supervision platform lose to the report's own count, and are read alone
    ("全年作出行政处罚决定75件。通过执法监督平台录入行政处罚70件。", "penalties.decisions", 75),
    ("在执法监督平台录入行政检查300次。", "inspections.total", 300),
    # several years together are no year's figures
    ("2019年至2023年，我局共办理行政复议案件45件。", "reviews.reconsideration.cases", None),
    ("2021年以来，累计作出行政处罚决定300件。", "penalties.decisions", None),
    ("2023年以来，我局作出行政处罚决定30件。", "penalties.decisions", 30),
    # a clause with no year continues the year of the clause before it, unless that one only compares
    ("2022年行政检查800次，作出行政处罚决定70件。", "penalties.decisions", None),
    ("2023年作出行政处罚决定90件。同比2022年行政检查800次，行政处罚70件。", "penalties.decisions", 90),
    ("全年作出行政处罚决定90件，较2022年减少5件，开展行政检查1,200次。", "inspections.total", 1200),
    ("2022年办结行政复议案件2件，今年受理行政复议案件3件。", "reviews.reconsideration.cases", 3),
    # a space as thousands separator
    ("全年开展行政检查3 512 次。", "inspections.total", 3512),
]


def value_at(record: dict, path: str):
    node = record
    for key in path.split("."):
        node = node[key]
    return node


@pytest.mark.parametrize("text,path,expected", ROWS)
def test_reads(text, path, expected):
    assert value_at(parse_text(TITLE + text), path) == expected


def test_a_span_of_years_is_warned_about_even_without_a_report_year():
    record = parse_text("某局行政复议工作情况\n2012年7月1日以来，受理行政复议案件59起，维持29起。")
    assert record["reviews"]["reconsideration"]["cases"] is None
    mismatch = [w for w in record["warnings"] if w["code"] == "year-mismatch"]
    assert mismatch and "several years together" in mismatch[0]["message"]
