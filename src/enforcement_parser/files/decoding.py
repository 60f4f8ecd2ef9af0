"""Bytes to text: BOMs, UTF-8, UTF-16, GB18030, and a clear refusal for what is not text.

The decoded text is the reference for every evidence offset, so nothing here rewrites line
endings; the only changes to the decoded characters are dropping NULs and a leading BOM.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from ..errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# UTF-32 BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
# (bom, reported name, codec for the bytes after the BOM)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# A file that is UTF-8 but for a few damaged bytes is still read as UTF-8 (damaged bytes become
# U+FFFD) rather than as GB18030 mojibake: at most this share of the characters may be replaced.
# (A GBK report read as UTF-8 loses nearly every Chinese character, far above this share.)
_LOSSY_UTF8_SHARE = 0.01
# Last resort before refusing: UTF-8 or GB18030 with damaged bytes replaced, up to this share.
_LOSSY_MAX_SHARE = 0.05


class Decoded(NamedTuple):
    text: str
    encoding: str


def decode_bytes(data: bytes) -> Decoded:
    """Decode report bytes; raise InputError for empty, binary or undecodable input.

    GB18030 is tried after UTF-8 because it is a superset of GBK/GB2312, the encodings
    Chinese government sites and OA systems still produce.
    """
    if not data.strip():
        raise InputError("input is empty")
    for bom, name, codec in _BOMS:
        if data.startswith(bom):
            text = decode_tolerant(data[len(bom):], codec)
            if text is not None:
                return _checked(text, name)
            lossy = data[len(bom):].decode(codec, errors="replace")
            if lossy.count("\ufffd") <= len(lossy) * _LOSSY_MAX_SHARE:
                return _checked(lossy, f"{name}-lossy")
            raise InputError(f"cannot decode as {name} although it starts with a {name} byte-order mark")
    utf16 = _sniff_utf16(data)
    if utf16:
        text = decode_tolerant(data, utf16)
        if text is not None and not _control_heavy(text):
            return _checked(text, utf16)
    data = data.rstrip(b"\x00")
    if _looks_binary(data):
        raise InputError("input looks binary, not a text report")
    return _checked(*_decode_text(data))


def decode_declared(data: bytes, declared: str | None) -> Decoded:
    """Decode with a charset the document declares (HTML meta), falling back to detection.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the page declares: sites migrated to
    UTF-8 often keep a stale gb2312 declaration, and real GBK text is almost never valid UTF-8.
    """
    name = _codec_name(declared) if declared else None
    if name and not any(data.startswith(bom) for bom, _, _ in _BOMS) and _sniff_utf16(data) is None:
        if decode_tolerant(data, "utf-8") is not None:
            return decode_bytes(data)
        text = decode_tolerant(data, name)
        if text is not None:
            return _checked(text, name)
    return decode_bytes(data)


def decode_tolerant(data: bytes, encoding: str) -> str | None:
    """Decode strictly, but drop a multi-byte character cut off at the very end (truncated files)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and exc.start >= len(data) - 3:
            try:
                return data[:exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def _decode_text(data: bytes) -> tuple[str, str]:
    text = decode_tolerant(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    lossy = data.decode("utf-8", errors="replace")
    if lossy.count("\ufffd") <= max(1, len(lossy) * _LOSSY_UTF8_SHARE):
        return lossy, "utf-8-lossy"
    text = decode_tolerant(data, "gb18030")
    if text is not None and _private_use(text) == 0:
        return text, "gb18030"
    guess = _charset_normalizer_guess(data)
    if guess and (text is None or _private_use(guess[0]) < _private_use(text)):
        return guess
    if text is not None:
        return text, "gb18030"
    return _least_damaged(data)


def _least_damaged(data: bytes) -> tuple[str, str]:
    """UTF-8 or GB18030 with damaged bytes replaced, whichever loses less, if little is lost."""
    best = min(((data.decode(name, errors="replace"), name) for name in ("utf-8", "gb18030")),
               key=lambda pair: pair[0].count("\ufffd"))
    if best[0].count("\ufffd") > len(best[0]) * _LOSSY_MAX_SHARE:
        raise InputError("cannot decode input as UTF-8, UTF-16 or GB18030")
    return best[0], f"{best[1]}-lossy"


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    """Last resort for other legacy encodings (Big5, ...); imported only when needed because it is slow."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(data[:262_144]).best()
    if best is None or best.encoding is None:
        return None
    text = decode_tolerant(data, best.encoding)
    return (text, codecs.lookup(best.encoding).name) if text is not None else None


def _private_use(text: str) -> int:
    """Private-use characters: what Big5 and other non-GB bytes turn into when read as GB18030."""
    return sum(1 for ch in text[:20000] if "\ue000" <= ch <= "\uf8ff")


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows up as NULs mostly at one parity (the high byte of ASCII characters;
    CJK characters like U+4E00 put a few at the other)."""
    head = data[:8192]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    pairs = len(head) // 2
    if odd >= max(4, pairs * 0.03) and even * 3 <= odd:
        return "utf-16-le"
    if even >= max(4, pairs * 0.03) and odd * 3 <= even:
        return "utf-16-be"
    return None


def _codec_name(declared: str) -> str | None:
    """Normalise a declared charset; GB2312/GBK are read as their superset GB18030."""
    try:
        name = codecs.lookup(declared.strip().lower()).name
    except LookupError:
        return None
    return "gb18030" if name in ("gb2312", "gbk", "gb18030") else name


def _looks_binary(data: bytes) -> bool:
    """NUL-heavy or control-heavy bytes are binary; a stray NUL in text is tolerated."""
    head = data[:8192]
    nul = head.count(0)
    if nul > max(4, len(head) // 100):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 0, 27))
    return controls > len(head) // 20


def _control_heavy(text: str) -> bool:
    head = text[:4096]
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f\x00")
    return controls > len(head) // 100


def _checked(text: str, encoding: str) -> Decoded:
    text = text.replace("\x00", "")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("input has no text")
    return Decoded(text, encoding)
