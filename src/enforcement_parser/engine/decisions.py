"""Named decisions: every veto, scope rule, year rule and resolution step that takes or drops a
figure has a stable id (as lint rules have codes), and a recorder collects them for `--explain`.

Off by default: a parse that does not explain finds no recorder and notes nothing. The recorder
lives in a context variable rather than in every reader's signature, so readers that never drop a
figure stay as they are (and a parse in another thread or task records nothing of this one).
Ids: `<stage>.<name>`; a veto word list of data/vocabulary.toml has the id of its list
(`veto.change` is `[global] veto.change`, `veto.field` the `veto` of the field's own entry).
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from typing import NamedTuple

# id -> what it decides. README "Why a value is null" lists them; a test keeps both in step. A word
# list of the data a decision applies carries its id (`decision = ...` in vocabulary.toml [sentence]).
RULES = {
    "document.not-a-report": "a notice, news item, yearbook or plan: no figure is taken",
    "document.not-annual": "the figures cover a quarter, half-year or several years: none is taken",
    "document.identity": "the document reader named it (title, opening sentence, signature)",
    "veto.field": "a veto word of the field (vocabulary.toml, the field's `veto`) in the label zone",
    "veto.campaign-section": "the figure stands in a campaign section (专项行动 …, topics.toml)",
    "veto.campaign-sentence": "the sentence speaks of a campaign (专项行动 …, topics.toml)",
    "veto.campaign-note": "the figure stands in a bracketed note that names a campaign",
    "veto.named-kind": "a quoted name right before the label (开展“综合查一次”行政检查): a named programme "
                       "or kind of the field's acts, not its total",
    # words: vocabulary.toml [sentence] sector
    "veto.sector": "a sector sentence (…领域, …行业, 系统内): figures of one sector, not the agency's",
    # words: vocabulary.toml [sentence] change_verbs, change_reached
    "veto.change-from": "the level a change starts from (由40台增加到52台: 40)",
    "veto.list-sizes": "a count of items said of a list (事项, 清单: vocabulary.toml [global] list_sizes) "
                       "is only a power-list figure",
    "veto.table-row": "a table row whose label holds a global veto word (上年同期, 同比 …)",
    "scope.wider-section": "under a heading of a wider area or another body, in a report that keeps "
                           "its own figures apart (topics.toml [scope])",
    # words: vocabulary.toml [sentence] compares, this_year (besides the years themselves)
    "year.other-year": "the clause, or the time phrase leading its sentence, names another year than the report's",
    "year.sums-years": "a 合计 line under rows of years adds up years",
    "year.columns-by-year": "table columns by year, none of them the report's",
    "sentence.no-fit": "labels stand near the figure, but none names a field that takes it "
                       "(unit, kind, topic or a field veto)",
    "table.unknown-headers": "a table whose headers are mostly unknown is not trusted",
    "resolve.only": "the one candidate of the field",
    "resolve.agreed": "every remaining candidate states the same value",
    # words: vocabulary.toml [sentence] wider
    "resolve.own-over-wider": "a figure of the agency itself beats one of its whole system or wider area",
    "resolve.structure-over-prose": "a table cell or template item outranks prose, prose outranks implicit values",
    "resolve.own-scope": "the agency's own figure (本级, 本局…情况) beats the others",
    "resolve.own-count-over-platform": "the report's own count beats records entered on a supervision "
                                       "platform (vocabulary.toml [global] platform_entries)",
    "resolve.total-line": "a 合计 line beats the rows right above it",
    "resolve.specific-over-generic": "a specific label beats a topic-bound one (行政处罚126件 over 结案139件)",
    "resolve.stated-total": "the stated total that is the sum of the others wins",
    # words: vocabulary.toml [sentence] part_openers, included
    "resolve.breakdown-loses-to-total": "a part (其中…) loses to its total",
    "resolve.overview": "the figure of the overview section (基本情况, 总体情况) wins",
    "resolve.ambiguous": "candidates disagree and nothing decides: left null (ambiguous-value)",
    "ocr.low-confidence": "OCR recognised the value's text with a confidence below the documented floor "
                          "(docs/inputs.md, OCR): the value resolved is not taken (low-confidence)",
}


class Drop(NamedTuple):
    """A figure a rule dropped before it became a candidate of a field (path None: no field yet)."""

    rule: str
    figure: object      # quantities.Figure, view offsets
    path: str | None
    reason: str


class Decision(NamedTuple):
    """What resolving decided about one candidate: taken (the winner, or one that agrees) or not."""

    candidate: object   # readers.Candidate
    rule: str
    reason: str
    taken: bool


class Dropped(NamedTuple):
    """A value resolved for a field, then dropped when the record was built (text offsets)."""

    rule: str
    value: object
    evidence: dict      # the dropped value's evidence, as the record would have held it
    reason: str


class Recorder:
    """What one parse decided, in view offsets; engine.extract leaves the view and text here."""

    def __init__(self) -> None:
        self.drops: list[Drop] = []
        self.decisions: list[Decision] = []
        self.dropped_values: dict[str, Dropped] = {}   # path -> the record builder's drop
        self.stopped: tuple[str, str] | None = None   # a document rule that took no figure at all
        self.view = None    # normalizing.View: view offsets -> offsets of `text`
        self.text = ""      # the decoded text the record's evidence refers to
        self.seg = None     # segmenting.Segments of the view
        self._seen: set = set()

    def drop(self, rule: str, figure, reason: str = "", path: str | None = None) -> None:
        key = (rule, figure.start, figure.end, path)
        if key not in self._seen:   # a route may look at one figure several times
            self._seen.add(key)
            self.drops.append(Drop(rule, figure, path, reason))

    def decide(self, candidates, rule: str, reason: str = "", taken: bool = False) -> None:
        self.decisions.extend(Decision(c, rule, reason, taken) for c in candidates)

    def drop_value(self, path: str, rule: str, value, evidence: dict, reason: str = "") -> None:
        self.dropped_values[path] = Dropped(rule, value, evidence, reason)


_current: ContextVar[Recorder | None] = ContextVar("enforce_decisions", default=None)


def recorder() -> Recorder | None:
    """The recorder of the parse running in this context, or None (the default: nothing is noted)."""
    return _current.get()


@contextlib.contextmanager
def recording():
    """Note every decision of the parses run inside the block."""
    rec = Recorder()
    token = _current.set(rec)
    try:
        yield rec
    finally:
        _current.reset(token)
