"""Input formats: sniff what the bytes are and turn them into the one reference text.

Each format lives in its own module, imported only when that format is seen (start-up time
is measured, and a plain-text report never loads an HTML, Word or PDF library).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from .decoding import decode_bytes, decode_declared
from ..errors import InputError

FORMATS = ("text", "html", "docx", "pdf", "xlsx", "xls", "ods", "doc", "pdf-ocr", "image-ocr")
# Extensions of the container formats read here (what batch, review and validate pick from a folder).
# Page images are read when named, not picked from a folder: a folder's images are mostly not reports.
DOCUMENT_EXTENSIONS = (".docx", ".pdf", ".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".doc", ".wps")
# A folder's own documents (README, readme.zh-CN.txt, LICENSE, CHANGELOG.md ...), by the name before its
# first dot: batch (unless --include-docs), review and validate do not take them for reports in a folder.
PROJECT_DOCS = frozenset({"readme", "license", "licence", "copying", "changelog", "changes", "authors",
                          "contributing"})
# Magic bytes of the page images read by OCR (PNG, JPEG, TIFF either byte order).
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
OCR_INSTALL = "pip install 'enforcement-parser[ocr]'"
OCR_MAX_PAGES = 50
_SHEET_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsx", ".ods": "ods"}
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_XL_MEMBER = re.compile(rb"PK\x03\x04.{26}xl/", re.S)   # a local file header of a workbook part
# Names of OLE2 directory entries (UTF-16LE, NUL-padded): the stream that makes a file Word or Excel.
_OLE_WORD = "WordDocument\0".encode("utf-16-le")
_OLE_EXCEL = ("Workbook\0".encode("utf-16-le"), "Book\0".encode("utf-16-le"))
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml", ".jhtml", ".asp", ".aspx", ".jsp", ".php")
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*"
                         r"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.I)


class Extracted(NamedTuple):
    text: str
    encoding: str
    format: str
    layout: object = None   # files.ocr.Layout of a recognised text: page, box, confidence of its spans


# The import name of each format library, and the package that provides it.
LIBRARIES = {"selectolax": "selectolax", "lxml": "lxml", "pypdf": "pypdf",
             "python_calamine": "python-calamine"}


def extract(data: bytes, path: str, *, max_pages: int = OCR_MAX_PAGES, ocr=None) -> Extracted:
    """Turn input bytes of any supported format into (text, encoding, format).

    `ocr` (an ocr_run.OcrRun) hears the pages of a scan and may hold them cached already.

    The format libraries are ordinary dependencies, but an install can still lack one (a distro
    package that splits them off, a broken venv): that is a missing package to name, not a traceback.
    """
    try:
        return _extract(data, path, max_pages, ocr)
    except ImportError as exc:
        package = LIBRARIES.get((exc.name or "").partition(".")[0])
        if package is None:
            raise
        raise InputError(f"reading this file needs the Python package '{package}', which is not "
                         f"installed or cannot be imported; install it with: pip install {package}") from None


def _extract(data: bytes, path: str, max_pages: int, run) -> Extracted:
    if not data.strip():
        raise InputError("input is empty")
    kind = sniff_binary(data, path)
    if kind == "pdf":
        from .pdf import NoTextLayer, pdf_text

        try:
            return Extracted(pdf_text(data), "binary", "pdf")
        except NoTextLayer as exc:
            return _ocr(data, "pdf-ocr", max_pages, str(exc), run)
    if kind == "image":
        return _ocr(data, "image-ocr", max_pages, "page image (scan)", run)
    if kind == "docx":
        from .docx import docx_text

        return Extracted(docx_text(data), "utf-8", "docx")
    if kind in ("xlsx", "xls", "ods"):
        from .sheets import sheet_text

        return Extracted(sheet_text(data, kind), "binary", kind)
    if kind == "doc":
        from .legacy import doc_text

        return Extracted(doc_text(data), "binary", "doc")
    if _declares_html(data, path):
        return _html(decode_declared(data, _meta_charset(data)))
    decoded = decode_bytes(data)
    if _HTML_START.match(decoded.text[:4096]):
        return _html(decoded)
    return Extracted(decoded.text, decoded.encoding, "text")


def sniff_binary(data: bytes, path: str = "") -> str | None:
    """Recognise container formats by their magic bytes (the extension decides only between
    containers that cannot be told apart), refusing the ones we do not read."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, path)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(data, path)
    if data.lstrip().startswith(b"{\\rtf"):
        raise InputError("RTF is not supported; save the document as .docx")
    return None


def _zip_kind(data: bytes, path: str) -> str:
    """A workbook (xl/ parts, or an OpenDocument spreadsheet) or else a Word document. A zip too
    damaged to list goes by the names in its local headers, then by its extension."""
    import io   # here, not at the top: zipfile costs ~9 ms that a plain-text report never needs
    import zipfile

    if _ODS_MIMETYPE in data[:200]:
        return "ods"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "xlsx" if _XL_MEMBER.search(data) else _SHEET_EXTENSIONS.get(_extension(path), "docx")
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "ods" if "content.xml" in names and _extension(path) == ".ods" else "docx"


def _ole_kind(data: bytes, path: str) -> str:
    """Word 97 (.doc, and .wps saved in that format) or Excel 97 (.xls), by the streams they hold."""
    if _OLE_WORD in data:
        return "doc"
    if any(name in data for name in _OLE_EXCEL):
        return "xls"
    ext = _extension(path)
    if ext in (".doc", ".wps", ".dot"):
        return "doc"
    if ext in (".xls", ".xlt", ".et"):
        return "xls"
    raise InputError("legacy Office file that holds neither a Word document nor an Excel workbook "
                     "(truncated? PowerPoint?); not supported")


def _ocr(data: bytes, fmt: str, max_pages: int, what: str, run) -> Extracted:
    """A scan read by OCR, when the optional extra is installed (it is heavy: onnxruntime, OpenCV)."""
    if run is not None:
        run.starting()
    try:
        from .ocr import image_ocr, pdf_ocr   # here: loading the OCR models costs seconds
    except ImportError:
        raise InputError(f"{what}: reading it needs OCR, which is not installed; install it with: "
                         f"{OCR_INSTALL}") from None
    try:
        text, layout = (pdf_ocr if fmt == "pdf-ocr" else image_ocr)(data, max_pages, run)
    except InputError as exc:
        raise InputError(f"{what}: {exc}") from None
    return Extracted(text, "binary", fmt, layout)


def _extension(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _declares_html(data: bytes, path: str) -> bool:
    if _extension(path) in _HTML_EXTENSIONS:
        return True
    try:
        head = data[:4096].decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        return False
    return bool(_HTML_START.match(head.lstrip("\ufeff\xef\xbb\xbf")))


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii") if match else None


def _html(decoded) -> Extracted:
    from .html import html_text

    return Extracted(html_text(decoded.text), decoded.encoding, "html")


def is_project_doc(name: str) -> bool:
    """README, README.md, readme.zh-CN.txt, LICENSE, CHANGELOG.md …: a folder's documents, not reports."""
    return name.split(".", 1)[0].lower() in PROJECT_DOCS
