"""Find the inputs, turn each into a record, run the selected rules, and collect plain problems."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..api import parse_bytes, read_input, sha256_hex
from ..errors import EnforceError, InputError
from ..files import DOCUMENT_EXTENSIONS, is_project_doc
from ..outputs.review_file import parse_reviewed
from .config import Settings
from .document import schema_errors
from .problem import Problem
from .rule import Context, Rule

REPORT_SUFFIXES = (".txt", ".text", ".htm", ".html", *DOCUMENT_EXTENSIONS)
RECORD_SUFFIXES = (".json",)


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    input_errors: list[str] = field(default_factory=list)


def collect(paths: list[str]) -> tuple[list[str], list[str]]:
    """(files to validate, input errors): named files as they are, directories walked for known suffixes."""
    files, errors = [], []
    for path in paths:
        if os.path.isdir(path):
            files.extend(_walk(path))
        elif path == "-" or os.path.exists(path):
            files.append(path)
        else:
            errors.append(f"{path}: no such file or directory")
    return list(dict.fromkeys(files)), errors


def _walk(directory: str) -> list[str]:
    """Report and record files under a directory, sorted, skipping hidden directories and files and the
    folder's own documents (README, LICENSE ...)."""
    found = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = os.path.normpath(os.path.join(root, name))
            if name.startswith("."):
                continue
            if is_project_doc(name):
                continue
            if name.lower().endswith(REPORT_SUFFIXES) or (is_record_file(name) and _looks_like_record(path)):
                found.append(path)
    return found


def _looks_like_record(path: str) -> bool:
    """In a walked directory, well-formed JSON that is not an `enforce` record (an object without
    schema_version, e.g. a gold annotation) is not ours; broken JSON is still reported."""
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(8 * 1024 * 1024))
    except (OSError, ValueError):
        return True   # let the reader report it
    return not isinstance(data, dict) or "schema_version" in data


def is_record_file(path: str) -> bool:
    return path.lower().endswith(RECORD_SUFFIXES)


def load_record(path: str, max_bytes: int, reviews: dict[str, str] | None = None):
    """The record of one input: JSON records are read as they are, anything else is parsed as a report
    (with its review merged when `reviews`, sha256 -> review file, has one for its bytes)."""
    try:
        if not is_record_file(path):
            data = read_input(path, max_bytes=max_bytes)
            review = (reviews or {}).get(sha256_hex(data))
            if review:
                return parse_reviewed(data, path, review)
            return parse_bytes(data, path=path)
        data = read_input(path, max_bytes=max_bytes)
        try:
            record = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 JSON") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except EnforceError as exc:   # unreadable input, or a review that does not fit it
        message = str(exc)
        raise InputError(message if message.startswith(path) else f"{path}: {message}") from None
    return record


def _source_path(record) -> str | None:
    source = record.get("source") if isinstance(record, dict) else None
    return source.get("path") if isinstance(source, dict) else None


def check_record(record, file: str, rules: tuple[Rule, ...], ctx: Context,
                 *, from_json: bool) -> list[Problem]:
    """Run the rules over one record; JSON records are located at line 1 of the JSON file."""
    source = _source_path(record) if from_json else file
    out = []
    for r in rules:
        for hit in r.check(record, ctx):
            report_line = hit.line or 1
            out.append(Problem(file=file, line=1 if from_json else report_line, code=r.code, name=r.name,
                               severity=r.severity, message=hit.message, field=hit.field,
                               source=source, source_line=hit.line if from_json else report_line))
    return out


def validate(paths: list[str], settings: Settings, *, max_bytes: int,
             reviews: dict[str, str] | None = None) -> Result:
    """Validate every input; unreadable inputs become input errors and the rest carry on.
    `reviews` (sha256 -> review file, review_file.review_index) merges reviews into the reports."""
    files, errors = collect(paths)
    result = Result(input_errors=errors)
    ctx = Context(required=settings.required, alternatives=settings.alternatives)
    for path in files:
        try:
            record = load_record(path, max_bytes, reviews)
        except InputError as exc:
            result.input_errors.append(str(exc))
            continue
        result.files.append(path)
        rules = settings.rules
        if schema_errors(record):
            rules = tuple(r for r in rules if r.code == "D300")
        result.problems.extend(check_record(record, path, rules, ctx, from_json=is_record_file(path)))
    result.problems = sorted(set(result.problems), key=Problem.sort_key)
    return result
