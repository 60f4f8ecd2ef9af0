"""Bytes to text: BOM, UTF-8, UTF-16, GB18030, and a clear refusal for what is not text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes) -> Decoded:
    """Decode report bytes; raise InputError for empty, binary or undecodable input.

    GB18030 is tried after UTF-8 because it is a superset of GBK/GB2312, the encodings
    Chinese government sites and OA systems still produce.
    """
    if not data.strip():
        raise InputError("input is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(name), name)
            except UnicodeDecodeError as exc:
                raise InputError(f"cannot decode as {name}: {exc.reason}") from None
    if _looks_binary(data):
        raise InputError("input looks binary, not a text report")
    for name in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(name), name)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot decode input as UTF-8, UTF-16 or GB18030")


def _looks_binary(data: bytes) -> bool:
    """NUL-heavy or control-heavy bytes are binary; a stray NUL in text is tolerated."""
    head = data[:8192]
    nul = head.count(0)
    if nul > max(4, len(head) // 100):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 0, 27))
    return controls > len(head) // 20


def _checked(text: str, encoding: str) -> Decoded:
    text = text.replace("\x00", "")
    if not text.strip():
        raise InputError("input has no text")
    return Decoded(text, encoding)
