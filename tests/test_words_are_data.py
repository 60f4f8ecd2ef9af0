"""Words are data: a Chinese word list written in the code fails here — a set, tuple or list literal
of three or more strings with Chinese characters, or a regex alternation of three or more Chinese
words ("增加|减少|下降"). Put the words in a data table (src/enforcement_parser/data/*.toml, then
`make data`) under an id, with a comment and an example that is a test; the code keeps the shape
(where the words stand in a pattern). The few lists below stay in the code, each for its reason."""
import ast
import re

import pytest

from conftest import ROOT

SRC = ROOT / "src" / "enforcement_parser"
CJK = re.compile(r"[\u3400-\u9fff]")
# three or more bare Chinese words joined by |, not inside a character class or after an escape
ALTERNATION = re.compile(r"(?<![\\\[])[\u3400-\u9fff]+(?:\|[\u3400-\u9fff]+){2,}")
REVIEW_COLUMNS = "the review page's column titles: interface wording, not knowledge of reports"

# (module, the first string with Chinese characters of the literal, or the alternation) -> reason
ALLOWED = {
    ("commands/batch_run.py", "文件"): "the batch summary's column titles (docs/batch.md): output wording, not "
                                     "knowledge of reports",
    **{("outputs/review_page.py", title): REVIEW_COLUMNS for title in (
        "文件 file", "机关 agency", "年度 year", "类型 kind", "完整度 completeness %", "核心 core", "错误 errors",
        "警告 warnings", "审核 reviewed")},
    ("engine/identity.py", "一"): "the first characters the year pattern allows (1, 2, 一, 二): numerals, a shape",
    ("engine/segmenting.py", "部分|章|节"): "heading numbering (第一部分, 第一章, 第一节): the shape of a heading",
    ("engine/readers/sentences.py", "为|是|有|共"): "copulas between a year and its figure (2023年为1件): the "
                                                 "grammar of a clause shape",
    ("engine/readers/sentences.py", "起|以来|来|底|末"): "what makes a year a point or the start of a span "
                                                     "(2021年起, 以来, 年底): the grammar of a time phrase",
    ("engine/readers/sentences.py", "对|将|把|另有|对"): "prepositions that put the object first (对, 将, 把): "
                                                      "the grammar of an object-first clause",
    ("knowledge/places.py", "北京市"): "the four municipalities: the gazetteer module's own reading of "
                                     "places.tsv (tools/make_places.py writes the table with the same four)",
    ("knowledge/places.py", "特别行政区"): "the endings of division names: the gazetteer module's reading of "
                                        "places.tsv names (东丽区 -> 东丽)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {id(n.body[0].value) for n in ast.walk(tree) if isinstance(n, nodes) and ast.get_docstring(n) is not None}


def word_lists(source: str) -> list[str]:
    """The Chinese word lists written in a module's code: for each, its first Chinese string or its
    alternation."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            strings = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            chinese = [s for s in strings if CJK.search(s)]
            if len(strings) >= 3 and chinese:
                found.append(chinese[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            found += ALTERNATION.findall(node.value)
    return found


def _found() -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        for key in word_lists(path.read_text(encoding="utf-8")):
            out[module, key] = out.get((module, key), 0) + 1
    return out


def test_no_chinese_word_list_is_written_in_the_code():
    found = _found()
    assert sorted(k for k in found if k not in ALLOWED) == [], "move these words to a data table (see above)"
    assert sorted(k for k in ALLOWED if k not in found) == [], "an allowed list is gone: drop it from ALLOWED"


@pytest.mark.parametrize("source, found", [
    ('_WORDS = ("领域", "行业", "系统内")', ["领域"]),
    ('_WORDS = frozenset({"目录", "目次", "contents"})', ["目录"]),
    ('_P = compile(r"(?:增加|增长|减少)(?:到|至)")', ["增加|增长|减少"]),
    ('_P = compile(r"^(?:其中|含)")', []),              # two words: a shape
    ('_P = compile(r"[增减降升]至")', []),               # a character class
    ('_P = ("，", "。", "；")', []),                     # punctuation, no Chinese character
    ('def f():\n    """增加|增长|减少 in a docstring"""', []),
])
def test_the_scan_finds_word_lists(source, found):
    assert word_lists(source) == found
