"""Hostile and broken inputs: one clear `error:` line and exit 3, or a bounded-time parse; never a crash."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
import zipfile

import pytest

import formats_builders as B
from conftest import ROOT
from enforcement_parser.api import extract_text, parse_bytes, read_input
from enforcement_parser.errors import EnforceError, InputError
from enforcement_parser.files import html as html_format, legacy as legacy_format

TWIN = "\n".join(B.TWIN).encode("utf-8")


def refused(data: bytes, path: str = "x", match: str = "") -> str:
    with pytest.raises(InputError, match=match) as info:
        extract_text(data, path=path)
    assert str(info.value).startswith(f"{path}: ")
    return str(info.value)


def assert_one_error_line(result, fragment: str = "") -> None:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 3, err
    assert result.stdout == b""
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert fragment in err


# --- files the CLI cannot read ---------------------------------------------------------------

@pytest.mark.parametrize("content, fragment", [
    (b"", "input is empty"),
    (b"  \r\n\t \n", "input is empty"),
    (b"\xff\xfe" + " \n".encode("utf-16-le"), "no text"),
    (bytes(range(256)) * 64, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(2000), "page image (scan)"),   # damaged, or the ocr extra missing
    (b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8, "binary"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "legacy Office"),
    (b"{\\rtf1\\ansi \\f0 report}", "RTF"),
    (B.zip_bytes({"xl/workbook.xml": b"<x/>"}), "damaged workbook"),
    (B.xlsx_bytes([("Sheet1", [["警告", 31]])])[:900], "damaged workbook"),
    (B.ods_bytes([("Sheet1", [["警告", 31]])])[:700], "damaged workbook"),
    (B.xls_bytes([("Sheet1", [["警告", 31]])])[:1500], "neither a Word document nor an Excel workbook"),
    (B.zip_bytes({"hello.txt": b"hi"}), "not a Word document"),
    (B.docx_bytes(B.TWIN)[:3000], "truncated or damaged .docx"),
    (B.pdf_bytes(B.TWIN)[:400], "damaged PDF"),
])   # a scan without the ocr extra: tests/test_ocr.py (with the extra a blank scan is a record)
def test_unreadable_files_give_one_line_and_exit_3(tmp_path, run_enforce, content, fragment):
    path = tmp_path / "report.bin"
    path.write_bytes(content)
    assert_one_error_line(run_enforce("parse", path), fragment)


def test_directory_missing_file_and_size_cap(tmp_path, run_enforce):
    assert_one_error_line(run_enforce("parse", tmp_path), "is a directory")
    assert_one_error_line(run_enforce("parse", tmp_path / "nope.txt"), "no such file")
    big = tmp_path / "big.txt"
    big.write_bytes(TWIN)
    assert_one_error_line(run_enforce("parse", "--max-bytes", "100", big), "exceeds the limit")
    assert_one_error_line(run_enforce("parse", "--max-bytes", "100", "-", input=TWIN), "exceeds the limit")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_blocking(tmp_path, run_enforce):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_one_error_line(run_enforce("parse", fifo), "not a regular file")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_permission_denied(tmp_path, run_enforce):
    path = tmp_path / "secret.txt"
    path.write_bytes(TWIN)
    path.chmod(0)
    assert_one_error_line(run_enforce("parse", path), "ermission denied")


def test_permission_denied_in_process(tmp_path, monkeypatch):
    """Root reads every file, so simulate the OS refusing the open."""
    path = tmp_path / "secret.txt"
    path.write_bytes(TWIN)

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", deny)
    with pytest.raises(InputError, match="Permission denied"):
        read_input(str(path))


# --- DOCX: zip bombs and XML bombs -----------------------------------------------------------

def test_docx_zip_bomb_is_refused_from_its_declared_size_without_inflating():
    bomb = B.docx_zip_bomb(200 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    refused(bomb, match="zip bomb")
    assert time.monotonic() - started < 5


def test_docx_high_compression_ratio_is_refused():
    xml = (f'<w:document xmlns:w="{B.W_NS}"><w:body><w:p><w:r><w:t>'.encode() + b"0" * (8 * 1024 * 1024)
           + b"</w:t></w:r></w:p></w:body></w:document>")
    refused(B.docx_from_xml(xml), match="compressed more than")


def test_docx_member_that_inflates_past_its_declared_size_is_cut_at_the_cap(monkeypatch):
    """A lying size header: reads stop at the cap whatever the header says."""
    from enforcement_parser.files import docx

    monkeypatch.setattr(docx, "MAX_PART_BYTES", 1000)
    monkeypatch.setattr(docx, "check_member", lambda info, what: None)
    with pytest.raises(InputError, match="exceeds the size limit"):
        docx.read_main_part(B.docx_bytes(B.TWIN))


@pytest.mark.parametrize("xml", [
    B.billion_laughs_xml(),
    f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document '
    f'xmlns:w="{B.W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>'.encode(),
    f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "aaaa">]><w:document xmlns:w="{B.W_NS}">'
    f'<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>'.encode("utf-16"),
], ids=["billion-laughs", "external-entity", "utf16-dtd"])
def test_docx_entity_bombs_and_external_entities_are_refused(xml):
    started = time.monotonic()
    message = refused(B.docx_from_xml(xml), match="DTD")
    assert "root:" not in message
    assert time.monotonic() - started < 5


def test_docx_deep_xml_nesting_is_a_clear_error():
    deep = (f'<w:document xmlns:w="{B.W_NS}"><w:body>' + "<w:sdt><w:sdtContent>" * 5000
            + "<w:p><w:r><w:t>x</w:t></w:r></w:p>" + "</w:sdtContent></w:sdt>" * 5000 + "</w:body></w:document>")
    refused(B.docx_from_xml(deep.encode()), match="damaged Word document XML")


def test_docx_with_many_entries_is_refused():
    members = {f"word/media/{i}.png": b"" for i in range(20_001)}
    members["word/document.xml"] = b"<x/>"
    refused(B.zip_bytes(members, compression=zipfile.ZIP_STORED), match="entries")


# --- spreadsheets: bombs, huge tables, far cells --------------------------------------------

def sheet_with(rows_xml: str) -> bytes:
    return B.xlsx_bytes([("S", [])], sheet_xml={"S": f"<sheetData>{rows_xml}</sheetData>"})


def test_xlsx_zip_bomb_is_refused_from_its_declared_size_without_inflating():
    members = B.zip_members(B.xlsx_bytes([("S", [["警告", 31]])]))
    bomb = B.zip_bomb(members, "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{B.XLSX_NS}"><sheetData>'.encode(),
                      40 * 1024 * 1024)
    started = time.monotonic()
    refused(bomb, path="b.xlsx", match="zip bomb")
    assert time.monotonic() - started < 5


def test_huge_shared_strings_table_is_read_in_bounded_time():
    """Three hundred thousand strings (10 MB of XML) that no cell uses: read, nothing of it shown."""
    members = B.zip_members(B.xlsx_bytes([("S", [["警告", 31]])]))
    sst = "<si><t>警告</t></si>" + "".join(f"<si><t>字符串{i:07d}</t></si>" for i in range(300_000))
    members["xl/sharedStrings.xml"] = f'<sst xmlns="{B.XLSX_NS}">{sst}</sst>'.encode()
    started = time.monotonic()
    assert extract_text(B.zip_bytes(members), path="s.xlsx")[0] == "S\n| 警告 | 31 |"
    assert time.monotonic() - started < 15


def test_a_million_empty_rows_read_as_one_gap():
    data = sheet_with('<row r="1"><c r="A1" t="inlineStr"><is><t>警告</t></is></c><c r="B1"><v>31</v></c></row>'
                      '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>完</t></is></c></row>')
    started = time.monotonic()
    assert extract_text(data, path="m.xlsx")[0] == "S\n| 警告 | 31 |\n\n完"
    assert time.monotonic() - started < 20
    ods = B.ods_bytes([("S", [])], table_xml={"S": '<table:table-row><table:table-cell office:value-type="string">'
                                                   '<text:p>警告</text:p></table:table-cell></table:table-row>'
                                                   '<table:table-row table:number-rows-repeated="1048575">'
                                                   '<table:table-cell/></table:table-row>'})
    assert extract_text(ods, path="m.ods")[0] == "S\n警告"


@pytest.mark.parametrize("ref", ["XFD1048576", "Z1048576"])
def test_a_cell_declared_far_away_is_refused_not_allocated(ref):
    """Two cells at A1 and far away make calamine allocate the whole grid between them (half a terabyte
    for XFD1048576, which aborts the interpreter): the child reading it hits its memory limit instead."""
    data = sheet_with(f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{ref.lstrip("XFDZ")}"><c r="{ref}"><v>2</v></c></row>')
    started = time.monotonic()
    refused(data, path="far.xlsx", match="needs more than|cells in its used ranges")
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("name, build, fmt", [
    ("report.docx", lambda: B.xlsx_bytes([("S", [["警告", 31]])]), "xlsx"),
    ("report.txt", lambda: B.ods_bytes([("S", [["警告", 31]])]), "ods"),
    ("report.doc", lambda: B.xls_bytes([("S", [["警告", 31]])]), "xls"),
    ("report.xlsx", lambda: B.docx_bytes(B.TWIN), "docx"),
])
def test_the_content_not_the_extension_decides_the_format(tmp_path, name, build, fmt):
    assert extract_text(build(), path=name)[2] == fmt


def test_spreadsheet_refusals_through_the_cli(tmp_path, run_enforce):
    far = tmp_path / "far.xlsx"
    far.write_bytes(sheet_with('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'))
    assert_one_error_line(run_enforce("parse", far), "needs more than")
    empty = tmp_path / "empty.ods"
    empty.write_bytes(B.ods_bytes([("S", [[None]])]))
    assert_one_error_line(run_enforce("parse", empty), "no readable cell")


# --- legacy Word: damaged files, a converter that hangs --------------------------------------

TWIN_DOC = (ROOT / "tests" / "data" / "legacy" / "twin.doc").read_bytes()


@pytest.mark.parametrize("name, cut, fragment", [
    ("cut.doc", 9000, "truncated or damaged Word 97 document"),   # the converter's own refusal
    ("cut.bin", 9000, "neither a Word document nor an Excel workbook"),   # the directory is cut off
    ("cut.doc", 600, "truncated or damaged Word 97 document"),
])
def test_truncated_ole_files_are_one_error_line(tmp_path, run_enforce, name, cut, fragment):
    if name.endswith(".doc") and shutil.which("antiword") is None and shutil.which("catdoc") is None:
        fragment = "apt-get install antiword"
    path = tmp_path / name
    path.write_bytes(TWIN_DOC[:cut])
    assert_one_error_line(run_enforce("parse", path), fragment)


def only_on_path(tmp_path, monkeypatch, programs: dict[str, str]) -> None:
    """PATH holds just these programs (shell scripts)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, script in programs.items():
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


def test_a_converter_that_hangs_is_cut_off(tmp_path, monkeypatch):
    only_on_path(tmp_path, monkeypatch, {"antiword": f"#!/bin/sh\nexec {shutil.which('sleep')} 60\n"})
    monkeypatch.setattr(legacy_format, "TIME_LIMIT_S", 1.0)
    started = time.monotonic()
    with pytest.raises(InputError, match="antiword took longer than 1 s"):
        extract_text(TWIN_DOC, path="slow.doc")
    assert time.monotonic() - started < 10


# --- HTML: nesting and attribute floods ------------------------------------------------------

def test_deeply_nested_html_is_refused_quickly():
    for page in (B.deep_html(300_000), "<span>" * 200_000 + "<div>" * 100_000 + "x"):
        started = time.monotonic()
        refused(page.encode(), "deep.html", match="nested too deeply")
        assert time.monotonic() - started < 10


def test_moderately_nested_html_is_read_with_an_iterative_walk():
    text, _, fmt = extract_text(B.deep_html(5000).encode(), path="deep.html")
    assert (text, fmt) == ("2023年共办结案件12件", "html")
    assert sys.getrecursionlimit() < 5000 * 2


def test_attribute_flood_is_refused():
    page = "<html><body><div " + " ".join(f"a{i}=1" for i in range(40_000)) + ">x</div></body></html>"
    refused(page.encode(), "flood.html", match="too many attributes")


def test_html_cost_checks_pass_ordinary_large_pages():
    page = B.gov_html(B.TWIN * 4000)
    assert len(page) > 1_000_000
    html_format.check_parse_cost(page)
    assert html_format._nesting_cost(page) < html_format.NESTING_BUDGET // 10


def test_unclosed_paragraphs_do_not_count_as_nesting():
    page = "<html><body>" + "<p>共办结案件12件<li>一项" * 50_000 + "</body></html>"
    html_format.check_parse_cost(page)


# --- pathological text: the engine must stay bounded ----------------------------------------

PATHOLOGICAL = {
    "million-digits": "'1' * 1_000_000",
    "digits-in-sentence": "'共' + '1' * 1_000_000 + '件'",
    "yu-lines": "'余余余\\n' * 100_000",
    "yu-run": "'余' * 100_000",
    "repeated-labels": "'行政处罚' * 100_000",
    "label-value-pairs": "'行政处罚决定12件，' * 60_000",
    "template-pairs": "'1.行政处罚决定数（件）\\n12\\n' * 10_000",
    "wan-multipliers": "'1万' * 300_000",
    "chinese-numerals": "'一二三四五六七八九十百千万亿' * 5_000",
    "pipe-table": "'警告 | 罚款 | 合计\\n31 | 54 | 85\\n' * 20_000",
    "blank-lines": "'\\n' * 300_000 + '共办结案件12件'",
    "percent-run": "'100%' * 250_000",
}
_BOUNDED = textwrap.dedent("""
    import json, sys, time
    from enforcement_parser.api import parse_text
    from enforcement_parser.errors import EnforceError
    from enforcement_parser.outputs.record_model import validate_record
    text = eval(sys.argv[1])
    started, cpu_started = time.monotonic(), time.process_time()
    try:
        record = parse_text(text)
        validate_record(record)
        spans = all(text[e["start"]:e["end"]] == e["text"] for e in record["evidence"].values())
        outcome = "record" if spans else "bad-span"
    except EnforceError as exc:
        outcome = "refused: " + str(exc)
    print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - started,
                      "cpu_seconds": time.process_time() - cpu_started}))
""")


def run_bounded(expr: str, timeout: float) -> dict:
    """Parse in a child process so a runaway regex fails the test instead of hanging the suite."""
    try:
        out = subprocess.run([sys.executable, "-c", _BOUNDED, expr], capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"parse of {expr} did not finish within {timeout} s")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_text_parses_in_bounded_time(name):
    result = run_bounded(PATHOLOGICAL[name], timeout=60)
    assert result["outcome"] == "record" or result["outcome"].startswith("refused: ")
    assert result["seconds"] < 30


def test_long_runs_of_blanks_parse_in_bounded_time():
    run_bounded("'a' + ' ' * 200_000 + 'b 共办结案件12件 c' + '\\t' * 100_000 + 'd'", timeout=5)


def test_long_report_of_short_label_lines_parses_in_bounded_time():
    """The bound is on the child's CPU time (~2 s alone): wall time under a loaded 2-core machine
    went past a 10 s limit while the parse itself was no slower. The wall timeout only catches a hang."""
    twin = repr(B.TWIN)
    result = run_bounded(f"'\\n'.join({twin} * 3000)", timeout=120)
    assert result["outcome"] == "record" and result["cpu_seconds"] < 10


def test_parse_bytes_of_huge_numbers_in_every_format_is_bounded():
    lines = ["共办结案件" + "9" * 5000 + "件", "罚款" + "9" * 400 + "." + "9" * 400 + "万元",
             "9" * 300 + " | " + "1" * 300]
    for data in (B.gov_html(lines).encode(), B.docx_bytes(lines), B.pdf_bytes(lines)):
        record = parse_bytes(data, path="huge")
        assert record["source"]["format"] in ("html", "docx", "pdf")


def test_a_slow_pdf_is_cut_off_by_the_time_limit():
    from enforcement_parser.files.pdf import pdf_text

    with pytest.raises(InputError, match="longer than"):
        pdf_text(B.pdf_bytes(B.TWIN, lines_per_page=1), time_limit=-1)
    with pytest.raises(InputError, match="pages, over the limit"):
        pdf_text(B.pdf_bytes(B.TWIN, lines_per_page=1), max_pages=3)


def test_concurrent_parses_do_not_interfere():
    """pypdf logging is silenced per call; threads must still all get their own records."""
    results, errors = [], []

    def work(data):
        try:
            results.append(parse_bytes(data, path="t")["source"]["format"])
        except EnforceError as exc:  # pragma: no cover - would be a failure below
            errors.append(exc)

    inputs = [B.pdf_bytes(B.TWIN), B.docx_bytes(B.TWIN), B.gov_html(B.TWIN).encode(), TWIN] * 2
    threads = [threading.Thread(target=work, args=(d,)) for d in inputs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and sorted(results) == sorted(["pdf", "docx", "html", "text"] * 2)
