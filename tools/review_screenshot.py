"""Screenshot the review page of one report in headless Chromium (for docs/review-screenshot.png).

Usage: .venv/bin/python tools/review_screenshot.py samples/yubei_markdown.txt docs/review-screenshot.png [PATH]
Clicks the row of field PATH (default: the first core field with a span), then hovers its span so the
picture shows the jump, the selected span and its tooltip. Needs what `make browser-test` installs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from enforcement_parser.catalogue import fields
from enforcement_parser.review import build_page
from enforcement_parser.review_command import load_report

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pick_field(record: dict) -> str | None:
    """The first core field that has a span, else the first field with one."""
    spans = record.get("evidence", {})
    core = [f.path for f in fields() if f.core and f.path in spans]
    return (core or list(spans) or [None])[0]


def main(report: str, out: str, path: str | None = None) -> None:
    from playwright.sync_api import sync_playwright

    record, text = load_report(report, 20 * 1024 * 1024)
    path = path or pick_field(record)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "review.html"
        page_file.write_text(build_page(record, text), encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(page_file.as_uri())
            if path:
                page.click(f'tr[data-path="{path}"]')
                time.sleep(1.8)  # let the flash fade so the steady selection shows
                page.hover(f'mark[data-paths~="{path}"]')
            page.screenshot(path=out)
            browser.close()
    print(f"{out}: {report}, field {path}")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
