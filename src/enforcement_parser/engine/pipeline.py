"""The extraction pipeline: text -> values, evidence, warnings.

normalize -> segment -> document identity -> figures and labels -> readers -> resolve.
Figures are read only from annual reports: a notice, a news item or a quarterly circular
yields its identity and a warning, never catalogue figures.
"""

from __future__ import annotations

from typing import NamedTuple

from .decisions import recorder
from .identity import analyse, reports_whole_system
from .labels import find_labels
from .normalizing import normalize
from .readers.implicit import find_not_applicable, read_implicit, read_name_lists
from .readers.sentences import SentenceContext, read_sentences
from .readers.tables import read_tables
from .readers.templates import read_templates
from .resolving import check_consistency, resolve, scoped
from .segmenting import Segments
from .warning_codes import make


class Evidence(NamedTuple):
    text: str
    start: int
    end: int
    line: int
    qualifier: str
    rule: str

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "line": self.line,
                "qualifier": self.qualifier, "rule": self.rule}


class Extraction:
    """Values, evidence and warnings by catalogue path, plus the document's identity."""

    __slots__ = ("values", "evidence", "warnings", "document")

    def __init__(self, document: dict | None = None) -> None:
        self.values: dict = {}
        self.evidence: dict = {}
        self.warnings: list = []
        self.document: dict = document or {}


def extract(text: str) -> Extraction:
    view = normalize(text)
    seg = Segments(view.text)
    info = analyse(seg)
    rec = recorder()
    if rec:
        rec.view, rec.text, rec.seg = view, text, seg
    out = Extraction(document={"style": info.style, "title": info.title, "period": info.period})
    out.values["document.kind"] = info.kind
    kind_span = info.kind_span or _first_line_span(view.text)
    if kind_span:
        out.evidence["document.kind"] = _evidence(view, text, kind_span, "exact", info.kind_rule)
    for path, found in info.fields.items():
        if found is None:
            continue
        out.values[path] = found.value
        out.evidence[path] = _evidence(view, text, found.span, "exact", found.rule)
    if info.kind != "report":
        out.warnings.append(make("not-a-report", "document.kind",
                                 "not an annual enforcement report: no figures are taken"))
        if rec:
            rec.stopped = ("document.not-a-report", f"the document is a {info.kind}, not an annual report")
        return out
    if info.period != "annual":
        out.warnings.append(make("not-annual", "report_year",
                                 f"the figures cover {info.period_text!r}, not one calendar year: none are taken"))
        if rec:
            rec.stopped = ("document.not-annual", f"the figures cover {info.period_text!r}")
        return out
    _read_figures(view, seg, text, out)
    return out


def _read_figures(view, seg, text: str, out: Extraction) -> None:

    figures = seg.figures.figures
    hits = find_labels(view.text)

    year = out.values.get("report_year")
    cands, used, table_lines = read_tables(seg, year)
    more, blanks, used_t = read_templates(seg, hits, table_lines)
    cands += more

    ctx = SentenceContext(seg)
    other_years: list = []
    cands += read_sentences(seg, figures, hits, used | used_t, ctx, year, other_years)
    cands += read_implicit(seg, ctx, cands)
    cands += read_name_lists(seg, cands)
    chosen, warnings = resolve(scoped(seg, cands, reports_whole_system(out.document.get("title"))))
    for path, start, end in find_not_applicable(seg, ctx):
        if path not in chosen:
            warnings.append(make("not-applicable", path, f"the report says {view.text[start:end]!r}",
                                 line=_line(view, text, start)))
    warnings += check_consistency({p: c.value for p, c in chosen.items()})
    if rec := recorder():
        rec.decide(other_years, "year.other-year", f"its clause or sentence is dated to another year than {year}")
    for c in other_years:
        period = f"another year than {year}" if year else "several years together"
        warnings.append(make("year-mismatch", c.path, f"{view.text[c.figure.start:c.figure.end]!r} is stated for "
                             f"{period}: not taken", line=_line(view, text, c.figure.start)))
    for path, c in chosen.items():
        out.values[path] = list(c.value) if isinstance(c.value, tuple) else c.value
        out.evidence[path] = _evidence(view, text, (c.figure.start, c.figure.end), c.figure.qualifier, c.rule)
    out.warnings.extend(warnings)
    for path, label, pos in blanks:
        out.warnings.append(make("blank-in-template", path, f"template item {label!r} is left blank",
                                 line=_line(view, text, pos)))


def _first_line_span(text: str) -> tuple[int, int] | None:
    """The first line with words on it: where an undecided document kind points."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip(" |\t#*")
        if stripped:
            start = pos + line.index(stripped)
            return start, start + len(stripped)
        pos += len(line) + 1
    return None


def _line(view, original: str, pos: int) -> int:
    return original.count("\n", 0, view.span(pos, pos + 1)[0]) + 1


def _evidence(view, original: str, span: tuple[int, int], qualifier: str, rule: str) -> Evidence:
    start, end = view.span(*span)
    return Evidence(original[start:end], start, end, original.count("\n", 0, start) + 1, qualifier, rule)
