"""The review page: the report text with every evidence span highlighted beside the field table.

Pure functions from (record, text) to one self-contained HTML string. Everything from the report is
escaped with html.escape on the server side; the page's only script reads data-* attributes, so no
report text ever reaches a script or a JSON blob. A Content-Security-Policy with hashes of the page's
own style and script blocks refuses anything else, including any network access.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
from dataclasses import dataclass
from html import escape

from ..knowledge.catalogue import Field, by_path, fields
from ..knowledge.datafiles import read_text
from ..version import SCHEMA_VERSION, __version__
from .record import review_counts, value_at

# First component of a field path -> colour group; the identity of the report shares one colour.
SECTION_OF = {"agency": "meta", "report_year": "meta", "published_on": "meta", "document": "meta"}
SECTION_LABELS = {
    "meta": "机关/年度/文档", "subjects": "执法主体", "personnel": "执法人员", "power_list": "权责清单",
    "permits": "行政许可", "penalties": "行政处罚", "coercion": "行政强制", "inspections": "行政检查",
    "expropriation": "行政征收", "reviews": "复议诉讼", "filings": "备案审查", "recorders": "执法记录仪",
    "disclosure": "公示",
}
QUALIFIERS = {"exact": "", "more_than": "余/多", "about": "约", "less_than": "不足/近",
              "at_least": "以上/至少"}
UNITS = {"money_yuan": "元", "percent": "%"}
# All page images of one review page together, in bytes before base64 (which adds a third): a 50-page
# scan stays a page of about 16 MB. files/ocr.py shrinks each page to its share of this; a page that
# still does not fit is named and not embedded.
PAGE_IMAGES_MAX_BYTES = 12 * 1024 * 1024


@dataclass(frozen=True)
class Span:
    """One distinct (start, end) of the text and the fields whose evidence it is (several may share it)."""

    start: int
    end: int
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Piece:
    """A stretch of one span that nests cleanly; a span crossing another is cut into several pieces."""

    start: int
    end: int
    span: int
    part: int


@dataclass(frozen=True)
class PageImage:
    """One page of a scan to show: an already-encoded image (any display size) and the size of the
    page as rendered for OCR, the pixels its evidence boxes are given in."""

    number: int     # from 1, as evidence `page`
    width: int
    height: int
    mime: str       # image/jpeg or image/png
    data: bytes


def section_of(path: str) -> str:
    head = path.split(".", 1)[0]
    return SECTION_OF.get(head, head)


def format_value(value, kind: str = "text") -> str:
    """A value as a person reads it: integers without .0, lists joined with 、, units for money and %."""
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and kind in ("count", "money_yuan"):
        text = f"{value:,}"
    else:
        text = str(value)
    return text + UNITS.get(kind, "")


def qualifier_label(qualifier: str | None) -> str:
    if not qualifier:
        return ""
    zh = QUALIFIERS.get(qualifier)
    return f"{zh} {qualifier}" if zh else qualifier


def group_spans(text: str, evidence: dict) -> tuple[list[Span], list[str]]:
    """Distinct evidence spans in text order, and a line for each entry whose offsets do not fit the text."""
    order = {f.path: i for i, f in enumerate(fields())}
    groups: dict[tuple[int, int], list[str]] = {}
    problems = []
    for path, ev in evidence.items():
        start, end = ev.get("start"), ev.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            problems.append(f"{path}: offsets {start}..{end} are outside the text")
        elif text[start:end] != ev.get("text"):
            problems.append(f"{path}: text[{start}:{end}] is {text[start:end]!r}, evidence says {ev.get('text')!r}")
        else:
            groups.setdefault((start, end), []).append(path)
    spans = [Span(s, e, tuple(sorted(p, key=lambda x: (order.get(x, len(order)), x))))
             for (s, e), p in groups.items()]
    spans.sort(key=lambda sp: (sp.start, -sp.end))
    return spans, problems


def nest_pieces(spans: list[Span]) -> list[Piece]:
    """Cut spans so that every piece lies inside or outside each other piece (HTML must nest).

    A span that starts inside another and ends after it keeps its first piece inside and continues
    after the other's end; the continuation is queued again, so it is cut again if it still crosses.
    """
    queue = [(sp.start, -sp.end, i, 0) for i, sp in enumerate(spans)]
    heapq.heapify(queue)
    open_ends: list[int] = []
    pieces = []
    while queue:
        start, neg_end, index, part = heapq.heappop(queue)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and open_ends[-1] < end:
            cut = open_ends[-1]
            heapq.heappush(queue, (cut, -end, index, part + 1))
            end = cut
        pieces.append(Piece(start, end, index, part))
        open_ends.append(end)
    pieces.sort(key=lambda p: (p.start, -p.end))
    return pieces


def span_tip(span: Span, record: dict) -> str:
    """Hover text of a span: for each field, path, Chinese label and normalized value with qualifier."""
    lines = []
    for path in span.paths:
        f = by_path().get(path)
        ev = record.get("evidence", {}).get(path, {})
        value = format_value(value_at(record, path), f.kind if f else "text")
        qual = ev.get("qualifier")
        qual = f" ({qualifier_label(qual)})" if qual and qual != "exact" else ""
        lines.append(f"{path} · {f.label if f else '?'} = {value}{qual}")
    return "\n".join(lines)


def escape_text(chunk: str) -> str:
    """Report text as HTML text; CR as &#13; because the HTML parser turns a raw CR (CRLF) into LF, and the
    page's selection offsets must count the same characters as the record's evidence."""
    return escape(chunk, quote=False).replace("\r", "&#13;")


def render_text(text: str, spans: list[Span], record: dict) -> str:
    """The text as HTML, each span piece a <mark> carrying its paths; escaped chunk by chunk."""
    out = []
    cursor = 0
    stack: list[int] = []
    for piece in nest_pieces(spans):
        while stack and stack[-1] <= piece.start:
            out.append(escape_text(text[cursor:stack[-1]]) + "</mark>")
            cursor = stack.pop()
        out.append(escape_text(text[cursor:piece.start]))
        cursor = piece.start
        span = spans[piece.span]
        classes = f"ev sec-{section_of(span.paths[0])}" + (" multi" if len(span.paths) > 1 else "")
        attrs = f' data-span="{piece.span}" data-paths="{escape(" ".join(span.paths))}"'
        if piece.part:
            attrs += f' data-part="{piece.part}"'
        out.append(f'<mark class="{classes}"{attrs} data-tip="{escape(span_tip(span, record))}">')
        stack.append(piece.end)
    while stack:
        out.append(escape_text(text[cursor:stack[-1]]) + "</mark>")
        cursor = stack.pop()
    out.append(escape_text(text[cursor:]))
    return "".join(out)


def warnings_by_field(record: dict) -> tuple[dict[str, list[dict]], list[dict]]:
    """Warnings of each catalogue field, and the ones about the whole document."""
    known = by_path()
    per: dict[str, list[dict]] = {}
    general = []
    for w in record.get("warnings", []):
        if w.get("field") in known:
            per.setdefault(w["field"], []).append(w)
        else:
            general.append(w)
    return per, general


def needs_attention(w: dict) -> bool:
    """Every warning except the plain 'not found' of a non-core field (the missing filter shows those)."""
    return w.get("code") != "missing-field" or w.get("severity") != "info"


def render_warning(w: dict, in_row: bool = False) -> str:
    """One warning; in a field's row 'missing-field' needs no message (the row names the field)."""
    line = f" (line {w['line']})" if w.get("line") else ""
    message = "" if in_row and w.get("code") == "missing-field" else f' {w.get("message")}{line}'
    return (f'<li class="w-{escape(str(w.get("severity")))}"><code>{escape(str(w.get("code")))}</code>'
            f'{escape(message)}</li>')


def render_drops(entry: dict) -> str:
    """The panel of a missing field (hidden until its row is clicked): each candidate found and the
    rule that dropped it, or why there was none (an `enforce parse --explain` field entry)."""
    if not entry["candidates"]:
        return f'<div class="drops" hidden><p>{escape(entry.get("note") or "no candidate")}</p></div>'
    items = "".join(
        f'<li><code class="rule">{escape(c["decision"]["rule"])}</code> 「{escape(c["span"]["text"])}」 '
        f'line {c["span"]["line"]} · {escape(str(c["value"]))} — {escape(c["decision"]["reason"])}</li>'
        for c in entry["candidates"])
    return f'<div class="drops" hidden><ul>{items}</ul></div>'


def render_row(f: Field, record: dict, warns: list[dict], explained: dict | None = None) -> str:
    """One table row; found rows jump to their span, missing core rows stand out, and a missing
    row of an explained record opens the candidates that were dropped."""
    value = value_at(record, f.path)
    ev = record.get("evidence", {}).get(f.path)
    found = value is not None
    classes = ["found" if found else "missing"]
    if f.core:
        classes.append("core")
    shown = [w for w in warns if needs_attention(w)]
    if shown:
        classes.append("warned")
    if found and ev:
        classes.append("linked")
    qual_code = str(ev.get("qualifier") or "") if ev else ""
    qual = qualifier_label(qual_code)
    source = f'<div class="src">「{escape(ev.get("text", ""))}」 line {escape(str(ev.get("line")))}</div>' if ev else ""
    warn_html = f'<ul class="warns">{"".join(render_warning(w, True) for w in shown)}</ul>' if shown else ""
    badge = '<span class="badge">核心</span>' if f.core else ""
    drops = ""
    if not found and explained is not None:
        classes.append("explained")
        n = len(explained["candidates"])
        drops = f'<span class="drop-n">{n} dropped</span>' * bool(n) + render_drops(explained)
    focus = ' tabindex="0"' if "linked" in classes or drops else ' tabindex="-1"'
    return (f'<tr class="{" ".join(classes)}" data-path="{escape(f.path)}"{focus}{decision_attrs(f, value, ev)}>'
            f'<td class="label"><span class="dot sec-{section_of(f.path)}"></span>{escape(f.label)}{badge}</td>'
            f'<td class="path"><code>{escape(f.path)}</code></td>'
            f'<td class="value">{escape(format_value(value, f.kind))}{source}{drops}</td>'
            f'<td class="qual q-{escape(qual_code)}">{escape(qual)}</td><td class="warn">{warn_html}</td>'
            f'{DECIDE_CELL}</tr>')


# The review actions of a row (decide.js fills in the decision); keys in the titles.
DECIDE_CELL = ('<td class="decide"><span class="decision"></span><span class="acts">'
               '<button type="button" data-act="confirm" title="确认 confirm (y)">✓</button>'
               '<button type="button" data-act="edit" title="更正/添加 correct, or add from the selected text (e)">✎</button>'
               '<button type="button" data-act="not-stated" title="未载明 not stated (x)">∅</button>'
               '<button type="button" data-act="undo" title="撤销 undo (u)">↺</button></span></td>')


def decision_attrs(f: Field, value, ev: dict | None) -> str:
    """What decide.js needs of a row: the field's kind, the machine value (JSON) and its evidence span."""
    attrs = f' data-kind="{escape(f.kind)}" data-value="{escape(json.dumps(value, ensure_ascii=False))}"'
    if value is not None and ev:
        attrs += (f' data-start="{int(ev.get("start", 0))}" data-end="{int(ev.get("end", 0))}"'
                  f' data-evtext="{escape(str(ev.get("text", "")))}" data-qualifier="{escape(str(ev.get("qualifier") or "exact"))}"')
    return attrs


def completeness(record: dict) -> dict:
    """Counts behind the page header and the index: fields found, core fields found, warnings."""
    all_fields = fields()
    found = [f for f in all_fields if value_at(record, f.path) is not None]
    core = [f for f in all_fields if f.core]
    warnings = record.get("warnings", [])
    return {
        "found": len(found), "total": len(all_fields),
        "core_found": sum(1 for f in found if f.core), "core_total": len(core),
        "percent": round(100 * len(found) / len(all_fields)) if all_fields else 0,
        "errors": sum(1 for w in warnings if w.get("severity") == "error"),
        "warnings": sum(1 for w in warnings if w.get("severity") == "warning"),
    }


def render_header(record: dict, counts: dict, index_href: str | None) -> str:
    source = record.get("source", {})
    doc = record.get("document", {})
    agency = value_at(record, "agency.name") or "机关未识别"
    year = value_at(record, "report_year")
    kind = " · ".join(str(x) for x in (doc.get("kind"), doc.get("style")) if x)
    back = f'<a class="back" href="{escape(index_href)}">← index</a>' if index_href else ""
    title = f'<div class="doc-title">{escape(str(doc["title"]))}</div>' if doc.get("title") else ""
    return (f'<header>{back}<h1>{escape(str(agency))} <span class="year">'
            f'{escape(str(year)) + " 年度" if year else "年度未识别"}</span>'
            f'<span class="kind">{escape(kind)}</span></h1>{title}'
            f'<div class="meta"><span>source <code>{escape(str(source.get("path")))}</code></span>'
            f'<span>sha256 <code class="sha">{escape(str(source.get("sha256")))}</code></span>'
            f'<span>{escape(str(source.get("encoding")))} · {escape(str(source.get("format")))} · '
            f'{escape(str(source.get("length")))} chars</span>'
            f'<span>found {counts["found"]}/{counts["total"]} · core {counts["core_found"]}/{counts["core_total"]}'
            f' · {counts["errors"]} errors · {counts["warnings"]} warnings</span>'
            f'<span>enforce {escape(__version__)} · schema {escape(str(record.get("schema_version", SCHEMA_VERSION)))}'
            f'</span></div></header>')


def render_legend(spans: list[Span]) -> str:
    used = []
    for sp in spans:
        for p in sp.paths:
            if section_of(p) not in used:
                used.append(section_of(p))
    return "".join(f'<span class="chip sec-{escape(s)}">{escape(SECTION_LABELS.get(s, s))}</span>' for s in used)


def render_fields(record: dict, explanation: dict | None = None) -> str:
    per, general = warnings_by_field(record)
    explained = explanation["fields"] if explanation else {}
    rows = [render_row(f, record, per.get(f.path, []), explained.get(f.path)) for f in fields()]
    counts = {
        "all": len(rows),
        "found": sum(1 for f in fields() if value_at(record, f.path) is not None),
        "warned": sum(1 for f in fields() if any(needs_attention(w) for w in per.get(f.path, []))),
    }
    counts["missing"] = counts["all"] - counts["found"]
    choices = [("all", "全部 all"), ("found", "已找到 found"), ("missing", "缺失 missing"),
               ("warned", "警告 warnings")]
    radios = "".join(
        f'<label><input type="radio" name="filter" value="{key}"{" checked" if key == "all" else ""}>'
        f'{label} <span class="n">{counts[key]}</span></label>' for key, label in choices)
    general_html = (f'<ul class="warns general">{"".join(render_warning(w) for w in general)}</ul>'
                    if general else "")
    return (f'<div class="filters" role="radiogroup">{radios}</div>{general_html}'
            f'<table id="fields" data-filter="all"><colgroup><col class="c-label"><col class="c-path">'
            f'<col class="c-value"><col class="c-qual"><col class="c-warn"><col class="c-decide"></colgroup>'
            f'<thead><tr><th>字段</th><th>path</th><th>值 value</th><th>限定 qualifier</th>'
            f'<th>警告 warnings</th><th>审核 review</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _asset(name: str) -> str:
    return read_text(f"review/{name}")


def _csp(style: str, script: str) -> str:
    """Allow only this page's own style and script blocks (by hash) and nothing from the network."""
    def digest(s: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
    return f"default-src 'none'; style-src {digest(style)}; script-src {digest(script)}; img-src data:"


def page_shell(title: str, body: str, style: str, script: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{escape(_csp(style, script))}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><style>{style}</style></head>'
            f'<body>{body}<script>{script}</script></body></html>\n')


def build_page(record: dict, text: str, *, index_href: str | None = None, explanation: dict | None = None,
               review=None, pages: list[PageImage] | None = None) -> str:
    """The review page of one report; `text` must be the text the record's offsets point into. With
    the record's explanation (explaining.py), each missing field shows its dropped candidates on click;
    `review` (a review_file.ReviewFile of the same bytes) fills in the decisions made so far; `pages`
    (a scan's page images) adds the pages with each value's box between the text and the fields.
    Without pages the page is exactly what it was before page images existed (its own style and script)."""
    spans, problems = group_spans(text, record.get("evidence", {}))
    counts = completeness(record)
    items = "".join(f"<li>evidence not shown: {escape(p)}</li>" for p in problems)
    problem_html = f'<ul class="warns problems">{items}</ul>' if problems else ""
    page_pane = render_page_pane(record, pages) if pages else ""
    main = '<main class="with-pages">' if pages else "<main>"
    body = (f'{render_header(record, counts, index_href)}{render_review_bar(record, review)}{main}'
            f'<section class="pane text-pane"><div class="legend">{render_legend(spans)}'
            f'<span class="hint">{len(spans)} spans · hover for field, click for row</span></div>{problem_html}'
            f'<div id="text" class="text" data-length="{len(text)}">{render_text(text, spans, record)}</div></section>'
            f'{page_pane}<section class="pane field-pane">{render_fields(record, explanation)}</section></main>'
            f'<div id="tip" class="tip" hidden></div>')
    name = str(record.get("source", {}).get("path", "report"))
    style, script = _asset("page.css"), _asset("page.js") + _asset("decide.js")
    if pages:
        style, script = style + _asset("pages.css"), script + _asset("pages.js")
    return page_shell(f"review · {name}", body, style, script)


def boxes_by_page(record: dict) -> dict[int, list[tuple[str, list[int]]]]:
    """(path, box) of every evidence that has a page and a box, per page, in catalogue order."""
    order = {f.path: i for i, f in enumerate(fields())}
    out: dict[int, list[tuple[str, list[int]]]] = {}
    for path, ev in sorted(record.get("evidence", {}).items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])):
        box = ev.get("box")
        if isinstance(ev.get("page"), int) and isinstance(box, list) and len(box) == 4:
            out.setdefault(ev["page"], []).append((path, [int(v) for v in box]))
    return out


def render_page_image(page: PageImage, boxes: list[tuple[str, list[int]]], record: dict) -> str:
    """One page: the image, and over it an SVG whose viewBox is the page as rendered for OCR, so each
    box is drawn in its own page pixels and the browser scales it to the size the image is shown at."""
    rects = "".join(
        f'<rect class="pbox sec-{section_of(path)}" data-path="{escape(path)}" x="{left}" y="{top}"'
        f' width="{right - left}" height="{bottom - top}"><title>{escape(span_tip(Span(0, 0, (path,)), record))}'
        f'</title></rect>' for path, (left, top, right, bottom) in boxes)
    src = f'data:{page.mime};base64,{base64.b64encode(page.data).decode("ascii")}'
    return (f'<figure class="page" id="page-{page.number}" data-page="{page.number}">'
            f'<figcaption>第 {page.number} 页 · page {page.number} · {len(boxes)} boxes</figcaption>'
            f'<div class="sheet"><img src="{escape(src)}" alt="page {page.number}" width="{page.width}"'
            f' height="{page.height}"><svg class="boxes" viewBox="0 0 {page.width} {page.height}"'
            f' preserveAspectRatio="none">{rects}</svg></div></figure>')


def render_page_pane(record: dict, pages: list[PageImage], max_bytes: int = PAGE_IMAGES_MAX_BYTES) -> str:
    """The pages of a scan, each with its values' boxes; pages are embedded while their images fit
    max_bytes together, a page that does not fit is named instead (its boxes are not drawn)."""
    by_page = boxes_by_page(record)
    figures, used, drawn = [], 0, 0
    for page in pages:
        if used + len(page.data) > max_bytes:
            figures.append(f'<figure class="page omitted" id="page-{page.number}" data-page="{page.number}">'
                           f'<figcaption>第 {page.number} 页 · page {page.number}: image not embedded, the page '
                           f'images would exceed {max_bytes / 2**20:g} MB</figcaption></figure>')
            continue
        used += len(page.data)
        drawn += len(by_page.get(page.number, []))
        figures.append(render_page_image(page, by_page.get(page.number, []), record))
    return (f'<section class="pane page-pane"><div class="legend"><span class="hint">{len(pages)} pages · '
            f'{drawn} boxes · click a field for its box</span></div>'
            f'<div id="pages" class="pages">{"".join(figures)}</div></section>')


def render_review_bar(record: dict, review=None) -> str:
    """The reviewer's name, progress, the selected text and the export button (decide.js drives them);
    a review file's decisions ride along as JSON in data-decisions (read, never run, by the script)."""
    source = record.get("source", {})
    seeded = ""
    if review is not None:
        decisions = {"reviewer": review.reviewer or "", "fields": review.model_dump(mode="json")["fields"]}
        seeded = f' data-decisions="{escape(json.dumps(decisions, ensure_ascii=False))}"'

    name = str(source.get("path") or "report").replace("\\", "/").rsplit("/", 1)[-1] + ".review.json"
    return (f'<div id="review-bar" class="review-bar" data-sha256="{escape(str(source.get("sha256")))}"'
            f' data-source="{escape(str(source.get("path")))}" data-engine="{escape(__version__)}"'
            f' data-file="{escape(name)}"{seeded}>'
            '<label>审核人 reviewer <input id="reviewer" type="text" size="10" autocomplete="off"></label>'
            '<span id="progress" class="progress"></span>'
            '<span id="selection" class="selection">select report text to add a value</span>'
            f'<button type="button" id="export" title="download {escape(name)}">导出 export</button>'
            '<span class="keys">j/k move · y confirm · e correct/add · x not stated · u undo</span>'
            '<span id="review-msg" class="review-msg" role="status"></span></div>')


def index_row(record: dict, href: str) -> dict:
    """What the index shows of one reviewed report."""
    counts = completeness(record)
    verified, corrected = review_counts(record)
    return {"file": str(record.get("source", {}).get("path")), "href": href,
            "agency": value_at(record, "agency.name"), "year": value_at(record, "report_year"),
            "kind": record.get("document", {}).get("kind"), **counts, "verified": verified,
            "corrected": corrected, "conflicts": (record.get("review") or {}).get("conflicts", 0)}


def review_progress(row: dict) -> str:
    """Index cell: fields decided of all, corrected, conflicts; "—" for a report nobody reviewed yet."""
    if not row["verified"]:
        return '<span class="n">—</span>'
    extra = f' · {row["corrected"]} corrected' if row["corrected"] else ""
    extra += f' · <b class="conflict">{row["conflicts"]} conflicts</b>' if row["conflicts"] else ""
    return f'{row["verified"]}/{row["total"]}<span class="n">{extra}</span>'


def build_index(rows: list[dict], failures: list[str]) -> str:
    """The index page: a sortable table of the reviewed reports and a list of the inputs that failed."""
    cols = [("file", "文件 file", "text"), ("agency", "机关 agency", "text"), ("year", "年度 year", "num"),
            ("kind", "类型 kind", "text"), ("percent", "完整度 completeness %", "num"),
            ("core", "核心 core", "num"), ("errors", "错误 errors", "num"), ("warnings", "警告 warnings", "num"),
            ("verified", "审核 reviewed", "num")]
    head = "".join(f'<th data-type="{t}" tabindex="0">{escape(label)}</th>' for _, label, t in cols)
    body = []
    for r in rows:
        cells = [
            (r["file"], f'<a href="{escape(r["href"])}">{escape(r["file"])}</a>'),
            (r["agency"] or "", escape(str(r["agency"] or "—"))),
            (r["year"] if r["year"] is not None else "", escape(str(r["year"] or "—"))),
            (r["kind"] or "", escape(str(r["kind"] or "—"))),
            (r["percent"], f'{r["percent"]}% <span class="n">({r["found"]}/{r["total"]})</span>'),
            (r["core_found"], f'{r["core_found"]}/{r["core_total"]}'),
            (r["errors"], str(r["errors"])), (r["warnings"], str(r["warnings"])),
            (r["verified"], review_progress(r)),
        ]
        body.append("<tr>" + "".join(f'<td data-sort="{escape(str(k))}">{v}</td>' for k, v in cells) + "</tr>")
    failed = (f'<h2>未能审阅 failed ({len(failures)})</h2><ul class="warns">'
              + "".join(f'<li class="w-error">{escape(f)}</li>' for f in failures) + "</ul>") if failures else ""
    page = (f'<header><h1>enforce review · {len(rows)} reports</h1><div class="meta"><span>enforce '
            f'{escape(__version__)}</span><span>click a column to sort</span></div></header>'
            f'<main class="index"><table id="index"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>{failed}</main>')
    return page_shell("enforce review index", page, _asset("page.css"), _asset("index.js"))
