"""One OCR reading's page progress and its cache of recognised pages (docs/inputs.md, OCR).

Kept apart from ocr.py, which loads the OCR engine, so that batch, the CLI and the tests use it without
the ocr extra. ocr.py calls begin() once it knows the pages and the settings that shape what the engine
reads; then, page by page, it takes cached() boxes or recognises the page and hands the boxes to
recognised(). Batch gives every run the cache folder OUT_DIR/.ocr-cache; `enforce parse` gives none.
An entry keeps every field of each box (pagelayout.Recognised) and is used only when those fields are
the same: whatever else a page's reading yields that shapes the text must be kept here too, or a
cached reading would differ from a fresh one (tests/test_ocr_batch.py compares the two byte for byte).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from typing import NamedTuple

from ..errors import OutputError
from ..outputs.writing import open_output
from .pagelayout import Recognised

CACHE_DIR = ".ocr-cache"                 # under batch's OUT_DIR: hidden, so no walk takes it for reports
CACHE_FORMAT = "enforce-ocr-cache/2"     # the layout of an entry; another one is ignored
TURNS = (0, 90, 180, 270)                # how a page may have been turned upright (ocr.upright)


class OcrPage(NamedTuple):
    """Where one OCR reading stands: `done` pages of `pages` (None while the file is opened and rendered),
    the last of them taken from the cache or not."""

    done: int
    pages: int | None
    cached: bool = False


class OcrRun:
    """The hooks of one reading: `on_page` hears every OcrPage; with `cache_dir`, the boxes of each page
    are kept in cache_dir/<sha256>.json (written atomically after every page, so a reading killed at
    page 7 keeps pages 1-6) and a later reading of the same bytes with the same settings takes them."""

    def __init__(self, *, cache_dir: str | None = None, sha256: str | None = None,
                 on_page: Callable[[OcrPage], None] | None = None) -> None:
        self.cache_path = os.path.join(cache_dir, sha256 + ".json") if cache_dir and sha256 else None
        self.on_page = on_page
        self.pages = 0
        self.recognised_pages = 0
        self.cached_pages = 0
        self._settings: dict = {}
        self._kept: list[list[Recognised]] = []   # the boxes of pages 1..k, in order
        self._turns: list[int] = []               # how each of them was turned upright, in degrees

    def starting(self) -> None:
        """OCR is about to load its engine and render pages: say so before the slow part."""
        self._tell(OcrPage(0, None))

    def begin(self, pages: int, settings: dict) -> None:
        """The reading has `pages` pages; `settings` (str and int values) name everything that changes
        what the engine reads: an entry made with other settings is not used."""
        self.pages, self._settings = pages, settings
        self._kept, self._turns = _load(self.cache_path, pages, settings) if self.cache_path else ([], [])
        self._tell(OcrPage(0, pages))

    def cached(self, number: int) -> list[Recognised] | None:
        """The boxes of page `number` (from 1) when the cache holds them, else None."""
        if number > len(self._kept):
            return None
        self.cached_pages += 1
        self._tell(OcrPage(number, self.pages, True))
        return self._kept[number - 1]

    def turn(self, number: int) -> int:
        """How page `number` was turned upright (degrees counter-clockwise), once read or cached."""
        return self._turns[number - 1]

    def recognised(self, number: int, boxes: list[Recognised], turn: int = 0) -> None:
        """Page `number` was just recognised (turned upright by `turn`): keep its boxes (pages come in order)."""
        self._kept[number - 1:] = [boxes]
        self._turns[number - 1:] = [turn]
        self.recognised_pages += 1
        if self.cache_path:
            store_entry(self.cache_path, self.pages, self._settings, self._kept, self._turns)
        self._tell(OcrPage(number, self.pages))

    def _tell(self, page: OcrPage) -> None:
        if self.on_page is not None:
            self.on_page(page)


def load_entry(path: str, pages: int, settings: dict) -> list[list[Recognised]]:
    """The pages a cache entry holds, or [] when it is missing, unreadable, of another layout (the
    entry's or a box's fields), of another page count or made with other settings (another engine
    version, resolution, reader code)."""
    return _load(path, pages, settings)[0]


def _load(path: str, pages: int, settings: dict) -> tuple[list[list[Recognised]], list[int]]:
    """load_entry's pages, with the turn of each (both empty when the entry is not used)."""
    try:
        with open(path, encoding="utf-8") as fh:
            entry = json.load(fh)
        if (entry["format"], entry["fields"], entry["pages"], entry["settings"]) != \
                (CACHE_FORMAT, list(Recognised._fields), pages, settings):
            return [], []
        kept = [[_box(raw) for raw in page] for page in entry["recognised"][:pages]]
        turns = entry["turns"][:pages]
        if len(turns) != len(kept) or any(t not in TURNS or isinstance(t, bool) for t in turns):
            return [], []
        return kept, turns
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):   # damaged: recognise again
        return [], []


def _box(raw: list) -> Recognised:
    """A box as stored: its text, its [left, top, right, bottom], then its numbers (score …)."""
    values = dict(zip(Recognised._fields, raw, strict=True))
    text, (left, top, right, bottom) = values.pop("text"), values.pop("box")
    if not isinstance(text, str):
        raise TypeError("text")
    return Recognised(text=text, box=(int(left), int(top), int(right), int(bottom)),
                      **{name: float(value) for name, value in values.items()})


def store_entry(path: str, pages: int, settings: dict, kept: list[list[Recognised]],
                turns: list[int] | None = None) -> None:
    """Write the entry atomically. The cache only saves time: a folder that cannot be written means
    the pages are recognised again next time, not a failed report."""
    entry = {"format": CACHE_FORMAT, "fields": list(Recognised._fields), "pages": pages, "settings": settings,
             "recognised": [[[b.text, list(b.box), *b[2:]] for b in page] for page in kept],
             "turns": list(turns) if turns is not None else [0] * len(kept)}
    with contextlib.suppress(OSError, OutputError):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open_output(path) as fh:
            json.dump(entry, fh, ensure_ascii=False, separators=(",", ":"))
