"""Who reports, for which year, and what kind of document it is: the identity fields read from
reports written in styles the seeds do not show (no clean title, an addressee line, a title on
two lines, web labels glued to the title, a law's year, an area's report). Each row is a short
report written here and the value a careful reader takes (None: the field must stay empty)."""

import pytest

from enforcement_parser.api import parse_text
from enforcement_parser.engine import identity as identity_reader
from enforcement_parser.engine.identity import table
from enforcement_parser.outputs.record import value_at

SECTIONS = "\n一、主要工作情况\n(一)严格规范执法。全年办理行政处罚案件12件。\n"


def identity(text: str) -> dict:
    record = parse_text(text)
    return {path: value_at(record, path) for path in (
        "document.kind", "agency.name", "agency.province", "agency.city", "agency.district", "report_year")}


def _check(text: str, expected: dict) -> None:
    got = identity(text)
    assert {k: got[k] for k in expected} == expected


CIRCULAR = ("关于2023年度行政执法数据备案情况的通报\n各县（区）人民政府，市直各部门：\n现将2023年度行政执法数据备案情况"
            "通报如下：\n一、总体情况\n2023年，全市45个部门报送了备案数据，备案行政执法案件12345件，其中行政处罚8765件。\n"
            "某市司法局\n2024年3月1日\n")

# (text, the identity fields a reader takes from it)
OWN_WORDING = [
    # an excerpt cut inside its opening year: the agency from the opening, the year from the body
    ("年，青山区城市管理局在区委区政府的正确领导下，严格规范执法。\n一、基本情况\n2023年，全局共办理行政处罚案件12件。",
     {"document.kind": "report", "agency.name": "青山区城市管理局", "report_year": 2023, "agency.district": "青山区",
      "agency.city": None}),   # 青山区 is in 武汉 and in 包头: the name only
    # ... but not when the body's sentences name two years
    ("年，青山区城市管理局在区委区政府的正确领导下，严格规范执法。\n一、基本情况\n2023年，全局共办理案件12件。2022年，办理10件。",
     {"agency.name": "青山区城市管理局", "report_year": None}),
    # an addressee line before the opening is not the reporter
    ("县人民政府：\n2022年，临泽县市场监督管理局认真贯彻落实上级部署。" + SECTIONS,
     {"document.kind": "report", "agency.name": "临泽县市场监督管理局", "report_year": 2022,
      "agency.district": "临泽县", "agency.city": "张掖市", "agency.province": "甘肃省"}),
    # a lead clause "在…领导下" between the year and the agency
    ("2021年，在市委市政府的正确领导下，鹤岗市司法局紧扣法治政府建设目标。" + SECTIONS,
     {"agency.name": "鹤岗市司法局", "agency.city": "鹤岗市", "agency.province": "黑龙江省", "report_year": 2021}),
    # the whole organ name, not the place that starts it; not the words after it either
    ("2022年，重庆市大足区公安局始终坚持以习近平法治思想为指导。" + SECTIONS,
     {"agency.name": "重庆市大足区公安局", "agency.district": "大足区", "agency.province": "重庆市"}),
    ("2024年，城北区市场监督管理局根据区委部署，扎实推进依法行政。" + SECTIONS,
     {"agency.name": "城北区市场监督管理局", "agency.district": "城北区"}),
    # an area as the subject: its places, no organ name
    ("2023年，临夏县法治政府建设取得新成效。" + SECTIONS,
     {"agency.name": None, "agency.district": "临夏县", "agency.province": "甘肃省", "report_year": 2023}),
    # a date is no lead: "2012年7月1日以来" does not date the report
    ("某局行政复议工作情况\n2013年3月1日以来，受理行政复议案件40起。", {"report_year": None}),
    # a long lead clause ("…之年") before a town as the subject
    ("2024年作为《某某县法治政府建设规划(2021—2025年)》实施的关键之年，红山镇持续推进依法行政。" + SECTIONS,
     {"agency.name": "红山镇", "report_year": 2024, "document.kind": "report"}),
    # a joint subject names nobody but its lead still dates the report
    ("2022年，县委、县政府坚持以法治引领发展。" + SECTIONS, {"agency.name": None, "report_year": 2022}),
    # near misses: an area word, a self reference, a joint party and government subject
    ("2023年是实施“十四五”规划的关键之年，全市公安机关以改革为动力。" + SECTIONS,
     {"agency.name": None, "report_year": 2023}),
    ("2024年，我局坚持严格规范公正文明执法。" + SECTIONS, {"agency.name": None, "report_year": 2024}),
    ("2024年，市委市政府高度重视法治政府建设。" + SECTIONS, {"agency.name": None}),
    # a yearbook entry opens like a report but has no numbered sections
    ("2015年，某某交警大队以预防道路交通事故为中心，圆满完成各项任务。\n酒驾整治\n2015年，该大队查处酒驾44起。",
     {"document.kind": "unknown"}),
    # a title on two lines, the organ on the first
    ("铁东区水务局\n2023年度行政执法情况报告\n2023年，区水务局坚持依法行政。",
     {"document.kind": "report", "agency.name": "铁东区水务局", "agency.district": "铁东区", "report_year": 2023}),
    # the organ alone on the line under the title
    ("2022年度行政执法工作报告\n白银市生态环境局\n（2023年1月5日）\n根据要求，现将2022年度行政执法工作报告如下：",
     {"agency.name": "白银市生态环境局", "agency.city": "白银市", "report_year": 2022}),
    # an organ opening a title without a year
    ("嘉峪关市交通运输局开展行政执法“三项制度”情况报告\n近年来，嘉峪关市交通运输局积极推行三项制度。",
     {"agency.name": "嘉峪关市交通运输局", "agency.city": "嘉峪关市", "report_year": None}),
    # web-page labels glued to the title; the short self-name expanded from the text
    ("返回顶部永登县农业农村局2022年度行政执法工作报告\n2022年，永登县农业农村局坚持依法行政。",
     {"agency.name": "永登县农业农村局", "agency.district": "永登县", "report_year": 2022}),
    ("公报标题区住建局2023年度行政执法统计年报\n本级行政机关：城关区住建局\n",
     {"agency.name": "城关区住建局", "report_year": 2023}),
    # an area's report: the title's place
    ("红古区2023年度行政执法工作情况报告\n2023年，红古区坚持依法行政。",
     {"agency.district": "红古区", "agency.city": "兰州市", "report_year": 2023}),
    # an ambiguous district pinned down by the text writing it with its city
    ("区交通运输局2022年度行政执法工作报告\n2022年，沈阳市和平区交通运输局坚持依法行政。",
     {"agency.name": "和平区交通运输局", "agency.district": "和平区", "agency.city": "沈阳市", "agency.province": "辽宁省"}),
    # a law's year, a since-phrase: not the report year
    ("自1996年《行政处罚法》颁布施行以来，全省市场监管部门严格执法。\n保护当事人合法权益\n",
     {"report_year": None}),
    ("从2019年起，我局推行行政执法全过程记录。" + SECTIONS, {"report_year": None}),
    # the whole year written as months, a period that qualifies a prize: still an annual report
    ("兰州新区公安局2024年度法治政府建设情况报告\n2024年1至12月，全区受理治安案件500起。",
     {"report_year": 2024}),
    ("西固区司法局2021年度法治政府建设情况报告\n2021年，西固区司法局荣获2016—2020年全省普法工作先进集体。",
     {"report_year": 2021}),
    # an organ named as its Party committee: the organ
    ("中共白银市公安局交通警察支队平川大队委员会关于2023年法治政府建设情况的报告\n现将有关情况报告如下：",
     {"agency.name": "白银市公安局交通警察支队平川大队", "agency.city": "白银市"}),
    # near miss: a Party committee with no organ inside keeps its name
    ("中共某某县委员会关于2023年法治政府建设情况的报告\n现将有关情况报告如下：", {"agency.name": "中共某某县委员会"}),
    # a press conference in a report's sentence is the report's own work; in a headline it is news
    ("白银市人力资源和社会保障局2022年法治政府建设年度报告\n2022年，我局通过短信、召开新闻发布会等形式宣传告知。" + SECTIONS,
     {"document.kind": "report"}),
    ("白银市公安局五年来工作成绩新闻发布会召开\n2022-05-23 西部商报\n近日，市公安局召开新闻发布会。",
     {"document.kind": "notice"}),
    ("兰州晚报客户端兰州3月5日电(记者 张三)兰州市公安局今天发布2023年主要数据。", {"document.kind": "notice"}),
    # an event named in a headline (a 报告会, a meeting held): news; a report's own title stays a report
    ("2022无锡公安工作报告会举行\n2023-01-11 10:15:00 来源:无锡日报\n今年1月10日,工作报告会在大剧院举行。",
     {"document.kind": "notice"}),
    ("兰州市公安局英模事迹报告会在市委礼堂举行\n2024-01-10 兰州日报\n市领导出席。", {"document.kind": "notice"}),
    ("白银市公安局执法规范化建设推进会召开\n2023-05-01 白银日报\n近日，推进会召开。", {"document.kind": "notice"}),
    ("白银市公安局2022年度法治政府建设工作报告\n2022年，我局在市委举行的会议上作了报告。" + SECTIONS,
     {"document.kind": "report"}),
    # the reporter speaking of itself after an addressee: its year, and a report
    ("市依法行政工作领导小组办公室：\n2019年，在市委市政府的领导下，我委认真履行职责。" + SECTIONS,
     {"document.kind": "report", "agency.name": None, "report_year": 2019}),
    # a form label naming the organ (a statistics annual report without a title line)
    ("一、行政执法主体概况\n1.本级行政机关：张掖市甘州区林业和草原局\n2.二级单位：张掖市甘州区林业执法大队\n",
     {"agency.name": "张掖市甘州区林业和草原局", "agency.district": "甘州区"}),
    # pinyin notes of a traditional-script mirror are not part of the names
    ("2022年，應(yīng)急管理局堅(jiān)持依法行政。\n一、主要工作\n",
     {"agency.name": "应急管理局", "report_year": 2022}),
    ("1.本級(jí)行政機(jī)關(guān)：酒泉市肅州區(qū)林業(yè)局\n", {"agency.name": "酒泉市肃州区林业局"}),
    # the end of a range of years is not the report year
    ("2021年，定西市公安局全面推进依法行政，荣获2016—2020年全省普法先进单位，现将有关情况报告如下：\n一、主要工作\n",
     {"report_year": 2021, "agency.name": "定西市公安局"}),
    # a web label on the line above a title is not joined to it
    ("返回顶部\n武威市凉州区水务局2022年度行政执法工作报告\n", {"agency.name": "武威市凉州区水务局", "report_year": 2022}),
    # a 司法局's circular on the data other departments filed: a notice, so none of its figures are the sender's
    (CIRCULAR, {"document.kind": "notice", "agency.name": "某市司法局"}),
    ("关于报送2023年度行政执法工作报告的通知\n各县（区）人民政府：\n请于2024年1月31日前报送。\n", {"document.kind": "notice"}),
    # near miss: a quarter that opens a clause is the report's period
    ("2023年一季度，西固区司法局严格执法。" + SECTIONS, {"report_year": None}),
]


@pytest.mark.parametrize("text, expected", OWN_WORDING)
def test_identity_in_own_wording(text, expected):
    _check(text, expected)


@pytest.mark.parametrize("row", table()["opening"]["examples"], ids=lambda r: r["text"][:12])
def test_opening_examples(row):
    # an opening without a year ("近几年来,…") names the agency but does not make a report
    _check(row["text"] + SECTIONS, {"document.kind": "report" if "year" in row else "unknown",
                                    "agency.name": row["agency"], "report_year": row.get("year")})


@pytest.mark.parametrize("row", table()["opening"]["near_misses"], ids=lambda r: r["text"][:12])
def test_opening_near_misses(row):
    _check(row["text"] + SECTIONS, {"agency.name": None, "report_year": row.get("year")})


@pytest.mark.parametrize("row", table()["year"]["examples"] + table()["year"]["near_misses"],
                         ids=lambda r: r["text"][:12])
def test_year_examples(row):
    _check(row["text"] + SECTIONS, {"report_year": row.get("year")})


@pytest.mark.parametrize("title", [
    "公报标题市商务局2023年度行政执法统计年报", "标题:中共某某县委员会关于2023年法治政府建设工作情况的报告",
    "29-top_img.png盘锦市2021年全年林业行政案件统计分析报告", "【工作总结】六安市公安局关于2022年法治政府建设情况的报告",
    "粤公网安备44010402000213号广州市司法局2019年度行政执法数据", "生成日期2025-02-07公开方式主动公开温州市公安局鹿城区分局2024年法治政府建设年度报告",
])
def test_web_labels_before_a_title_are_not_the_title(title):
    record = parse_text(title + "\n现将有关情况报告如下：\n")
    assert record["document"]["title"].startswith(("市商务局", "中共", "盘锦市", "六安市", "广州市", "温州市"))


def test_a_circular_on_filings_gives_no_figures():
    record = parse_text(CIRCULAR)
    assert value_at(record, "penalties.decisions") is None and value_at(record, "report_year") == 2023


def test_a_label_word_inside_a_title_stays():
    """Near miss: "标题" without its colon is a word of the title, not a web label."""
    record = parse_text("标题党治理工作2023年度情况报告\n现将有关情况报告如下：\n")
    assert record["document"]["title"] == "标题党治理工作2023年度情况报告"


# Word lists of document.toml [agency] the identity reader places in a pattern: each has an example
# (the agency it gives; none: no agency) and a near miss, and the example needs its list.
AGENCY_LISTS = [key for key in table()["agency"] if f"{key}_example" in table()["agency"]]


def test_the_agency_lists_with_examples_are_the_ones_code_places():
    assert sorted(AGENCY_LISTS) == ["self_words", "title_subjects", "town_suffixes"]


@pytest.mark.parametrize("key", AGENCY_LISTS)
def test_agency_list_example_and_near_miss(key):
    for row in (table()["agency"][f"{key}_example"], table()["agency"][f"{key}_near_miss"]):
        assert value_at(parse_text(row["text"] + SECTIONS), "agency.name") == row.get("agency"), row["text"]


@pytest.mark.parametrize("key", AGENCY_LISTS)
def test_agency_list_example_needs_its_words(key, monkeypatch):
    """Without the list's words that occur in its example, the example names another agency."""
    row = table()["agency"][f"{key}_example"]
    words = table()["agency"][key]
    kept = [w for w in words if w not in row["text"]]
    assert kept != words, f"no word of [agency] {key} occurs in its example"
    monkeypatch.setitem(table()["agency"], key, kept)
    identity_reader._compiled.cache_clear()
    try:
        got = value_at(parse_text(row["text"] + SECTIONS), "agency.name")
    finally:
        monkeypatch.undo()
        identity_reader._compiled.cache_clear()
    assert got != row.get("agency"), row["text"]
