"""The page images of a scan on its review page (docs/review.md, "A scanned report").

The builder takes images already encoded, so these tests run in `make test` without Pillow or the ocr
extra: the pages are PNGs built by hand. Rendering and recognising real scans: tests/test_ocr.py.
"""

import base64
import hashlib
import html
import re

import formats_builders as B
from review_records import hand_record, pages_of

from conftest import SAMPLES
from enforcement_parser.outputs.review_page import PageImage, build_page, render_page_pane

REVIEW_ASSETS = SAMPLES.parent / "src" / "enforcement_parser" / "data" / "review"
TEXT = ("某市某局2023年度行政执法工作报告\n"
        "作出行政处罚决定613件。\n"
        "行政执法人员300人。\n"
        "办理行政许可决定120件。\n")
# Page pixels as rendered for OCR (a 200-dpi A4 page); the images shown are a tenth of that.
PAGE_W, PAGE_H = 1654, 2339
BOXES = {"agency.name": (1, [120, 100, 980, 160]), "report_year": (1, [120, 100, 980, 160]),
         "penalties.decisions": (1, [120, 400, 760, 450]), "permits.decisions": (2, [120, 2100, 820, 2150])}


def scan_record(text: str = TEXT, boxes: dict = BOXES) -> dict:
    record = hand_record(text, {
        "agency.name": ("某市某局", "某市某局"), "report_year": (2023, "2023"),
        "penalties.decisions": (613, "613件"), "personnel.officers": (300, "300人"),
        "permits.decisions": (120, "120件"),
    }, path="scan.pdf")
    record["source"]["format"] = "pdf-ocr"
    for path, (page, box) in boxes.items():
        record["evidence"][path].update(page=page, box=box)
    return record


def scan_pages(count: int = 2, size: tuple[int, int] = (PAGE_W // 10, PAGE_H // 10)) -> list[PageImage]:
    return [PageImage(n, PAGE_W, PAGE_H, "image/png", B.png_bytes(*size, grey=250 - n)) for n in range(1, count + 1)]


def test_each_value_with_a_box_is_one_rect_on_its_page_in_page_pixels():
    record, pages = scan_record(), scan_pages()
    drawn = pages_of(build_page(record, TEXT, pages=pages))
    assert sorted((r["data-path"], r["page"]) for r in drawn.rects) == sorted(
        (path, page) for path, (page, _box) in BOXES.items())
    for rect in drawn.rects:
        left, top, right, bottom = BOXES[rect["data-path"]][1]
        assert (rect["x"], rect["y"], rect["width"], rect["height"]) == tuple(
            str(v) for v in (left, top, right - left, bottom - top))
    # personnel.officers has evidence but no box (as a value of a text report): nothing is drawn for it
    assert "personnel.officers" not in {r["data-path"] for r in drawn.rects}


def test_boxes_are_scaled_to_the_shown_image_by_the_pages_own_size():
    """The images are a tenth of the rendered page; each overlay's viewBox is the rendered page, so the
    browser maps page pixels onto the image as shown (tests/browser measures it on screen)."""
    pages = scan_pages()
    drawn = pages_of(build_page(scan_record(), TEXT, pages=pages))
    for page in pages:
        figure = drawn.figures[page.number]
        assert figure["svg"]["viewbox"] == f"0 0 {PAGE_W} {PAGE_H}"
        assert figure["svg"]["preserveaspectratio"] == "none"
        assert (figure["img"]["width"], figure["img"]["height"]) == (str(PAGE_W), str(PAGE_H))
        assert figure["img"]["src"] == "data:image/png;base64," + base64.b64encode(page.data).decode()


def test_the_size_cap_leaves_out_the_pages_that_do_not_fit_and_says_so():
    pages = scan_pages(3)
    cap = len(pages[0].data) + len(pages[1].data)   # room for two pages, not three
    out = render_page_pane(scan_record(boxes={**BOXES, "personnel.officers": (3, [10, 10, 90, 40])}), pages, cap)
    drawn = pages_of(out)
    assert [f["class"] for f in drawn.figures.values()] == ["page", "page", "page omitted"]
    assert "img" not in drawn.figures[3] and "personnel.officers" not in {r["data-path"] for r in drawn.rects}
    assert out.count("data:image/png;base64,") == 2
    assert "page 3: image not embedded" in out
    assert len(pages_of(render_page_pane(scan_record(), pages, cap - 1)).figures[2]) == 1   # no img: one byte short


def test_a_scan_page_adds_its_style_and_script_under_the_content_security_policy():
    out = build_page(scan_record(), TEXT, pages=scan_pages())
    css, js = ((REVIEW_ASSETS / name).read_text(encoding="utf-8") for name in ("pages.css", "pages.js"))
    style = re.search(r"<style>(.*)</style>", out, re.S).group(1)
    script = re.search(r"<script>(.*)</script>", out, re.S).group(1)
    assert style.endswith(css) and script.endswith(js)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', out).group(1))
    for kind, block in (("style", style), ("script", script)):
        assert f"{kind}-src 'sha256-{base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()}'" in csp
    assert "img-src data:" in csp and '<main class="with-pages">' in out


def test_a_text_report_page_is_unchanged_by_page_images():
    """No pages (any report that is not a scan): not one byte of the page differs, and nothing of the
    page-image section is in it."""
    record = hand_record(TEXT, {"penalties.decisions": (613, "613件")})
    out = build_page(record, TEXT)
    assert build_page(record, TEXT, pages=[]) == build_page(record, TEXT, pages=None) == out
    style = re.search(r"<style>(.*)</style>", out, re.S).group(1)
    script = re.search(r"<script>(.*)</script>", out, re.S).group(1)
    assert style == (REVIEW_ASSETS / "page.css").read_text(encoding="utf-8")
    assert script == "".join((REVIEW_ASSETS / n).read_text(encoding="utf-8") for n in ("page.js", "decide.js"))
    assert "<main>" in out and not re.search(r"page-pane|with-pages|<svg|<img|<figure", out)


def test_the_cli_page_of_a_text_report_has_no_page_images(run_enforce, tmp_path):
    from enforcement_parser.commands.review import load_report

    source = SAMPLES / "b2_short_street.txt"
    r = run_enforce("review", source, "-o", tmp_path / "page.html")
    assert r.returncode == 0, r.stderr
    record, text, explanation, pages = load_report(str(source), 10**7)
    assert pages == []
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == build_page(record, text, explanation=explanation)


def test_box_titles_are_escaped():
    record = scan_record()
    record["agency"]["name"] = "<script>alert(1)</script>"
    out = render_page_pane(record, scan_pages())
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "agency.name · 执法机关名称 = <script>alert(1)</script>" in pages_of(out).titles
