"""Baselines: adopt `enforce validate` on a repository of old reports without fixing every one first.

`--write-baseline FILE` records today's findings by (report path, rule code, field), with a count;
`--baseline FILE` then reports only the findings beyond it, as static-analysis tools do for legacy code.
"""

from __future__ import annotations

import json
import os
from collections import Counter

from ..outputs.writing import write_output
from ..errors import UsageError
from .problem import Problem

BASELINE_VERSION = 1
Key = tuple[str, str, str]


def finding_key(p: Problem) -> Key:
    """What a baseline remembers of a finding: the report (the record's source for a JSON record),
    the rule, the field. Not the line or message: they move when a report is edited or re-read."""
    return (os.path.normpath(p.source or p.file), p.code, p.field or "")


def write_baseline(path: str, problems: list[Problem]) -> int:
    """Write the baseline of these findings; returns how many it holds."""
    counts = Counter(finding_key(p) for p in problems)
    data = {"baseline_version": BASELINE_VERSION,
            "findings": [{"report": r, "code": c, "field": f or None, "count": n}
                         for (r, c, f), n in sorted(counts.items())]}
    write_output(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return len(problems)


def load_baseline(path: str) -> Counter:
    """The accepted findings of a baseline file; a missing or malformed file is a usage error."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("baseline_version") != BASELINE_VERSION:
            raise ValueError(f"baseline_version is {data.get('baseline_version')!r}, not {BASELINE_VERSION}")
        return Counter({(os.path.normpath(f["report"]), f["code"], f.get("field") or ""): int(f.get("count", 1))
                        for f in data["findings"]})
    except OSError as exc:
        raise UsageError(f"--baseline {path}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(f"--baseline {path}: not a baseline file written by --write-baseline ({exc})") from None


def new_findings(problems: list[Problem], accepted: Counter) -> list[Problem]:
    """The findings beyond the baseline: a key accepted n times lets its first n findings through silently."""
    left = Counter(accepted)
    out = []
    for p in problems:
        key = finding_key(p)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(p)
    return out
