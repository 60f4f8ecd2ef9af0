"""`enforce batch --reviews`: review files applied by sha256, counted in summary.csv, redone when they change."""

import csv
import json
import shutil

import pytest
from review_files import review, write
from test_review_file import four_decisions

from conftest import SAMPLES
from enforcement_parser.api import parse_text, sha256_hex

DONGLI, YUBEI = SAMPLES / "dongli_narrative.txt", SAMPLES / "yubei_markdown.txt"


def dongli_review() -> dict:
    text = DONGLI.read_text(encoding="utf-8")
    record = parse_text(text, path="dongli_narrative.txt", sha256=sha256_hex(DONGLI.read_bytes()))
    return review(record, four_decisions(record, text))


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "in/sub").mkdir(parents=True)
    shutil.copy(DONGLI, tmp_path / "in/sub/dongli.txt")
    shutil.copy(YUBEI, tmp_path / "in/yubei.txt")
    (tmp_path / "reviews").mkdir()
    write(tmp_path / "reviews/dongli.txt.review.json", dongli_review())
    return tmp_path


def csv_rows(out) -> dict:
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def test_reviews_are_applied_by_sha256(run_enforce, tree):
    other = dongli_review()
    other["source"]["sha256"] = sha256_hex(b"an older copy")
    write(tree / "reviews/old.review.json", other)
    proc = run_enforce("batch", tree / "in", "-o", tree / "out", "--reviews", tree / "reviews", "-j", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.decode().splitlines() == [
        f"warning: {tree / 'reviews/old.review.json'} is a review of bytes that are not among the inputs; not applied"]
    record = json.loads((tree / "out/sub/dongli.json").read_text(encoding="utf-8"))
    assert record["agency"]["name"] == "天津市公安局东丽分局"
    assert record["review"]["fields"] == {"agency.name": "correct", "agency.city": "not-stated",
                                          "personnel.certified_basic": "confirm",
                                          "reviews.reconsideration.corrected": "add"}
    assert "review" not in json.loads((tree / "out/yubei.json").read_text(encoding="utf-8"))
    rows = csv_rows(tree / "out")
    assert (rows["sub/dongli.txt"]["verified"], rows["sub/dongli.txt"]["corrected"]) == ("4", "2")
    assert (rows["yubei.txt"]["verified"], rows["yubei.txt"]["corrected"]) == ("0", "0")
    assert rows["sub/dongli.txt"]["agency.name"] == "天津市公安局东丽分局"
    assert rows["sub/dongli.txt"]["agency.city"] == ""


def test_a_changed_review_redoes_its_input_only(run_enforce, tree):
    args = ("batch", tree / "in", "-o", tree / "out", "--reviews", tree / "reviews", "-j", "1", "-q")
    assert run_enforce(*args).returncode == 0
    manifest = [json.loads(line) for line in (tree / "out/manifest.jsonl").read_text().splitlines()]
    assert [bool(m.get("review")) for m in manifest] == [True, False]  # sub/dongli.txt, yubei.txt
    data = dongli_review()
    del data["fields"]["agency.city"]
    write(tree / "reviews/dongli.txt.review.json", data)
    stamp = (tree / "out/yubei.json").stat().st_mtime_ns
    assert run_enforce(*args).returncode == 0
    record = json.loads((tree / "out/sub/dongli.json").read_text(encoding="utf-8"))
    assert record["agency"]["city"] == "天津市" and record["review"]["not_stated"] == 0
    assert (tree / "out/yubei.json").stat().st_mtime_ns == stamp, "an unchanged input is reused"
    # without --reviews the reviewed input is read again as the machine reads it
    assert run_enforce(*args[:4], "-j", "1", "-q").returncode == 0
    assert "review" not in json.loads((tree / "out/sub/dongli.json").read_text(encoding="utf-8"))


def test_a_review_that_does_not_fit_fails_its_input(run_enforce, tree):
    data = dongli_review()
    data["fields"]["agency.name"]["evidence"]["start"] = 1
    write(tree / "reviews/dongli.txt.review.json", data)
    proc = run_enforce("batch", tree / "in", "-o", tree / "out", "--reviews", tree / "reviews", "-j", "1", "-q")
    assert proc.returncode == 1
    errors = [json.loads(line) for line in (tree / "out/errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["path"], e["error"]) for e in errors] == [("sub/dongli.txt", "review")]
    assert "agency.name: text[1:6] is '安东丽分局', the review says '公安东丽分局'" in errors[0]["reason"]
    assert list(csv_rows(tree / "out")) == ["yubei.txt"]


@pytest.mark.parametrize("case, code, message", [
    ("duplicate", 5, "are both reviews of the same input"),
    ("invalid", 5, "not a review file"),
    ("missing", 2, "not a folder"),
])
def test_bad_review_folders_stop_the_batch(run_enforce, tree, case, code, message):
    folder = tree / "reviews"
    if case == "duplicate":
        write(folder / "copy.review.json", dongli_review())
    elif case == "invalid":
        write(folder / "x.review.json", {"review_version": "1"})
    else:
        folder = tree / "nowhere"
    proc = run_enforce("batch", tree / "in", "-o", tree / "out", "--reviews", folder, "-j", "1", "-q")
    assert proc.returncode == code
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
