"""HTML pages saved from government sites: the article text, one block per line, tables as pipe rows.

The walk over the DOM is iterative (an explicit stack), so megabytes of nested tags cannot
exhaust Python's recursion limit. Lexbor itself slows down quadratically on very deep nesting
and on tags with thousands of attributes, so such pages are measured and refused before parsing.
"""

from __future__ import annotations

import functools
import re

from selectolax.lexbor import LexborHTMLParser

from ..errors import InputError
from ..knowledge.tables import load_toml

_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr legend li main menu nav ol p "
    "pre section summary table tbody tfoot thead tr td th ul".split())
_DROP_TAGS = frozenset(
    "head title script style noscript template iframe frame frameset object embed applet svg math "
    "canvas video audio map button select option textarea input nav aside".split())
_PAGE_CHROME_TAGS = frozenset(("header", "footer"))  # dropped unless inside <article>/<main>
_ARTICLE_TAGS = frozenset(("article", "main"))
_JUNK_NAME_PARTS = frozenset(
    "breadcrumb breadcrumbs crumb crumbs bread share bdshare bdsharebuttonbox social sidebar nav "
    "navbar navigation menu topbar toolbar copyright footer header dqwz position fontsize print".split())
_NAME_SPLIT = re.compile(r"[\s_\-]+")
_CHROME_LINE_MAX = 120
_WS = re.compile(r"[ \t\n\r\f\v\xa0]+")
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v]*\n\s*(?=[{_CJK}])")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_IMPLIED_END = frozenset("p li dt dd option optgroup tr td th tbody thead tfoot colgroup caption rb rt rp".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{256,}")

NESTING_BUDGET = 250_000_000  # sum of open-element depth over start tags (~1 s of lexbor work)
ATTRIBUTE_BUDGET = 50_000_000  # sum over tags of attribute count squared
_KEPT_JUNK_CHECKS = 50


def html_text(html: str) -> str:
    """Extract the readable article text of an HTML page."""
    check_parse_cost(html)

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        raise InputError("HTML page has no body")
    lines = _Walker(root).lines()
    text = "\n".join(line for line in lines if not _is_chrome_line(line))
    if not text.strip():
        raise InputError("HTML page has no article text")
    return text


def check_parse_cost(html: str) -> None:
    """Refuse markup that would make the HTML parser run for minutes (deep nesting, attribute floods)."""
    if html.count("<") > 20_000 and _nesting_cost(html) > NESTING_BUDGET:
        raise InputError("HTML is nested too deeply to read safely")
    cost = 0
    for match in _LONG_TAG.finditer(html):
        cost += len(match.group().split()) ** 2
        if cost > ATTRIBUTE_BUDGET:
            raise InputError("HTML has tags with too many attributes to read safely")


def _nesting_cost(html: str) -> int:
    """Approximate parser work: open-element depth summed over start tags, stopping once over budget."""
    depth = cost = 0
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if name in _VOID or name in _IMPLIED_END:
            continue
        if match.group(1):
            depth = max(0, depth - 1)
            continue
        cost += depth
        depth += 1
        if cost > NESTING_BUDGET:
            break
    return cost


def _is_chrome_line(line: str) -> bool:
    return len(line) <= _CHROME_LINE_MAX and bool(_chrome_line().match(line))


@functools.cache
def _chrome_line() -> re.Pattern:
    """A line of site chrome: it opens with a location or share word, a bracketed button or a
    metadata label and its colon (the words: document.toml [html])."""
    t = load_toml("document.toml")["html"]
    openers, buttons, labels = ("|".join(map(re.escape, t[key]))
                                for key in ("chrome_openers", "chrome_buttons", "chrome_labels"))
    return re.compile(rf"^(?:(?:{openers})|[【\[]\s*(?:{buttons})|(?:{labels})\s*[:：])")


def clean_inline(raw: str) -> str:
    """Collapse HTML whitespace; a line break between two CJK characters is no space at all."""
    return _WS.sub(" ", _CJK_BREAK.sub("", raw))


class _Walker:
    """Depth-first walk with an explicit stack, emitting one line per block and per table row."""

    def __init__(self, root):
        self.root = root
        self.out: list[str] = []
        self.buf: list[str] = []
        self.total = None
        self.kept_checks = 0

    def lines(self) -> list[str]:
        self._walk(self.root, in_article=False, in_table=False)
        self._flush()
        return self.out

    def _flush(self) -> None:
        line = _WS.sub(" ", "".join(self.buf)).strip(" \u3000")
        self.buf.clear()
        if line:
            self.out.append(line)

    def _walk(self, start, *, in_article: bool, in_table: bool) -> None:
        stack = [(start, False, in_article)]
        while stack:
            node, leaving, article = stack.pop()
            tag = node.tag or ""
            if leaving:
                if tag in _BLOCK:
                    self._flush()
                continue
            if tag == "-text":
                self.buf.append(clean_inline(node.text_content or ""))
                continue
            if tag.startswith(("-", "_", "!")) or self._is_junk(node, tag, article):
                continue
            if tag == "br":
                self._flush()
                continue
            if tag == "table" and not in_table and not _has_nested_table(node):
                self._flush()
                self._table(node, article)
                continue
            if tag in _BLOCK:
                self._flush()
            stack.append((node, True, article))
            inner = article or tag in _ARTICLE_TAGS
            children = list(node.iter(include_text=True))
            stack.extend((child, False, inner) for child in reversed(children))

    def _table(self, table, article: bool) -> None:
        """A data table: one line per row, cells joined by ' | ' so the table reader sees columns."""
        for caption in table.css("caption"):
            self.out.extend(self._cell_lines(caption, article))
        for row in table.css("tr"):
            cells = [" ".join(self._cell_lines(cell, article))
                     for cell in row.iter() if cell.tag in ("td", "th")]
            if any(cells):
                self.out.append(" | ".join(cells))

    def _cell_lines(self, cell, article: bool) -> list[str]:
        sub = _Walker(cell)
        sub.total, sub.kept_checks = self.total, _KEPT_JUNK_CHECKS
        sub._walk(cell, in_article=article, in_table=True)
        sub._flush()
        return sub.out

    def _is_junk(self, node, tag: str, article: bool) -> bool:
        """Page chrome: scripts, navigation, headers/footers, breadcrumbs, share bars, hidden blocks."""
        if tag in _DROP_TAGS:
            return True
        if tag in _PAGE_CHROME_TAGS and not article:
            return True
        attrs = node.attributes
        style = (attrs.get("style") or "").replace(" ", "").lower()
        if "display:none" in style or "hidden" in attrs:
            return True
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
        if not names.strip() or not _JUNK_NAME_PARTS.intersection(_NAME_SPLIT.split(names)):
            return False
        return self._small_enough_to_drop(node)

    def _small_enough_to_drop(self, node) -> bool:
        """A container named like chrome that holds most of the page's text is the page: keep it."""
        if self.kept_checks >= _KEPT_JUNK_CHECKS:
            return False
        if self.total is None:
            self.total = len(self.root.text() or "")
        if len(node.text() or "") * 2 < self.total:
            return True
        self.kept_checks += 1
        return False


def _has_nested_table(table) -> bool:
    """Tables holding tables are page layout, read as blocks; only leaf tables become pipe rows."""
    return len(table.css("table")) > 1
