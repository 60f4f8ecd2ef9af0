"""Warning codes: stable identifiers for every gap and doubt in a record."""

from __future__ import annotations

from typing import NamedTuple

# code -> (default severity, meaning). The README documents this table; codes never change meaning.
CODES: dict[str, tuple[str, str]] = {
    "missing-field": ("info", "a catalogue field has no value (error for core fields of a report)"),
    "blank-in-template": ("warning", "a template item is present but its value is left blank"),
    "not-applicable": ("info", "the report declares the item not applicable (不涉及/无数据)"),
    "not-a-report": ("warning", "the document is not an annual enforcement report; no figures are taken"),
    "not-annual": ("warning", "the figures cover a quarter, half-year, multi-year range or campaign"),
    "ambiguous-value": ("warning", "two different candidates for one field; none was chosen"),
    "inconsistent": ("warning", "figures contradict each other (parts exceed the total)"),
    "year-mismatch": ("warning", "a figure's sentence names a year other than the report year"),
    "low-confidence": ("warning", "OCR recognised the value's text with low confidence; it is not taken"),
    "no-text-recognised": ("warning", "OCR recognised no text with confidence on the named pages "
                                      "(blank, or a picture): nothing is read from them"),
    "review-conflict": ("warning", "a review decision was made on another machine reading of the field"),
}


class Warning(NamedTuple):
    code: str
    severity: str
    field: str | None
    message: str
    line: int | None = None

    def as_dict(self) -> dict:
        out = {"code": self.code, "severity": self.severity, "field": self.field, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
        return out


def make(code: str, field: str | None, message: str, *, severity: str | None = None,
         line: int | None = None) -> Warning:
    """Build a warning, refusing codes that are not in the table."""
    if code not in CODES:
        raise KeyError(f"unknown warning code {code!r}")
    return Warning(code, severity or CODES[code][0], field, message, line)
