"""`enforce batch`: the command line over batch_run.run_batch, with progress and a closing summary on stderr."""

from __future__ import annotations

import signal
import sys
import time

import typer

from ..errors import EnforceError
from ..files.decoding import DEFAULT_MAX_BYTES
from .batch_run import DEFAULT_OCR_TIMEOUT, DEFAULT_TIMEOUT, Progress, run_batch

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class _Terminated(Exception):
    """SIGTERM, turned into an exception so the batch unwinds through its cleanup like Ctrl-C."""


def register(app) -> None:
    @app.command()
    def batch(
        in_dir: str = typer.Argument(..., help="Folder of reports, walked recursively."),
        out_dir: str = typer.Option(..., "-o", "--output", help="Folder for the JSON files (mirrors IN_DIR)."),
        include: list[str] = typer.Option([], "--include", help="Only files matching this glob (repeatable)."),
        exclude: list[str] = typer.Option([], "--exclude", help="Skip files and folders matching this glob "
                                                                "(repeatable)."),
        include_docs: bool = typer.Option(False, "--include-docs",
                                          help="Also convert README, LICENSE, CHANGELOG … (skipped by default)."),
        jobs: int = typer.Option(None, "-j", "--jobs", help="Worker processes (default: number of cores)."),
        header: str = typer.Option("path", "--header", help="summary.csv column names: path or zh."),
        max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse larger inputs."),
        timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds allowed per file (0: no limit)."),
        ocr_timeout: float = typer.Option(DEFAULT_OCR_TIMEOUT, "--ocr-timeout", help="Seconds allowed per file read by OCR "
                                                                       "(a scan), instead of --timeout (0: no limit)."),
        force: bool = typer.Option(False, "--force", help="Redo every file, even unchanged ones."),
        quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress and no summary table."),
        reviews: str = typer.Option(None, "--reviews", help="Folder of NAME.review.json files (from the review "
                                                            "page), applied to the inputs whose sha256 they name."),
        db: str = typer.Option(None, "--db", help="Also keep the records in this SQLite database "
                                                  "(e.g. OUT_DIR/reports.sqlite), updated in place."),
    ) -> None:
        """Convert a folder tree of reports: one JSON per file plus reports.jsonl, summary.csv and
        errors.jsonl. Interrupted runs resume where they stopped.

        Example: enforce batch reports/ -o out/ -j 4 --header zh
        Example: enforce batch reports/ -o out/ --reviews reviews/ --db out/reports.sqlite
        Example: enforce batch scans/ -o out/ --ocr-timeout 1200   (scans; pages cached in out/.ocr-cache)
        """

        reporter = _reporter(quiet)
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
        try:
            summary = run_batch(in_dir, out_dir, include=tuple(include), exclude=tuple(exclude),
                                include_docs=include_docs, jobs=jobs,
                                max_bytes=max_bytes, timeout=timeout, force=force, header=header,
                                progress=reporter, reviews=reviews, db=db, ocr_timeout=ocr_timeout)
        except EnforceError as exc:   # bad arguments (2), an output that cannot be written (4), a review (5)
            _stop(reporter, f"error: {exc}", exc.exit_code)
        except KeyboardInterrupt:
            _stop(reporter, f"error: interrupted after {reporter.done} of {reporter.total} files; "
                            "run the same command again to resume", EXIT_INTERRUPTED)
        except _Terminated:
            _stop(reporter, f"error: terminated after {reporter.done} of {reporter.total} files; "
                            "run the same command again to resume", EXIT_TERMINATED)
        finally:
            signal.signal(signal.SIGTERM, previous)
        reporter.close()
        for path in summary.unmatched_reviews:
            sys.stderr.write(f"warning: {path} is a review of bytes that are not among the inputs; not applied\n")
        if not quiet:
            print_summary(summary)
        raise typer.Exit(summary.exit_code)


def _raise_terminated(signum, frame) -> None:
    raise _Terminated()


def _stop(reporter, message: str, code: int) -> None:
    reporter.close()
    sys.stderr.write(message + "\n")
    raise SystemExit(code)


def _reporter(quiet: bool):
    class Counting(Progress):
        """Counts finished files; the base of the visible reporters."""

        def __init__(self) -> None:
            self.total = self.to_do = self.done = self.failed = self.pages = 0
            self.started = time.monotonic()

        def start(self, total: int, to_do: int) -> None:
            self.total, self.to_do = total, to_do
            self.failed = total - to_do  # folders that could not be listed

        def advance(self, outcome) -> None:
            self.done += 1
            self.failed += outcome.status == "failed"

        def ocr_page(self, rel: str, page) -> None:
            self.pages += page.done > 0 and not page.cached

        def close(self) -> None:
            pass

    class Plain(Counting):
        """A line every 10 % or 30 s: readable in a log file, not a flood."""

        def start(self, total: int, to_do: int) -> None:
            super().start(total, to_do)
            self.last_line, self.last_tenth = time.monotonic(), 0
            sys.stderr.write(f"batch: {to_do} files to convert\n")

        def advance(self, outcome) -> None:
            super().advance(outcome)
            tenth = 10 * self.done // max(1, self.to_do)
            if tenth > self.last_tenth or time.monotonic() - self.last_line >= 30:
                self.line(tenth)

        def ocr_page(self, rel: str, page) -> None:
            """A scan takes minutes: its pages keep the 30 s line coming between two files."""
            super().ocr_page(rel, page)
            if time.monotonic() - self.last_line >= 30:
                self.line(self.last_tenth)

        def line(self, tenth: int) -> None:
            self.last_tenth, self.last_line = tenth, time.monotonic()
            rate = self.done / max(1e-9, time.monotonic() - self.started)
            pages = ocr_pages(self.pages)
            sys.stderr.write(f"batch: {self.done}/{self.to_do} files, {self.failed} failed, "
                             f"{rate:.1f} files/s{', ' + pages if pages else ''}\n")

        def finishing(self) -> None:
            sys.stderr.write("batch: writing reports.jsonl, summary.csv, errors.jsonl\n")

    class Bar(Counting):
        """A rich progress bar: done/total, files/s, ETA and failures."""

        def start(self, total: int, to_do: int) -> None:
            # Deferred for start-up (as print_summary's): rich's progress and table modules (~0.1 s) load
            # only for a batch that runs, not for every command the app lists.
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress as RichProgress,
                TextColumn,
                TimeRemainingColumn,
            )

            super().start(total, to_do)
            self.bar = RichProgress(
                TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]:.1f} files/s"), TimeRemainingColumn(),
                TextColumn("[red]{task.fields[failed]} failed"), TextColumn("{task.fields[pages]}"),
                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("batch", total=to_do, rate=0.0, failed=self.failed, pages="")

        def advance(self, outcome) -> None:
            super().advance(outcome)
            rate = self.done / max(1e-9, time.monotonic() - self.started)
            self.bar.update(self.task, advance=1, rate=rate, failed=self.failed)

        def ocr_page(self, rel: str, page) -> None:
            super().ocr_page(rel, page)
            self.bar.update(self.task, pages=ocr_pages(self.pages))

        def finishing(self) -> None:
            self.bar.update(self.task, description="writing summaries")

        def close(self) -> None:
            if hasattr(self, "bar"):
                self.bar.stop()

    if quiet:
        return Counting()
    return Bar() if sys.stderr.isatty() else Plain()


def ocr_pages(count: int) -> str:
    """The OCR pages recognised so far, for a progress line; nothing while no scan was read."""
    return f"{count} OCR page{'s' if count != 1 else ''}" if count else ""


def print_summary(summary) -> None:
    """The closing table on stderr (stdout stays free for data)."""
    from rich.console import Console  # deferred for start-up: see _reporter
    from rich.table import Table

    table = Table(title="enforce batch", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    completeness = summary.core_completeness
    rows = [
        ("files", f"{summary.files}"),
        ("converted", f"{summary.converted}" + (f" ({summary.reused} unchanged, reused)" if summary.reused else "")),
        ("with warnings", f"{summary.with_warnings}"),
        ("failed", f"{summary.failed}"),
        ("core completeness", "-" if completeness is None else f"{completeness:.1f} %"),
        ("elapsed", f"{summary.elapsed:.1f} s"),
        ("reports/s", f"{summary.reports_per_second:.1f}"),
    ]
    if summary.ocr_recognised or summary.ocr_cached:
        rows.append(("OCR pages", f"{summary.ocr_recognised} recognised, {summary.ocr_cached} from the cache"))
    for name, value in rows:
        table.add_row(name, value)
    console = Console(stderr=True)
    console.print(table)
    if summary.failed:
        console.print(f"failures are listed in {summary.out_dir}/errors.jsonl", highlight=False)
