"""A finding as a plain record: what every formatter reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Problem:
    """One diagnostic. `file`/`line` is where to look; for a JSON record that is the JSON file (line 1)
    and `source`/`source_line` name the report line the figure came from."""

    file: str
    line: int
    code: str
    name: str
    severity: str
    message: str
    field: str | None = None
    source: str | None = None
    source_line: int | None = None

    def display_message(self) -> str:
        """The message, pointing at the report line when the location is a JSON record."""
        if self.source and self.source != self.file and self.source_line:
            return f"{self.message} (report {self.source}:{self.source_line})"
        return self.message

    def as_dict(self) -> dict:
        return asdict(self)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.code[1:], self.source_line or 0, self.message, self.field or "")
