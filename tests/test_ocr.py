"""Scanned reports (docs/inputs.md, OCR).

Without the ocr extra (what `make test` checks): a scan is one error line naming the install command,
a PDF with a text layer never needs OCR, the lines rebuilt from boxes (on a skewed page too), the
low-confidence rule and its explanation, the warning for pages without text.
With it (`make ocr-test`, ENFORCE_OCR=1): scanned twins of a seed and of two samples, drawn with a
CJK font and saved as image-only PDFs, read to the same values as their text (or null with a
low-confidence warning, never another value), also turned sideways or upside down and skewed; blank
pages and a photo without text are a warning in a record.
"""

import base64
import io
import json
import math
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import formats_builders as B
from conftest import SAMPLES, SHARED, enforce_exe
from enforcement_parser.api import explain_text, parse_text
from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.files.pagelayout import Box, Layout, Recognised, join_line, page_skew, rebuild_lines
from enforcement_parser.outputs.record_model import validate_record
from enforcement_parser.outputs.record import value_at

STREET = SAMPLES / "b2_short_street.txt"
INSTALL = "pip install 'enforcement-parser[ocr]'"
# The entry point with the ocr extra made unimportable (as in an install without it).
WITHOUT_EXTRA = ("import sys; sys.modules['rapidocr_onnxruntime'] = None; sys.modules['pypdfium2'] = None; "
                 "from enforcement_parser.commands.cli import main; sys.argv[0] = 'enforce'; main()")


def run_without_extra(tmp_path, name: str, data: bytes) -> subprocess.CompletedProcess:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run([sys.executable, "-c", WITHOUT_EXTRA, "parse", str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name, data", [("scan.pdf", B.scanned_pdf_bytes()), ("page.png", B.png_bytes()),
                                        ("page.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
                                        ("page.tif", b"II*\x00" + b"\x00" * 64)])
def test_a_scan_without_the_extra_is_one_error_line_naming_the_install(tmp_path, name, data):
    done = run_without_extra(tmp_path, name, data)
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"error: {tmp_path / name}: ")
    assert INSTALL in done.stderr


def test_a_pdf_with_a_text_layer_never_needs_ocr(tmp_path):
    done = run_without_extra(tmp_path, "report.pdf", B.pdf_bytes(B.TWIN))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["source"]["format"] == "pdf"
    assert not any("page" in ev for ev in record["evidence"].values())


def test_without_the_extra_a_text_reports_review_page_is_the_same(run_enforce, tmp_path):
    """A text report never loads the page renderer: the page is the same with the ocr extra unimportable."""
    done = subprocess.run([sys.executable, "-c", WITHOUT_EXTRA, "review", str(STREET), "-o", str(tmp_path / "a.html")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert run_enforce("review", STREET, "-o", tmp_path / "b.html").returncode == 0
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def box(text: str, left: int, top: int, right: int, bottom: int, score: float = 0.99) -> Recognised:
    return Recognised(text, (left, top, right, bottom), score)


def test_boxes_on_one_baseline_form_one_line_left_to_right():
    # Recognised out of order, the second row's boxes a few pixels lower or higher (a scanner's wobble).
    boxes = [box("38", 600, 203, 640, 233), box("执法人员", 100, 100, 220, 130), box("人", 400, 198, 430, 228),
             box("持证执法人员", 100, 200, 280, 230), box("名", 225, 102, 255, 131)]
    lines = [join_line(line)[0] for line in rebuild_lines(boxes)]
    assert lines == ["执法人员名", "持证执法人员 | 人 | 38"]


def test_a_narrow_gap_joins_and_a_wide_gap_separates_cells():
    text, pieces = join_line([box("罚款", 0, 0, 60, 30), box("3.62万元", 70, 0, 190, 30),
                              box("2023年", 300, 0, 400, 30)])
    assert text == "罚款3.62万元 | 2023年"
    assert [text[s:e] for s, e, _, _ in pieces] == ["罚款", "3.62万元", "2023年"]


def tilted(text: str, left: int, top: int, right: int, bottom: int, degrees: float) -> Recognised:
    """The box a recogniser gives for text printed at (left, top, right, bottom) on a page then
    turned by `degrees` counter-clockwise about its top left corner (image y grows downwards):
    the upright rectangle around the turned corners, and the slope of the turned top edge."""
    a = math.radians(degrees)
    corners = [(x * math.cos(a) + y * math.sin(a), -x * math.sin(a) + y * math.cos(a))
               for x, y in ((left, top), (right, top), (right, bottom), (left, bottom))]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return Recognised(text, (int(min(xs)), int(min(ys)) + 400, math.ceil(max(xs)), math.ceil(max(ys)) + 400),
                      0.99, -math.tan(a))


# A printed page: rows 54 px apart (30 px text), a long line of prose, then table rows whose label
# and figure cells stand far apart (a turned page moves the right cell up or down by a whole row).
PAGE = [[("二、主要执法数据", 100, 280)],
        [("本年度主要执法数据与上年对比如下，数据由局政策法规股从执法综合管理信息系统导出", 100, 1500)],
        [("行政检查", 100, 220), ("次", 700, 730), ("1,236", 1300, 1380)],
        [("行政处罚决定", 100, 280), ("件", 700, 730), ("58", 1300, 1340)],
        [("罚没款", 100, 190), ("万元", 700, 760), ("3.62", 1300, 1370)],
        [("行政强制措施", 100, 280), ("件", 700, 730), ("0", 1300, 1320)]]
PAGE_LINES = ["二、主要执法数据", "本年度主要执法数据与上年对比如下，数据由局政策法规股从执法综合管理信息系统导出",
              "行政检查 | 次 | 1,236", "行政处罚决定 | 件 | 58", "罚没款 | 万元 | 3.62", "行政强制措施 | 件 | 0"]


def page_boxes(degrees: float, rows=PAGE) -> list[Recognised]:
    return [tilted(t, left, 100 + 54 * i, right, 130 + 54 * i, degrees)
            for i, row in enumerate(rows) for t, left, right in row]


def page_lines(found: list[Recognised], skew: float | None = None) -> list[str]:
    skew = page_skew(found) if skew is None else skew
    return [join_line(line, skew)[0] for line in rebuild_lines(found, skew)]


@pytest.mark.parametrize("degrees", [-5, -3, -2, 2, 3, 5])
def test_a_skewed_page_is_grouped_by_its_deskewed_baselines(degrees):
    found = page_boxes(degrees)
    assert page_skew(found) == pytest.approx(-math.tan(math.radians(degrees)))
    assert page_lines(found) == PAGE_LINES
    # Grouped by the tilted rectangles as they stand (no skew taken out), the rows mix up.
    assert page_lines(found, skew=0.0) != PAGE_LINES


def test_a_straight_page_has_no_skew_and_a_few_short_boxes_set_none():
    assert page_skew(page_boxes(0)) == 0.0
    assert page_skew(page_boxes(0.05)) == 0.0     # a scanner's 0.05° is no skew: grouped as it stands
    # Short boxes only (cells, single figures): their slopes are noise, the page is taken as straight.
    cells = page_boxes(3, [[("件", 700, 730), ("58", 1300, 1340)], [("次", 700, 730)]])
    assert page_skew(cells) == 0.0


@settings(max_examples=60, deadline=None)
@given(degrees=st.floats(-5, 5), widths=st.lists(st.integers(6, 45), min_size=3, max_size=12),
       cells=st.lists(st.booleans(), min_size=12, max_size=12))
def test_any_skew_up_to_five_degrees_gives_the_lines_of_the_straight_page(degrees, widths, cells):
    # Lines of 6-45 characters (30 px each), some with a figure cell at the right edge of the page.
    rows = [[("字" * n, 100, 100 + 30 * n)] + ([("12", 1500, 1540)] if cell else [])
            for n, cell in zip(widths, cells)]
    assert page_lines(page_boxes(degrees, rows)) == page_lines(page_boxes(0, rows))


def layout_of(text: str, doubtful_line: int | None = None) -> Layout:
    """One box per line of text (30 px high, on page 1), the given line scored 0.5."""
    boxes, pos = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        score = 0.5 if number == doubtful_line else 0.99
        boxes.append(Box(pos, pos + len(line), 1, (10, number * 40, 10 + 30 * len(line), number * 40 + 30), score))
        pos += len(line) + 1
    return Layout(tuple(boxes))


def test_evidence_of_a_recognised_text_carries_its_page_and_box():
    text = STREET.read_text(encoding="utf-8")
    record = parse_text(text, fmt="pdf-ocr", layout=layout_of(text))
    validate_record(record)
    # 作出行政处罚决定58件。 is line 63 of the sample: its box is the 63rd line's.
    assert record["penalties"]["decisions"] == 58
    ev = record["evidence"]["penalties.decisions"]
    assert (ev["page"], ev["box"]) == (1, [10, 63 * 40, 10 + 30 * len("作出行政处罚决定58件。"), 63 * 40 + 30])
    assert all(ev["page"] == 1 for ev in record["evidence"].values())


def test_a_value_read_with_low_confidence_is_not_taken():
    text = STREET.read_text(encoding="utf-8")
    plain = parse_text(text)
    # 其中简易程序41件，一般程序17件。 (line 65) read with confidence 0.5: both figures on it are dropped.
    record = parse_text(text, fmt="pdf-ocr", layout=layout_of(text, doubtful_line=65))
    validate_record(record)
    assert record["penalties"]["summary_procedure"] is None
    assert record["penalties"]["general_procedure"] is None
    unsure = [w for w in record["warnings"] if w["code"] == "low-confidence"]
    assert {w["field"] for w in unsure} == {"penalties.summary_procedure", "penalties.general_procedure"}
    assert all(w["line"] == 65 and "其中简易程序41件，一般程序17件。" in w["message"] for w in unsure)
    for f in fields():
        if f.path not in ("penalties.summary_procedure", "penalties.general_procedure"):
            assert value_at(record, f.path) == value_at(plain, f.path), f.path


def test_explain_shows_a_low_confidence_value_as_dropped_not_taken():
    text = STREET.read_text(encoding="utf-8")
    layout = layout_of(text, doubtful_line=65)   # 其中简易程序41件，一般程序17件。
    record, explained = parse_text(text, fmt="pdf-ocr", layout=layout), explain_text(text, fmt="pdf-ocr", layout=layout)
    for path in ("penalties.summary_procedure", "penalties.general_procedure"):
        entry = explained["fields"][path]
        assert entry["value"] is None is value_at(record, path)
        assert not any(c["taken"] for c in entry["candidates"]), path
        # The value resolved is dropped with each candidate that agreed to it (一般程序17件 again on line 101).
        dropped = {(c["value"], c["span"]["line"]) for c in entry["candidates"]
                   if c["decision"]["rule"] == "ocr.low-confidence"}
        assert dropped == ({(41, 65)} if "summary" in path else {(17, 65), (17, 101)}), path
    # Every field the explanation shows as taken is the record's value, and every value is taken.
    for path, entry in explained["fields"].items():
        if any(c["taken"] for c in entry["candidates"]):
            assert entry["value"] is not None and entry["value"] == value_at(record, path), path


def test_explain_shows_a_dropped_value_read_by_the_document_reader():
    text = STREET.read_text(encoding="utf-8")
    layout = layout_of(text, doubtful_line=1)   # the title names the agency and the year
    record, explained = parse_text(text, fmt="pdf-ocr", layout=layout), explain_text(text, fmt="pdf-ocr", layout=layout)
    assert record["agency"]["name"] is None and record["document"]["kind"] == "report"
    entry = explained["fields"]["agency.name"]
    assert entry["value"] is None and "decision" not in entry
    assert [(c["value"], c["taken"], c["decision"]["rule"]) for c in entry["candidates"]] == \
        [("广州市天河区猎德街道综合行政执法队", False, "ocr.low-confidence")]


def test_pages_without_text_are_one_warning_naming_them():
    text = STREET.read_text(encoding="utf-8")
    boxes = layout_of(text).boxes
    record = parse_text(text, fmt="pdf-ocr", layout=Layout(boxes, no_text=(2, 4), turns=(0, 0, 90, 0)))
    validate_record(record)
    assert record["penalties"]["decisions"] == 58
    [warning] = [w for w in record["warnings"] if w["code"] == "no-text-recognised"]
    assert warning["field"] is None and warning["severity"] == "warning"
    assert warning["message"] == "no text was recognised on pages 2, 4 of 4 (blank, or a picture without " \
                                 "text): the other pages are read"
    blank = parse_text("", fmt="image-ocr", layout=Layout((), no_text=(1,), turns=(0,)))
    validate_record(blank)
    assert all(value_at(blank, f.path) is None for f in fields() if f.path != "document.kind")
    assert [w["message"] for w in blank["warnings"] if w["code"] == "no-text-recognised"] == \
        ["no text was recognised on page 1 of 1 (blank, or a picture without text): no page is read"]


# --- with the ocr extra: scanned twins (make ocr-test) ---

def _ocr_ready() -> str | None:
    """Why the OCR tests cannot run here, or None."""
    if os.environ.get("ENFORCE_OCR") != "1":
        return "OCR test: run `make ocr-test` (or set ENFORCE_OCR=1 with the ocr extra installed)"
    return None


needs_ocr = pytest.mark.skipif(_ocr_ready() is not None, reason=str(_ocr_ready()))


@pytest.fixture(scope="module")
def font():
    from ocr_twins import cjk_font

    path = cjk_font()
    assert path, "no Noto CJK font: make ocr-test installs Debian's fonts-noto-cjk"
    return path


def parse_cli(path) -> dict:
    done = subprocess.run([enforce_exe(), "parse", str(path)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


TWINS = [SHARED / "seeds" / "000_227cbd767f18b893.txt", STREET, SAMPLES / "b2_tabs_transport.txt"]


def assert_same_values_or_unsure(plain: dict, record: dict) -> int:
    """Every catalogue value of the scan is the text's, or null with low-confidence; how many are equal."""
    validate_record(record)
    unsure = {w["field"] for w in record["warnings"] if w["code"] == "low-confidence"}
    same = 0
    for f in fields():
        want, got = value_at(plain, f.path), value_at(record, f.path)
        if got is None and want is not None:
            assert f.path in unsure, f"{f.path}: {want!r} lost without a low-confidence warning"
        else:
            assert got == want, f"{f.path}: read {got!r} from the scan, {want!r} from the text"
            same += want is not None
    for path, ev in record["evidence"].items():
        left, top, right, bottom = ev["box"]
        assert ev["page"] >= 1 and left < right and top < bottom, path
    return same


@pytest.mark.ocr
@needs_ocr
@pytest.mark.parametrize("source", TWINS, ids=lambda p: p.stem)
def test_a_scanned_twin_reads_the_same_values_or_none(tmp_path, font, source):
    from ocr_twins import scanned_pdf

    if not source.exists():
        pytest.skip(f"{source} is absent")
    text = source.read_text(encoding="utf-8")
    scan = tmp_path / (source.stem + ".pdf")
    scan.write_bytes(scanned_pdf(text, font))
    record = parse_cli(scan)
    assert record["source"]["format"] == "pdf-ocr"
    assert assert_same_values_or_unsure(parse_text(text), record) >= 10


@pytest.mark.ocr
@needs_ocr
@pytest.mark.parametrize("how", ["turned 90", "skewed 3", "skewed -2.5"])
def test_a_turned_or_skewed_twin_reads_the_same_values_or_none(tmp_path, font, how):
    from ocr_twins import pages, pdf_of, skewed, turned

    text = STREET.read_text(encoding="utf-8")
    kind, degrees = how.split()
    change = turned if kind == "turned" else skewed
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_of([change(page, float(degrees)) for page in pages(text, font)]))
    record = parse_cli(scan)
    assert assert_same_values_or_unsure(parse_text(text), record) >= 10
    upright = pages(text, font)[0].size      # boxes are in pixels of the page turned upright
    if kind == "turned":
        assert all(ev["box"][2] <= upright[0] + 5 for ev in record["evidence"].values())


@pytest.mark.ocr
@needs_ocr
@pytest.mark.parametrize("degrees", [180, 270])
def test_a_page_image_upside_down_or_turned_the_other_way_is_read(tmp_path, font, degrees):
    from ocr_twins import pages, png_of, turned

    page = tmp_path / "page.png"
    page.write_bytes(png_of(turned(pages(STREET.read_text(encoding="utf-8"), font)[0], degrees)))
    record = parse_cli(page)
    assert record["agency"]["name"] == "广州市天河区猎德街道综合行政执法队"
    assert record["personnel"]["officers"] == 19
    # 执法队现有持证执法人员19名。 is the 5th printed line: its box is near the top of the upright page.
    assert record["evidence"]["personnel.officers"]["box"][1] < 500


@pytest.mark.ocr
@needs_ocr
def test_a_page_image_is_read_as_image_ocr(tmp_path, font):
    from ocr_twins import scanned_png

    text = STREET.read_text(encoding="utf-8")
    page = tmp_path / "page.png"
    page.write_bytes(scanned_png(text, font))   # the first page only: lines 1-45 of the printed text
    record = parse_cli(page)
    assert record["source"]["format"] == "image-ocr"
    assert record["agency"]["name"] == "广州市天河区猎德街道综合行政执法队"
    assert record["personnel"]["officers"] == 19
    assert record["evidence"]["personnel.officers"]["page"] == 1


def assert_nothing_read(record: dict, message: str) -> None:
    validate_record(record)
    assert all(value_at(record, f.path) is None for f in fields() if f.path != "document.kind")
    assert record["evidence"] == {}
    assert [w["message"] for w in record["warnings"] if w["code"] == "no-text-recognised"] == [message]


@pytest.mark.ocr
@needs_ocr
def test_a_blank_page_is_a_warning_and_no_values(tmp_path):
    page = tmp_path / "blank.pdf"
    page.write_bytes(B.scanned_pdf_bytes())   # a grey rectangle, no text
    record = parse_cli(page)
    assert record["source"]["format"] == "pdf-ocr"
    assert_nothing_read(record, "no text was recognised on page 1 of 1 (blank, or a picture without text): "
                                "no page is read")


@pytest.mark.ocr
@needs_ocr
def test_a_photo_without_text_is_a_warning_and_no_values(tmp_path):
    from ocr_twins import no_text_photo, png_of

    photo = tmp_path / "photo.png"
    photo.write_bytes(png_of(no_text_photo()))
    record = parse_cli(photo)
    assert record["source"]["format"] == "image-ocr"
    assert_nothing_read(record, "no text was recognised on page 1 of 1 (blank, or a picture without text): "
                                "no page is read")


@pytest.mark.ocr
@needs_ocr
def test_blank_pages_of_a_scan_are_named_and_the_others_read(tmp_path, font):
    from ocr_twins import blank_page, no_text_photo, pages, pdf_of

    text = STREET.read_text(encoding="utf-8")
    first, second = pages(text, font)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_of([first, blank_page(text, font), second, no_text_photo().convert("L")]))
    record = parse_cli(scan)
    assert assert_same_values_or_unsure(parse_text(text), record) >= 10
    assert [w["message"] for w in record["warnings"] if w["code"] == "no-text-recognised"] == \
        ["no text was recognised on pages 2, 4 of 4 (blank, or a picture without text): the other pages are read"]
    assert {ev["page"] for ev in record["evidence"].values()} == {1, 3}


@pytest.mark.ocr
@needs_ocr
def test_a_scan_over_the_page_limit_is_refused_before_it_is_read(tmp_path, font):
    from ocr_twins import scanned_pdf

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned_pdf(STREET.read_text(encoding="utf-8"), font))   # 2 pages
    done = subprocess.run([enforce_exe(), "parse", "--max-pages", "1", str(scan)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 3
    assert done.stderr.endswith("scanned PDF has 2 pages, over the OCR limit of 1 (--max-pages)\n")


@pytest.mark.ocr
@needs_ocr
@pytest.mark.parametrize("degrees", [0, 90], ids=["upright", "scanned sideways"])
def test_the_review_page_of_a_scan_draws_each_value_box_on_its_page(tmp_path, font, degrees):
    """`enforce review` on a two-page scanned twin: every value with a box is one rect on its page, in the
    pixels of the page as rendered for OCR and turned upright, and the page shown is that rendering
    (each box, scaled to the shown image, has print in it)."""
    from PIL import Image
    from ocr_twins import pages, pdf_of, turned
    from review_records import pages_of

    text = STREET.read_text(encoding="utf-8")
    scan, html_path = tmp_path / "street.pdf", tmp_path / "street.html"
    scan.write_bytes(pdf_of([turned(page, degrees) for page in pages(text, font)]))
    done = subprocess.run([enforce_exe(), "review", str(scan), "-o", str(html_path)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    out = html_path.read_text(encoding="utf-8")
    drawn = pages_of(out)
    boxed = {path: ev for path, ev in parse_cli(scan)["evidence"].items() if "box" in ev}
    assert len(boxed) >= 10 and {ev["page"] for ev in boxed.values()} == {1, 2}
    assert sorted((r["data-path"], r["page"]) for r in drawn.rects) == sorted((p, ev["page"]) for p, ev in boxed.items())
    printed = pages(text, font)
    shown = {}
    for number, figure in drawn.figures.items():
        assert figure["class"] == "page"
        _, _, width, height = map(int, figure["svg"]["viewbox"].split())
        drawn_w, drawn_h = printed[number - 1].size   # the twin is drawn at 200 dpi, rendered for OCR at 200 dpi
        assert abs(width - drawn_w) <= 1 and abs(height - drawn_h) <= 1   # pdfium rounds a pixel up
        data = base64.b64decode(figure["img"]["src"].removeprefix("data:image/jpeg;base64,"))
        shown[number] = (Image.open(io.BytesIO(data)).convert("L"), width, height)
    for rect in drawn.rects:
        left, top, right, bottom = boxed[rect["data-path"]]["box"]
        assert [int(rect[k]) for k in ("x", "y", "width", "height")] == [left, top, right - left, bottom - top]
        image, width, height = shown[rect["page"]]
        assert image.width <= 1000
        sx, sy = image.width / width, image.height / height
        ink = image.crop((int(left * sx), int(top * sy), int(right * sx) + 1, int(bottom * sy) + 1)).getextrema()[0]
        assert ink < 100, f"{rect['data-path']}: no print inside its box on the page shown"
    assert len(out.encode()) < 1_500_000   # two pages at display size: about 0.4 MB


@pytest.mark.ocr
@needs_ocr
def test_page_images_to_show_keep_the_ocr_pixels_and_shrink_to_their_share():
    """display_pages renders as for OCR (the size it reports is the boxes' pixel space) and shrinks a page
    that exceeds its share of the budget, down to DISPLAY_MIN_WIDTH (noise: the worst case for JPEG)."""
    from PIL import Image

    from enforcement_parser.files.ocr import DISPLAY_MIN_WIDTH, DISPLAY_WIDTH, display_pages

    noise = Image.frombytes("RGB", (1654, 2339), random.Random(17).randbytes(1654 * 2339 * 3))
    buf = io.BytesIO()
    noise.save(buf, "TIFF", save_all=True, append_images=[noise])   # two pages
    # a share of 200 kB: 1000 px wide is about 400 kB, 750 px 180 kB; 20 kB: not even 400 px (30 kB) fits
    for budget, width in ((10**8, DISPLAY_WIDTH), (2 * 200_000, 750), (2 * 20_000, DISPLAY_MIN_WIDTH)):
        shown = display_pages(buf.getvalue(), "image-ocr", 50, budget)
        assert [(w, h) for w, h, _ in shown] == [(1654, 2339)] * 2
        for _, _, jpeg in shown:
            assert Image.open(io.BytesIO(jpeg)).size == (width, round(2339 * width / 1654))
            assert len(jpeg) <= budget // 2 or width == DISPLAY_MIN_WIDTH
    # A page OCR read turned a quarter turn is shown turned (its boxes are in the upright pixels).
    shown = display_pages(buf.getvalue(), "image-ocr", 50, 10**8, turns=(90, 0))
    assert [(w, h) for w, h, _ in shown] == [(2339, 1654), (1654, 2339)]
    assert Image.open(io.BytesIO(shown[0][2])).size == (DISPLAY_WIDTH, round(1654 * DISPLAY_WIDTH / 2339))


@pytest.mark.ocr
@needs_ocr
def test_a_library_installed_without_its_metadata_keys_the_cache_as_unknown(monkeypatch):
    """onnxruntime-gpu, or a vendored install: the cache keys on less, the reading does not fail."""
    from importlib.metadata import PackageNotFoundError

    from enforcement_parser.files import ocr

    def missing(name):
        raise PackageNotFoundError(name)

    monkeypatch.setattr(ocr, "version", missing)
    keyed = ocr.settings()
    assert (keyed["engine"], keyed["onnxruntime"], keyed["images"]) == \
        ("rapidocr-onnxruntime unknown", "unknown", "Pillow unknown")
