"""One value (or none) per field from the readers' candidates, with evidence and warnings."""

from __future__ import annotations

from collections import defaultdict

from .catalogue import by_path
from .readers import Candidate
from .warnings import Warning, make


def resolve(candidates: list[Candidate]) -> tuple[dict[str, Candidate], list[Warning]]:
    """Pick per field: the best-ranked reader; agreeing values merge; a real conflict is left
    null with an `ambiguous-value` warning unless one side is the document's overview section."""
    by_field: dict[str, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_field[c.path].append(c)
    chosen: dict[str, Candidate] = {}
    warnings: list[Warning] = []
    for path, cands in by_field.items():
        top = max(c.rank for c in cands)
        best = [c for c in cands if c.rank == top]
        values = {c.value for c in best}
        if len(values) > 1 and any(c.own_scope for c in best):
            best = [c for c in best if c.own_scope]
            values = {c.value for c in best}
        if len(values) > 1 and any(not c.breakdown for c in best):
            best = [c for c in best if not c.breakdown]
            values = {c.value for c in best}
        if len(values) == 1:
            chosen[path] = best[0]
            continue
        total = _stated_total(best)
        if total is not None:
            chosen[path] = total
            continue
        overview = [c for c in best if c.overview]
        if overview and len({c.value for c in overview}) == 1:
            chosen[path] = overview[0]
            continue
        shown = "、".join(str(v) for v in sorted(values))
        warnings.append(make("ambiguous-value", path,
                             f"{by_path()[path].label}: candidates {shown} disagree; none chosen"))
    return chosen, warnings


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
