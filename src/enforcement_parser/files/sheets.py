"""Spreadsheets (.xlsx .xlsm .xlsb .xls .ods), via python-calamine: every sheet as table text.

Each sheet is its name on a line of its own (unless it is a default name such as "Sheet1"), then its
rows: a row of two or more filled cells is a pipe row framed at both ends ("|  | 2022年 | 2023年 |"),
so an empty first or last cell keeps its column and the header stays over its values; a one-cell row
is a plain line (a title, a note) unless it sits between two table rows; a run of empty rows is one
empty line. Numbers read as the sheet shows them
(12.0 -> "12", no float noise), dates as 2023-05-01, formulas as their cached values.

calamine is native code that allocates a dense grid from the cell positions a file declares: one cell
at XFD1048576 asks for half a terabyte and aborts the interpreter. So the workbook is read in a child
process with an address-space limit and a time limit, and this process only ever sees its text or
one error line. Zip-based workbooks pass the same member checks as .docx before that.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import resource
import subprocess
import sys

import python_calamine  # noqa: F401 - a missing package is reported by name here, in this process

from ..errors import InputError
from .docx import check_member, open_zip, parse_part

MEMORY_LIMIT = 512 * 1024 * 1024  # address space of the child that reads the workbook
TIME_LIMIT_S = 60.0
MAX_CELLS = 5_000_000  # grid cells over all sheets (empty cells of the used range count)
MAX_TEXT_CHARS = 16 * 1024 * 1024
ZIP_KINDS = ("xlsx", "ods")
_DEFAULT_NAME = re.compile(r"(?i)(?:sheet|工作表)\s*\d*")
_WS = re.compile(r"\s+")
_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')   # literal text, colours and escapes in a format code
_CELL = re.compile(rb"<c\b([^>]*)>")
_STYLE = re.compile(rb'\bs="(\d+)"')
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')


def sheet_text(data: bytes, kind: str) -> str:
    """The text of every sheet of a workbook; `kind` is what sniffing found (xlsx, ods or xls)."""
    if kind in ZIP_KINDS:
        _check_zip(data)
    try:
        done = subprocess.run([sys.executable, "-m", __name__], input=data, capture_output=True,
                              timeout=TIME_LIMIT_S)
    except subprocess.TimeoutExpired:
        raise InputError(f"reading the workbook took longer than {TIME_LIMIT_S:.0f} s; refused") from None
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    if done.returncode == InputError.exit_code and done.stderr.startswith(b"error: "):
        raise InputError(done.stderr[7:].decode("utf-8", "replace").strip())
    raise InputError(f"reading the workbook needs more than {MEMORY_LIMIT >> 20} MB "
                     "(cells declared far outside the data? a bomb?); refused")   # Rust aborts, MemoryError


def _limit_resources() -> None:
    """Set by the child on itself (a preexec_fn is unsafe when the parent has threads, as batch does)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    cpu = int(TIME_LIMIT_S) + 1   # the child ends even when nobody waits for it (a batch worker killed)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _check_zip(data: bytes) -> None:
    """Every member under the .docx caps (size, compression ratio, entry count) before calamine inflates it."""
    with open_zip(data, "workbook") as zf:
        for info in zf.infolist():
            check_member(info, f"workbook part {info.filename}")


def workbook_text(data: bytes) -> str:
    """Runs in the child: the workbook's sheets, hidden ones included, as text."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(meta.name, book.get_sheet_by_name(meta.name)) for meta in book.sheets_metadata
                  if meta.typ == python_calamine.SheetTypeEnum.WorkSheet]
        cells = sum(sheet.height * sheet.width for _, sheet in sheets)
        if cells > MAX_CELLS:
            raise InputError(f"workbook has {cells} cells in its used ranges, over the limit of {MAX_CELLS}")
        percent = percent_cells(data)
        blocks = [_sheet_block(name, sheet.iter_rows(), percent.get(name, set()), sheet.start or (0, 0))
                  for name, sheet in sheets]
    except python_calamine.PasswordError:
        raise InputError("workbook is password-protected") from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises many types on damaged files
        raise InputError(damaged(exc)) from None
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise InputError("workbook has no readable cell")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"workbook text is over {MAX_TEXT_CHARS} characters; refused")
    return text


def _sheet_block(name: str, rows, percent: set[tuple[int, int]], start: tuple[int, int]) -> str:
    grid = _grid(rows, percent, start)
    rows_of_table = _table_rows(grid)
    width = max((max(j for j, c in enumerate(row) if c) + 1 for row in grid if any(row)), default=0)
    lines: list[str] = []
    for i, row in enumerate(grid):
        filled = [c for c in row if c]
        if not filled:
            line = ""
        elif i in rows_of_table:
            line = "| " + " | ".join(row[:width]) + " |"
        else:
            line = " ".join(filled)
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return ""
    return "\n".join(lines if _DEFAULT_NAME.fullmatch(name.strip()) else [name.strip(), *lines])


def _table_rows(grid: list[list[str]]) -> set[int]:
    """Rows of two or more filled cells, and a one-cell row between two of them (a label whose value
    is blank): kept as table rows, the table's header stays its header. Other one-cell rows (a title,
    a note, prose) are plain lines."""
    wide = {i for i, row in enumerate(grid) if len(row) - row.count("") >= 2}
    return wide | {i for i, row in enumerate(grid) if row and i - 1 in wide and i + 1 in wide}


def _grid(rows, percent: set[tuple[int, int]], start: tuple[int, int]) -> list[list[str]]:
    """Cell texts row by row; a run of empty rows (a million of them, in a hostile sheet) is one."""
    grid: list[list[str]] = []
    for r, row in enumerate(rows, start[0]):
        if row.count("") == len(row):
            if grid and not any(grid[-1]):
                continue
            grid.append([])
        elif percent:
            grid.append([_percent_text(v) if (r, c) in percent else cell_text(v) for c, v in enumerate(row, start[1])])
        else:
            grid.append([cell_text(v) for v in row])
    return grid


def _percent_text(value) -> str:
    """A cell formatted as a percentage: 0.053 -> "5.3%", as the sheet shows it."""
    return number_text(value * 100) + "%" if isinstance(value, float) and math.isfinite(value) else cell_text(value)


def percent_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """(row, column) of the cells of each .xlsx sheet whose number format is a percentage (calamine
    gives values, not formats). Best effort: anything unexpected leaves the stored fraction, which
    no field reads as a percentage (a gap, never a wrong number)."""
    try:
        with open_zip(data, "workbook") as zf:
            names = set(zf.namelist())
            if "xl/styles.xml" not in names:
                return {}
            styles = _percent_styles(parse_part(zf.read("xl/styles.xml")))
            if not styles:
                return {}
            return {name: _styled_cells(zf.read(part), styles) for name, part in _sheet_parts(zf, names)}
    except Exception:  # noqa: BLE001 - a nicety: calamine reports a damaged workbook itself
        return {}


def _percent_styles(root) -> set[bytes]:
    codes = {el.get("numFmtId"): el.get("formatCode") or "" for el in root.iter(f"{_X}numFmt")}
    xfs = root.find(f"{_X}cellXfs")
    found = set()
    for index, xf in enumerate(xfs if xfs is not None else ()):
        fmt = xf.get("numFmtId", "0")
        if fmt in ("9", "10") or "%" in _QUOTED.sub("", codes.get(fmt, "")):
            found.add(str(index).encode())
    return found


def _sheet_parts(zf, names: set[str]):
    """(sheet name, part name) from xl/workbook.xml and its relationships."""
    rels = parse_part(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {el.get("Id"): el.get("Target", "") for el in rels.iter(f"{_RELS}Relationship")}
    for sheet in parse_part(zf.read("xl/workbook.xml")).iter(f"{_X}sheet"):
        target = targets.get(sheet.get(f"{_R}id"), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if part in names:
            yield sheet.get("name"), part


def _styled_cells(xml: bytes, styles: set[bytes]) -> set[tuple[int, int]]:
    cells = set()
    for attrs in _CELL.findall(xml):
        style, ref = _STYLE.search(attrs), _REF.search(attrs)
        if style and ref and style.group(1) in styles:
            cells.add((int(ref.group(2)) - 1, _column_index(ref.group(1))))
    return cells


def _column_index(letters: bytes) -> int:
    """b"A" -> 0, b"AA" -> 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def cell_text(value) -> str:
    """A cell as the sheet shows it: 12.0 -> "12", 0.1 + 0.2 -> "0.3", dates as 2023-05-01."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return _WS.sub(" ", value).strip().replace("|", "｜")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == datetime.time() else "%Y-%m-%d %H:%M:%S"
                              if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    return str(value)


def number_text(value: float) -> str:
    """Fifteen significant digits, what a spreadsheet shows at most: binary noise never reaches the text."""
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        text = f"{value:.15f}".rstrip("0").rstrip(".")
    return text


def damaged(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"truncated or damaged workbook ({type(exc).__name__}: {text.splitlines()[0][:120] if text else 'no detail'})"


def _child() -> None:
    """`python -m enforcement_parser.files.sheets`: workbook bytes on stdin, its text on stdout."""
    _limit_resources()
    try:
        text = workbook_text(sys.stdin.buffer.read())
    except InputError as exc:
        _refuse(str(exc))
    except MemoryError:
        raise SystemExit(1) from None
    except BaseException as exc:  # noqa: BLE001 - a Rust panic in calamine is a BaseException (pyo3)
        _refuse(damaged(exc))
    sys.stdout.buffer.write(text.encode("utf-8"))


def _refuse(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    raise SystemExit(InputError.exit_code)


if __name__ == "__main__":
    _child()
