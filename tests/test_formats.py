"""Every input format and encoding reads to the same text, and so the same record, as its plain twin."""

import codecs
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

import formats_builders as B
from conftest import SAMPLES
from enforcement_parser.api import extract_text, parse_bytes, parse_text
from enforcement_parser.errors import InputError
from enforcement_parser.files import html
from enforcement_parser.knowledge.tables import load_toml
from enforcement_parser.outputs.record_model import validate_record

TWIN_TEXT = "\n".join(B.TWIN)
SAMPLE = (SAMPLES / "taizhou_web.txt").read_text(encoding="utf-8")


def lines(text: str) -> list[str]:
    return text.split("\n")


def figures(record: dict) -> dict:
    """What the engine took from a record, independent of the source format: values and evidence texts."""
    skip = {"schema_version", "source", "evidence", "warnings"}
    values = {k: v for k, v in record.items() if k not in skip}
    return {"values": values, "evidence": {k: e["text"] for k, e in record["evidence"].items()}}


def assert_spans(record: dict, text: str) -> None:
    for path, ev in record["evidence"].items():
        assert text[ev["start"]:ev["end"]] == ev["text"], path


# --- plain text in every encoding -------------------------------------------------------------

@pytest.mark.parametrize("encoding, data, reported", [
    ("utf-8", SAMPLE.encode("utf-8"), "utf-8"),
    ("utf-8 BOM", codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
    ("utf-16 BOM LE", codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
    ("utf-16 BOM BE", codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
    ("utf-16-le no BOM", SAMPLE.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be no BOM", SAMPLE.encode("utf-16-be"), "utf-16-be"),
    ("utf-32 BOM", SAMPLE.encode("utf-32"), "utf-32"),
    ("gb18030", SAMPLE.encode("gb18030"), "gb18030"),
    ("gbk", SAMPLE.encode("gbk"), "gb18030"),
    ("gb2312", TWIN_TEXT.replace("，", ",").encode("gb2312"), "gb18030"),
])
def test_text_encodings_decode_to_the_same_text(encoding, data, reported):
    text, enc, fmt = extract_text(data, path="r.txt")
    expected = TWIN_TEXT.replace("，", ",") if encoding == "gb2312" else SAMPLE
    assert (text, enc, fmt) == (expected, reported, "text")


def test_every_encoding_gives_the_same_record():
    base = figures(parse_text(SAMPLE))
    for data in (SAMPLE.encode("gb18030"), SAMPLE.encode("utf-16"), SAMPLE.encode("utf-16-le")):
        assert figures(parse_bytes(data)) == base


def test_line_endings_are_kept_and_offsets_refer_to_the_decoded_text():
    mixed = SAMPLE.replace("\n", "\r\n", 20).replace("\n", "\r", 3)
    text, _, _ = extract_text(mixed.encode("utf-8"))
    assert text == mixed
    record = parse_bytes(mixed.encode("utf-8"))
    assert record["source"]["length"] == len(mixed)
    assert_spans(record, mixed)
    assert record["evidence"], "the sample has figures"


def test_nul_bytes_are_dropped_and_offsets_refer_to_the_text_without_them():
    raw = SAMPLE.encode("utf-8")
    data = raw[:100] + b"\x00" + raw[100:] + b"\x00" * 5000  # stray NUL, NUL padding at the end
    text, enc, _ = extract_text(data)
    assert text == SAMPLE and enc == "utf-8"
    assert_spans(parse_bytes(data), text)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16-le"])
def test_truncated_multibyte_character_at_the_end_is_dropped(encoding):
    body = "2023年共办结案件12件，罚款3000元，警告45人，拘留6人"
    data = body.encode(encoding)[:-1]
    assert extract_text(data)[0] == body[:-1]


def test_a_few_damaged_bytes_in_utf8_stay_utf8_not_gb18030_mojibake():
    data = SAMPLE[:300].encode("utf-8") + b"\xff" + SAMPLE[300:].encode("utf-8")
    text, enc, _ = extract_text(data)
    assert enc == "utf-8-lossy"
    assert text.replace("\ufffd", "") == SAMPLE


def test_damaged_bytes_after_a_bom_or_in_gbk_are_replaced_not_refused():
    damaged = codecs.BOM_UTF8 + SAMPLE[:300].encode() + b"\xff\xfe" + SAMPLE[300:].encode()
    text, enc, _ = extract_text(damaged)
    assert enc == "utf-8-sig-lossy" and text.replace("\ufffd", "") == SAMPLE
    gbk = SAMPLE.encode("gbk")
    text, enc, _ = extract_text(gbk[:1000] + b"\x81\x20\xff" + gbk[1000:])
    assert enc.endswith("-lossy") or enc == "gb18030"
    assert SAMPLE[-200:] in text


def test_big5_falls_back_to_charset_detection():
    trad = "臺州市公安局行政執法工作報告\n全年辦結行政案件三千二百件，罰款金額合計四十萬元。\n" * 20
    text, enc, _ = extract_text(trad.encode("big5"))
    assert text == trad
    assert enc.replace("_", "").lower() in ("big5", "cp950", "big5hkscs")


# --- HTML ----------------------------------------------------------------------------------

def test_government_page_reads_to_its_plain_twin():
    text, enc, fmt = extract_text(B.gov_html(B.TWIN).encode("utf-8"), path="report.html")
    assert (enc, fmt) == ("utf-8", "html")
    assert lines(text) == B.TWIN


@pytest.mark.parametrize("charset, codec, declare, path, expected_enc", [
    ("gb2312", "gb18030", True, "page.htm", "gb18030"),
    ("GBK", "gbk", True, "page.shtml", "gb18030"),
    ("utf-8", "gb18030", False, "page.html", "gb18030"),  # undeclared: detected
    ("utf-8", "utf-8", True, "no-extension", "utf-8"),  # sniffed from <!DOCTYPE html>
    ("utf-16", "utf-16", False, "page.html", "utf-16"),
    ("gb2312", "utf-8", True, "page.html", "utf-8"),  # stale declaration on a UTF-8 page
])
def test_html_charsets_and_sniffing(charset, codec, declare, path, expected_enc):
    page = B.gov_html(B.TWIN, charset=charset, declare=declare)
    text, enc, fmt = extract_text(page.encode(codec), path=path)
    assert (lines(text), enc, fmt) == (B.TWIN, expected_enc, "html")


def test_html_tables_become_pipe_rows_and_layout_tables_become_lines():
    page = """<html><body><table><tr><td class="left">栏目</td><td>
      <p>2023年行政处罚情况如下：</p>
      <table><caption>行政处罚统计表</caption>
        <thead><tr><th>警告</th><th>罚款</th><th>合计</th></tr></thead>
        <tbody><tr><td><p class="MsoNormal"><span lang="EN-US">3<o:p></o:p></span><span>1</span></p></td>
        <td>54</td><td>8<br>5</td></tr><tr><td> </td><td></td><td></td></tr></tbody>
      </table></td></tr></table></body></html>"""
    text, _, _ = extract_text(page.encode(), path="t.html")
    assert lines(text) == ["栏目", "2023年行政处罚情况如下：", "行政处罚统计表", "警告 | 罚款 | 合计", "31 | 54 | 8 5"]


def test_html_whitespace_between_chinese_characters_from_source_wrapping_is_removed():
    page = "<html><body><p>全市共办结\n      行政案件 12 件，\r\n  罚款&nbsp;3万元</p><pre>a\nb</pre></body></html>"
    assert lines(extract_text(page.encode(), path="p.html")[0]) == ["全市共办结行政案件 12 件，罚款 3万元", "a b"]


def test_html_chrome_container_holding_the_whole_article_is_kept():
    body = "".join(f"<p>{line}</p>" for line in B.TWIN if " | " not in line)
    page = f'<html><body><div class="main-nav-wrapper">{body}</div><div class="nav">首页</div></body></html>'
    text, _, _ = extract_text(page.encode(), path="p.html")
    assert lines(text) == [line for line in B.TWIN if " | " not in line]


def test_html_hidden_blocks_and_html5_chrome_are_dropped_but_article_header_is_kept():
    page = """<html><body><header>网站首页</header><nav>导航</nav><main><article>
      <header><h1>某区2023年度行政执法工作报告</h1></header><p>共办结案件12件。</p>
      <div style="display: none">隐藏内容</div><footer>文章结束</footer></article></main>
      <aside>相关链接</aside><footer>版权所有</footer></body></html>"""
    text, _, _ = extract_text(page.encode(), path="p.html")
    assert lines(text) == ["某区2023年度行政执法工作报告", "共办结案件12件。", "文章结束"]


def test_html_page_with_no_text_is_an_input_error():
    with pytest.raises(InputError, match="no article text"):
        extract_text(b"<html><body><script>x()</script><div class='nav'>a</div></body></html>", path="e.html")


# --- DOCX and PDF --------------------------------------------------------------------------

def test_docx_reads_paragraphs_and_tables_in_document_order():
    text, enc, fmt = extract_text(B.docx_bytes(B.TWIN), path="report.docx")
    assert (lines(text), enc, fmt) == (B.TWIN, "utf-8", "docx")


def test_docx_content_controls_tracked_changes_and_nested_tables():
    w = f'xmlns:w="{B.W_NS}"'
    xml = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {w}><w:body>
<w:sdt><w:sdtContent><w:p><w:r><w:t>标题在内容控件里</w:t></w:r></w:p></w:sdtContent></w:sdt>
<w:p><w:r><w:t xml:space="preserve">共办结案件</w:t></w:r><w:del><w:r><w:delText>99</w:delText></w:r></w:del>
<w:ins><w:r><w:t>12</w:t></w:r></w:ins><w:r><w:t>件</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>警告</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>罚款</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>内层</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>
<w:sectPr/></w:body></w:document>""".encode()
    text, _, _ = extract_text(B.docx_from_xml(xml), path="x.docx")
    assert lines(text) == ["标题在内容控件里", "共办结案件12件", "第二行", "警告 | 罚款 内层", "3 1 | "]


def test_pdf_text_layer_with_chinese_reads_to_its_twin():
    for per_page in (40, 3):
        text, enc, fmt = extract_text(B.pdf_bytes(B.TWIN, lines_per_page=per_page), path="report.pdf")
        assert (lines(text), enc, fmt) == (B.TWIN, "binary", "pdf")


def test_scanned_pdf_without_the_ocr_extra_is_a_clear_input_error(monkeypatch):
    # As in an install without the extra (with it, this blank scan is a record: tests/test_ocr.py).
    monkeypatch.setitem(sys.modules, "enforcement_parser.files.ocr", None)
    with pytest.raises(InputError, match=r"no text layer.*pip install 'enforcement-parser\[ocr\]'"):
        extract_text(B.scanned_pdf_bytes(), path="scan.pdf")


@pytest.mark.parametrize("build", [
    lambda: "\n".join(B.TWIN).encode("utf-8"),
    lambda: "\n".join(B.TWIN).encode("gb18030"),
    lambda: B.gov_html(B.TWIN).encode("utf-8"),
    lambda: B.docx_bytes(B.TWIN),
    lambda: B.pdf_bytes(B.TWIN),
], ids=["text", "gb18030", "html", "docx", "pdf"])
def test_every_format_gives_the_record_of_its_plain_twin(build):
    data = build()
    record = parse_bytes(data, path="r")
    validate_record(record)
    text = extract_text(data, path="r")[0]
    assert_spans(record, text)
    assert record["source"]["length"] == len(text)
    assert figures(record) == figures(parse_text(TWIN_TEXT))


# --- CLI and start-up -----------------------------------------------------------------------

@pytest.mark.parametrize("name, build, fmt", [
    ("r.html", lambda: B.gov_html(B.TWIN, charset="gbk").encode("gbk"), "html"),
    ("r.docx", lambda: B.docx_bytes(B.TWIN), "docx"),
    ("r.pdf", lambda: B.pdf_bytes(B.TWIN), "pdf"),
])
def test_cli_text_prints_the_extracted_text_and_json_names_the_format(tmp_path, run_enforce, name, build, fmt):
    path = tmp_path / name
    path.write_bytes(build())
    shown = run_enforce("parse", "--text", path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.decode("utf-8") == TWIN_TEXT
    parsed = run_enforce("parse", "--compact", path)
    record = json.loads(parsed.stdout)
    assert record["source"]["format"] == fmt
    assert_spans(record, TWIN_TEXT)


def test_format_libraries_are_not_imported_for_plain_text():
    code = ("import sys; from enforcement_parser.api import parse_bytes; parse_bytes('报告\\n共12件'.encode());"
            "print(sorted(m for m in ('selectolax', 'lxml', 'docx', 'pypdf', 'charset_normalizer', 'python_calamine') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=4096))
def test_sha256_hex_is_hashlibs_digest(data):
    import hashlib

    from enforcement_parser.api import sha256_hex

    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


CHROME = load_toml("document.toml")["html"]


def _kept(line: str) -> bool:
    page = f"<html><body><p>{line}</p><p>全年办理行政处罚案件12件。</p></body></html>"
    return line in extract_text(page.encode(), path="p.html")[0]


@pytest.mark.parametrize("key", ["chrome_openers", "chrome_buttons", "chrome_labels"])
def test_html_chrome_words_drop_their_example_line_and_keep_the_near_miss(key, monkeypatch):
    """document.toml [html]: each list's example line is dropped as site chrome, its near miss kept;
    without the list's words that occur in the example, the example is kept (it needs the list)."""
    example, near_miss = CHROME[f"{key}_example"], CHROME[f"{key}_near_miss"]
    assert not _kept(example) and _kept(near_miss)
    monkeypatch.setitem(CHROME, key, [w for w in CHROME[key] if w not in example])
    monkeypatch.setattr(html, "load_toml", lambda name: {"html": CHROME})
    html._chrome_line.cache_clear()
    try:
        assert _kept(example)
    finally:
        monkeypatch.undo()
        html._chrome_line.cache_clear()
