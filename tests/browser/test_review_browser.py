"""The review page in a real headless Chromium: click a field, see its span scrolled into view and flashing."""

import os
import pathlib
import re
import sys

import pytest
from review_records import hand_record

from enforcement_parser.outputs.review_page import build_page

# Skipped in `make test`; `make browser-test` installs Chromium and Playwright and sets ENFORCE_BROWSER=1.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(os.environ.get("ENFORCE_BROWSER") != "1",
                                 reason="browser test: run `make browser-test` (or set ENFORCE_BROWSER=1)")]

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "samples"
sys.path.insert(0, str(SAMPLES.parent / "tools"))
from review_screenshot import select_text  # noqa: E402  (tools/ is not a package)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = pathlib.Path(os.environ.get("ENFORCE_BROWSER_SHOTS", "/tmp/enforce-browser"))


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page_file(tmp_path):
    text = (SAMPLES / "yubei_markdown.txt").read_text(encoding="utf-8")
    record = hand_record(text, {
        "agency.name": ("重庆市公安局渝北区分局", "重庆市公安局渝北区分局"),
        "agency.province": ("重庆市", "重庆市"),  # nested in the agency's span
        "report_year": (2023, "2023"),
        "personnel.officers": (2014, "实有 2014 人"),
        "penalties.decisions": (854045, "854045件"),
        "penalties.warnings": (225454, "225454件"),
        "penalties.fines": (625649, "625649件"),
        "inspections.total": (3383, "3383件"),
        "published_on": ("2024-01-19", "2024年1月19日"),
    }, path="samples/yubei_markdown.txt")
    path = tmp_path / "review.html"
    path.write_text(build_page(record, text), encoding="utf-8")
    return path


def in_view(page, selector_js: str, pane: str) -> bool:
    return page.evaluate(f"""() => {{
        const el = {selector_js}, pane = document.querySelector('{pane}');
        const r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
        return r.top >= p.top && r.bottom <= p.bottom && r.height > 0;
    }}""")


def open_watched(page, path) -> list[str]:
    """Open path's page, collecting its script and console errors (each test asserts there are none)."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    return errors

def test_click_field_scrolls_to_span_and_flashes(browser, page_file):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = open_watched(page, page_file)
    mark = 'document.querySelector(\'mark[data-paths~="inspections.total"]\')'
    assert not in_view(page, mark, ".text-pane"), "the span should start out of view"
    page.click('tr[data-path="inspections.total"]')
    span = page.locator('mark[data-paths~="inspections.total"]')
    expect(span).to_have_class(re.compile(r"\bflash\b"), timeout=1000)
    assert in_view(page, mark, ".text-pane")
    expect(span).to_have_class(re.compile(r"\bcurrent\b"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "review-click.png"))
    expect(span).not_to_have_class(re.compile(r"\bflash\b"), timeout=3000)  # the flash ends
    assert errors == [], errors  # includes Content-Security-Policy violations


def test_hover_shows_field_and_click_on_span_finds_its_row(browser, page_file):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(page_file.as_uri())
    page.hover('mark[data-paths~="penalties.decisions"]')
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text() == "penalties.decisions · 行政处罚决定数 = 854,045"
    page.hover('mark[data-paths~="agency.province"]')
    assert tip.inner_text().splitlines() == ["agency.province · 省级行政区 = 重庆市",
                                             "agency.name · 执法机关名称 = 重庆市公安局渝北区分局"]
    page.click('mark[data-paths~="penalties.decisions"]')
    row = 'document.querySelector(\'tr[data-path="penalties.decisions"]\')'
    assert page.evaluate(f"{row}.classList.contains('flash')")
    assert in_view(page, row, ".field-pane")


def test_filters_show_found_missing_and_warnings(browser, page_file):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(page_file.as_uri())
    visible = 'tbody tr:visible'
    total = page.locator(visible).count()
    page.click('input[value="found"]')
    found = page.locator(visible)
    assert found.count() == 10  # 9 hand-made fields and document.kind
    assert all("found" in c for c in found.evaluate_all("rows => rows.map(r => r.className)"))
    page.click('input[value="missing"]')
    assert page.locator(visible).count() == total - 10
    page.click('input[value="warned"]')
    classes = page.locator(visible).evaluate_all("rows => rows.map(r => r.className)")
    assert classes and all("missing core" in c for c in classes)
    page.screenshot(path=str(SHOTS / "review-filter-warned.png"))
    page.click('input[value="all"]')
    assert page.locator(visible).count() == total


def test_index_sorts_by_column(browser, tmp_path):
    from enforcement_parser.outputs.review_page import build_index, index_row

    rows = [index_row(hand_record("2021 某局", {"report_year": (2021, "2021")}, path="b.txt"), "b.txt.html"),
            index_row(hand_record("2023 某局", {"report_year": (2023, "2023"), "agency.name": ("某局", "某局")},
                                  path="a.txt"), "a.txt.html"),
            index_row(hand_record("无年度", {}, path="c.txt"), "c.txt.html")]
    path = tmp_path / "index.html"
    path.write_text(build_index(rows, []), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    first_col = "tbody tr td:first-child"
    assert page.locator(first_col).all_inner_texts() == ["b.txt", "a.txt", "c.txt"]
    page.click("th:has-text('year')")
    assert page.locator(first_col).all_inner_texts() == ["c.txt", "b.txt", "a.txt"]
    page.click("th:has-text('year')")
    assert page.locator(first_col).all_inner_texts() == ["a.txt", "b.txt", "c.txt"]
    page.click("th:has-text('file')")
    assert page.locator(first_col).all_inner_texts() == ["a.txt", "b.txt", "c.txt"]
    assert page.locator("tbody a").evaluate_all("as => as.map(a => a.href.split('/').pop())") == [
        "a.txt.html", "b.txt.html", "c.txt.html"]


def test_click_missing_field_shows_its_dropped_candidates(browser, tmp_path):
    """"Why is 行政处罚 null? it's right there": the row opens the figure and the rule that dropped it."""
    from enforcement_parser.api import explain_text, parse_text

    text = "某县市场监管局2023年行政执法工作报告\n同比2022年作出行政处罚决定70件有所减少。\n办理行政许可决定120件。\n"
    path = tmp_path / "dropped.html"
    path.write_text(build_page(parse_text(text), text, explanation=explain_text(text)), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = open_watched(page, path)
    row = page.locator('tr[data-path="penalties.decisions"]')
    panel = row.locator(".drops")
    assert not panel.is_visible()
    row.click()
    assert panel.is_visible()
    assert panel.inner_text() == "veto.comparison 「70件」 line 2 · 70 — '同比' before the figure"
    assert "open" in row.get_attribute("class")
    page.screenshot(path=str(SHOTS / "review-dropped.png"))
    row.click()
    assert not panel.is_visible()
    other = page.locator('tr[data-path="inspections.total"]')
    other.focus()
    page.keyboard.press("Enter")   # the keyboard opens a panel too: a field nothing was found for
    assert other.locator(".drops").inner_text() == "no candidate"
    assert errors == [], errors


# ---------------------------------------------------------------- a scan: page images with boxes

# Page pixels as rendered for OCR (200-dpi A4); the images shown are 400 px wide (PNGs built without Pillow).
SCAN_W, SCAN_H = 1654, 2339
SCAN_BOXES = {"agency.name": (1, [150, 120, 1500, 190]), "penalties.decisions": (1, [150, 900, 1100, 960]),
              "inspections.total": (2, [150, 2150, 900, 2210])}


@pytest.fixture
def scan_file(tmp_path):
    import formats_builders as B

    from enforcement_parser.outputs.review_page import PageImage

    text = (SAMPLES / "yubei_markdown.txt").read_text(encoding="utf-8")
    record = hand_record(text, {"agency.name": ("重庆市公安局渝北区分局", "重庆市公安局渝北区分局"),
                                "penalties.decisions": (854045, "854045件"), "inspections.total": (3383, "3383件"),
                                "personnel.officers": (2014, "实有 2014 人")}, path="scan.pdf")
    record["source"]["format"] = "pdf-ocr"
    for path, (number, box) in SCAN_BOXES.items():
        record["evidence"][path].update(page=number, box=box)
    pages = [PageImage(n, SCAN_W, SCAN_H, "image/png", B.png_bytes(400, 566, grey=235 + n)) for n in (1, 2)]
    path = tmp_path / "scan.html"
    path.write_text(build_page(record, text, pages=pages), encoding="utf-8")
    return path


def test_click_field_scrolls_to_its_box_on_the_page_image(browser, scan_file):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = open_watched(page, scan_file)
    box = 'document.querySelector(\'rect[data-path="inspections.total"]\')'
    assert not in_view(page, box, ".page-pane"), "the box (page 2, bottom) should start out of view"
    page.click('tr[data-path="inspections.total"]')
    rect = page.locator('rect[data-path="inspections.total"]')
    expect(rect).to_have_class(re.compile(r"\bflash\b"), timeout=1000)
    expect(rect).to_have_class(re.compile(r"\bcurrent\b"))
    assert in_view(page, box, ".page-pane")
    assert in_view(page, 'document.querySelector(\'mark[data-paths~="inspections.total"]\')', ".text-pane")
    # on screen, the box is its page pixels scaled to the image as shown
    shown = page.evaluate("""() => {
        const r = document.querySelector('rect[data-path="inspections.total"]').getBoundingClientRect();
        const i = document.querySelector('#page-2 img').getBoundingClientRect();
        return [r.left - i.left, r.top - i.top, r.right - i.left, r.bottom - i.top, i.width, i.height];
    }""")
    left, top, right, bottom = SCAN_BOXES["inspections.total"][1]
    width, height = shown[4], shown[5]
    assert abs(width / height - SCAN_W / SCAN_H) < 0.01
    expected = [left * width / SCAN_W, top * height / SCAN_H, right * width / SCAN_W, bottom * height / SCAN_H]
    assert all(abs(a - b) < 1.5 for a, b in zip(shown[:4], expected)), (shown, expected)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "review-scan-click.png"))
    # a field without a box (personnel.officers) still scrolls its span; the boxes lose their highlight
    page.click('tr[data-path="personnel.officers"]')
    expect(rect).not_to_have_class(re.compile(r"\bcurrent\b"))
    page.focus('tr[data-path="agency.name"]')
    page.keyboard.press("Enter")   # the keyboard too
    expect(page.locator('rect[data-path="agency.name"]')).to_have_class(re.compile(r"\bcurrent\b"))
    assert in_view(page, 'document.querySelector(\'rect[data-path="agency.name"]\')', ".page-pane")
    # clicking a box finds its row
    page.click('rect[data-path="penalties.decisions"]')
    expect(page.locator('tr[data-path="penalties.decisions"]')).to_have_class(re.compile(r"\bflash\b"), timeout=1000)
    assert errors == [], errors  # includes Content-Security-Policy violations (the data: images, the script)


# ---------------------------------------------------------------- the review loop, end to end

# CRLF line ends and astral characters before the added value: the page's offsets must still be the
# record's (code points of the decoded text, CR included). Read by hand: 某市城管局 is 某市城市管理局;
# 613 decisions is right; 执法队伍 35 人 are the officers, which the engine does not read.
LOOP_REPORT = ("某市城管局2023年度行政执法工作报告\r\n一、基本情况（𠮷𠮷）\r\n"
               "全年作出行政处罚决定 613 件，罚款 42.9万元。\r\n本局执法队伍 35 人，均持证上岗。\r\n")


def test_review_loop_confirm_correct_add_export_merge(browser, tmp_path):
    import csv
    import json
    import sqlite3
    import subprocess

    from conftest import enforce_exe
    from playwright.sync_api import expect

    (tmp_path / "in").mkdir()
    report = tmp_path / "in/report.txt"
    report.write_bytes(LOOP_REPORT.encode("utf-8"))
    enforce = enforce_exe()
    subprocess.run([enforce, "review", report, "-o", tmp_path / "page.html"], check=True)
    context = browser.new_context(viewport={"width": 1500, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors = open_watched(page, tmp_path / "page.html")
    page.fill("#reviewer", "王审核")
    # confirm, keyboard first: reach the row with j/k, then y
    after = page.evaluate("""document.querySelector('tr[data-path="penalties.decisions"]')
                             .nextElementSibling.dataset.path""")
    page.focus(f'tr[data-path="{after}"]')
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.dataset.path") == "penalties.decisions"
    page.keyboard.press("y")
    expect(page.locator('tr[data-path="penalties.decisions"]')).to_have_class(re.compile(r"\bd-confirm\b"))
    # correct: e, type the value, Enter
    page.focus('tr[data-path="agency.name"]')
    page.keyboard.press("e")
    edit = page.locator('tr[data-path="agency.name"] input.edit')
    expect(edit).to_have_value("某市城管局")
    edit.fill("某市城市管理局")
    edit.press("Enter")
    # add: select the text in the report, then the row's ✎ button (the mouse way)
    select_text(page, "35 人")
    expect(page.locator("#selection")).to_contain_text("35 人")
    page.click('tr[data-path="personnel.officers"] button[data-act="edit"]')
    edit = page.locator('tr[data-path="personnel.officers"] input.edit')
    expect(edit).to_have_value("35")
    edit.press("Enter")
    expect(page.locator("#progress")).to_have_text(f"reviewed 3/{page.locator('#fields tbody tr').count()}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "review-decisions.png"))
    # the decisions outlive a reload (localStorage, keyed by the sha256)
    page.reload()
    expect(page.locator('tr[data-path="personnel.officers"] .decision')).to_have_text("+ 添加 35")
    expect(page.locator("#reviewer")).to_have_value("王审核")
    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename == "report.txt.review.json"
    (tmp_path / "reviews").mkdir()
    saved = tmp_path / "reviews" / download.value.suggested_filename
    download.value.save_as(saved)
    assert errors == [], errors
    context.close()

    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert set(exported["fields"]) == {"penalties.decisions", "agency.name", "personnel.officers"}
    start = LOOP_REPORT.index("35 人")  # code points; the two astral characters and the CRs count one each
    assert exported["fields"]["personnel.officers"]["evidence"] == {"start": start, "end": start + 4, "text": "35 人"}

    plain = json.loads(subprocess.run([enforce, "parse", report], check=True, capture_output=True).stdout)
    merged = json.loads(subprocess.run([enforce, "parse", report, "--review", saved], check=True,
                                       capture_output=True).stdout)
    changed = {p for p in set(plain["evidence"]) | set(merged["evidence"])
               if plain["evidence"].get(p) != merged["evidence"].get(p)}
    assert changed == {"penalties.decisions", "agency.name", "personnel.officers"}
    assert merged["evidence"]["penalties.decisions"] == {**plain["evidence"]["penalties.decisions"], "verified": True}
    assert merged["agency"]["name"] == "某市城市管理局"
    assert merged["evidence"]["agency.name"] == {"text": "某市城管局", "start": 0, "end": 5, "line": 1,
                                                 "qualifier": "exact", "rule": "review:corrected", "verified": True}
    assert merged["personnel"]["officers"] == 35
    assert merged["evidence"]["personnel.officers"] == {"text": "35 人", "start": start, "end": start + 4, "line": 4,
                                                        "qualifier": "exact", "rule": "review:added", "verified": True}
    assert {k: merged["review"][k] for k in ("reviewer", "confirmed", "corrected", "added", "not_stated",
                                             "conflicts")} == {
        "reviewer": "王审核", "confirmed": 1, "corrected": 1, "added": 1, "not_stated": 0, "conflicts": 0}

    out = tmp_path / "out"
    subprocess.run([enforce, "batch", tmp_path / "in", "-o", out, "--reviews", tmp_path / "reviews",
                    "--db", out / "reports.sqlite", "-q", "-j", "1"], check=True)
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == {
        **merged, "source": {**merged["source"], "path": "report.txt"}}
    with open(out / "summary.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert (row["verified"], row["corrected"], row["agency.name"], row["personnel.officers"],
            row["penalties.decisions"]) == ("3", "2", "某市城市管理局", "35", "613")
    con = sqlite3.connect(out / "reports.sqlite")
    assert con.execute('SELECT path, value, rule, evidence, start, "end", line FROM "values" WHERE verified = 1 '
                       "ORDER BY path").fetchall() == [
        ("agency.name", "某市城市管理局", "review:corrected", "某市城管局", 0, 5, 1),
        ("penalties.decisions", 613, plain["evidence"]["penalties.decisions"]["rule"], "613 件",
         plain["evidence"]["penalties.decisions"]["start"], plain["evidence"]["penalties.decisions"]["end"], 3),
        ("personnel.officers", 35, "review:added", "35 人", start, start + 4, 4)]
    assert con.execute("SELECT agency, verified, corrected FROM reports").fetchall() == [("某市城市管理局", 3, 2)]

    # a page rebuilt with --reviews, in a browser that never saw it, starts from the exported decisions
    subprocess.run([enforce, "review", report, "-o", tmp_path / "page2.html", "--reviews", tmp_path / "reviews"],
                   check=True)
    context = browser.new_context()
    page = context.new_page()
    page.goto((tmp_path / "page2.html").as_uri())
    for path, action in (("penalties.decisions", "confirm"), ("agency.name", "correct"),
                         ("personnel.officers", "add")):
        expect(page.locator(f'tr[data-path="{path}"]')).to_have_class(re.compile(rf"\bd-{action}\b"))
    expect(page.locator("#reviewer")).to_have_value("王审核")
    context.close()
