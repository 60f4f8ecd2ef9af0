"""Records built by hand for the review tests, so they do not depend on what the engine extracts, and a
reader of the page images a review page shows for a scan."""

import hashlib
from html.parser import HTMLParser

from enforcement_parser.knowledge.catalogue import fields


def hand_record(text: str, found: dict, warnings=(), path="report.txt", document=None) -> dict:
    """A record in the output.md layout; `found` maps path -> (value, snippet[, qualifier[, nth]]).

    The span of a field is the nth (default first) occurrence of its snippet in the text.
    """
    record = {"schema_version": "1.0",
              "source": {"path": path, "sha256": hashlib.sha256(text.encode()).hexdigest(),
                         "encoding": "utf-8", "format": "text", "length": len(text)},
              "document": {"kind": "report", "style": "narrative", "title": None, **(document or {})}}
    for f in fields():
        node = record
        *parents, leaf = f.path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node.setdefault(leaf, None)
    evidence, warns = {}, list(warnings)
    for fpath, (value, snippet, *rest) in found.items():
        assert fpath_value(record, fpath) is None, f"{fpath} is not a catalogue path"
        qualifier = rest[0] if rest else "exact"
        start = -1
        for _ in range((rest[1] if len(rest) > 1 else 0) + 1):
            start = text.index(snippet, start + 1)
        node = record
        *parents, leaf = fpath.split(".")
        for p in parents:
            node = node[p]
        node[leaf] = value
        evidence[fpath] = {"text": snippet, "start": start, "end": start + len(snippet),
                           "line": text.count("\n", 0, start) + 1, "qualifier": qualifier, "rule": "hand"}
    for f in fields():
        if fpath_value(record, f.path) is None:
            warns.append({"code": "missing-field", "severity": "error" if f.core else "info",
                          "field": f.path, "message": f"{f.label} ({f.path}) not found"})
    record["evidence"] = evidence
    record["warnings"] = warns
    return record


def fpath_value(record, path):
    node = record
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            raise KeyError(path)
        node = node[key]
    return node


class Pages(HTMLParser):
    """Figures (by page), the img and svg of each, and every rect with the page it is drawn on."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.figures, self.rects, self.page, self.titles, self.in_title = {}, [], None, [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            self.page = int(a["data-page"])
            self.figures[self.page] = {"class": a["class"]}
        elif tag in ("img", "svg"):
            self.figures[self.page][tag] = a
        elif tag == "rect":
            self.rects.append({**a, "page": self.page})
        elif tag == "title" and self.rects:
            self.in_title = True

    def handle_endtag(self, tag):
        self.in_title = self.in_title and tag != "title"

    def handle_data(self, data):
        if self.in_title:
            self.titles.append(data)


def pages_of(out: str) -> Pages:
    """The page-image section of a review page, read."""
    p = Pages()
    p.feed(out[out.index('<section class="pane page-pane">'):])
    return p
