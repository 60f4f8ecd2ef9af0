"""PDF with a text layer, via pypdf. A PDF without one (a scan) goes to OCR (files/ocr.py), if installed.

pypdf raises many exception types on damaged files (its own, but also KeyError, ValueError,
AssertionError, RecursionError...), so everything it raises becomes one InputError here.
Pages and wall time are capped; pypdf's own caps bound decompressed stream sizes.
"""

from __future__ import annotations

import io
import logging
import time

from pypdf import PdfReader

from ..errors import InputError

MAX_PAGES = 1000


class NoTextLayer(InputError):
    """The PDF has pages but no text on them: a scanned image, for OCR to read."""

TIME_LIMIT_S = 60.0


def pdf_text(data: bytes, *, max_pages: int = MAX_PAGES, time_limit: float = TIME_LIMIT_S) -> str:
    """Text of every page, pages separated by a newline."""
    _quiet_pypdf()
    try:
        pages = _page_texts(data, max_pages, time_limit)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside pypdf means a damaged PDF
        raise InputError(f"truncated or damaged PDF ({type(exc).__name__}: {_first_line(exc)})") from None
    text = "\n".join(p.replace("\x00", "").strip("\n") for p in pages)
    if not text.strip():
        raise NoTextLayer("PDF has no text layer (a scanned image?)")
    return text


def _quiet_pypdf() -> None:
    """pypdf logs every recoverable flaw to stderr, which is reserved for our one error line.

    Set once and never restored (restoring races between threads); an application that set
    the 'pypdf' logger's level itself keeps its setting.
    """
    log = logging.getLogger("pypdf")
    if log.level == logging.NOTSET:
        log.setLevel(logging.CRITICAL + 1)


def _page_texts(data: bytes, max_pages: int, time_limit: float) -> list[str]:
    deadline = time.monotonic() + time_limit
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not _decrypt(reader):
        raise InputError("PDF is password-protected")
    count = len(reader.pages)
    if count > max_pages:
        raise InputError(f"PDF has {count} pages, over the limit of {max_pages}")
    texts = []
    for page in reader.pages:
        texts.append(page.extract_text() or "")
        if time.monotonic() > deadline:
            raise InputError(f"PDF text extraction took longer than {time_limit:.0f} s; refused")
    return texts


def _decrypt(reader) -> bool:
    """Many published PDFs are 'encrypted' with an empty user password only to restrict printing."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - unsupported cipher (no crypto library) is just 'cannot open'
        return False


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else "no detail"
