"""The `enforce` command line: thin commands over the library API.

Only what `--help` needs is imported at start-up; `--version` answers before typer loads.
"""

from __future__ import annotations

import sys

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3

# Modules that add commands to the app: each defines register(app).
PLUGINS: tuple[str, ...] = ("lint.command",)


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(code)


def write_atomic(path: str, data: str) -> None:
    """Write to a temporary name beside the target, then rename: never a half-written file."""
    import os
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".enforce-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def build_app():
    import typer

    app = typer.Typer(
        name="enforce",
        help="Turn Chinese annual administrative-enforcement reports into validated JSON records.",
        add_completion=False,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(False, "--version", help="Print the version and exit."),
    ) -> None:
        """enforce: parse, batch-convert, validate and review enforcement reports.

        Example: enforce parse report.txt > report.json
        """
        if version:
            print(f"enforce {__version__}")
            raise typer.Exit()

    @app.command()
    def parse(
        file: str = typer.Argument(..., help="Report file (.txt, .html, .docx, .pdf) or - for stdin."),
        output: str = typer.Option(None, "-o", "--output", help="Write the JSON here (atomically)."),
        compact: bool = typer.Option(False, "--compact", help="One-line JSON."),
        summary: bool = typer.Option(False, "--summary", help="Print a field table to stderr."),
        text: bool = typer.Option(False, "--text", help="Print the extracted text instead of JSON."),
        max_bytes: int = typer.Option(20 * 1024 * 1024, "--max-bytes", help="Refuse larger inputs."),
    ) -> None:
        """Parse one report and print its JSON record.

        Example: enforce parse 2023年行政执法报告.txt -o record.json --summary
        """
        import json

        from .api import extract_text, parse_bytes, read_input
        from .errors import EnforceError

        try:
            data = read_input(file, max_bytes=max_bytes)
            if text:
                sys.stdout.write(extract_text(data, path=file)[0])
                return
            record = parse_bytes(data, path=file)
        except EnforceError as exc:
            _fail(str(exc), exc.exit_code)
        out = json.dumps(record, ensure_ascii=False, indent=None if compact else 2) + "\n"
        if output:
            write_atomic(output, out)
        else:
            sys.stdout.write(out)
        if summary:
            from .summary import print_summary

            print_summary(record)

    @app.command()
    def schema() -> None:
        """Print the JSON Schema of a record.

        Example: enforce schema > enforcement-report.schema.json
        """
        import json

        from .model import json_schema

        sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")

    @app.command("fields")
    def fields_cmd(
        as_json: bool = typer.Option(False, "--json", help="JSON instead of a tab-separated table."),
    ) -> None:
        """List the field catalogue: path, kind, core, Chinese label.

        Example: enforce fields | grep penalties
        """
        import json

        from .catalogue import fields

        rows = [{"path": f.path, "kind": f.kind, "core": f.core, "label": f.label} for f in fields()]
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        for r in rows:
            sys.stdout.write(f"{r['path']}\t{r['kind']}\t{'core' if r['core'] else ''}\t{r['label']}\n")

    import importlib

    for name in PLUGINS:
        importlib.import_module(f".{name}", __package__).register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        print(f"enforce {__version__}")
        return
    try:
        build_app()(args=args, prog_name="enforce", standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
