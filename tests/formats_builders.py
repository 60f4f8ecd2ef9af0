"""Build real-looking inputs of every format from a plain-text twin (a list of lines).

A twin line containing ' | ' is a table row; consecutive rows form one table.
"""

from __future__ import annotations

import datetime
import html as htmllib
import io
import re
import struct
import zipfile
import zlib
from typing import NamedTuple

TWIN = [
    "某市公安局2023年度行政执法工作报告",
    "2023年，全市公安机关共办结行政案件3223708件，适用简易程序3174731件。",
    "一、行政处罚情况",
    "全年作出行政处罚决定85件，罚没金额4.1万元。",
    "警告 | 罚款 | 合计",
    "31 | 54 | 85",
    "二、行政许可情况",
    "共收到行政许可申请1816568件，准予许可1816005件，不予许可3件。",
]


def blocks(lines: list[str]):
    """Group twin lines into ('p', line) and ('table', [[cell, ...], ...]) blocks."""
    out: list = []
    for line in lines:
        if " | " in line:
            row = line.split(" | ")
            if out and out[-1][0] == "table":
                out[-1][1].append(row)
            else:
                out.append(("table", [row]))
        else:
            out.append(("p", line))
    return out


def gov_html(lines: list[str], *, charset: str = "utf-8", declare: bool = True) -> str:
    """A page as government CMSs save it: chrome, scripts, breadcrumb, share bar, article, footer."""
    esc = htmllib.escape
    body = []
    for kind, content in blocks(lines):
        if kind == "p":
            body.append(f"<p style=\"text-indent:2em\">&nbsp;&nbsp;{esc(content)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td><p><span>{esc(c)}</span></p></td>" for c in row) + "</tr>"
                           for row in content)
            body.append(f"<table border=\"1\"><tbody>{rows}</tbody></table>")
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if declare else ""
    title, rest = body[0], body[1:]
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>政务公开 - 某市人民政府</title>
<style>.nav {{ color: red }}</style>
<script type="text/javascript">var s = "<div>不是正文</div>"; if (a < b) {{ document.write(s); }}</script>
</head><body>
<div class="header"><img src="logo.png"><span>某市人民政府门户网站</span></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="main">
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; 工作年报</div>
  <div class="article">
    <h1 class="title">{title[title.index('>') + 1:title.rindex('<')].replace('&nbsp;', '')}</h1>
    <div class="info">发布时间：2024-01-19 来源：市公安局 <span class="fontsize">字号：[大 中 小]</span></div>
    <div class="TRS_Editor">
      {chr(10).join(rest)}
    </div>
    <div class="bdsharebuttonbox">分享到：<a class="bds_weixin">微信</a><a class="bds_tsina">微博</a></div>
    <div class="print">【打印本页】【关闭窗口】</div>
  </div>
</div>
<div id="footer">主办单位：某市人民政府办公室 地址：某市某路1号 ICP备12345678号</div>
<script>window._hmt = [];</script>
</body></html>
"""


def docx_bytes(lines: list[str]) -> bytes:
    """A Word document made with python-docx: a heading, paragraphs and tables."""
    import docx

    document = docx.Document()
    for i, (kind, content) in enumerate(blocks(lines)):
        if kind == "p" and i == 0:
            document.add_heading(content, level=1)
        elif kind == "p":
            document.add_paragraph(content)
        else:
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes(lines: list[str], *, lines_per_page: int = 40) -> bytes:
    """A PDF whose text layer holds the lines, Chinese included.

    The font is a non-embedded CIDFontType2 with Identity-H encoding and a ToUnicode CMap, the
    way many PDF producers write CJK text; a viewer without the font shows boxes, but the text
    layer (what we read) is exact. No font file or PDF library is needed to build it.
    """
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    pages = [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: str = "") -> bytes:
        return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"

    bfchar = "\n".join(f"<{cid[ch]:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch in chars)
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\n"
            "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()
    to_unicode = add(stream(cmap))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] "
                     b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>")
    cidfont = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                  f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                  f"/FontDescriptor {descriptor} 0 R /DW 1000 >>".encode())
    font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
               f"/DescendantFonts [{cidfont} 0 R] /ToUnicode {to_unicode} 0 R >>".encode())
    pages_id = len(objects) + 1 + 2 * len(pages)
    page_ids = []
    for page_lines in pages:
        ops = [b"BT /F1 10 Tf 12 TL 40 800 Td"]
        for line in page_lines:
            ops.append(b"<" + "".join(f"{cid[ch]:04X}" for ch in line).encode() + b"> Tj T*")
        ops.append(b"ET")
        content = add(stream(b"\n".join(ops)))
        page_ids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    return _serialize(objects, catalog)


def scanned_pdf_bytes() -> bytes:
    """A one-page PDF that only draws (as a scan's image would): no text layer at all."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]
    drawing = b"0.5 g 40 40 500 700 re f"
    objects.append(f"<< /Length {len(drawing)} >>\nstream\n".encode() + drawing + b"\nendstream")
    return _serialize(objects, 1)


def png_bytes(width: int = 2, height: int = 2, grey: int = 255) -> bytes:
    """A valid greyscale PNG of one shade, built without Pillow (for tests that run without the ocr extra)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = (b"\x00" + bytes([grey]) * width) * height
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _serialize(objects: list[bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOCX_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/content-types"/>')
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_from_xml(document_xml: bytes) -> bytes:
    """A minimal .docx around a hand-written word/document.xml (for hostile variants)."""
    return zip_bytes({"[Content_Types].xml": DOCX_TYPES, "word/document.xml": document_xml})


def docx_zip_bomb(uncompressed: int = 200 * 1024 * 1024) -> bytes:
    """document.xml that declares a harmless size but inflates far past the caps (about 200 kB zipped)."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    return zip_bomb({"[Content_Types].xml": DOCX_TYPES}, "word/document.xml", head, uncompressed)


def zip_bomb(members: dict[str, bytes], name: str, head: bytes, uncompressed: int = 200 * 1024 * 1024) -> bytes:
    """The members, then `name`: `head` and zeros to `uncompressed` bytes, compressed about 1000:1."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for other, data in members.items():
            if other != name:
                zf.writestr(other, data)
        with zf.open(name, "w", force_zip64=True) as fh:
            fh.write(head)
            chunk = b"0" * (1024 * 1024)
            for _ in range(uncompressed // len(chunk)):
                fh.write(chunk)
    return buf.getvalue()


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def billion_laughs_xml(levels: int = 10) -> bytes:
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels)]
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(ents)}]>'
            f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol{levels - 1};</w:t></w:r></w:p>'
            f'</w:body></w:document>').encode()


def deep_html(depth: int, tag: str = "div") -> str:
    return f"<html><body>{f'<{tag}>' * depth}2023年共办结案件12件{f'</{tag}>' * depth}</body></html>"


# --- spreadsheets ----------------------------------------------------------------------------

class Formula(NamedTuple):
    """A formula cell and the value the spreadsheet application cached for it."""
    expr: str
    cached: object


class Percent(float):
    """A number shown as a percentage (stored as the fraction: 0.053 shows as 5.3%)."""


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def sheet_rows(lines: list[str]) -> list[list]:
    """Twin lines as sheet rows: a ' | ' or tab line is one cell per column, numbers typed in as numbers."""
    rows = []
    for line in lines:
        cells = line.split(" | ") if " | " in line else line.split("\t")
        rows.append([_typed(c.strip()) for c in cells])
    return rows


def _typed(cell: str):
    if _NUMBER.fullmatch(cell):
        return float(cell) if "." in cell else int(cell)
    return cell or None


XLSX_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLES = (f'<styleSheet xmlns="{XLSX_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0&quot;%&quot;;[Red]0.0%"/>'
           '</numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
           '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
           '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
           '<xf numFmtId="10" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
           '</styleSheet>').encode()


def xlsx_bytes(sheets: list[tuple[str, list[list]]], *, hidden: tuple[str, ...] = (),
               merged: dict[str, list[str]] | None = None, sheet_xml: dict[str, str] | None = None) -> bytes:
    """An .xlsx written part by part as Excel does (shared strings, a date style, formulas with their
    cached values, merged ranges, hidden sheets); `sheet_xml` replaces a sheet's <sheetData> (hostile cases)."""
    strings: list[str] = []
    parts = {}
    for n, (name, rows) in enumerate(sheets, 1):
        data = (sheet_xml or {}).get(name) or _sheet_data(rows, strings)
        merges = (merged or {}).get(name, [])
        merge_xml = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                     + "</mergeCells>") if merges else ""
        parts[f"xl/worksheets/sheet{n}.xml"] = f'<worksheet xmlns="{XLSX_NS}">{data}{merge_xml}</worksheet>'.encode()
    state = {name: ' state="hidden"' for name in hidden}
    sheet_list = "".join(f'<sheet name="{htmllib.escape(name)}" sheetId="{n}" r:id="rId{n}"{state.get(name, "")}/>'
                         for n, (name, _) in enumerate(sheets, 1))
    rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                   for n in range(1, len(sheets) + 1))
    k = len(sheets)
    rels += (f'<Relationship Id="rId{k + 1}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
             f'<Relationship Id="rId{k + 2}" Type="{_REL_NS}/styles" Target="styles.xml"/>')
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    sst = "".join(f"<si><t xml:space=\"preserve\">{htmllib.escape(s)}</t></si>" for s in strings)
    return zip_bytes({
        "[Content_Types].xml": XLSX_TYPES,
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" Type="{_REL_NS}/officeDocument" '
                       f'Target="xl/workbook.xml"/></Relationships>'.encode(),
        "xl/workbook.xml": f'<workbook xmlns="{XLSX_NS}" xmlns:r="{_REL_NS}"><sheets>{sheet_list}</sheets>'
                           f'</workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}">{rels}</Relationships>'.encode(),
        "xl/sharedStrings.xml": f'<sst xmlns="{XLSX_NS}" count="{len(strings)}">{sst}</sst>'.encode(),
        "xl/styles.xml": _STYLES,
        **parts,
    })


XLSX_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
              b'2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
              b'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
              b'spreadsheetml.sheet.main+xml"/></Types>')


def _sheet_data(rows: list[list], strings: list[str]) -> str:
    out = []
    for r, row in enumerate(rows, 1):
        cells = "".join(_xlsx_cell(f"{column_name(c)}{r}", v, strings) for c, v in enumerate(row) if v is not None)
        out.append(f'<row r="{r}">{cells}</row>')
    return "<sheetData>" + "".join(out) + "</sheetData>"


def _xlsx_cell(ref: str, value, strings: list[str]) -> str:
    if isinstance(value, Formula):
        kind = ' t="str"' if isinstance(value.cached, str) else ""
        return f'<c r="{ref}"{kind}><f>{htmllib.escape(value.expr)}</f><v>{value.cached}</v></c>'
    if isinstance(value, str):
        strings.append(value)
        return f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - datetime.date(1899, 12, 30)).days}</v></c>'
    if isinstance(value, Percent):   # style 2 is 0.00%, style 3 a custom format with a quoted and a real %
        return f'<c r="{ref}" s="{2 if value < 0.5 else 3}"><v>{float(value)!r}</v></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_ODS = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_bytes(sheets: list[tuple[str, list[list]]], *, spans: dict[tuple[str, int, int], int] | None = None,
              table_xml: dict[str, str] | None = None) -> bytes:
    """An OpenDocument spreadsheet: mimetype stored first, then content.xml. `spans` maps
    (sheet, row, column) to a column span (a merged cell); `table_xml` replaces a sheet's rows."""
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _ODS.items())
    tables = []
    for name, rows in sheets:
        body = (table_xml or {}).get(name) or "".join(_ods_row(name, r, row, spans or {}) for r, row in enumerate(rows))
        tables.append(f'<table:table table:name="{htmllib.escape(name)}">{body}</table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               f'</office:document-content>').encode()
    manifest = (b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                b'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                b'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return buf.getvalue()


def _ods_row(sheet: str, r: int, row: list, spans: dict) -> str:
    cells, skip = [], 0
    for c, value in enumerate(row):
        if skip:
            skip -= 1
            cells.append("<table:covered-table-cell/>")
            continue
        span = spans.get((sheet, r, c), 1)
        skip = span - 1
        attr = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        cells.append(_ods_cell(value, attr))
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def _ods_cell(value, attr: str) -> str:
    if value is None:
        return f"<table:table-cell{attr}/>"
    if isinstance(value, Formula):
        return (f'<table:table-cell{attr} table:formula="of:={htmllib.escape(value.expr)}" '
                f'office:value-type="float" office:value="{value.cached}"><text:p>{value.cached}</text:p></table:table-cell>')
    if isinstance(value, str):
        return f'<table:table-cell{attr} office:value-type="string"><text:p>{htmllib.escape(value)}</text:p></table:table-cell>'
    if isinstance(value, datetime.date):
        return (f'<table:table-cell{attr} office:value-type="date" office:date-value="{value.isoformat()}">'
                f'<text:p>{value.isoformat()}</text:p></table:table-cell>')
    return (f'<table:table-cell{attr} office:value-type="float" office:value="{value!r}"><text:p>{value}</text:p>'
            f'</table:table-cell>')


def xls_bytes(sheets: list[tuple[str, list[list]]], *, merged: dict[str, list[tuple[int, int, int, int]]] | None = None) -> bytes:
    """An Excel 97 (BIFF8) workbook written by xlwt (the `test` extra): the only pure-Python writer of
    .xls, so no binary fixture is committed. Merges are (first row, last row, first column, last column)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets:
        ws = book.add_sheet(name)
        spans = (merged or {}).get(name, [])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or any(r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1) for r1, r2, c1, c2 in spans):
                    continue
                span = next((m for m in spans if (m[0], m[2]) == (r, c)), None)
                style = date_style if isinstance(value, datetime.date) else xlwt.Style.default_style
                if span:
                    ws.write_merge(*span, value, style)
                else:
                    ws.write(r, c, value, style)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
