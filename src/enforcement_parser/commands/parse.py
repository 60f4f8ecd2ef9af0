"""`enforce parse`: the body of the command, and the fast path that runs it without typer.

A plain `enforce parse FILE [--compact|--summary|--text] [-o OUT]` is the commonest command line;
it is read here without typer, click and pydantic (~150 ms of a cold start).
"""

from __future__ import annotations

import errno
import json
import os
import sys

from ..api import explain_bytes, parse_bytes, read_document, read_input
from ..engine.explaining import render_text
from ..errors import EnforceError
from ..files.decoding import DEFAULT_MAX_BYTES
from ..outputs.summary import print_summary
from .common import emit, fail
from .ocr_progress import terminal_pages

PARSE_MAX_BYTES = DEFAULT_MAX_BYTES


def parse_report(file: str, *, output: str | None = None, compact: bool = False, summary: bool = False,
                 text: bool = False, max_bytes: int = PARSE_MAX_BYTES, reviewed=None,
                 explain: bool = False, fmt: str | None = None, max_pages: int | None = None) -> None:
    """The body of `enforce parse`, shared by the typer command and the fast path in main().

    reviewed(data, path, max_pages=, ocr=) -> record merges a review file (`--review`, typer path only: it needs
    pydantic, which the fast path does not load)."""
    try:
        data = read_input(file, max_bytes=max_bytes)
        with terminal_pages(sys.stderr) as ocr:   # a scan's pages on a terminal; never cached here
            if text:
                emit(read_document(data, path=file, max_pages=max_pages, ocr=ocr).text, output)
                return
            if reviewed is not None:
                record = reviewed(data, file, max_pages=max_pages, ocr=ocr)
            else:
                record = (explain_bytes(data, path=file, max_pages=max_pages, ocr=ocr) if explain
                          else parse_bytes(data, path=file, max_pages=max_pages, ocr=ocr))
        if explain and (fmt or ("json" if output or not sys.stdout.isatty() else "text")) == "text":
            out = render_text(record)
        else:
            out = json.dumps(record, ensure_ascii=False, indent=None if compact else 2) + "\n"
        emit(out, output)
    except EnforceError as exc:
        fail(str(exc), exc.exit_code)
    if summary:
        print_summary(record)


_PARSE_FLAGS = ("--compact", "--summary", "--text")


def plain_parse_args(args: list[str]) -> dict | None:
    """parse_report() keywords when args are a plain `parse FILE [--compact|--summary|--text] [-o OUT]`.

    Why: typer (with click and, via typer's coercion, pydantic) costs ~150 ms before a report is read,
    most of `enforce parse`'s cold start. Only shapes whose meaning is beyond doubt qualify: each
    option at most once, no `--opt=value`, no value starting with "-", no completion request.
    Everything else, including every error and --help, returns None and goes through typer.
    """
    if not args or args[0] != "parse" or os.environ.get("_ENFORCE_COMPLETE"):
        return None
    kwargs: dict = {}
    tokens = iter(args[1:])
    for token in tokens:
        if token in _PARSE_FLAGS:
            key, value = token[2:], True
        elif token in ("-o", "--output"):
            key, value = "output", next(tokens, None)
            if value is None or value.startswith("-"):
                return None
        elif token == "-" or not token.startswith("-"):
            key, value = "file", token
        else:
            return None
        if key in kwargs:
            return None
        kwargs[key] = value
    return kwargs if "file" in kwargs else None


def run_plain_parse(kwargs: dict) -> None:
    """parse_report() with the exit behaviour main() gives the typer path, which it bypasses."""
    try:
        parse_report(**kwargs)
    except (KeyboardInterrupt, EOFError):   # typer turns EOFError into Abort; main() reports both so
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None
    except OSError as exc:   # typer exits 1 on a broken pipe, in any mode
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout, sys.stderr = _QuietFlush(sys.stdout), _QuietFlush(sys.stderr)
        raise SystemExit(1) from None


class _QuietFlush:
    """A stream whose reader has gone: the interpreter's last flush must not print a traceback (as click)."""

    def __init__(self, wrapped) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except BrokenPipeError:
            pass

    def __getattr__(self, attr: str):
        return getattr(self.wrapped, attr)
