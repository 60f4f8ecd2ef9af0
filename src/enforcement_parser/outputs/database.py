"""`enforce batch --db`: the records of a batch as one SQLite database (stdlib sqlite3, WAL).

Three tables: `reports` (one row per report, one column per catalogue path), `values` (long form, one row
per value with its evidence) and `warnings`. The database is synchronised from the per-file JSON at the
end of every run: a report whose record changed is replaced, in transactions of DB_BATCH reports, and
reports that are no longer converted inputs are deleted. A killed run leaves whole transactions only
(WAL), and the next run brings the rest up to date, so the content never depends on where a run stopped.
Every statement takes its data as parameters; the only names spliced into SQL are catalogue paths,
which come from the package's own catalogue, quoted.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from ..knowledge.catalogue import fields
from ..errors import OutputError
from .record import review_counts, value_at

DB_BATCH = 200  # reports per transaction
LEAD = ("report", "sha256", "agency", "year", "kind", "verified", "corrected", "record_sha256")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _schema() -> list[str]:
    columns = ", ".join(f"{_quote(f.path)}" for f in fields())
    return [
        "CREATE TABLE IF NOT EXISTS reports (report TEXT PRIMARY KEY, sha256 TEXT NOT NULL, agency TEXT, "
        f"year INTEGER, kind TEXT, verified INTEGER NOT NULL, corrected INTEGER NOT NULL, "
        f"record_sha256 TEXT NOT NULL, {columns})",
        'CREATE TABLE IF NOT EXISTS "values" (report TEXT NOT NULL, path TEXT NOT NULL, value, qualifier TEXT, '
        'rule TEXT, evidence TEXT, start INTEGER, "end" INTEGER, line INTEGER, verified INTEGER NOT NULL, '
        "PRIMARY KEY (report, path))",
        "CREATE TABLE IF NOT EXISTS warnings (report TEXT NOT NULL, code TEXT NOT NULL, severity TEXT, "
        "field TEXT, message TEXT, line INTEGER)",
        "CREATE INDEX IF NOT EXISTS reports_agency_year ON reports (agency, year)",
        'CREATE INDEX IF NOT EXISTS values_path ON "values" (path)',
        "CREATE INDEX IF NOT EXISTS warnings_report ON warnings (report)",
    ]


def sql_value(value):
    """A value as SQLite stores it: numbers as numbers (so SUM works), names joined with 、, the rest text."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class ReportDB:
    """Brings the database at `path` in line with the records it is given (see the module docstring)."""

    def __init__(self, path: str, *, batch: int = DB_BATCH) -> None:
        try:
            self.con = sqlite3.connect(path, isolation_level=None)
            self.con.execute("PRAGMA journal_mode=WAL")
            for statement in _schema():
                self.con.execute(statement)
            self._add_new_columns()
            self.known = dict(self.con.execute("SELECT report, record_sha256 FROM reports"))
        except sqlite3.Error as exc:
            raise OutputError(f"--db {path}: {exc}") from None
        self.batch = batch
        self.pending: list[tuple[str, dict, str]] = []
        self.kept: set[str] = set()

    def _add_new_columns(self) -> None:
        """A catalogue that grew since the database was made gets its new columns."""
        have = {row[1] for row in self.con.execute("PRAGMA table_info(reports)")}
        for f in fields():
            if f.path not in have:
                self.con.execute(f"ALTER TABLE reports ADD COLUMN {_quote(f.path)}")

    def put(self, report: str, record: dict) -> None:
        """Note one current report; write it (in the next transaction) when its record changed."""
        self.kept.add(report)
        digest = hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        if self.known.get(report) != digest:
            self.pending.append((report, record, digest))
            if len(self.pending) >= self.batch:
                self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        try:
            self.con.execute("BEGIN IMMEDIATE")
            try:
                for report, record, digest in self.pending:
                    self._write(report, record, digest)
                self.con.execute("COMMIT")
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise OutputError(f"cannot write the database: {exc}") from None
        self.pending.clear()

    def _write(self, report: str, record: dict, digest: str) -> None:
        self._forget(report)
        catalogue = fields()
        verified, corrected = review_counts(record)
        lead = (report, record.get("source", {}).get("sha256"), value_at(record, "agency.name"),
                value_at(record, "report_year"), value_at(record, "document.kind"), verified, corrected, digest)
        columns = ", ".join([*LEAD, *(_quote(f.path) for f in catalogue)])
        marks = ", ".join("?" * (len(LEAD) + len(catalogue)))
        self.con.execute(f"INSERT INTO reports ({columns}) VALUES ({marks})",
                         (*lead, *(sql_value(value_at(record, f.path)) for f in catalogue)))
        evidence = record.get("evidence", {})
        self.con.executemany(
            'INSERT INTO "values" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(report, f.path, sql_value(value_at(record, f.path)), ev.get("qualifier"), ev.get("rule"),
              ev.get("text"), ev.get("start"), ev.get("end"), ev.get("line"), int(bool(ev.get("verified"))))
             for f in catalogue if value_at(record, f.path) is not None
             for ev in [evidence.get(f.path, {})]])
        self.con.executemany(
            "INSERT INTO warnings VALUES (?, ?, ?, ?, ?, ?)",
            [(report, w.get("code"), w.get("severity"), w.get("field"), w.get("message"), w.get("line"))
             for w in record.get("warnings", [])])

    def _forget(self, report: str) -> None:
        for table in ("reports", '"values"', "warnings"):
            self.con.execute(f"DELETE FROM {table} WHERE report = ?", (report,))

    def finish(self) -> None:
        """Write what is pending, delete reports that are no longer current, close."""
        self.flush()
        gone = [r for r in self.known if r not in self.kept]
        if gone:
            self.con.execute("BEGIN IMMEDIATE")
            for report in gone:
                self._forget(report)
            self.con.execute("COMMIT")
        self.con.close()
