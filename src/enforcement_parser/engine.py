"""The extraction pipeline: text -> values, evidence, warnings (placeholder until the readers land)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int
    line: int
    qualifier: str
    rule: str

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "line": self.line,
                "qualifier": self.qualifier, "rule": self.rule}


@dataclass
class Extraction:
    values: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    document: dict = field(default_factory=dict)


def extract(text: str) -> Extraction:
    return Extraction(values={"document.kind": "unknown"}, document={"style": "unknown", "title": None})
