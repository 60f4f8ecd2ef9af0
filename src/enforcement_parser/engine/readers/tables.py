"""Table readers: header cells then value cells, flattened one cell per line or written as
pipe/tab rows; blank cells keep their position and mean "not stated", never 0."""

from __future__ import annotations

import functools

from typing import NamedTuple

from .. import patterns
from ..decisions import recorder
from ..quantities import Figure, tables as unit_tables
from ..segmenting import Segments, topics_in
from ..labels import columns_index, entries, filler_pattern, meanings, table, total_words, veto_word, vetoed
from ...knowledge.tables import load_toml
from ..unwrapping import LEADER as _LEADER
from . import Candidate, cell_value, topic_of

_UNIT_NOTE = patterns.compile(r"\s*[（(]\s*(?P<unit>[^）)]{1,6})\s*[）)]\s*$")
_YEAR_HEADER = patterns.compile(r"(?:19|20)\d\d")
_RULE = patterns.compile(r":?-{2,}:?")
_LEADER_CHARS = "…⋯.．·・"
_ROW_NUMBER = patterns.compile(r"\s*(?:\d{1,3}(?![\d,，.．%])\s*)?")
_NOTE = patterns.compile(r"[（(][^（()）]*[）)]")
# "其中：", "按种类：", "按程序：" before a row label group the rows; they are not the label
_ROW_PREFIX = patterns.compile(r"^(?:其中|按[^：:，,]{1,4})[：:]?")
MAX_JOIN = 3


class Cell(NamedTuple):
    text: str      # folded, stripped of pipes and spaces
    start: int     # view offset of the cell text (or of the line when blank)
    end: int


@functools.cache
def _other_columns() -> frozenset[str]:
    return frozenset(table("columns")["other"])


@functools.cache
def _unit_headers() -> frozenset[str]:
    return frozenset(table("columns")["unit_headers"])


@functools.cache
def _placeholders() -> frozenset[str]:
    return frozenset(table("columns")["placeholders"])


@functools.cache
def _contents_titles() -> frozenset[str]:
    return frozenset(load_toml("document.toml")["pages"]["contents_titles"])


@functools.cache
def _not_this_year():
    return patterns.compile("|".join(table("columns")["not_this_year"]))


def split_header(text: str) -> tuple[str, str | None]:
    """"罚没金额(万元)" -> ("罚没金额", "万元")."""
    # the note closes the text: a search for it from every position is needed only then
    m = _UNIT_NOTE.search(text) if text.rstrip().endswith(("）", ")")) else None
    if m:
        return text[: m.start()].strip(), m.group("unit").strip()
    return text.strip(), None


def header_paths(label: str, topics: frozenset[str]) -> list[str]:
    """Fields a header or row label names. A specific label stands on its own; the table's topics
    choose among several readings and admit generic ones ("合计" in a 行政处罚 table)."""
    label, _ = split_header(label)
    label = label.replace(" ", "")
    found = meanings(label)
    if label in _other_columns() and not _generic_in(found, topics):
        return []   # a real column that is no catalogue field (e.g. 扣押财物 beside 查封场所…)
    if not found and label not in columns_index():
        bare = filler_pattern().sub("", label)   # "行政强制措施合计" names what "行政强制措施" names
        if bare and bare != label:
            label, found = bare, meanings(bare)
    paths = list(columns_index().get(label, ())) or \
        list(dict.fromkeys(p for p, role in found if role == "label"))
    if len(paths) > 1 and topics:
        paths = [p for p in paths if topic_of(p) in topics]
    generic = _generic_in(found, topics)
    if generic and (not paths or all(topic_of(p) not in topics for p in paths)):
        paths = generic
    return list(dict.fromkeys(paths))


def _generic_in(found, topics: frozenset[str]) -> list[str]:
    """Fields a label names by a reading bound to one of `topics` ("行政确认" in a 权责清单 table)."""
    return [p for p, role in found if role == "generic" and topics & set(entries()[p].topics)]


def known_header(text: str) -> bool:
    label, _ = split_header(text)
    label = label.replace(" ", "")
    return bool(label) and (label in columns_index() or label in _other_columns() or
                            any(role == "label" for _, role in meanings(label)))


def cell_figure(cell: Cell, seg: Segments) -> Figure | None:
    """The figure that is the whole cell, or None."""
    return seg.figures.only(cell.start, cell.end) if cell.text else None


def apply_unit(fig: Figure, unit: str | None) -> Figure | None:
    """Give a bare cell the unit its header states ("(万元)" multiplies)."""
    if not fig.bare or not unit:
        return fig
    t = unit_tables()
    if unit in t["money_multipliers"]:
        value = fig.value * t["money_multipliers"][unit]
        value = int(round(value)) if abs(value - round(value)) < 1e-6 else round(value, 2)
        return fig._replace(value=value, unit=unit, family="money")
    for family, words in t["units"].items():
        if unit in words:
            return fig._replace(unit=unit, family=family)
    return fig


def _cells_of_line(seg: Segments, i: int, leaders: bool = False) -> list[Cell] | None:
    ln = seg.lines[i]
    raw = ln.text
    sep = "|" if "|" in raw else ("\t" if "\t" in raw else None)
    if sep is None:
        return _leader_cells(ln) if leaders else None
    out, pos = [], ln.start
    for piece in raw.split(sep):
        s = piece.strip()
        at = pos + (piece.index(s) if s else 0)
        out.append(Cell(s, at, at + len(s)))
        pos += len(piece) + 1
    if raw.strip().startswith(sep):
        out = out[1:]
    if raw.strip().endswith(sep):
        out = out[:-1]
    return out


def _leader_cells(ln) -> list[Cell] | None:
    """"05行政执法人员（人）……………… 94": a statistics form transcribed line by line, the label
    and its value joined by a dot leader; the row number (行次) before the label is dropped."""
    leaders = patterns.finditer(_LEADER, ln.text)
    if len(leaders) != 1:
        return None
    m = leaders[0]
    label = patterns.match(_ROW_NUMBER, ln.text).end()
    value = ln.text[m.end():].strip()
    if not value or label >= m.start():
        return None
    at = ln.start + m.end() + ln.text[m.end():].index(value)
    return [Cell(ln.text[label:m.start()].strip(), ln.start + label, ln.start + m.start()),
            Cell(value, at, at + len(value))]


def read_tables(seg: Segments, report_year: int | None) -> tuple[list[Candidate], set[int], set[int]]:
    """Candidates, the figure starts they consumed, and the line indexes that are table cells
    (so the template reader does not take a header cell and the next value for a pair)."""
    cands: list[Candidate] = []
    used: set[int] = set()
    lines: set[int] = set()
    _read_cell_per_line(seg, cands, used, lines)
    _read_rows(seg, cands, used, report_year, lines)
    return cands, used, lines


# --- one cell per line -------------------------------------------------------------------------

def _line_cells(seg: Segments) -> list[tuple[int, Cell]]:
    """Every line as a cell: (line index, cell); empty lines are skipped, blank ones kept."""
    out = []
    for i, ln in enumerate(seg.lines):
        raw = ln.text
        if raw == "":
            continue
        outer = raw.strip()
        if outer and not outer.strip("|"):
            continue   # a row of pipes alone
        s = outer.strip("|").strip()
        at = ln.start + (raw.index(s) if s else 0)
        out.append((i, Cell(s, at, at + len(s))))
    return out


def _is_value_cell(cell: Cell, seg: Segments) -> bool:
    return cell.text in _placeholders() or cell_figure(cell, seg) is not None


def _is_header_cell(cell: Cell) -> bool:
    return 0 < len(cell.text) <= 40 and "。" not in cell.text and not cell.text[0].isdigit()


def _read_cell_per_line(seg: Segments, cands: list[Candidate], used: set[int], lines: set[int]) -> None:
    cells = _line_cells(seg)
    k = 0
    while k < len(cells):
        # a run of value cells with at least two figures
        j = k
        while j < len(cells) and _is_value_cell(cells[j][1], seg) and "|" not in seg.lines[cells[j][0]].text.strip("| "):
            j += 1
        if j - k >= 2 and sum(1 for _, c in cells[k:j] if cell_figure(c, seg)) >= 2:
            run = [c for _, c in cells[k:j]]
            h = k
            while h > 0 and _is_header_cell(cells[h - 1][1]) and k - h < 40:
                h -= 1
            headers = _without_row_label([c for _, c in cells[h:k]])
            if _align(seg, headers, run, cands, used, "table:cell-per-line"):
                lines.update(i for i, _ in cells[h:j])
            k = j
        else:
            k = max(j, k + 1)


def _without_row_label(headers: list[Cell]) -> list[Cell]:
    """The header cells without the row's own label, which one cell per line puts right before
    its values ("单位名称 / 警告 / … / 吊销许可证件 / 市商务局 / 0 / 0 …"): a cell no header names,
    under a row-label column (vocabulary.toml [columns] row_labels)."""
    labels = frozenset(table("columns")["row_labels"])
    if headers and not known_header(headers[-1].text) and any(c.text in labels for c in headers[:-1]):
        return headers[:-1]
    return headers


def _columns(headers: list[Cell], n: int) -> tuple[list[str], list[Cell]] | None:
    """Group header lines into n columns from the right (cells wrap over lines); the lines
    left over on the left are group headers. None when the count cannot be made to fit."""
    cols: list[str] = []
    i = len(headers)
    while i > 0 and len(cols) < n:
        for size in range(1, min(MAX_JOIN, i) + 1):
            joined = "".join(c.text for c in headers[i - size:i])
            if known_header(joined) and (size == 1 or not _whole_columns(headers[i - size:i])):
                cols.append(joined)
                i -= size
                break
        else:
            cols.append(headers[i - 1].text)
            i -= 1
    if len(cols) != n:
        return None
    return cols[::-1], headers[:i]


def _whole_columns(cells: list[Cell]) -> bool:
    """Whether each of these header cells names a column by itself (没收违法所得 | 没收非法财物 of
    a template that splits them): they are not one header wrapped over lines (没收违法 / 所得)."""
    return all(known_header(c.text) or split_header(c.text)[0].replace(" ", "") in _split_parts() for c in cells)


@functools.cache
def _split_parts() -> frozenset[str]:
    return frozenset(p for split in table("columns")["split"] for p in split["parts"])


def _align(seg, headers, values, cands, used, rule) -> bool:
    """Read one header/value block; True when it is a table (its headers are mostly known)."""
    got = _columns(headers, len(values))
    if got is None:
        return False
    cols, group = got
    group = group[-2:]   # the group header(s) right above the columns, not the page before
    context = "".join(c.text for c in group)
    top = group[0].start if group else (headers[0].start if headers else values[0].start)
    title_topics = topics_in(context) | _nearby_topics(seg, top)
    _, group_unit = split_header(context) if context else (None, None)
    found = known = 0
    planned = []
    split = _split_columns(cols)
    for i, (col, cell) in enumerate(zip(cols, values)):
        known += known_header(col) or i in split
        read = None if i in split else _read_cell(seg, col, cell, title_topics - {"overview"}, group_unit)
        if read is None:
            continue
        planned.append(Candidate(*read, "table", rule, True))
        found += 1
    planned += _split_sums(seg, split, values)
    # A table whose headers we mostly do not know is not one we can trust.
    if known * 2 < len(cols):
        if rec := recorder():
            rec.decide(planned, "table.unknown-headers", f"{known} of {len(cols)} headers known")
        return False
    cands.extend(planned)
    used.update(c.figure.start for c in planned)
    return True


def _split_columns(cols: list[str]) -> dict[int, str]:
    """{column index: field} of the columns that split one field in parts, every part present
    (vocabulary.toml [columns] split)."""
    names = [split_header(c)[0].replace(" ", "") for c in cols]
    out = {}
    for split in table("columns")["split"]:
        at = [names.index(p) for p in split["parts"] if p in names]
        if len(at) == len(split["parts"]):
            out.update(dict.fromkeys(at, split["path"]))
    return out


def _split_sums(seg: Segments, split: dict[int, str], values: list[Cell]) -> list[Candidate]:
    """The field a template splits in parts, as the sum of its parts' cells (evidence: from the
    first part to the last); nothing when a part is blank or no whole count."""
    out = []
    for path in dict.fromkeys(split.values()):
        figs = [cell_figure(values[i], seg) for i, p in sorted(split.items()) if p == path]
        if all(f is not None and f.bare and isinstance(f.value, int) for f in figs):
            fig = Figure(sum(f.value for f in figs), "", "", "exact", figs[0].start, figs[-1].end)
            out.append(Candidate(path, fig.value, fig, "table", "table:split-columns", True))
    return out


def _read_cell(seg: Segments, label: str, cell: Cell, topics: frozenset[str], unit: str | None):
    """(path, value, figure) when `label` names one field and `cell` holds its figure; a unit
    note in the label ("罚没金额(万元)") wins over the `unit` the table gives elsewhere."""
    return _cell_reading(seg, header_paths(label, topics), label, cell, unit)


def _cell_reading(seg: Segments, paths: list[str], label: str, cell: Cell, unit: str | None):
    """(path, value, figure) when exactly one field is named and the cell holds its figure."""
    fig = cell_figure(cell, seg) if len(paths) == 1 else None
    if fig is None:
        return None
    fig = apply_unit(fig, split_header(label)[1] or unit)
    value = cell_value(paths[0], fig)
    return None if value is None else (paths[0], value, fig)


def _row_label(text: str) -> str:
    """A row label without its group prefix (其中：, 按种类：) and a note that is no unit
    ("受委托组织（某执法支队）", "其他行政处罚（责令退还土地等）"); a unit note stays."""
    label = _ROW_PREFIX.sub("", text)
    return label if split_header(label)[1] else _NOTE.sub("", label).strip()


def _read_part(seg: Segments, label: str, cell: Cell, whole: str, unit: str | None):
    """A row under a total read as one of its parts ("法制审核 88 / 其中：行政处罚 86": 86 is
    penalties.legal_reviewed), by the `parts` labels of vocabulary.toml; None when none fits."""
    name = split_header(label)[0].replace(" ", "")
    paths = [p for p, role in meanings(name) if role == "part" and entries()[p].part_of == whole]
    return _cell_reading(seg, paths, label, cell, unit)


def _generic_only(label: str, path: str) -> bool:
    """Whether only a topic-bound reading names the field ("行政执法主体" for subjects.statutory):
    a specific row of the same field wins over it."""
    label = split_header(label)[0].replace(" ", "")
    roles = {role for p, role in meanings(label) if p == path}
    return "generic" in roles and "label" not in roles and path not in columns_index().get(label, ())


def _nearby_topics(seg: Segments, pos: int) -> frozenset[str]:
    """Topics of the closest title-like lines above a table (e.g. "行政处罚实施情况统计表")."""
    i = seg.line_index(pos)
    seen = 0
    out: frozenset[str] = frozenset()
    while i > 0 and seen < 4:
        i -= 1
        t = seg.lines[i].text.strip()
        if not t:
            continue
        seen += 1
        if "表" in t or "情况" in t:
            out = topics_in(t)
            if out - {"overview"}:
                return out
    for s in reversed(seg.chain(pos)):
        if s.topics - {"overview"}:
            return s.topics
    return out


# --- pipe and tab rows ---------------------------------------------------------------------------

def _read_rows(seg: Segments, cands: list[Candidate], used: set[int], report_year: int | None,
               lines: set[int]) -> None:
    i = 0
    n = len(seg.lines)
    leaders = any(c * 2 in seg.text for c in _LEADER_CHARS)   # look for leader rows only when there are some
    while i < n:
        rows = []
        while i < n and (cells := _cells_of_line(seg, i, leaders)) is not None and len(cells) >= 2:
            if not all(_RULE.fullmatch(c.text) for c in cells):   # markdown "| --- |" rows
                rows.append(cells)
            lines.add(i)
            i += 1
        if len(rows) >= 1 and not _contents(seg, rows):
            _read_row_block(seg, rows, cands, used, report_year)
        i += 1


def _contents(seg: Segments, rows: list[list[Cell]]) -> bool:
    """A table of contents ("行政处罚…………3 / 行政许可…………5"): dot-leader rows whose values are
    bare page numbers that rise, or any page numbers under a 目录 line."""
    if any(len(r) != 2 or not patterns.search(_LEADER, seg.text, r[0].end, r[1].start) for r in rows):
        return False
    if len(rows) < 2:
        return _under_contents_heading(seg, rows)
    pages = [cell_figure(r[1], seg) for r in rows]
    if any(p is None or not p.bare or not isinstance(p.value, int) for p in pages):
        return False
    return all(a.value < b.value for a, b in zip(pages, pages[1:])) or _under_contents_heading(seg, rows)


def _under_contents_heading(seg: Segments, rows: list[list[Cell]]) -> bool:
    """Leader rows after a 目录 line (blank lines and other leader rows between) list pages."""
    k = seg.line_index(rows[0][0].start) - 1
    while k >= 0 and (not seg.lines[k].text.strip() or patterns.search(_LEADER, seg.lines[k].text)):
        k -= 1
    return k >= 0 and seg.lines[k].text.replace(" ", "").replace("\u3000", "").strip("#*") in _contents_titles()


def _read_row_block(seg, rows, cands, used, report_year) -> None:
    k = 0
    while k < len(rows):
        row = rows[k]
        if k + 2 < len(rows) and _two_row_header(seg, *rows[k:k + 3]):
            _align(seg, _merged_header(row, rows[k + 1]), rows[k + 2], cands, used, "table:two-row-header")
            k += 3
            continue
        numeric = [cell_figure(c, seg) for c in row]
        if not any(numeric) and k + 1 < len(rows) and len(_trimmed(row, rows[k + 1])) == len(rows[k + 1]) \
                and any(cell_figure(c, seg) for c in rows[k + 1]) and _all_value_row(rows[k + 1], seg):
            _align(seg, _trimmed(row, rows[k + 1]), rows[k + 1], cands, used, "table:header-then-values")
            k += 2
            continue
        if not any(numeric):
            header = row
            k += 1
            body = []
            while k < len(rows) and cell_figure(rows[k][0], seg) is None and any(cell_figure(c, seg) for c in rows[k][1:]):
                body.append(rows[k])
                k += 1
            _label_value_rows(seg, header, body, cands, used, report_year)
            continue
        body = []
        while k < len(rows) and rows[k][0].text and cell_figure(rows[k][0], seg) is None \
                and any(cell_figure(c, seg) for c in rows[k][1:]):
            body.append(rows[k])   # consecutive label rows: a 其中 row is read after its total
            k += 1
        _label_value_rows(seg, None, body, cands, used, report_year)
        if not body:
            k += 1


def _two_row_header(seg, groups: list[Cell], subs: list[Cell], values: list[Cell]) -> bool:
    """A group header row with spanned (empty) cells, the sub-headers under it (a spanned
    column's cell left empty), then one row of values; a row may stop short of the values'
    width ("合计 | " loses its empty last cell to the trailing-pipe rule)."""
    return len(values) >= max(len(groups), len(subs)) and any(not c.text for c in groups) \
        and not any(cell_figure(c, seg) for c in groups + subs) \
        and any(cell_figure(c, seg) for c in values) and _all_value_row(values, seg)


def _merged_header(groups: list[Cell], subs: list[Cell]) -> list[Cell]:
    """One header from two rows: the sub-header where there is one, else the group cell above
    (罚没金额 spans both rows); a total column (合计) is the total of its group, so it takes the
    group's name (行政处罚实施数量 | … | 合计 -> decisions, 行政强制执行实施数量 … 合计 -> none)."""
    out, group = [], None
    for i in range(max(len(groups), len(subs))):
        top = groups[i] if i < len(groups) else Cell("", subs[i].start, subs[i].start)
        group = top if top.text else group
        sub = subs[i] if i < len(subs) else None
        if sub is None or not sub.text:
            out.append(top)
        elif sub.text.replace(" ", "") in total_words() and group is not None:
            out.append(Cell(group.text, sub.start, sub.end))
        else:
            out.append(sub)
    return out


def _trimmed(header: list[Cell], values: list[Cell]) -> list[Cell]:
    """A header row without the empty cells it has beyond its value row's width
    ("… | 罚没金额（万元） | |" over "… | 123.45 |")."""
    n = len(header)
    while n > len(values) and not header[n - 1].text:
        n -= 1
    return header[:n]


def _all_value_row(row, seg) -> bool:
    return all(_is_value_cell(c, seg) for c in row)


def _names_fields(header: list[Cell]) -> bool:
    """A header whose cells after the first name fields ("单位 | 警告 | 罚款 | 合计"): its rows are
    units (per-unit rows), not labels of one value column."""
    known = sum(1 for c in header[1:] if c.text and known_header(c.text) and c.text not in _other_columns())
    return known >= 2 and known * 2 >= len(header) - 1


def _read_total_rows(seg, header, body, cands, used) -> None:
    """Of rows by unit under a header of fields, only the total row ("合计 | 12 | 45 | …") is
    read, cell by cell under its header: a unit's row is a part, never the report's value —
    unless it is the table's only row (the agency fills its own row of the template)."""
    totals = [r for r in body if r[0].text.replace(" ", "") in total_words()]
    for row in totals or (body if len(body) == 1 else []):
        if len(row) == len(header):
            _align(seg, header[1:], row[1:], cands, used, "table:total-row" if totals else "table:only-unit-row")


def _label_value_rows(seg, header, body, cands, used, report_year) -> None:
    """Rows "label | value | ...": the value column is the one headed by the report year or a
    plain quantity; columns for last year, changes and shares are never read."""
    if not body:
        return
    if header is not None and _names_fields(header):
        _read_total_rows(seg, header, body, cands, used)
        return
    width = len(body[0])
    col = 1
    unit_col = None
    if header is not None and len(header) == width:
        bad = _not_this_year()
        unit_col = next((j for j in range(1, width) if header[j].text in _unit_headers()), None)
        options = [j for j in range(1, width) if j != unit_col and not patterns.search(bad, header[j].text)]
        year_cols = [j for j in options if report_year and str(report_year) in header[j].text]
        if year_cols:
            col = year_cols[0]
        elif options:
            col = options[0]
        else:
            return
        years = [j for j in range(1, width) if _YEAR_HEADER.search(header[j].text)]
        if years and (report_year is None or col in years and str(report_year) not in header[col].text):
            if rec := recorder():   # columns by year, and we cannot tell which one is the report's
                for row in body:
                    for fig in filter(None, (cell_figure(c, seg) for c in row[1:])):
                        rec.drop("year.columns-by-year", fig, f"the report year {report_year} heads no column")
            return
    topics = _nearby_topics(seg, body[0][0].start) - {"overview"}
    previous: str | None = None   # the last total row read
    parts_of: str | None = None   # the total whose 其中 rows are being read
    for row in body:
        if len(row) <= col:
            continue
        if vetoed("", row[0].text):   # "上年同期…", "同比…" rows
            if (rec := recorder()) and (fig := cell_figure(row[col], seg)):
                rec.drop("veto.table-row", fig, "{1!r} in the row label ({0})".format(*veto_word("", row[0].text)))
            continue
        label, cell = _row_label(row[0].text), row[col]
        if row[0].text.startswith("其中"):
            parts_of = previous
        row_topics = frozenset({topic_of(parts_of)}) if parts_of else topics
        unit = row[unit_col].text or None if unit_col is not None and len(row) > unit_col else None
        unit = unit or (split_header(header[col].text)[1] if header else None)   # "罚没金额 | 万元 | 96.45"
        read = _read_part(seg, label, cell, parts_of, unit) if parts_of else None
        part = read is not None or row[0].text.startswith("其中")
        read = read or _read_cell(seg, label, cell, row_topics, unit)
        if read is None:
            continue
        path, value, fig = read
        # rows after a 其中 row stay its parts while they are of the same topic ("其中：胜诉 / 败诉 / 审理中")
        part = part or parts_of is not None and topic_of(path) == topic_of(parts_of)
        cands.append(Candidate(path, value, fig, "table", "table:label-value-row", True,
                               breakdown=part, generic=_generic_only(label, path)))
        used.add(fig.start)
        if not part:
            previous, parts_of = path, None
