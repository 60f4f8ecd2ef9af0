"""Input formats: sniff what the bytes are and turn them into the one reference text.

Each format lives in its own module, imported only when that format is seen (start-up time
is measured, and a plain-text report never loads an HTML, Word or PDF library).
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from ..decoding import decode_bytes, decode_declared
from ..errors import InputError

FORMATS = ("text", "html", "docx", "pdf")
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml", ".jhtml", ".asp", ".aspx", ".jsp", ".php")
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*"
                         r"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{2,40})", re.I)


class Extracted(NamedTuple):
    text: str
    encoding: str
    format: str


# The import name of each format library, and the package that provides it.
LIBRARIES = {"selectolax": "selectolax", "lxml": "lxml", "pypdf": "pypdf",
             "python_calamine": "python-calamine"}


def extract(data: bytes, path: str) -> Extracted:
    """Turn input bytes of any supported format into (text, encoding, format).

    The format libraries are ordinary dependencies, but an install can still lack one (a distro
    package that splits them off, a broken venv): that is a missing package to name, not a traceback.
    """
    try:
        return _extract(data, path)
    except ImportError as exc:
        package = LIBRARIES.get((exc.name or "").partition(".")[0])
        if package is None:
            raise
        raise InputError(f"reading this file needs the Python package '{package}', which is not "
                         f"installed or cannot be imported; install it with: pip install {package}") from None


def _extract(data: bytes, path: str) -> Extracted:
    if not data.strip():
        raise InputError("input is empty")
    kind = sniff_binary(data)
    if kind == "pdf":
        from .pdf import pdf_text

        return Extracted(pdf_text(data), "binary", "pdf")
    if kind == "docx":
        from .docx import docx_text

        return Extracted(docx_text(data), "utf-8", "docx")
    if _declares_html(data, path):
        return _html(decode_declared(data, _meta_charset(data)))
    decoded = decode_bytes(data)
    if _HTML_START.match(decoded.text[:4096]):
        return _html(decoded)
    return Extracted(decoded.text, decoded.encoding, "text")


def sniff_binary(data: bytes) -> str | None:
    """Recognise container formats by their magic bytes, refusing the ones we do not read."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise InputError("legacy Office file (.doc/.xls/.wps) is not supported; save it as .docx")
    if data.lstrip().startswith(b"{\\rtf"):
        raise InputError("RTF is not supported; save the document as .docx")
    return None


def _declares_html(data: bytes, path: str) -> bool:
    if os.path.splitext(path)[1].lower() in _HTML_EXTENSIONS:
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
