"""`enforce review DIR --reviews R`: pages carry the decisions so far, the index shows progress, unreviewed first."""

import html
import json
import re
import shutil

from review_files import review, write
from test_review_file import four_decisions

from conftest import SAMPLES
from enforcement_parser.api import parse_text, sha256_hex


def test_index_shows_review_progress_unreviewed_first(run_enforce, tmp_path):
    (tmp_path / "in").mkdir()
    for name in ("a_dongli.txt", "b_yubei.txt", "c_taizhou.txt"):
        sample = {"a": "dongli_narrative", "b": "yubei_markdown", "c": "taizhou_web"}[name[0]]
        shutil.copy(SAMPLES / f"{sample}.txt", tmp_path / "in" / name)
    text = (SAMPLES / "dongli_narrative.txt").read_text(encoding="utf-8")
    record = parse_text(text, path="a_dongli.txt", sha256=sha256_hex((SAMPLES / "dongli_narrative.txt").read_bytes()))
    (tmp_path / "reviews").mkdir()
    write(tmp_path / "reviews/a.review.json", review(record, four_decisions(record, text)))
    proc = run_enforce("review", "in", "-o", "pages", "--reviews", "reviews", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    index = (tmp_path / "pages/index.html").read_text(encoding="utf-8")
    files = re.findall(r'<a href="[^"]+">([^<]+)</a>', index)
    assert files == ["in/b_yubei.txt", "in/c_taizhou.txt", "in/a_dongli.txt"]  # the reviewed one last
    row = index[index.index(">in/a_dongli.txt<"):]
    row = row[:row.index("</tr>")]
    assert '<td data-sort="4">4/95<span class="n"> · 2 corrected</span></td>' in row
    page = (tmp_path / "pages/a_dongli.txt.html").read_text(encoding="utf-8")
    seeded = json.loads(html.unescape(re.search(r'data-decisions="([^"]*)"', page)[1]))
    assert seeded["reviewer"] == "王审核"
    assert {p: d["action"] for p, d in seeded["fields"].items()} == {
        "personnel.certified_basic": "confirm", "agency.name": "correct",
        "reviews.reconsideration.corrected": "add", "agency.city": "not-stated"}
    # the page shows the machine reading: the machine values stay what the decisions are checked against
    assert re.search(r'data-path="agency.name"[^>]* data-value="&quot;公安东丽分局&quot;"', page)
    assert "data-decisions" not in (tmp_path / "pages/b_yubei.txt.html").read_text(encoding="utf-8")
