"""Seconds per scanned page (docs/benchmark.md, OCR): a seed's scanned twin (tests/ocr_twins.py) read
page by page, the OCR engine's start-up timed apart. Needs the ocr extra and a Noto CJK font
(`make ocr-test` installs both). Run: .venv/bin/python benchmarks/ocr_pages.py [TEXT_FILE]"""

from __future__ import annotations

import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ocr_twins import cjk_font, scanned_pdf  # noqa: E402  (tests/ is not a package)

from enforcement_parser.files import OCR_MAX_PAGES, ocr  # noqa: E402


def timed(call):
    wall, cpu = time.perf_counter(), time.process_time()
    out = call()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    source = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/seeds/000_227cbd767f18b893.txt")
    data = scanned_pdf(source.read_text(encoding="utf-8"), cjk_font())
    print(f"{source.name}: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    engine, wall, cpu = timed(ocr.RapidOCR)
    print(f"engine start-up: {wall:.1f} s wall, {cpu:.1f} s CPU")
    pages, wall, cpu = timed(lambda: ocr._pdf_pages(data, OCR_MAX_PAGES))
    print(f"render {len(pages)} pages: {wall:.1f} s wall, {cpu:.1f} s CPU")
    for number, page in enumerate(pages, 1):
        (result, _), wall, cpu = timed(lambda: engine(page))
        print(f"page {number} ({page.width}x{page.height}, {len(result or [])} boxes): "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU")


if __name__ == "__main__":
    main()
