"""The package's imports, read with the stdlib ast over src/: no cycle between its modules, and an
import inside a function only where start-up needs it, each listed here with its reason."""

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "enforcement_parser"
PACKAGE = "enforcement_parser"

# (module, the import as written) -> why it is inside a function. A new function-local import fails
# the test until it is hoisted or listed here with its reason; a listed one that is gone fails too.
DEFERRED = {
    ("enforcement_parser", ".api"): "the lazy public API: `import enforcement_parser` and `--version` "
                                    "load no engine",
    ("enforcement_parser.commands.cli", ".parse"): "the plain-parse path: the engine, without typer",
    ("enforcement_parser.commands.cli", ".app"): "typer and click (~150 ms) only off the fast paths",
    ("enforcement_parser.commands.batch", "rich.console"): "rich's progress and tables only for a "
                                                           "batch that runs",
    ("enforcement_parser.commands.batch", "rich.progress"): "as rich.console",
    ("enforcement_parser.commands.batch", "rich.table"): "as rich.console",
    ("enforcement_parser.commands.batch_run", "fcntl"): "POSIX only: guarded by ImportError",
    ("enforcement_parser.outputs.summary", "rich.console"): "rich only for `parse --summary`",
    ("enforcement_parser.commands.ocr_progress", "rich.console"): "rich only while a scan is read on a "
                                                                  "terminal",
    ("enforcement_parser.commands.ocr_progress", "rich.progress"): "as rich.console",
    ("enforcement_parser.outputs.summary", "rich.table"): "as rich.console",
    ("enforcement_parser.files", ".pdf"): "each format's module (and library) loads only when that "
                                          "format is seen; a missing library fails only its format",
    ("enforcement_parser.files", ".docx"): "as .pdf",
    ("enforcement_parser.files", ".sheets"): "as .pdf",
    ("enforcement_parser.files", ".legacy"): "as .pdf",
    ("enforcement_parser.files", ".html"): "as .pdf",
    ("enforcement_parser.files", ".ocr"): "as .pdf; the OCR extra is optional and loads its models",
    ("enforcement_parser.files", "io"): "zipfile (~9 ms) only to sniff a container",
    ("enforcement_parser.files", "zipfile"): "as io",
    ("enforcement_parser.files.decoding", "charset_normalizer"): "the slow last-resort encoding guess",
    ("enforcement_parser.commands.review", "..files.ocr"): "the ocr extra, only to show a scan's pages "
                                                           "(the scan was just read by it)",
    ("enforcement_parser.knowledge.tables", "tomllib"): "TOML is parsed only when a snapshot is stale",
}


def _modules() -> dict[str, pathlib.Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _target(node: ast.ImportFrom, module: str) -> str:
    """The absolute module a `from ... import` names."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if MODULES[module].name != "__init__.py":
        base.pop()
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[ast.AST, set[str]]]:
    """Every import statement of `module`, with the package modules it loads."""
    out = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        names: set[str] = set()
        if isinstance(node, ast.Import):
            names = {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            target = _target(node, module)
            names = {f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target for a in node.names}
        else:
            continue
        out.append((node, {_owner(n) for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}))
    return out


def _owner(name: str) -> str:
    while name not in MODULES:
        name = name.rsplit(".", 1)[0]
    return name


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_the_package_modules():
    """Function-local imports count too: a cycle through one is still a tangle."""
    graph = {m: set().union(*(names for _, names in _imports(m))) - {m} for m in MODULES}
    assert _cycles(graph) == []


def _function_local_imports() -> set[tuple[str, str]]:
    found = set()
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(fn):
                    if isinstance(node, ast.Import):
                        found |= {(module, a.name) for a in node.names}
                    elif isinstance(node, ast.ImportFrom) and node.module is None:   # from . import x
                        found |= {(module, "." * node.level + a.name) for a in node.names}
                    elif isinstance(node, ast.ImportFrom):
                        found.add((module, "." * node.level + node.module))
    return found


def test_function_local_imports_are_only_the_listed_start_up_ones():
    local = _function_local_imports()
    assert local - DEFERRED.keys() == set(), "hoist these to the module top, or list them with a reason"
    assert DEFERRED.keys() - local == set(), "no longer deferred: drop them from DEFERRED"


@pytest.mark.parametrize("module", ["enforcement_parser.commands.cli", "enforcement_parser.version",
                                    "enforcement_parser.knowledge.datafiles"])
def test_leaves_import_nothing_heavy(module):
    """The entry point and the leaves many modules import stay cheap to load."""
    loaded = set().union(*(names for node, names in _imports(module) if node.col_offset == 0))
    assert loaded <= {"enforcement_parser.version", "enforcement_parser.commands.cli"}
