"""tools/lens.py, run as a developer runs it, over small reports of my own wording."""
import csv
import pathlib
import subprocess
import sys

TOOL = pathlib.Path(__file__).resolve().parents[1] / "tools" / "lens.py"

# Two reports. Figures taken; figures no label names (集中学法, study sessions, in both: one group
# over two files); a comparison dropped by its veto; two disagreeing 行政许可 figures left null.
ONE = ("甲县水利局2023年度行政执法工作报告\n"
       "2023年，我局共作出行政处罚决定15件，组织干部集中学法6次。\n"
       "同比2022年作出行政处罚决定9件有所增加。\n"
       "办理行政许可决定30件。另办理行政许可决定33件。\n")
TWO = ("乙县林业局2023年度行政执法工作报告\n"
       "全年罚款金额共计3.2万元，开展集中学法4次。\n")
NOTICE = "关于报送2024年行政执法数据的通知\n各单位：请于1月10日前报送行政处罚案件15件的案卷。\n"


def run(directory: pathlib.Path, out: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(TOOL), str(directory), "-o", str(out)],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def rows(path: pathlib.Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _lens(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "one.txt").write_text(ONE, encoding="utf-8")
    (src / "two.txt").write_text(TWO, encoding="utf-8")
    (src / "notice.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    proc = run(src, out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_untaken_figures_are_grouped_by_their_label_words_across_files(tmp_path):
    out = _lens(tmp_path)
    untaken = rows(out / "untaken.tsv")
    study = [r for r in untaken if r["unit"] == "次"]
    assert [(r["file"], r["line"], r["label"], r["figure"], r["after"]) for r in study] == [
        ("one.txt", "2", "组织干部集中学法", "6次", "。"), ("two.txt", "2", "开展集中学法", "4次", "。")]
    assert study[0]["before"] == "处罚决定15件，组织干部集中学法"   # CONTEXT, 16 characters
    groups = rows(out / "untaken_groups.tsv")
    assert groups[0]["label"] == "集中学法" and groups[0]["unit"] == "次"
    assert (groups[0]["count"], groups[0]["files"], groups[0]["labels"]) == ("2", "2", "组织干部集中学法、开展集中学法")
    # a notice yields no figures at all: none of its figures is "untaken"
    assert not [r for r in untaken if r["file"] == "notice.txt"]


def test_a_vetoed_figure_is_untaken_with_the_rule_that_dropped_it(tmp_path):
    out = _lens(tmp_path)
    nine = [r for r in rows(out / "untaken.tsv") if r["figure"] == "9件"]
    assert [(r["label"], r["dropped_by"]) for r in nine] == [("作出行政处罚决定", "veto.comparison")]


def test_taken_values_carry_evidence_rule_and_decision(tmp_path):
    out = _lens(tmp_path)
    taken = {(r["file"], r["field"]): r for r in rows(out / "taken.tsv")}
    fines = taken[("two.txt", "penalties.fines_yuan")]
    assert (fines["value"], fines["evidence"], fines["rule"], fines["decision"]) == \
        ("32000", "3.2万元", "sentence:label-before", "resolve.only")
    agency = taken[("one.txt", "agency.name")]
    assert (agency["value"], agency["decision"]) == ("甲县水利局", "document.identity")
    assert ("one.txt", "permits.decisions") not in taken


def test_drops_are_listed_and_counted_by_rule(tmp_path):
    out = _lens(tmp_path)
    dropped = rows(out / "dropped.tsv")
    assert sorted((r["field"], r["value"], r["decision"]) for r in dropped) == [
        ("", "4", "sentence.no-fit"), ("", "6", "sentence.no-fit"),   # 集中学法: no field reads it
        ("penalties.decisions", "9", "veto.comparison"),
        ("permits.decisions", "30", "resolve.ambiguous"), ("permits.decisions", "33", "resolve.ambiguous")]
    counts = {r["rule"]: (r["count"], r["files"], r["fields"]) for r in rows(out / "drop_rules.tsv")}
    assert counts == {"resolve.ambiguous": ("2", "1", "permits.decisions:2"),
                      "sentence.no-fit": ("2", "2", "-:2"),
                      "veto.comparison": ("1", "1", "penalties.decisions:1")}
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith(f"Corpus lens over `{tmp_path / 'in'}`: 3 files (0 unreadable)")
    assert "| 集中学法 | 次 | 2 | 2 | 组织干部集中学法、开展集中学法 | sentence.no-fit |" in summary
    assert "| `resolve.ambiguous` | 2 | 1 | permits.decisions:2 |" in summary


def test_an_empty_directory_is_one_error_line(tmp_path):
    proc = run(tmp_path, tmp_path / "out")
    assert proc.returncode == 2 and proc.stderr == f"error: no report files in {tmp_path}\n"
