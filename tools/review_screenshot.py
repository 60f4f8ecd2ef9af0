"""Screenshot the review page of one report in headless Chromium (for docs/review-screenshot.png).

Usage: .venv/bin/python tools/review_screenshot.py samples/yubei_markdown.txt docs/review-screenshot.png [PATH]
       .venv/bin/python tools/review_screenshot.py --controls REPORT OUT PATH CORRECT_PATH ADD_PATH SNIPPET
Clicks the row of field PATH (default: the first core field with a span), then hovers its span so the
picture shows the jump, the selected span and its tooltip. With --controls it shows the review actions
instead: PATH confirmed (y), CORRECT_PATH being corrected (e), and ADD_PATH added from the selected
SNIPPET of the report. Needs what `make browser-test` installs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from enforcement_parser.knowledge.catalogue import fields
from enforcement_parser.outputs.review_page import build_page
from enforcement_parser.commands.review import load_report

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pick_field(record: dict) -> str | None:
    """The first core field that has a span, else the first field with one."""
    spans = record.get("evidence", {})
    core = [f.path for f in fields() if f.core and f.path in spans]
    return (core or list(spans) or [None])[0]


def main(report: str, out: str, path: str | None = None, controls: tuple[str, str, str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    record, text, explanation, pages = load_report(report, 20 * 1024 * 1024)
    path = path or pick_field(record)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "review.html"
        page_file.write_text(build_page(record, text, explanation=explanation, pages=pages), encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1240 if controls else 900})
            page.goto(page_file.as_uri())
            if controls:
                show_controls(page, path, *controls)
            elif path:
                page.click(f'tr[data-path="{path}"]')
                time.sleep(1.8)  # let the flash fade so the steady selection shows
                page.hover(f'mark[data-paths~="{path}"]')
            page.screenshot(path=out)
            browser.close()
    print(f"{out}: {report}, field {path}")


def select_text(page, snippet: str) -> None:
    """Select the first occurrence of snippet in the report text as a mouse would: a DOM Range over the
    text nodes, which the highlight marks split (the browser test uses it too)."""
    page.evaluate("""(snippet) => {
        const root = document.getElementById('text');
        const at = root.textContent.indexOf(snippet);  // UTF-16 units, as the DOM counts
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let seen = 0, range = document.createRange(), node;
        while ((node = walker.nextNode())) {
            const len = node.data.length;
            if (seen <= at && at < seen + len) range.setStart(node, at - seen);
            if (seen < at + snippet.length && at + snippet.length <= seen + len) range.setEnd(node, at + snippet.length - seen);
            seen += len;
        }
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""", snippet)


def show_controls(page, confirm: str, correct: str, add: str, snippet: str) -> None:
    """Confirm one field, add one from selected text, and leave one correction open, as a reviewer would."""
    page.fill("#reviewer", "王审核")
    page.focus(f'tr[data-path="{confirm}"]')
    page.keyboard.press("y")
    select_text(page, snippet)
    page.locator("#selection", has_text="selected").wait_for()
    page.focus(f'tr[data-path="{add}"]')
    page.keyboard.press("e")
    page.keyboard.press("Enter")
    page.focus(f'tr[data-path="{correct}"]')
    page.keyboard.press("e")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--controls"] and len(args) == 7:
        main(args[1], args[2], args[3], tuple(args[4:]))
    elif len(args) in (2, 3):
        main(*args)
    else:
        sys.exit(__doc__)
