"""Compiled-once regular expressions with a time limit on every match.

All matching goes through the `regex` module with a timeout so that no input, however
pathological, can make a pattern run away; a timeout becomes a clear InputError.
"""

from __future__ import annotations

import functools

import regex

from .errors import InputError

TIMEOUT_S = 2.0


@functools.lru_cache(maxsize=4096)
def compile(pattern: str, flags: int = 0) -> "regex.Pattern":
    return regex.compile(pattern, flags | regex.V0)


def finditer(pattern: "regex.Pattern", text: str, pos: int = 0, endpos: int | None = None):
    try:
        yield from pattern.finditer(text, pos, len(text) if endpos is None else endpos,
                                    timeout=TIMEOUT_S)
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None


def search(pattern: "regex.Pattern", text: str, pos: int = 0, endpos: int | None = None):
    try:
        return pattern.search(text, pos, len(text) if endpos is None else endpos, timeout=TIMEOUT_S)
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None


def fullmatch(pattern: "regex.Pattern", text: str):
    try:
        return pattern.fullmatch(text, timeout=TIMEOUT_S)
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None
