"""The `enforce` command line: thin commands over the library API.

Only what `--help` needs is imported at start-up; `--version` answers before typer loads.
"""

from __future__ import annotations

import sys

from .. import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_OUTPUT = 0, 1, 2, 3, 4

# Modules that add commands to the app: each defines register(app).
PLUGINS: tuple[str, ...] = ("validate", "review", "batch")


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(code)


def emit(text: str, output: str | None) -> None:
    """A command's output: to the -o file (see outputs.py; OutputError when it cannot) or to stdout."""
    if output:
        from ..outputs.writing import write_output

        write_output(output, text)
    else:
        sys.stdout.write(text)


PARSE_MAX_BYTES = 20 * 1024 * 1024


def parse_report(file: str, *, output: str | None = None, compact: bool = False, summary: bool = False,
                 text: bool = False, max_bytes: int = PARSE_MAX_BYTES, review: str | None = None,
                 explain: bool = False, fmt: str | None = None, max_pages: int | None = None) -> None:
    """The body of `enforce parse`, shared by the typer command and the fast path in main()."""
    import json

    from ..api import explain_bytes, parse_bytes, read_document, read_input
    from ..errors import EnforceError
    from .ocr_progress import terminal_pages

    try:
        data = read_input(file, max_bytes=max_bytes)
        with terminal_pages(sys.stderr) as ocr:   # a scan's pages on a terminal; never cached here
            if text:
                emit(read_document(data, path=file, max_pages=max_pages, ocr=ocr).text, output)
                return
            if review:
                from ..outputs.review_file import parse_reviewed

                record = parse_reviewed(data, file, review, max_pages=max_pages, ocr=ocr)
            else:
                record = (explain_bytes(data, path=file, max_pages=max_pages, ocr=ocr) if explain
                          else parse_bytes(data, path=file, max_pages=max_pages, ocr=ocr))
        if explain and (fmt or ("json" if output or not sys.stdout.isatty() else "text")) == "text":
            from ..engine.explaining import render_text

            out = render_text(record)
        else:
            out = json.dumps(record, ensure_ascii=False, indent=None if compact else 2) + "\n"
        emit(out, output)
    except EnforceError as exc:
        _fail(str(exc), exc.exit_code)
    if summary:
        from ..outputs.summary import print_summary

        print_summary(record)


_PARSE_FLAGS = ("--compact", "--summary", "--text")


def plain_parse_args(args: list[str]) -> dict | None:
    """parse_report() keywords when args are a plain `parse FILE [--compact|--summary|--text] [-o OUT]`.

    Why: typer (with click and, via typer's coercion, pydantic) costs ~150 ms before a report is read,
    most of `enforce parse`'s cold start. Only shapes whose meaning is beyond doubt qualify: each
    option at most once, no `--opt=value`, no value starting with "-", no completion request.
    Everything else, including every error and --help, returns None and goes through typer.
    """
    import os

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
    import errno

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


def build_app():
    import typer

    app = typer.Typer(
        name="enforce",
        help="Turn Chinese annual administrative-enforcement reports into validated JSON records.\n\n"
             "Example: enforce parse 2023年行政执法工作报告.txt > record.json",
        add_completion=False,
        pretty_exceptions_enable=False,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(False, "-V", "--version", is_eager=True, expose_value=False,
                                     callback=_print_version, help="Print the version and exit."),
    ) -> None:
        """enforce: parse, batch-convert, validate and review enforcement reports.

        Example: enforce parse report.txt > report.json
        """

    @app.command()
    def parse(
        file: str = typer.Argument(..., help="Report file (.txt, .html, .docx, .pdf, .xlsx/.xls/.ods, .doc; a scan as "
                                                  ".pdf/.png/.jpg/.tif with the ocr extra) or - for stdin."),
        output: str = typer.Option(None, "-o", "--output", help="Write the JSON here (atomically)."),
        compact: bool = typer.Option(False, "--compact", help="One-line JSON."),
        summary: bool = typer.Option(False, "--summary", help="Print a field table to stderr."),
        text: bool = typer.Option(False, "--text", help="Print the extracted text instead of JSON."),
        max_bytes: int = typer.Option(PARSE_MAX_BYTES, "--max-bytes", help="Refuse larger inputs."),
        review: str = typer.Option(None, "--review", help="Merge this NAME.review.json (made on the review "
                                                          "page) into the record."),
        max_pages: int = typer.Option(None, "--max-pages", min=1, help="Refuse scans with more pages (OCR; "
                                                                        "default 50)."),
        explain: bool = typer.Option(False, "--explain", help="Print, for each field, the candidates found and "
                                     "the rule that took or dropped each, instead of the record."),
        fmt: str = typer.Option(None, "--format", help="With --explain: json (the default unless stdout is "
                                "a terminal) or text."),
    ) -> None:
        """Parse one report and print its JSON record.

        Example: enforce parse 2023年行政执法报告.txt -o record.json --summary
        Example: enforce parse report.txt --review report.txt.review.json   (a person's checks merged)
        """
        if fmt is not None and not explain:
            _fail("--format applies to --explain only", EXIT_USAGE)
        if fmt not in (None, "json", "text"):
            _fail(f"--format is json or text, not {fmt!r}", EXIT_USAGE)
        if explain and (summary or review):
            _fail("--explain cannot be combined with --summary or --review", EXIT_USAGE)
        parse_report(file, output=output, compact=compact, summary=summary, text=text, max_bytes=max_bytes,
                     review=review, explain=explain, fmt=fmt, max_pages=max_pages)

    @app.command()
    def schema(
        review: bool = typer.Option(False, "--review", help="The schema of a review file instead."),
        output: str = typer.Option(None, "-o", "--output", help="Write the schema here instead of stdout."),
    ) -> None:
        """Print the JSON Schema of a record (or of a review file).

        Example: enforce schema -o enforcement-report.schema.json
        """
        import json

        if review:
            from ..outputs.review_file import review_json_schema as json_schema
        else:
            from ..outputs.record_model import json_schema

        emit_or_fail(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", output)

    @app.command("fields")
    def fields_cmd(
        fmt: str = typer.Option("text", "--format", help="text (a tab-separated table) or json."),
        output: str = typer.Option(None, "-o", "--output", help="Write the list here instead of stdout."),
        as_json: bool = typer.Option(False, "--json", hidden=True),   # the old spelling of --format json
    ) -> None:
        """List the field catalogue: path, kind, core, Chinese label.

        Example: enforce fields | grep penalties
        """
        import json

        from ..knowledge.catalogue import fields

        rows = [{"path": f.path, "kind": f.kind, "core": f.core, "label": f.label} for f in fields()]
        if text_or_json(fmt, as_json) == "json":
            out = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            out = "".join(f"{r['path']}\t{r['kind']}\t{'core' if r['core'] else ''}\t{r['label']}\n" for r in rows)
        emit_or_fail(out, output)

    import importlib

    for name in PLUGINS:
        importlib.import_module(f".{name}", __package__).register(app)
    return with_version_everywhere(typer.main.get_command(app))


def with_version_everywhere(group):
    """The root's eager -V/--version added to every command too: `enforce parse -V` prints the version.

    One option object on every command (click's public Command.params), not a parameter in each
    command's signature; click still reads `-o -V` as a value, not as the flag.
    """
    version = next(p for p in group.params if p.name == "version")
    for command in group.commands.values():
        command.params.append(version)
    return group


def _print_version(value: bool) -> None:
    if value:
        import typer

        print(f"enforce {__version__}")
        raise typer.Exit()


def text_or_json(fmt: str, as_json: bool) -> str:
    """--format of a command that prints text or JSON; the hidden --json is the old spelling of json."""
    if fmt not in ("text", "json"):
        _fail(f"--format must be text or json, not {fmt!r}", EXIT_USAGE)
    return "json" if as_json else fmt


def emit_or_fail(text: str, output: str | None) -> None:
    """emit(), with a write error as one `error:` line and exit 4."""
    from ..errors import EnforceError

    try:
        emit(text, output)
    except EnforceError as exc:
        _fail(str(exc), exc.exit_code)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        print(f"enforce {__version__}")
        return
    plain = plain_parse_args(args)
    if plain is not None:
        run_plain_parse(plain)
        return
    import typer

    try:
        code = build_app()(args=args, prog_name="enforce", standalone_mode=False)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None
    except typer.TyperException as exc:   # click's usage and parameter errors: one line, exit 2
        code = getattr(exc, "exit_code", EXIT_USAGE)
        ctx = getattr(exc, "ctx", None)
        hint = f" (try: {ctx.command_path} --help)" if ctx is not None and code == EXIT_USAGE else ""
        message = exc.format_message()
        if message:   # bare `enforce` already printed its help
            sys.stderr.write(f"error: {message}{hint}\n")
        raise SystemExit(code) from None
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    if isinstance(code, int) and code:   # without standalone mode click returns typer.Exit codes
        raise SystemExit(code)
