"""What every command shares: exit codes, the one-line error, and writing a command's output."""

from __future__ import annotations

import sys

from ..errors import EnforceError
from ..outputs.writing import write_output

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT = 0, 1, 2, 3, 4


def fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(code)


def emit(text: str, output: str | None) -> None:
    """A command's output: to the -o file (see outputs/writing.py; OutputError when it cannot) or to stdout."""
    if output:
        write_output(output, text)
    else:
        sys.stdout.write(text)


def text_or_json(fmt: str, as_json: bool) -> str:
    """--format of a command that prints text or JSON; the hidden --json is the old spelling of json."""
    if fmt not in ("text", "json"):
        fail(f"--format must be text or json, not {fmt!r}", EXIT_USAGE)
    return "json" if as_json else fmt


def emit_or_fail(text: str, output: str | None) -> None:
    """emit(), with a write error as one `error:` line and exit 4."""
    try:
        emit(text, output)
    except EnforceError as exc:
        fail(str(exc), exc.exit_code)
