"""The library API every command is a thin layer over."""

from __future__ import annotations

import hashlib
import os
import stat
import sys

from .engine.explaining import explain
from .engine.pipeline import extract as extract_values
from .errors import InputError
from .files import OCR_MAX_PAGES, Extracted, extract as extract_document
from .files.decoding import DEFAULT_MAX_BYTES
from .outputs.record import build_record


def sha256_hex(data: bytes) -> str:
    """SHA-256 of data, hex."""
    return hashlib.sha256(data).hexdigest()


def parse_text(text: str, *, path: str = "<text>", sha256: str | None = None,
               encoding: str = "utf-8", fmt: str = "text", layout=None) -> dict:
    """Parse decoded report text into one record (a plain JSON-ready dict).

    layout: where a recognised (OCR) text stands on its pages (files.ocr.Layout), or None.
    """
    if sha256 is None:
        sha256 = sha256_hex(text.encode("utf-8"))
    source = {"path": path, "sha256": sha256, "encoding": encoding, "format": fmt, "length": len(text)}
    return build_record(text, source, extract_values(text), layout)


def explain_text(text: str, **kwargs) -> dict:
    """What parse_text(text, **kwargs) decided, field by field: candidates, the rule that took or
    dropped each, the winner (see engine/explaining.py; `enforce parse --explain`)."""
    return explain(lambda: parse_text(text, **kwargs))


def read_input(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file's bytes, turning every OS-level problem into one InputError line."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror}") from None
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{path}: is a directory, not a report file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{path}: not a regular file")
        if st.st_size > max_bytes:
            raise InputError(f"{path}: {st.st_size} bytes exceeds the limit of {max_bytes} (--max-bytes)")
        try:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: input exceeds the limit of {max_bytes} bytes (--max-bytes)")
    return data


def extract_text(data: bytes, *, path: str = "<bytes>") -> tuple[str, str, str]:
    """Return (text, encoding, format) for raw input bytes: text, HTML, .docx or PDF.

    The text returned is the reference for evidence offsets and is what `parse --text` prints.
    """
    out = read_document(data, path=path)
    return out.text, out.encoding, out.format


def read_document(data: bytes, *, path: str = "<bytes>", max_pages: int | None = None, ocr=None):
    """extract_text's files.Extracted, with the page layout of a text read by OCR.

    ocr: a files.ocr_run.OcrRun that hears each page of a scan and may cache them (batch does), or None.
    """
    try:
        out = extract_document(data, path, max_pages=max_pages or OCR_MAX_PAGES, ocr=ocr)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: input too deeply nested to read") from None
    return out


def parse_bytes(data: bytes, *, path: str = "<bytes>", max_pages: int | None = None, ocr=None) -> dict:
    """Parse raw bytes (any supported format) into one record; max_pages caps OCR pages, `ocr` hears
    them (read_document)."""
    return parse_document(data, path=path, max_pages=max_pages, ocr=ocr)[1]


def parse_document(data: bytes, *, path: str = "<bytes>", max_pages: int | None = None,
                   ocr=None) -> tuple[Extracted, dict]:
    """parse_bytes, with the document read: its text is what the record's evidence offsets point
    into, which a review merge and a review page need beside the record."""
    doc = read_document(data, path=path, max_pages=max_pages, ocr=ocr)
    try:
        return doc, parse_text(doc.text, path=path, sha256=sha256_hex(data),
                               encoding=doc.encoding, fmt=doc.format, layout=doc.layout)
    except RecursionError:
        raise InputError(f"{path}: input too deeply nested to parse") from None


def parse_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Read, decode and parse one report file."""
    return parse_bytes(read_input(path, max_bytes=max_bytes), path=path)


def explain_bytes(data: bytes, *, path: str = "<bytes>", max_pages: int | None = None, ocr=None) -> dict:
    """explain_text for raw bytes of any supported format."""
    return explain(lambda: parse_bytes(data, path=path, max_pages=max_pages, ocr=ocr))


def explain_file(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """explain_text for a report file."""
    return explain_bytes(read_input(path, max_bytes=max_bytes), path=path)
