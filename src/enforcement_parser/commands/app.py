"""The typer app of `enforce`: the commands, their options and help, and the exit codes of click's
errors. cli.main() loads it when a command line is not one of its fast paths."""

from __future__ import annotations

import functools
import json
import sys

import typer

from ..knowledge.catalogue import fields
from ..outputs.record_model import json_schema as record_json_schema
from ..outputs.review_file import parse_reviewed, review_json_schema
from ..version import __version__
from . import batch as batch_command, review as review_command, validate as validate_command
from .common import EXIT_USAGE, emit_or_fail, fail, text_or_json
from .parse import PARSE_MAX_BYTES, parse_report

# Modules that add commands to the app: each defines register(app).
PLUGINS = (validate_command, review_command, batch_command)


def build_app():
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
            fail("--format applies to --explain only", EXIT_USAGE)
        if fmt not in (None, "json", "text"):
            fail(f"--format is json or text, not {fmt!r}", EXIT_USAGE)
        if explain and (summary or review):
            fail("--explain cannot be combined with --summary or --review", EXIT_USAGE)
        reviewed = functools.partial(parse_reviewed, review=review) if review else None
        parse_report(file, output=output, compact=compact, summary=summary, text=text, max_bytes=max_bytes,
                     reviewed=reviewed, explain=explain, fmt=fmt, max_pages=max_pages)

    @app.command()
    def schema(
        review: bool = typer.Option(False, "--review", help="The schema of a review file instead."),
        output: str = typer.Option(None, "-o", "--output", help="Write the schema here instead of stdout."),
    ) -> None:
        """Print the JSON Schema of a record (or of a review file).

        Example: enforce schema -o enforcement-report.schema.json
        """
        schema = review_json_schema() if review else record_json_schema()
        emit_or_fail(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", output)

    @app.command("fields")
    def fields_cmd(
        fmt: str = typer.Option("text", "--format", help="text (a tab-separated table) or json."),
        output: str = typer.Option(None, "-o", "--output", help="Write the list here instead of stdout."),
        as_json: bool = typer.Option(False, "--json", hidden=True),   # the old spelling of --format json
    ) -> None:
        """List the field catalogue: path, kind, core, Chinese label.

        Example: enforce fields | grep penalties
        """

        rows = [{"path": f.path, "kind": f.kind, "core": f.core, "label": f.label} for f in fields()]
        if text_or_json(fmt, as_json) == "json":
            out = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            out = "".join(f"{r['path']}\t{r['kind']}\t{'core' if r['core'] else ''}\t{r['label']}\n" for r in rows)
        emit_or_fail(out, output)


    for plugin in PLUGINS:
        plugin.register(app)
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
        print(f"enforce {__version__}")
        raise typer.Exit()


def run_app(args: list[str]) -> None:
    """Run the typer app on args; every outcome becomes an exit code, errors one `error:` line."""
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
