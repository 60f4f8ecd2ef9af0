"""The `enforce` entry point.

main() decides what a command line loads, which is most of a cold start: `--version` loads nothing,
a plain `enforce parse FILE` loads the engine but not typer and click (parse.py), everything else
loads the typer app (app.py).
"""

from __future__ import annotations

import sys

from ..version import __version__


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        print(f"enforce {__version__}")
        return
    # Deferred, in this one place, for start-up: the engine (~70 ms of compiled patterns) only for a
    # command that reads reports, typer and click (~150 ms) only when the plain-parse path does not apply.
    from .parse import plain_parse_args, run_plain_parse

    plain = plain_parse_args(args)
    if plain is not None:
        run_plain_parse(plain)
        return
    from .app import run_app

    run_app(args)
