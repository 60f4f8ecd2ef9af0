"""The pydantic v2 model of a record, built from the catalogue so there is one source of truth.

Parsing does not need it (records are plain dicts); `enforce schema`, `validate` and the tests do.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field as PField, NonNegativeInt, create_model

from ..knowledge.catalogue import fields

_TYPES = {
    "text": str,
    "year": Annotated[int, PField(ge=1949, le=2100)],
    "date": date,
    "enum": Literal["report", "notice", "unknown"],
    "count": NonNegativeInt,
    "money_yuan": Annotated[float, PField(ge=0)],
    "percent": Annotated[float, PField(ge=0, le=100)],
    "ratio": Annotated[float, PField(ge=0)],
    "names": list[str],
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    path: str
    sha256: str = PField(pattern=r"^[0-9a-f]{64}$")
    encoding: str
    format: Literal["text", "html", "docx", "pdf", "xlsx", "xls", "ods", "doc", "pdf-ocr", "image-ocr"]
    length: NonNegativeInt


class Evidence(_Strict):
    text: str
    start: NonNegativeInt
    end: NonNegativeInt
    line: Annotated[int, PField(ge=1)]
    qualifier: Literal["exact", "more_than", "about", "less_than", "at_least", "at_most"]
    rule: str
    verified: bool = PField(False, description="a person confirmed, corrected or added this value (a review)")
    page: Optional[Annotated[int, PField(ge=1)]] = PField(
        None, description="page of a scanned report (OCR) the value was read on, from 1")
    box: Optional[Annotated[list[NonNegativeInt], PField(min_length=4, max_length=4)]] = PField(
        None, description="left, top, right, bottom of the recognised text on that page, in pixels "
                          "of the page as rendered for OCR")


class ReviewSummary(_Strict):
    """What a merged review file did to the record (`enforce parse --review`)."""

    reviewer: Optional[str]
    reviewed_at: Optional[str] = PField(description="time of the latest decision (ISO 8601)")
    engine: str = PField(description="enforce version of the page the review was made on")
    confirmed: NonNegativeInt
    corrected: NonNegativeInt
    added: NonNegativeInt
    not_stated: NonNegativeInt
    conflicts: NonNegativeInt = PField(description="decisions made on another machine reading (review-conflict)")
    fields: dict[str, Literal["confirm", "correct", "not-stated", "add"]]


class WarningItem(_Strict):
    code: str
    severity: Literal["error", "warning", "info"]
    field: Optional[str]
    message: str
    line: Optional[int] = None


def _group(name: str, members: dict[str, tuple]) -> type[BaseModel]:
    return create_model(name, __base__=_Strict, **members)


def _tree() -> dict:
    tree: dict = {}
    for f in fields():
        node = tree
        *parents, leaf = f.path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = f
    return tree


def _build(name: str, tree: dict, extra: dict | None = None) -> type[BaseModel]:
    members: dict[str, tuple] = dict(extra or {})
    for key, node in tree.items():
        if isinstance(node, dict):
            sub = _build(name + key.title().replace("_", ""), node,
                         _DOCUMENT_EXTRA if name == "Record" and key == "document" else None)
            members[key] = (sub, ...)
        else:
            members[key] = (Optional[_TYPES[node.kind]], PField(None, description=f"{node.label} ({node.kind})"))
    return _group(name, members)


_DOCUMENT_EXTRA = {
    "style": (str, PField(..., description="detected style/template")),
    "title": (Optional[str], None),
    "period": (Optional[str], PField(None, description="annual, or what else the figures cover")),
}


@functools.cache
def record_model() -> type[BaseModel]:
    """The record model: catalogue groups plus schema_version, source, evidence, warnings."""
    return _build("Record", _tree(), {
        "schema_version": (str, ...),
        "source": (Source, ...),
        "evidence": (dict[str, Evidence], ...),
        "warnings": (list[WarningItem], ...),
        "review": (Optional[ReviewSummary], None),
    })


def json_schema() -> dict:
    schema = record_model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "enforcement-report.schema.json"
    return schema


def validate_record(record: dict) -> BaseModel:
    """Validate a record dict; raises pydantic.ValidationError."""
    return record_model().model_validate(record)
