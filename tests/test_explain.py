"""`enforce parse --explain` and explain_text: every candidate of a field with the rule that took or
dropped it, the same values as the record, and nothing recorded (or changed) without it."""
import ast
import json
import re

import pytest

from conftest import ROOT, SAMPLES
from engine_records import DEV_TEXTS, NO_SHARED, SAMPLE_TEXTS, SEEDS, parsed
from enforcement_parser.api import explain_file, explain_text, parse_text
from enforcement_parser.knowledge.catalogue import by_path, fields
from enforcement_parser.engine.decisions import RULES, recorder
from enforcement_parser.engine.labels import global_vetoes

KNOWN = set(RULES) | set(global_vetoes())

# My own wording of the shapes each rule is about (not copied from any case).
REPORT = """青山市生态环境局2023年度行政执法工作报告

一、行政执法基本情况
2023年，我局共有行政执法人员46人。全年作出行政处罚决定86件，同比2022年作出行政处罚决定70件有所增加。
全年办理行政许可决定120件。开展“清废”专项行动，作出行政处罚决定12件。
二、其他
办理行政许可决定135件，罚没金额40万元，其中单笔罚没金额10万元。行政检查占比达到35%。
"""


def _by_value(explanation: dict, path: str) -> dict:
    return {c["value"]: c for c in explanation["fields"][path]["candidates"]}


@pytest.fixture(scope="module")
def report():
    return explain_text(REPORT)


@pytest.mark.parametrize("path, value, taken, rule", [
    ("penalties.decisions", 86, True, "resolve.only"),
    ("penalties.decisions", 70, False, "veto.comparison"),        # 同比2022年…70件
    ("penalties.decisions", 12, False, "veto.campaign-sentence"),  # 专项行动 in the sentence
    ("penalties.fines_yuan", 400000, True, "resolve.only"),
    ("penalties.fines_yuan", 100000, False, "veto.single-case"),   # 单笔罚没金额10万元
    ("permits.decisions", 120, True, "resolve.overview"),          # under 基本情况
    ("permits.decisions", 135, False, "resolve.overview"),
])
def test_each_candidate_has_the_rule_that_took_or_dropped_it(report, path, value, taken, rule):
    c = _by_value(report, path)[value]
    assert (c["taken"], c["decision"]["rule"]) == (taken, rule)
    assert c["decision"]["reason"]
    assert REPORT[c["span"]["start"]:c["span"]["end"]] == c["span"]["text"]
    assert c["span"]["line"] == REPORT.count("\n", 0, c["span"]["start"]) + 1


def test_the_veto_names_the_word_and_the_label_that_would_have_taken_it(report):
    c = _by_value(report, "penalties.decisions")[70]
    assert c["span"]["text"] == "70件" and "同比" in c["decision"]["reason"]
    assert c["near_label"] == "作出行政处罚"


def test_a_dropped_figure_no_label_names_is_unattached(report):
    share = [c for c in report["unattached"] if c["span"]["text"] == "35%"]
    assert [c["decision"]["rule"] for c in share] == ["veto.share"]


def test_values_are_the_records(report):
    record = parse_text(REPORT)
    for f in fields():
        node = record
        for key in f.path.split("."):
            node = node[key]
        assert report["fields"][f.path]["value"] == node, f.path


def test_identity_fields_name_the_document_reader(report):
    agency = report["fields"]["agency.name"]
    assert agency["value"] == "青山市生态环境局"
    assert agency["decision"]["rule"] == "document.identity" and "title" in agency["decision"]["reason"]


def test_a_notice_says_why_no_figure_is_taken():
    got = explain_text("关于开展2024年行政执法案卷评查工作的通知\n各单位：\n请于3月1日前报送行政处罚案卷10件。\n")
    assert got["stopped"]["rule"] == "document.not-a-report"
    assert got["fields"]["penalties.decisions"]["note"] == RULES["document.not-a-report"]


def test_ambiguity_drops_every_candidate():
    got = explain_text("某县交通运输局2023年行政执法情况报告\n办理行政许可决定120件。\n另办理行政许可决定135件。\n")
    field = got["fields"]["permits.decisions"]
    assert field["value"] is None
    assert {(c["value"], c["decision"]["rule"], c["taken"]) for c in field["candidates"]} == \
        {(120, "resolve.ambiguous", False), (135, "resolve.ambiguous", False)}


def test_nothing_is_recorded_outside_explain():
    parse_text(REPORT)
    assert recorder() is None


def _seed_explanations():
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return seeds or [pytest.param(None, marks=pytest.mark.skip(reason=NO_SHARED))]


@pytest.mark.parametrize("seed", _seed_explanations(), ids=lambda p: p.name if p else "seeds")
def test_every_null_core_field_of_every_seed_is_explained(seed, run_enforce):
    """Done-when of issue 19: the candidates of every null core field with the rule that dropped
    each, or "no candidate" — through the real command."""
    proc = run_enforce("parse", seed, "--explain", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    for f in fields():
        entry = got["fields"][f.path]
        if entry["value"] is not None or not f.core:
            continue
        if entry["candidates"]:
            for c in entry["candidates"]:
                assert not c["taken"] and c["decision"]["rule"] in KNOWN, (f.path, c)
        else:   # a notice or a quarterly circular says why no figure at all is taken
            stopped = got["stopped"]
            assert entry["note"] == (RULES[stopped["rule"]] if stopped else "no candidate"), f.path


@pytest.mark.parametrize("path", SAMPLE_TEXTS + DEV_TEXTS, ids=lambda p: p.name)
def test_every_value_has_its_taken_candidate_and_every_rule_is_known(path):
    got = explain_file(str(path))
    record, text = parsed(path)
    for f in fields():
        entry = got["fields"][f.path]
        node = record
        for key in f.path.split("."):
            node = node[key]
        assert entry["value"] == node, f.path
        taken = [c for c in entry["candidates"] if c["taken"]]
        if node is not None and "decision" not in entry:
            assert taken and all(c["value"] == node for c in taken), f.path
            assert record["evidence"][f.path]["start"] in [c["span"]["start"] for c in taken]
        for c in entry["candidates"]:
            assert c["decision"]["rule"] in KNOWN, c
            assert text[c["span"]["start"]:c["span"]["end"]] == c["span"]["text"]
    assert all(c["decision"]["rule"] in KNOWN for c in got["unattached"])


def test_cli_text_listing(run_enforce, tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(REPORT, encoding="utf-8")
    proc = run_enforce("parse", report, "--explain", "--format", "text")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode("utf-8")
    assert "penalties.decisions  行政处罚决定数 = 86" in out
    assert "✗         70  line 4 '70件' (label '作出行政处罚') — veto.comparison: '同比' before the figure" in out
    assert out.splitlines()[-1].endswith("veto.share: '占比' before the figure")


@pytest.mark.parametrize("args, message", [
    (["--format", "json"], "--format applies to --explain only"),
    (["--explain", "--format", "xml"], "--format is json or text"),
    (["--explain", "--summary"], "cannot be combined"),
])
def test_cli_refuses_format_without_explain(run_enforce, args, message):
    proc = run_enforce("parse", SAMPLES / "dongli_narrative.txt", *args)
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8")
    assert err.startswith("error:") and message in err and len(err.splitlines()) == 1


def test_every_rule_id_in_the_code_is_registered_and_documented():
    """An id written in the engine must be in decisions.RULES (or be a veto list of the data), and
    README lists every id."""
    used = set()
    record_keys = set(by_path()) | {f"document.{key}" for key in parse_text(REPORT)["document"]}
    pattern = re.compile(r"^(document|veto|scope|year|sentence|table|template|implicit|resolve|ocr)\.[a-z-]+$")
    for source in (ROOT / "src" / "enforcement_parser").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.match(node.value) \
                    and node.value not in record_keys and not node.value.endswith((".toml", ".tsv")):
                used.add(node.value)
    assert used - KNOWN == set()
    assert set(RULES) - used == set(), "registered ids no code writes"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [i for i in sorted(KNOWN) if f"`{i}`" not in readme] == []


def test_the_global_veto_lists_are_the_old_flat_list():
    """Splitting [global] veto into named lists kept every word (the flat list of main c4a48ee)."""
    words = [w for group in global_vetoes().values() for w in group]
    assert len(words) == len(set(words)) == 49
    assert {"同比", "占比", "新增", "计划", "平均", "分别", "两年累计", "单笔"} <= set(words)

