"""Smoke test for benchmarks/bench.py: it runs end to end on a tiny input. No time is asserted."""

import json
import subprocess
import sys

from conftest import ROOT

TINY = "某某市2023年行政执法工作报告\n一、行政处罚\n全年办理行政处罚案件12件，罚没款3.5万元。\n"


def test_bench_quick_writes_every_section(tmp_path):
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "tiny.txt").write_text(TINY, encoding="utf-8")
    out = tmp_path / "results.json"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks/bench.py"), "--quick", "--samples",
                        str(samples), "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Targets" in r.stdout and str(out) in r.stdout
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["meta"]["quick"] is True
    assert [row["sample"] for row in res["parse"]] == ["tiny.txt"]
    assert {"median_ms", "p95_ms", "reports_per_s"} <= res["parse"][0]["parse_text"].keys()
    assert res["machine_check"]["runs"] == 3 and res["machine_check"]["median_ms"] > 0
    commands = [row["command"] for row in res["cold_start"]]
    assert commands == ["python -c pass", "enforce --version", "enforce --help", "enforce parse tiny.txt"]
    assert all("error" not in row and row["peak_rss_mb"] > 0 for row in res["cold_start"])
    modes = {row["mode"]: row["status"] for row in res["batch"]}
    assert modes["enforce batch -j 2"] == "ok" or modes["enforce batch -j 2"] == "unavailable"
    assert modes["multiprocessing parse_file, 2 processes"] == "ok"
    assert res["scaling"][0]["ratio_to_first"] == 1
    assert all({"target", "measured", "limit", "met"} <= t.keys() for t in res["targets"])


def test_bench_refuses_empty_sample_dir(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks/bench.py"), "--quick", "--samples",
                        str(tmp_path), "--out", str(tmp_path / "r.json")], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("error: no *.txt samples")
