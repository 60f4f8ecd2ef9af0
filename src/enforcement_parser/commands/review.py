"""`enforce review`: write the HTML review page of one report, or of every report in a directory."""

from __future__ import annotations

import os
import sys
from typing import NamedTuple
from urllib.parse import quote

import typer

from ..api import parse_document, read_input
from ..engine.decisions import recording
from ..engine.explaining import explain_record
from ..errors import EnforceError, InputError, OutputError, UsageError
from ..files import DOCUMENT_EXTENSIONS, OCR_MAX_PAGES, is_project_doc
from ..files.decoding import DEFAULT_MAX_BYTES
from ..outputs.review_file import apply_review, load_review, review_index
from ..outputs.review_page import PAGE_IMAGES_MAX_BYTES, PageImage, build_index, build_page, index_row
from ..outputs.writing import write_output
from .common import emit, fail

# Files of a directory that are taken as reports; anything else there (golden JSON, notes) is skipped.
REPORT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", *DOCUMENT_EXTENSIONS)
OCR_FORMATS = ("pdf-ocr", "image-ocr")


class Report(NamedTuple):
    """What a review page shows of one report."""

    record: dict
    text: str            # the exact text the evidence offsets point into (decoded once, parsed from it)
    explanation: dict    # what each field's candidates were and which rule dropped them
    pages: list[PageImage]   # a scan's page images, as rendered for OCR; none for any other input


def load_report(path: str, max_bytes: int) -> Report:
    """Read, parse and explain one report; a scan's pages are rendered again to be shown (not recognised again)."""
    data = read_input(path, max_bytes=max_bytes)
    try:
        with recording() as rec:
            doc, record = parse_document(data, path=path)
    except InputError as exc:
        raise exc if str(exc).startswith(path) else InputError(f"{path}: {exc}") from None
    turns = doc.layout.turns if doc.layout is not None else ()
    return Report(record, doc.text, explain_record(record, rec), scan_pages(data, doc.format, turns))


def scan_pages(data: bytes, fmt: str, turns: tuple[int, ...] = ()) -> list[PageImage]:
    """The page images of a scan (pdf-ocr, image-ocr), turned upright as OCR read them (the boxes'
    pixels), within the review page's size cap; [] otherwise."""
    if fmt not in OCR_FORMATS:
        return []
    from ..files.ocr import display_pages  # here: the ocr extra, present since the scan was just read by it

    shown = display_pages(data, fmt, OCR_MAX_PAGES, PAGE_IMAGES_MAX_BYTES, turns)
    return [PageImage(number, width, height, "image/jpeg", jpeg)
            for number, (width, height, jpeg) in enumerate(shown, 1)]


def report_files(directory: str) -> list[str]:
    """Report files directly inside a directory, by name; hidden files and the folder's own documents
    (README.md, LICENSE.txt …, as batch) are skipped."""
    names = sorted(n for n in os.listdir(directory)
                   if not n.startswith(".") and n.lower().endswith(REPORT_SUFFIXES) and not is_project_doc(n)
                   and os.path.isfile(os.path.join(directory, n)))
    return [os.path.join(directory, n) for n in names]


def reviewed_page(path: str, max_bytes: int, reviews: dict[str, str], index_href: str | None = None):
    """(page, record for the index): the page shows the machine reading with the decisions of the
    report's review (if any) filled in; the index counts the merged record."""
    record, text, explanation, pages = load_report(path, max_bytes)
    review_path = reviews.get(record["source"]["sha256"])
    if not review_path:
        return build_page(record, text, index_href=index_href, explanation=explanation, pages=pages), record
    review = load_review(review_path)
    merged = apply_review(record, text, review, name=review_path)
    return (build_page(record, text, index_href=index_href, explanation=explanation, review=review, pages=pages),
            merged)


def review_file(path: str, output: str | None, max_bytes: int, reviews: dict[str, str]) -> None:
    """One page: to OUTPUT (a file, or a directory to put NAME.html in) or to standard output."""
    html, _ = reviewed_page(path, max_bytes, reviews)
    if output is not None and os.path.isdir(output):
        output = os.path.join(output, os.path.basename(path) + ".html")
    emit(html, output)


def review_directory(directory: str, output: str | None, max_bytes: int, reviews: dict[str, str]) -> int:
    """A page per report plus index.html; a report that cannot be read or whose page cannot be written
    costs one stderr line, not the run."""

    if not output:
        raise UsageError("reviewing a directory needs -o OUT_DIR")
    if os.path.exists(output) and not os.path.isdir(output):
        raise OutputError(f"cannot write {output}: exists and is not a directory")
    if os.path.exists(output) and os.path.samefile(output, directory):
        raise UsageError("-o must not be the input directory (the pages would be read as reports)")
    files = report_files(directory)
    if not files:
        raise InputError(f"{directory}: no report files ({' '.join(REPORT_SUFFIXES)})")
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    rows, failures = [], []
    for path in files:
        page = os.path.basename(path) + ".html"
        try:
            html, record = reviewed_page(path, max_bytes, reviews, index_href="index.html")
            write_output(os.path.join(output, page), html)
        except EnforceError as exc:
            sys.stderr.write(f"error: {exc}\n")
            failures.append(str(exc))
            continue
        rows.append(index_row(record, quote(page)))
    rows.sort(key=lambda r: r["verified"] > 0)  # unreviewed reports first, by name within each group
    write_output(os.path.join(output, "index.html"), build_index(rows, failures))
    return 1 if failures else 0


def register(app) -> None:
    @app.command()
    def review(
        path: str = typer.Argument(..., help="A report file, or a directory of report files."),
        output: str = typer.Option(None, "-o", "--output",
                                   help="The HTML page to write (default: standard output); "
                                        "for a directory, the output directory (required)."),
        max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse larger inputs."),
        reviews: str = typer.Option(None, "--reviews", help="Folder of NAME.review.json files: their decisions "
                                                            "are shown on the pages and counted in the index."),
    ) -> None:
        """Write an HTML page showing every extracted figure on the report text.

        Example: enforce review report.txt -o review.html
        Example: enforce review reports/ -o review/   (one page per report plus index.html)
        """

        try:
            index = review_index(reviews) if reviews else {}
            if os.path.isdir(path):
                code = review_directory(path, output, max_bytes, index)
            else:
                review_file(path, output, max_bytes, index)
                code = 0
        except EnforceError as exc:
            fail(str(exc), exc.exit_code)
        raise typer.Exit(code)
