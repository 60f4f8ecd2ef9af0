"""Compiled-once regular expressions, with a time limit on every long scan.

Matching goes through the `regex` module. A scan of more than TIMED_SPAN characters (a whole
document) carries a timeout, so that no input, however pathological, can make a pattern run away;
a timeout becomes a clear InputError. Shorter spans (a line, a clause, a match at a position) and
line-bound patterns scanned in chunks of whole lines (`finditer_lines`) run untimed: each is
bounded by its span.
"""

from __future__ import annotations

import functools

import regex

from ..errors import InputError

TIMEOUT_S = 2.0
# A timeout makes `regex` check the clock at every position; a match over a short span is bounded
# by the span, so only long spans (whole documents) carry it.
TIMED_SPAN = 4096


@functools.lru_cache(maxsize=4096)
def compile(pattern: str, flags: int = 0) -> "regex.Pattern":
    """Compiled once per process."""
    return regex.compile(pattern, flags | regex.V0)


def finditer(pattern: "regex.Pattern", text: str, pos: int = 0, endpos: int | None = None) -> list:
    """Every match, as a list: resuming a generator per match cost more than the matching."""
    endpos = len(text) if endpos is None else endpos
    if endpos - pos <= TIMED_SPAN:
        return list(pattern.finditer(text, pos, endpos))
    try:
        return list(pattern.finditer(text, pos, endpos, timeout=TIMEOUT_S))
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None


def finditer_lines(pattern: "regex.Pattern", text: str, pos: int = 0, endpos: int | None = None) -> list:
    """`finditer` for a pattern whose matches and lookaheads stay inside one line (a match may
    end with the newline, but then looks no further): the span is scanned in chunks of whole
    lines, each short enough to run untimed, and finds the same matches. The timeout makes the
    `regex` module check the clock at every position: a character-class scan of a
    5,000-character report cost four times its matching."""
    endpos = len(text) if endpos is None else endpos
    found: list = []
    while endpos - pos > TIMED_SPAN:
        cut = text.rfind("\n", pos, pos + TIMED_SPAN) + 1   # a chunk ends after a newline
        if cut <= pos:   # one line longer than the span: it is scanned timed
            cut = text.find("\n", pos + TIMED_SPAN, endpos) + 1 or endpos
        found += finditer(pattern, text, pos, cut)
        pos = cut
    return found + finditer(pattern, text, pos, endpos)


def search(pattern: "regex.Pattern", text: str, pos: int = 0, endpos: int | None = None):
    endpos = len(text) if endpos is None else endpos
    if endpos - pos <= TIMED_SPAN:
        return pattern.search(text, pos, endpos)
    try:
        return pattern.search(text, pos, endpos, timeout=TIMEOUT_S)
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None


def match(pattern: "regex.Pattern", text: str, pos: int = 0):
    if len(text) - pos <= TIMED_SPAN:
        return pattern.match(text, pos)
    try:
        return pattern.match(text, pos, timeout=TIMEOUT_S)
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None


def fullmatch(pattern: "regex.Pattern", text: str):
    if len(text) <= TIMED_SPAN:
        return pattern.fullmatch(text)
    try:
        return pattern.fullmatch(text, timeout=TIMEOUT_S)
    except TimeoutError:
        raise InputError("input is pathological: a pattern exceeded its time limit") from None
