"""Scanned reports (docs/inputs.md, OCR).

Without the ocr extra (what `make test` checks): a scan is one error line naming the install command,
a PDF with a text layer never needs OCR, the lines rebuilt from boxes and the low-confidence rule.
With it (`make ocr-test`, ENFORCE_OCR=1): scanned twins of a seed and of two samples, drawn with a
CJK font and saved as image-only PDFs, read to the same values as their text (or null with a
low-confidence warning, never another value).
"""

import json
import os
import struct
import subprocess
import sys
import zlib

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


def tiny_png() -> bytes:
    """A valid 2x2 white PNG (no Pillow needed)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\xff" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name, data", [("scan.pdf", B.scanned_pdf_bytes()), ("page.png", tiny_png()),
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
