"""Formatters: plain problems in, one string out (text, json, github, junit, sarif, statistics)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from ..version import __version__
from .problem import SEVERITY_ORDER, Problem
from .rule import Rule

_COLORS = {"error": "31", "warning": "33", "info": "36"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def format_text(problems: list[Problem], files: list[str], rules: tuple[Rule, ...], *, color: bool = False) -> str:
    """`path:line: CODE message`, one per line; colour only when asked (a terminal)."""
    lines = []
    for p in problems:
        where = _paint(f"{p.file}:{p.line}:", "1", color)
        lines.append(f"{where} {_paint(p.code, _COLORS[p.severity], color)} {p.display_message()}")
    return "".join(line + "\n" for line in lines)


def format_json(problems: list[Problem], files: list[str], rules: tuple[Rule, ...], *, color: bool = False) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2) + "\n"


def _gh_escape(text: str, *, prop: bool = False) -> str:
    """GitHub workflow-command escaping; properties also escape the separators : and ,."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def format_github(problems: list[Problem], files: list[str], rules: tuple[Rule, ...], *, color: bool = False) -> str:
    """`::error file=...,line=...,title=CODE::message` (warning and notice for the lower severities)."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    return "".join(
        f"::{level[p.severity]} file={_gh_escape(p.file, prop=True)},line={p.line},"
        f"title={_gh_escape(p.code, prop=True)}::{_gh_escape(p.display_message())}\n"
        for p in problems)


def format_junit(problems: list[Problem], files: list[str], rules: tuple[Rule, ...], *, color: bool = False) -> str:
    """One testsuite per file, one failing testcase per problem, one passing testcase for a clean file."""
    by_file: dict[str, list[Problem]] = {f: [] for f in files}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    tests = sum(len(found) or 1 for found in by_file.values())
    root = ET.Element("testsuites", name="enforce validate", tests=str(tests), failures=str(len(problems)))
    for file, found in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=file, tests=str(len(found) or 1),
                              failures=str(len(found)), errors="0")
        if not found:
            ET.SubElement(suite, "testcase", name="no problems", classname=file)
        for p in found:
            case = ET.SubElement(suite, "testcase", name=f"{p.code} {p.name}", classname=file,
                                 file=p.file, line=str(p.line))
            failure = ET.SubElement(case, "failure", type=p.code, message=p.display_message())
            failure.text = f"{p.file}:{p.line}: [{p.severity}] {p.code} {p.display_message()}"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _uri(path: str) -> str:
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(path.replace(os.sep, "/"))


def format_sarif(problems: list[Problem], files: list[str], rules: tuple[Rule, ...], *, color: bool = False) -> str:
    """SARIF 2.1.0: the selected rules as the driver's rules, each problem a result with a location."""
    level = {"error": "error", "warning": "warning", "info": "note"}
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for p in problems:
        result = {
            "ruleId": p.code,
            "level": level[p.severity],
            "message": {"text": p.message},
            "locations": [_location(p.file, p.line)],
        }
        if p.code in index:
            result["ruleIndex"] = index[p.code]
        if p.source and p.source != p.file and p.source_line:
            result["relatedLocations"] = [{**_location(p.source, p.source_line), "id": 0,
                                           "message": {"text": "the report line of the figure"}}]
        results.append(result)
    driver = {
        "name": "enforce",
        "version": __version__,
        "rules": [{
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.doc},
            "defaultConfiguration": {"level": level[r.severity]},
        } for r in rules],
    }
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(sarif, ensure_ascii=False, indent=2) + "\n"


def _location(path: str, line: int) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": {"startLine": line}}}


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "junit": format_junit,
    "sarif": format_sarif,
}


def statistics(problems: list[Problem], *, as_json: bool) -> str:
    """Counts per rule code, most frequent first (ties by code)."""
    counts = Counter((p.code, p.name, p.severity) for p in problems)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    if as_json:
        return json.dumps([{"code": c, "name": n, "severity": s, "count": k} for (c, n, s), k in rows],
                          ensure_ascii=False, indent=2) + "\n"
    width = max((len(str(k)) for _, k in rows), default=1)
    return "".join(f"{k:>{width}}  {c}  {n}  [{s}]\n" for (c, n, s), k in rows)


def summary(problems: list[Problem], files: list[str]) -> str:
    """One closing line for humans (stderr): how many problems of which severity in how many files."""
    if not problems:
        return f"No problems in {len(files)} file{'s' * (len(files) != 1)}.\n"
    counts = Counter(p.severity for p in problems)
    parts = ", ".join(f"{counts[s]} {s}{'s' * (counts[s] != 1 and s != 'info')}"
                      for s in sorted(counts, key=SEVERITY_ORDER.get))
    return (f"Found {len(problems)} problem{'s' * (len(problems) != 1)} ({parts}) "
            f"in {len(files)} file{'s' * (len(files) != 1)}.\n")
