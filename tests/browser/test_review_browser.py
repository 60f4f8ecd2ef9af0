"""The review page in a real headless Chromium: click a field, see its span scrolled into view and flashing."""

import os
import pathlib
import re

import pytest
from review_records import hand_record

from enforcement_parser.review import build_page

# Skipped in `make test`; `make browser-test` installs Chromium and Playwright and sets ENFORCE_BROWSER=1.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(os.environ.get("ENFORCE_BROWSER") != "1",
                                 reason="browser test: run `make browser-test` (or set ENFORCE_BROWSER=1)")]

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "samples"

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


def test_click_field_scrolls_to_span_and_flashes(browser, page_file):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(page_file.as_uri())
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
    from enforcement_parser.review import build_index, index_row

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
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
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
