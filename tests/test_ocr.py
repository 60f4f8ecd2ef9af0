"""Scanned reports (docs/inputs.md, OCR).

Without the ocr extra (what `make test` checks): a scan is one error line naming the install command,
a PDF with a text layer never needs OCR, the lines rebuilt from boxes and the low-confidence rule.
With it (`make ocr-test`, ENFORCE_OCR=1): scanned twins of a seed and of two samples, drawn with a
CJK font and saved as image-only PDFs, read to the same values as their text (or null with a
low-confidence warning, never another value).
"""

import base64
import io
import json
import os
import random
import subprocess
import sys

import pytest

import formats_builders as B
from conftest import SAMPLES, SHARED, enforce_exe
from enforcement_parser.api import parse_text
from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.files.pagelayout import Box, Layout, Recognised, join_line, rebuild_lines
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
    plain, record = parse_text(text), parse_cli(scan)
    validate_record(record)
    assert record["source"]["format"] == "pdf-ocr"
    unsure = {w["field"] for w in record["warnings"] if w["code"] == "low-confidence"}
    same = 0
    for f in fields():
        want, got = value_at(plain, f.path), value_at(record, f.path)
        if got is None and want is not None:
            assert f.path in unsure, f"{f.path}: {want!r} lost without a low-confidence warning"
        else:
            assert got == want, f"{f.path}: read {got!r} from the scan, {want!r} from the text"
            same += want is not None
    assert same >= 10
    for path, ev in record["evidence"].items():
        left, top, right, bottom = ev["box"]
        assert ev["page"] >= 1 and left < right and top < bottom, path


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


@pytest.mark.ocr
@needs_ocr
def test_a_blank_page_is_one_error_line(tmp_path):
    page = tmp_path / "blank.pdf"
    page.write_bytes(B.scanned_pdf_bytes())   # a grey rectangle, no text
    done = subprocess.run([enforce_exe(), "parse", str(page)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 3
    assert done.stderr == f"error: {page}: PDF has no text layer (a scanned image?): no text was recognised " \
                          "on the page(s): blank, or not a text page\n"


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
def test_the_review_page_of_a_scan_draws_each_value_box_on_its_page(tmp_path, font):
    """`enforce review` on a two-page scanned twin: every value with a box is one rect on its page, in the
    pixels of the page as rendered for OCR, and the page shown is that rendering (each box, scaled to
    the shown image, has print in it)."""
    from PIL import Image
    from ocr_twins import pages, scanned_pdf
    from review_records import pages_of

    text = STREET.read_text(encoding="utf-8")
    scan, html_path = tmp_path / "street.pdf", tmp_path / "street.html"
    scan.write_bytes(scanned_pdf(text, font))
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
