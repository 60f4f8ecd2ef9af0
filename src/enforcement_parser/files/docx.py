"""Word documents (.docx): paragraphs and tables of word/document.xml, in document order.

The zip is opened defensively (sizes and compression ratio checked from ZipInfo before reading,
reads capped in any case) and the XML is parsed with entities, DTDs and network access off, so
zip bombs and entity-expansion bombs are refused instead of eating memory.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib

from lxml import etree

from ..errors import InputError

MAX_PART_BYTES = 32 * 1024 * 1024  # uncompressed word/document.xml
MAX_RATIO = 200  # uncompressed / compressed, for parts larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 20_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_MAIN_PART = re.compile(r"word/document\d*\.xml")
_CELL_WS = re.compile(r"\s+")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError,
               NotImplementedError, RuntimeError, KeyError)


def docx_text(data: bytes) -> str:
    """Return the document's text: one line per paragraph, tables as ' | ' rows."""
    root = parse_part(read_main_part(data))
    body = root.find(f"{_W}body")
    if body is None:
        raise InputError("Word document has no body")
    _drop_duplicate_content(body)
    text = "\n".join(_body_lines(body))
    if not text.strip():
        raise InputError("Word document has no text")
    return text


def read_main_part(data: bytes) -> bytes:
    """The bytes of word/document.xml, refusing damaged archives and decompression bombs."""
    with open_zip(data, ".docx") as zf:
        info = _main_info(zf.infolist())
        check_member(info, "Word document text part")
        with zf.open(info) as fh:
            xml = fh.read(MAX_PART_BYTES + 1)
    if len(xml) > MAX_PART_BYTES:
        raise InputError("Word document text part exceeds the size limit (zip bomb?)")
    return xml


@contextlib.contextmanager
def open_zip(data: bytes, what: str):
    """The archive, refused when damaged or holding implausibly many entries; zip errors inside the
    block become one InputError too."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if len(zf.infolist()) > MAX_ENTRIES:
                raise InputError(f"zip archive has {len(zf.infolist())} entries; not a plausible {what}")
            yield zf
    except InputError:
        raise
    except _ZIP_ERRORS as exc:
        raise InputError(f"truncated or damaged {what} ({_reason(exc)})") from None


def _main_info(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    names = {i.filename: i for i in infos}
    if "word/document.xml" in names:
        return names["word/document.xml"]
    for name, info in names.items():
        if _MAIN_PART.fullmatch(name):
            return info
    if any(n.startswith("ppt/") for n in names):
        raise InputError("PowerPoint files are not supported")
    raise InputError("zip archive is not a Word document (no word/document.xml)")


def check_member(info: zipfile.ZipInfo, what: str) -> None:
    """Refuse a member whose declared size or compression ratio is a zip bomb's."""
    if info.file_size > MAX_PART_BYTES:
        raise InputError(f"{what} is {info.file_size} bytes uncompressed, over the "
                         f"limit of {MAX_PART_BYTES} (zip bomb?)")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise InputError(f"{what} is compressed more than {MAX_RATIO}:1 (zip bomb?)")


def parse_part(xml: bytes):
    """Parse OOXML with no DTD, no entity expansion, no network and libxml2's default depth limits."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise InputError("Word document XML declares a DTD or entities; refused (entity bomb?)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"damaged Word document XML ({exc.msg or 'syntax error'})") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise InputError("Word document XML declares a DTD; refused (entity bomb?)")
    return root


def _drop_duplicate_content(body) -> None:
    """Drop fallback renderings (their text is a copy) and text boxes (not part of the flow)."""
    doomed = list(body.iter(_MC_FALLBACK, f"{_W}txbxContent"))
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def _body_lines(body):
    """Walk block-level content with an explicit stack: paragraphs, tables, content controls."""
    stack = list(reversed(body))
    while stack:
        el = stack.pop()
        if el.tag == f"{_W}p":
            yield from _split_lines(_paragraph_text(el))
        elif el.tag == f"{_W}tbl":
            yield from _table_rows(el)
        elif el.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"):
            stack.extend(reversed(el))


def _paragraph_text(p) -> str:
    parts = []
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        tag = el.tag
        if tag == f"{_W}t":
            parts.append(el.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _split_lines(text: str):
    for line in text.split("\n"):
        line = line.strip(" \t\u3000")
        if line:
            yield line


def _table_rows(tbl):
    """One line per row, cells joined by ' | '; a table nested in a cell is flattened into it."""
    for row in tbl.iter(f"{_W}tr"):
        if _owner(row, f"{_W}tbl") is not tbl:
            continue
        cells = [_cell_text(tc) for tc in row.iter(f"{_W}tc") if _owner(tc, f"{_W}tr") is row]
        if any(cells):
            yield " | ".join(cells)


def _cell_text(tc) -> str:
    texts = (_paragraph_text(p) for p in tc.iter(f"{_W}p"))
    return _CELL_WS.sub(" ", " ".join(t for t in texts if t.strip())).strip()


def _owner(el, tag: str):
    parent = el.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _reason(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
