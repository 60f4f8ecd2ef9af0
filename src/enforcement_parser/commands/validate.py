"""`enforce validate` and `enforce rules`: the CLI boundary of the linter (files, streams, exit codes)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import EnforceError, UsageError
from ..files.decoding import DEFAULT_MAX_BYTES
from ..lint.baseline import load_baseline, new_findings, write_baseline as save_baseline
from ..lint.config import find_config, load_config, profile_fields, resolve, split_list
from ..lint.examples import apply, base_record, examples
from ..lint.formatters import FORMATTERS, statistics, summary
from ..lint.rule import Context, all_rules, find_rule
from ..lint.runner import validate as run
from ..outputs.review_file import review_index
from .common import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_USAGE, emit_or_fail, fail, text_or_json


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("rules")(rules)


def validate(
    paths: List[str] = typer.Argument(..., help="Report files, JSON records (*.json) or directories."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Required fields: core (default) or full."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Rules to enable instead of the default set: codes, prefixes (K2) or names, comma-separated; ALL for every rule."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Rules to enable on top of the selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rules to disable: codes, prefixes or names."),
    required: Optional[List[str]] = typer.Option(None, "--required", help="Extra fields C101 requires, comma-separated catalogue paths."),
    fmt: Optional[str] = typer.Option(None, "--format", help="text (default), json, github, junit or sarif."),
    statistics: Optional[bool] = typer.Option(None, "--statistics", help="Print counts per rule instead of the findings.", show_default=False),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write the output here instead of stdout."),
    output_file: Optional[str] = typer.Option(None, "--output-file", hidden=True),   # the old spelling of -o
    exit_zero: Optional[bool] = typer.Option(None, "--exit-zero", help="Exit 0 even when there are error findings.", show_default=False),
    config: Optional[str] = typer.Option(None, "--config", help="Read settings from this enforce.toml or pyproject.toml."),
    isolated: bool = typer.Option(False, "--isolated", help="Ignore every config file."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse larger inputs."),
    reviews: Optional[str] = typer.Option(None, "--reviews", help="Folder of NAME.review.json files: reports are checked with their reviews merged."),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="Report only the findings not in this baseline file."),
    write_baseline: Optional[str] = typer.Option(None, "--write-baseline", help="Record today's findings in this file (and report none)."),
) -> None:
    """Lint reports and JSON records: missing, contradictory or implausible figures.

    Exit status: 0 no error findings, 1 error findings, 2 usage or config error, 3 unreadable input,
    4 the output file cannot be written, 5 an invalid --reviews file.

    Example: enforce validate reports/ --select C,K --format github
    Example: enforce validate reports/ --write-baseline accepted.json   (then: --baseline accepted.json)
    """
    cli_values = {"profile": profile, "select": split_list(select), "extend_select": split_list(extend_select),
                  "ignore": split_list(ignore), "required": split_list(required), "format": fmt,
                  "statistics": statistics, "exit_zero": exit_zero}

    try:
        if baseline and write_baseline:
            raise UsageError("--baseline and --write-baseline contradict each other")
        settings = _settings(cli_values, config, isolated)
        accepted = load_baseline(baseline) if baseline else None
        index = review_index(reviews) if reviews else None
    except EnforceError as exc:
        fail(str(exc), exc.exit_code)
    result = run(paths, settings, max_bytes=max_bytes, reviews=index)
    for message in result.input_errors:
        sys.stderr.write(f"error: {message}\n")
    if write_baseline:
        try:
            count = save_baseline(write_baseline, result.problems)
        except EnforceError as exc:   # the file cannot be written (4)
            fail(str(exc), exc.exit_code)
        sys.stderr.write(f"wrote {count} findings to {write_baseline}\n")
        raise typer.Exit(EXIT_INPUT if result.input_errors else EXIT_OK)
    if accepted is not None:
        result.problems = new_findings(result.problems, accepted)
    _emit(result, settings, output or output_file)
    raise typer.Exit(_exit_code(result, settings))


def _settings(cli_values: dict, config: str | None, isolated: bool):
    """Resolve the config file (explicit, discovered, or none when isolated) under the command line."""

    if config and isolated:
        raise UsageError("--config and --isolated contradict each other")
    path = Path(config) if config else None if isolated else find_config(Path.cwd())
    file_values = load_config(path) if path else {}
    settings = resolve(file_values, cli_values, str(path) if path else None)
    if settings.statistics and settings.format not in ("text", "json"):
        raise UsageError(f"--statistics prints text or json, not {settings.format}")
    return settings


def _emit(result, settings, output: str | None) -> None:
    if settings.statistics:
        out = statistics(result.problems, as_json=settings.format == "json")
    else:
        color = (settings.format == "text" and not output and sys.stdout.isatty()
                 and "NO_COLOR" not in os.environ)
        out = FORMATTERS[settings.format](result.problems, result.files, settings.rules, color=color)
    emit_or_fail(out, output)
    if not result.files and not result.input_errors:
        sys.stderr.write("warning: no report or record files found\n")
    elif result.files and settings.format == "text":
        sys.stderr.write(summary(result.problems, result.files))


def _exit_code(result, settings) -> int:
    if result.input_errors:
        return EXIT_INPUT
    if not settings.exit_zero and any(p.severity == "error" for p in result.problems):
        return EXIT_FINDINGS
    return EXIT_OK


def rules(
    code: Optional[str] = typer.Argument(None, help="A rule code or name to explain."),
    fmt: str = typer.Option("text", "--format", help="text (a table, or a rule's page) or json."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="Write the output here instead of stdout."),
    as_json: bool = typer.Option(False, "--json", hidden=True),   # the old spelling of --format json
) -> None:
    """List every validate rule, or explain one with its examples.

    Example: enforce rules K201
    """

    as_json = text_or_json(fmt, as_json) == "json"
    if code is None:
        rows = all_rules()
        if as_json:
            out = json.dumps([_rule_dict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
        else:
            out = "".join(f"{r.code}  {r.severity:<7}  {r.name:<38}  {r.summary}"
                          f"{'' if r.default else '  (off by default)'}\n" for r in rows)
        emit_or_fail(out, output)
        return
    r = find_rule(code)
    if r is None:
        fail(f"unknown rule {code!r} (see `enforce rules`)", EXIT_USAGE)
    out = json.dumps(_rule_dict(r, with_examples=True), ensure_ascii=False, indent=2) + "\n" if as_json else explain(r)
    emit_or_fail(out, output)


def _rule_dict(r, *, with_examples: bool = False) -> dict:
    out = {"code": r.code, "name": r.name, "severity": r.severity, "family": r.family,
           "default": r.default, "summary": r.summary, "doc": r.doc}
    if with_examples:
        out["examples"] = examples(r)
    return out


def explain(r) -> str:
    """A rule's page: header, its docstring prose, and each example with what the rule says about it."""

    required, alternatives = profile_fields("core", ())
    ctx = Context(required=required, alternatives=alternatives)
    prose = "\n".join(line for line in r.doc.splitlines()
                      if not line.startswith(("Fails:", "Passes:"))).rstrip().splitlines()
    lines = [f"{r.code} {r.name}  [{r.severity}, {r.family}, {'on' if r.default else 'off'} by default]",
             "", *prose]
    for kind, label in (("fails", "fires on"), ("passes", "passes on")):
        for example in examples(r)[kind]:
            hits = list(r.check(apply(base_record(), example), ctx))
            lines += ["", f"Example that {label}: {json.dumps(example, ensure_ascii=False)}"]
            lines += [f"  -> {r.code} {h.message}" for h in hits] or ["  -> no finding"]
    lines += ["", "Examples are applied over a complete report record of the core profile."]
    return "\n".join(lines).rstrip() + "\n"
