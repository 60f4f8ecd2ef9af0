"""One value (or none) per field from the readers' candidates, with evidence and warnings."""

from __future__ import annotations

from collections import defaultdict

from ..knowledge.catalogue import by_path
from .decisions import recorder
from .readers import Candidate
from .warning_codes import Warning, make


def scoped(seg, candidates: list[Candidate], whole_system: bool = False) -> list[Candidate]:
    """Whose figures the candidates are. In a report on a whole area's system (its title says
    全省…), the system-wide figures are the values and the department's own (本级) are parts of
    them. In a report with parallel own / wider sections (see Segments.scoped_sections), figures
    under a wider area's or another body's heading are not taken, its own are marked as such."""
    if whole_system:
        return [c._replace(own_scope=False, wider_scope=False, breakdown=c.breakdown or c.own_scope)
                for c in candidates]
    if not seg.scoped_sections:
        return candidates
    out = []
    rec = recorder()
    for c in candidates:
        scope = seg.scope(c.figure.start)
        if scope == "wider":
            if rec:
                rec.decide((c,), "scope.wider-section", "the section's heading names a wider area or another body")
            continue
        out.append(c._replace(own_scope=True) if scope == "own" else c)
    return out


def resolve(candidates: list[Candidate]) -> tuple[dict[str, Candidate], list[Warning]]:
    """One candidate per field from the best-ranked reader; a conflict nothing decides is left
    null with an `ambiguous-value` warning (precision first). A figure said of a whole system or
    a wider area loses to any figure of the agency itself, whatever reader found it (an
    implicit zero included)."""
    by_field: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_field[c.path].append(c)
    chosen: dict[str, Candidate] = {}
    warnings: list[Warning] = []
    rec = recorder()
    for path, cands in by_field.items():
        cands = _narrow(cands, [c for c in cands if not c.wider_scope], "resolve.own-over-wider", rec)
        top = max(c.rank for c in cands)
        best = _narrow(cands, [c for c in cands if c.rank == top], "resolve.structure-over-prose", rec)
        pick = _decide(best, rec)
        if pick is not None:
            chosen[path] = pick
            continue
        if rec:
            rec.decide(best, "resolve.ambiguous")
        shown = "、".join(str(v) for v in sorted({c.value for c in best}))
        warnings.append(make("ambiguous-value", path,
                             f"{by_path()[path].label}: candidates {shown} disagree; none chosen"))
    return chosen, warnings


def _narrow(cands: list[Candidate], kept: list[Candidate], rule: str, rec) -> list[Candidate]:
    """`kept` when it holds any candidate, else all of them; the recorder hears what `rule` dropped."""
    if not kept:
        return cands
    if rec and len(kept) < len(cands):
        rec.decide([c for c in cands if c not in kept], rule)
    return kept


def _agreed(cands: list[Candidate], rec=None, rule: str = "resolve.agreed") -> Candidate | None:
    """The first candidate when all agree; the recorder hears that `rule` took them all."""
    if not cands or len({c.value for c in cands}) != 1:
        return None
    if rec:
        rec.decide(cands, "resolve.only" if len(cands) == 1 and rule == "resolve.agreed" else rule, taken=True)
    return cands[0]


def _decide(cands: list[Candidate], rec=None) -> Candidate | None:
    """In order: agreement; the agency's own scope (本级, 本局…情况); the report's own count over
    records entered on a supervision platform; a 合计 line over the rows before it; a specific
    label over a topic-bound one ("行政处罚126件" over "结案139件"); a stated total that is the sum
    of the others; totals over their breakdowns (其中…); the overview section. Each step has its
    id (decisions.RULES) for --explain."""
    if (pick := _agreed(cands, rec)) is not None:
        return pick
    cands = _narrow(cands, [c for c in cands if c.own_scope], "resolve.own-scope", rec)
    cands = _narrow(cands, [c for c in cands if not c.entered], "resolve.own-count-over-platform", rec)
    cands = _narrow(cands, _totals_over_their_rows(cands), "resolve.total-line", rec)
    cands = _narrow(cands, [c for c in cands if not c.generic], "resolve.specific-over-generic", rec)
    if (pick := _agreed(cands, rec)) is not None:
        return pick
    if (pick := _stated_total(cands)) is not None:
        if rec:
            rec.decide([pick], "resolve.stated-total", taken=True)
            rec.decide([c for c in cands if c is not pick], "resolve.stated-total")
        return pick
    cands = _narrow(cands, [c for c in cands if not c.breakdown], "resolve.breakdown-loses-to-total", rec)
    if (pick := _agreed(cands, rec)) is not None:
        return pick
    overview = [c for c in cands if c.overview]
    if (pick := _agreed(overview, rec, "resolve.overview")) is not None and rec:
        rec.decide([c for c in cands if not c.overview], "resolve.overview")
    return pick


def _totals_over_their_rows(cands: list[Candidate]) -> list[Candidate]:
    """A 合计 line wins over the rows right above it, not over a figure elsewhere (an annual
    total in the prose, a campaign's phases, two of several sectors)."""
    totals = [c for c in cands if c.total_of]
    rows = [c for c in cands if not c.total_of]
    if totals and all(any(a <= r.figure.start < b for a, b in (t.total_of for t in totals)) for r in rows):
        return totals
    return cands


def _stated_total(cands: list[Candidate]) -> Candidate | None:
    """"罚款11100元 … 罚款7900元 … 全年罚款总额19000元": the one that is the sum of the others."""
    values = [c.value for c in cands]
    if not all(isinstance(v, (int, float)) for v in values):
        return None
    if len(values) < 3:
        return None
    for i, c in enumerate(cands):
        if abs(sum(values[:i] + values[i + 1:]) - c.value) < 1e-6:
            return c
    return None


# (parts, total): the parts of a figure may not add up to more than the figure itself.
_PARTS = (
    (("penalties.summary_procedure", "penalties.general_procedure"), "penalties.decisions"),
    (("reviews.reconsideration.upheld", "reviews.reconsideration.corrected", "reviews.reconsideration.pending",
      "reviews.reconsideration.terminated"), "reviews.reconsideration.cases"),
    (("reviews.litigation.won", "reviews.litigation.lost", "reviews.litigation.withdrawn",
      "reviews.litigation.pending"), "reviews.litigation.cases"),
    (("permits.granted", "permits.denied"), "permits.applications"),
    (("coercion.seizures", "coercion.other_measures"), "coercion.measures"),
)


def check_consistency(values: dict) -> list[Warning]:
    """`inconsistent` warnings where stated parts exceed their stated total (values are kept)."""
    out = []
    for parts, total in _PARTS:
        have = [p for p in parts if isinstance(values.get(p), (int, float))]
        if total in values and len(have) >= 2 and sum(values[p] for p in have) > values[total]:
            shown = " + ".join(f"{p.rsplit('.', 1)[1]} {values[p]}" for p in have)
            out.append(make("inconsistent", total, f"{shown} exceeds {by_path()[total].label} {values[total]}"))
    return out
