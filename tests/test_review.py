import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from review_records import hand_record

from conftest import SAMPLES
from enforcement_parser.outputs.review_page import Span, build_index, build_page, index_row, nest_pieces

TEXT = ("\n\n# 某市某局 2023 年行政执法工作报告\n"
        "全年作出行政处罚决定 613 件，其中警告 20 件，罚款 42.9万余元。\n"
        "行政执法人员约 300 人。复议 5 件。\n")


class Page(HTMLParser):
    """Collects every <mark> (its attributes and full text), the tags used, and the #text content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.marks, self.open_marks, self.tags = [], [], []
        self.text_parts, self.in_text, self.depth = [], False, 0
        self.rows = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if self.in_text:
            self.depth += 1
        if a.get("id") == "text":
            self.in_text, self.depth = True, 1
        if tag == "mark":
            m = {**a, "content": ""}
            self.marks.append(m)
            self.open_marks.append(m)
        if tag == "tr" and "data-path" in a:
            self.rows[a["data-path"]] = a.get("class", "").split()

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open_marks.pop()
        if self.in_text:
            self.depth -= 1
            self.in_text = self.depth > 0

    def handle_data(self, data):
        for m in self.open_marks:
            m["content"] += data
        if self.in_text:
            self.text_parts.append(data)


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    return p


def marks_of(page: Page, path: str) -> list[dict]:
    return [m for m in page.marks if path in m["data-paths"].split()]


def sample_record():
    return hand_record(TEXT, {
        "penalties.decisions": (613, "613 件"),
        "penalties.general_procedure": (613, "613 件"),  # two fields share one span
        "penalties.warnings": (20, "20"),
        "penalties.fines_yuan": (429000, "42.9万余元", "more_than"),
        "personnel.officers": (300, "约 300 人", "about"),
        "report_year": (2023, "2023"),
        "agency.name": ("某市某局", "某市某局"),
        "reviews.reconsideration.cases": (5, "复议 5 件"),
    }, warnings=[{"code": "inconsistent", "severity": "warning", "field": "penalties.warnings",
                  "message": "parts exceed the total"}])


def test_every_evidence_span_is_highlighted_exactly_once():
    record = sample_record()
    page = parse(build_page(record, TEXT))
    for path, ev in record["evidence"].items():
        marks = marks_of(page, path)
        assert len(marks) == 1, path
        assert marks[0]["content"] == ev["text"]
    shared = marks_of(page, "penalties.decisions")[0]
    assert shared["data-paths"] == "penalties.decisions penalties.general_procedure"
    assert "multi" in shared["class"]
    assert len(page.marks) == len({(e["start"], e["end"]) for e in record["evidence"].values()})


def test_sections_colour_the_spans_and_hover_text_names_the_field():
    page = parse(build_page(sample_record(), TEXT))
    officers = marks_of(page, "personnel.officers")[0]
    assert "sec-personnel" in officers["class"].split()
    assert officers["data-tip"] == "personnel.officers · 行政执法人员总数 = 300 (约 about)"
    assert "sec-meta" in marks_of(page, "agency.name")[0]["class"].split()
    assert "sec-penalties" in marks_of(page, "penalties.fines_yuan")[0]["class"].split()


def test_shown_text_is_exactly_the_text_the_offsets_point_into():
    text = "\n\n<b>&amp;</b>\r\n全年 行政处罚 613 件\n"
    record = hand_record(text, {"penalties.decisions": (613, "613 件"), "agency.name": ("x", "<b>&amp;")})
    page = parse(build_page(record, text))
    assert "".join(page.text_parts) == text


def test_nested_and_crossing_spans_nest_in_html():
    text = "行政处罚决定 613 件，罚款金额 42.9 万元。"
    record = hand_record(text, {
        "penalties.decisions": (613, "行政处罚决定 613 件"),
        "penalties.general_procedure": (613, "613"),  # inside the first
        "penalties.fines": (1, "件，罚款"),  # crosses the first
    })
    page = parse(build_page(record, text))
    assert marks_of(page, "penalties.general_procedure")[0]["content"] == "613"
    crossing = marks_of(page, "penalties.fines")
    assert [m.get("data-part") for m in crossing] == [None, "1"]
    assert "".join(m["content"] for m in crossing) == "件，罚款"
    assert "".join(parse(build_page(record, text)).text_parts) == text


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=12))
def test_pieces_nest_and_cover_each_span_exactly(raw):
    spans = sorted({(s, s + n) for s, n in raw}, key=lambda x: (x[0], -x[1]))
    spans = [Span(s, e, (f"p{i}",)) for i, (s, e) in enumerate(spans)]
    pieces = nest_pieces(spans)
    for a in pieces:
        for b in pieces:
            assert a.end <= b.start or b.end <= a.start or (a.start <= b.start and b.end <= a.end) \
                or (b.start <= a.start and a.end <= b.end)
    for i, sp in enumerate(spans):
        mine = sorted((p for p in pieces if p.span == i), key=lambda p: p.start)
        assert mine[0].start == sp.start and mine[-1].end == sp.end
        assert all(x.end == y.start for x, y in zip(mine, mine[1:]))
        assert [p.part for p in mine] == list(range(len(mine)))


def test_evidence_that_does_not_fit_the_text_is_reported_not_highlighted():
    record = sample_record()
    record["evidence"]["penalties.warnings"]["start"] += 1
    record["evidence"]["reviews.reconsideration.cases"]["end"] = 10_000
    out = build_page(record, TEXT)
    page = parse(out)
    assert not marks_of(page, "penalties.warnings") and not marks_of(page, "reviews.reconsideration.cases")
    assert "evidence not shown: penalties.warnings" in out
    assert "evidence not shown: reviews.reconsideration.cases: offsets" in out


def test_field_table_rows_values_qualifiers_and_filters():
    out = build_page(sample_record(), TEXT)
    page = parse(out)
    assert page.rows["personnel.officers"] == ["found", "core", "linked"]
    assert page.rows["penalties.warnings"] == ["found", "warned", "linked"]
    assert page.rows["document.kind"] == ["found", "core"]  # a value without a span in the text
    missing_core = [p for p, c in page.rows.items() if "missing" in c and "core" in c]
    assert missing_core and all("warned" in page.rows[p] for p in missing_core)
    assert "余/多 more_than" in out and "约 about" in out
    assert "429,000元" in out
    for value in ("all", "found", "missing", "warned"):
        assert f'name="filter" value="{value}"' in out
    assert 'id="fields" data-filter="all"' in out


def test_header_names_agency_year_kind_source_sha_and_version():
    record = sample_record()
    out = build_page(record, TEXT)
    header = out[out.index("<header>"):out.index("</header>")]
    for piece in ("某市某局", "2023 年度", "report", "report.txt", record["source"]["sha256"], "enforce 0.1.0"):
        assert piece in header


HOSTILE = ('</textarea><script>alert(1)</script><img src=x onerror=alert(2)>'
           '"\'><svg onload=alert(3)>&lt;&#x3c;</div></mark>]]><!-- \u2028\n行政处罚 613 件\n')


def test_hostile_report_text_cannot_inject_markup():
    record = hand_record(HOSTILE, {
        "penalties.decisions": (613, "613 件"),
        "agency.name": ("<script>alert(4)</script>", "<script>alert(1)</script>"),
        "personnel.officers": (1, "<img src=x onerror=alert(2)>"),
    }, path='"><script>alert(5)</script>.txt', document={"title": "</title><script>alert(6)</script>"},
        warnings=[{"code": "inconsistent", "severity": "warning", "field": None,
                   "message": "<script>alert(7)</script>"}])
    out = build_page(record, HOSTILE)
    page = parse(out)
    assert page.tags.count("script") == 1 and page.tags.count("style") == 1
    assert not {"img", "svg", "textarea"} & set(page.tags)
    assert out.count("<script") == 1 and "onerror=alert(2)>" not in out
    assert "".join(page.text_parts) == HOSTILE
    for path, ev in record["evidence"].items():
        assert [m["content"] for m in marks_of(page, path)] == [ev["text"]]


def test_content_security_policy_allows_only_the_pages_own_style_and_script():
    out = build_page(sample_record(), TEXT)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', out).group(1))
    script = re.search(r"<script>(.*)</script>", out, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "http://" not in out and "https://" not in out


def test_index_page_links_every_report_and_escapes_failures():
    record = sample_record()
    rows = [index_row(record, "report.txt.html"),
            index_row(hand_record("无数据", {}, path="空.txt"), "%E7%A9%BA.txt.html")]
    out = build_index(rows, ["bad<script>.txt: input is empty"])
    page = parse(out)
    assert 'href="report.txt.html"' in out and 'href="%E7%A9%BA.txt.html"' in out
    assert page.tags.count("script") == 1 and "bad&lt;script&gt;.txt" in out
    assert re.search(r'<td data-sort="\d+">\d+% <span class="n">\(\d+/\d+\)</span></td>', out)
    assert out.count("<th ") == 9 and 'data-type="num"' in out  # 9th: review progress


def test_review_command_writes_one_page(run_enforce, tmp_path):
    src = SAMPLES / "yubei_markdown.txt"
    out = tmp_path / "review.html"
    r = run_enforce("review", src, "-o", out)
    assert r.returncode == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    assert hashlib.sha256(src.read_bytes()).hexdigest() in page
    record = json.loads(run_enforce("parse", src).stdout)
    assert len(parse(page).marks) >= len({(e["start"], e["end"]) for e in record["evidence"].values()})
    for path in record["evidence"]:
        assert marks_of(parse(page), path), path


def test_review_command_directory_continues_past_bad_inputs(run_enforce, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.txt").write_text(TEXT, encoding="utf-8")
    (reports / "b 报告.md").write_text(TEXT, encoding="utf-8")
    (reports / "empty.txt").write_bytes(b"")
    (reports / "a.expected.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    r = run_enforce("review", reports, "-o", out)
    assert r.returncode == 1
    assert r.stderr.decode().splitlines() == [f"error: {reports / 'empty.txt'}: input is empty"]
    assert sorted(p.name for p in out.iterdir()) == ["a.txt.html", "b 报告.md.html", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="a.txt.html"' in index and 'href="b%20%E6%8A%A5%E5%91%8A.md.html"' in index
    assert "empty.txt: input is empty" in index
    assert 'href="index.html"' in (out / "a.txt.html").read_text(encoding="utf-8")


def test_review_command_exit_codes(run_enforce, tmp_path):
    r = run_enforce("review", tmp_path / "nope.txt", "-o", tmp_path / "x.html")
    assert r.returncode == 3 and r.stderr.decode().startswith("error: ") and len(r.stderr.splitlines()) == 1
    r = run_enforce("review", tmp_path)
    assert r.returncode == 2 and b"needs -o" in r.stderr
    r = run_enforce("review", tmp_path, "-o", tmp_path)
    assert r.returncode == 2
    r = run_enforce("review", "--no-such-option")
    assert r.returncode == 2
    r = run_enforce("review", SAMPLES / "yubei_markdown.txt", "-o", tmp_path / "missing-dir" / "x.html")
    assert r.returncode == 4 and r.stderr.decode().startswith("error: cannot write")
    r = run_enforce("review", SAMPLES / "yubei_markdown.txt")
    assert r.returncode == 0 and r.stdout.startswith(b"<!DOCTYPE html>")


def test_review_record_is_the_parse_record():
    from enforcement_parser.api import parse_file
    from enforcement_parser.commands.review import load_report

    for src in (SAMPLES / "yubei_markdown.txt", SAMPLES / "shenyang_template.txt"):
        record, text, _explanation, pages = load_report(str(src), 10**7)
        assert record == parse_file(str(src))
        assert len(text) == record["source"]["length"]
        assert pages == []   # page images are a scan's only


def test_review_directory_skips_the_folders_own_documents(run_enforce, tmp_path):
    """README.md / LICENSE.txt describe the folder (same rule as batch: docs/batch.md); report.md does not."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("README.md", "LICENSE.txt", "report.md"):
        (src / name).write_bytes((SAMPLES / "yubei_markdown.txt").read_bytes())
    r = run_enforce("review", src, "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["index.html", "report.md.html"]


# A report of my own wording where 行政处罚 is written but dropped: a comparison, then an ambiguity.
DROPPED = ("某县市场监管局2023年行政执法工作报告\n"
           "同比2022年作出行政处罚决定70件有所减少。\n"
           "办理行政许可决定120件。\n另办理行政许可决定135件<b>。\n")


def _drops_of(out: str, path: str) -> str:
    """The hidden panel of one row: the HTML between the row's value cell and its end."""
    row = out[out.index(f'data-path="{path}"'):]
    row = row[:row.index("</tr>")]
    return row[row.index('<div class="drops"'):row.rindex("</div>") + len("</div>")]


def test_a_missing_field_row_opens_its_dropped_candidates():
    from enforcement_parser.api import explain_text, parse_text

    record, explanation = parse_text(DROPPED), explain_text(DROPPED)
    out = build_page(record, DROPPED, explanation=explanation)
    page = parse(out)
    assert page.rows["penalties.decisions"] == ["missing", "core", "warned", "explained"]
    panel = _drops_of(out, "penalties.decisions")
    assert panel.startswith('<div class="drops" hidden><ul><li>')
    assert "<code class=\"rule\">veto.comparison</code> 「70件」 line 2 · 70 — &#x27;同比&#x27; before the figure" in panel
    permits = _drops_of(out, "permits.decisions")
    assert permits.count("resolve.ambiguous") == 2 and "「135件」 line 4" in permits
    assert '<span class="drop-n">2 dropped</span>' in out
    assert _drops_of(out, "inspections.total") == '<div class="drops" hidden><p>no candidate</p></div>'
    assert "explained" not in page.rows["agency.name"]   # a found field jumps to its span instead


def test_without_an_explanation_there_is_no_panel():
    out = build_page(sample_record(), TEXT)
    assert 'class="drops"' not in out
    assert all("explained" not in classes for classes in parse(out).rows.values())


def test_the_page_script_opens_the_panel_of_an_explained_row():
    """What the browser test clicks (tests/browser): the script toggles the row's .drops panel."""
    script = (SAMPLES.parent / "src" / "enforcement_parser" / "data" / "review" / "page.js").read_text(encoding="utf-8")
    assert 'closest("tr.linked, tr.explained")' in script
    assert 'row.querySelector(".drops")' in script and "panel.hidden = !panel.hidden" in script
