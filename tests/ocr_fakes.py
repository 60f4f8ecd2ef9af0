"""A task for batch_pool's worker processes that behaves like the reading of a scan (tests/test_ocr_batch.py).

A module of its own, importing little, so that a fresh worker is ready in a moment: the pool's clock runs
from the moment a task is sent.
"""

import time

from enforcement_parser.commands.batch_pool import tell
from enforcement_parser.files.ocr_run import OcrPage


def fake_scan(task: tuple[float, float]) -> float:
    """Say that a scan is being read (limit: its OCR seconds, as convert_one does), then take `seconds`."""
    seconds, ocr_limit = task
    tell(OcrPage(0, None), limit=(ocr_limit, "--ocr-timeout"))
    time.sleep(seconds)
    tell(OcrPage(1, 1), limit=(ocr_limit, "--ocr-timeout"))
    return seconds
