"""`enforce parse` reading a scan on a terminal: a transient `OCR page 3/12` line on stderr.

OCR costs seconds a page; without a sign of life a 12-page scan looks hung. Nothing is shown when stderr
is not a terminal (a log, a pipe, a test), and nothing at all for a report that is not a scan.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from ..files.ocr_run import OcrPage, OcrRun


def page_text(page: OcrPage) -> str:
    """The line for a reading: the page being recognised now, counted from 1."""
    if page.pages is None:
        return "OCR: loading the engine, rendering the pages"
    if page.done >= page.pages:
        return f"OCR page {page.pages}/{page.pages} done"
    return f"OCR page {page.done + 1}/{page.pages}"


@contextlib.contextmanager
def terminal_pages(stream: TextIO) -> Iterator[OcrRun | None]:
    """An OcrRun that shows its pages on `stream` when that is a terminal, else None; the line is
    removed when the block ends, however it ends."""
    if not stream.isatty():
        yield None
        return
    line = _PageLine(stream)
    try:
        yield OcrRun(on_page=line.show)
    finally:
        line.close()


class _PageLine:
    """A rich progress line, started at the first page heard (a text report never starts one)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.progress = None
        self.task = None

    def show(self, page: OcrPage) -> None:
        if self.progress is None:
            # Here, not at the top: rich costs start-up time that `enforce parse report.txt` never needs.
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                     console=Console(file=self.stream), transient=True)
            self.progress.start()
            self.task = self.progress.add_task(page_text(page), total=page.pages)
        self.progress.update(self.task, description=page_text(page), completed=page.done, total=page.pages)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
