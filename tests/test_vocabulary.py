"""The vocabulary's own examples are its tests: each entry must read its example sentence as its
`expect` value and its own-wording `held_out` sentence as `held_out_expect`, and must not read its
near miss (the schema is at the top of data/vocabulary.toml). Sentences are wrapped as a minimal annual report, because the
engine reads figures only from documents it recognises as one calendar year's report."""
import importlib.util
import tomllib
from importlib import resources

import pytest
import regex
from hypothesis import given, settings, strategies as st

from conftest import ROOT, SHARED
from enforcement_parser.engine import labels as vocabulary
from enforcement_parser.api import parse_text
from enforcement_parser.knowledge.catalogue import by_path, fields
from enforcement_parser.engine.decisions import RULES
from enforcement_parser.engine.labels import entries
from enforcement_parser.engine.readers import implicit, sentences, tables, templates
from enforcement_parser.knowledge.tables import load_toml

RAW = tomllib.loads(resources.files("enforcement_parser").joinpath("data/vocabulary.toml")
                    .read_text(encoding="utf-8"))
FIELDS = RAW["field"]
FIGURE_KINDS = ("count", "money_yuan", "percent", "ratio")

# Figure fields deliberately found without a vocabulary entry: path -> reason.
NO_VOCABULARY: dict[str, str] = {}

# Entries whose example, own wording or near miss the engine gets wrong today: path -> reason (strict xfail).
EXAMPLE_GAPS: dict[str, str] = {}
HELD_OUT_GAPS: dict[str, str] = {}
NEAR_MISS_GAPS: dict[str, str] = {}
# The keys every [[field]] row holds (the schema at the top of vocabulary.toml).
EXAMPLE_KEYS = ("example", "expect", "near_miss", "held_out", "held_out_expect")

TITLE = "某市某局2023年度行政执法工作报告"


def as_report(sentence: str) -> str:
    return f"{TITLE}\n\n{sentence}。\n"


def value_at(record: dict, path: str):
    node = record
    for key in path.split("."):
        node = node[key]
    return node


def _params(gaps):
    return [pytest.param(e, id=e["path"], marks=pytest.mark.xfail(strict=True, reason=gaps[e["path"]]))
            if e["path"] in gaps else pytest.param(e, id=e["path"]) for e in FIELDS]


def test_the_wrapper_is_read_as_an_annual_report():
    record = parse_text(as_report("罚款625649件"))
    assert record["document"]["kind"] == "report"
    assert record["report_year"] == 2023
    assert record["document"]["period"] == "annual"


def test_every_entry_has_its_examples_and_expected_values():
    """One test naming every row that lacks a key, so a row added without them fails by its path."""
    lacking = {e["path"]: [k for k in EXAMPLE_KEYS if e.get(k) in (None, "")] for e in FIELDS}
    assert {path: keys for path, keys in lacking.items() if keys} == {}, (
        "each [[field]] row needs example, expect, near_miss, held_out, held_out_expect "
        "(see the top of data/vocabulary.toml)")


@pytest.mark.parametrize("entry", FIELDS, ids=[e["path"] for e in FIELDS])
def test_entry_examples_differ(entry):
    sentences = [entry.get(k) for k in ("example", "near_miss", "held_out")]
    assert len(set(sentences)) == 3, sentences


def _reads(sentence: str, path: str, expected) -> None:
    record = parse_text(as_report(sentence))
    assert value_at(record, path) == expected, f"{path} from {sentence!r}"
    evidence = record["evidence"][path]
    assert evidence["text"] in sentence.replace("\n", ""), evidence


@pytest.mark.parametrize("entry", _params(EXAMPLE_GAPS))
def test_example_reads_its_value(entry):
    _reads(entry["example"], entry["path"], entry.get("expect"))


@pytest.mark.parametrize("entry", _params(HELD_OUT_GAPS))
def test_held_out_wording_reads_its_value(entry):
    _reads(entry.get("held_out", ""), entry["path"], entry.get("held_out_expect"))


@pytest.mark.parametrize("entry", _params(NEAR_MISS_GAPS))
def test_near_miss_is_not_read(entry):
    path, near_miss = entry["path"], entry["near_miss"]
    value = value_at(parse_text(as_report(near_miss)), path)
    # Stricter than "not the example's value": a near miss is a sentence the entry must not read.
    assert value is None, f"{path} read {value!r} from near miss {near_miss!r}"


def test_every_vocabulary_path_is_a_catalogue_path():
    unknown = [e["path"] for e in FIELDS if e["path"] not in by_path()]
    assert unknown == []


def test_no_duplicate_entries():
    paths = [e["path"] for e in FIELDS]
    assert len(paths) == len(set(paths))
    assert set(entries()) == set(paths)


def test_every_figure_field_has_an_entry_or_a_reason():
    have = {e["path"] for e in FIELDS}
    missing = [f.path for f in fields() if f.kind in FIGURE_KINDS and f.path not in have
               and f.path not in NO_VOCABULARY]
    assert missing == []
    assert not set(NO_VOCABULARY) & have, "an allowlisted field now has an entry: drop it from the list"


def test_entries_name_known_unit_families():
    from enforcement_parser.engine.quantities import tables

    families = set(tables()["units"]) | {""}
    bad = {e["path"]: e.get("units") for e in FIELDS if not set(e.get("units", [])) <= families}
    assert bad == {}


WILDCARD_WORDS = ["持有", "执法证", "件", "的", "人员", "共", "吊销", "许可证", "执照", "涉嫌", "犯罪", "罪", "案件",
                  "移送", "公安机关", "一般", "程序", "行政", "处罚", "全部", "均", "经过", "法制审核", "受理", "申请",
                  "许可", "检查", "作出", "重大", "执法", "决定", "备案", "向同级人民政府法制部门备案", "等", "（", "）",
                  "：", "1", "，", "。", "\n", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WILDCARD_WORDS), max_size=40))
def test_wildcard_labels_are_found_as_the_alternation_of_the_fragments_finds_them(words):
    """Searching each wildcard fragment on its own gives the leftmost, non-overlapping matches
    that one alternation of all the fragments (in vocabulary order) gives."""
    text = "".join(words)
    alternation = regex.compile("|".join(f"(?:{f})" for _, _, f in vocabulary._lexicon()[2]))
    expected = [(m.start(), m.end()) for m in alternation.finditer(text) if m.end() > m.start()]
    assert vocabulary._wildcard_spans(text) == expected


@pytest.mark.parametrize("key", ["negations", "not_applicable", "zero_words"])
def test_words_scanned_line_by_line_are_literal(key):
    """The implicit reader scans these in line chunks (patterns.finditer_lines), which is exact
    only for words that cannot run past a line end: each must expand to literal phrases."""
    from enforcement_parser.engine.phrases import expand

    words = vocabulary.table("implicit")[key]
    fragments = words if isinstance(words, list) else [f for frags in words.values() for f in frags]
    assert fragments
    for fragment in fragments:
        literals = expand(fragment)
        assert literals and not any("\n" in w for w in literals), fragment


def _coverage_tool():
    spec = importlib.util.spec_from_file_location("vocabulary_coverage", ROOT / "tools" / "vocabulary_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COVERAGE = _coverage_tool()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")
def test_held_out_wordings_are_in_no_document():
    """A held-out example is our own wording: found verbatim in a seed, dev case, corpus text or
    sample it would be one more developed-on example."""
    found = {e["path"]: COVERAGE.provenance(e["held_out"]) for e in FIELDS if e.get("held_out")}
    assert {path: sets for path, sets in found.items() if sets} == {}


@pytest.mark.parametrize("role,fragment,text,found", [
    ("labels", "罚没(款|金额)?", "全年罚没款12万元", True),            # literal phrases
    ("labels", "罚没(款|金额)?", "全年罚款12万元", False),
    ("labels", "持有.{0,10}执法证件?的?人员", "持有浙江省行政执法证件的人员", True),   # a wildcard
    ("columns", "查封扣押财物", "| 查封扣押財物 |", True),               # a column, folded like the text
])
def test_the_coverage_tool_finds_fragments_as_the_engine_does(role, fragment, text, found):
    assert COVERAGE.finds(role, fragment)(COVERAGE.normalize(text).text) is found


# The sentence reader's word lists (vocabulary.toml [sentence]): each list's example and near miss are
# its tests, and the example must need the list (without the words it uses, it reads otherwise).
SENTENCE_LISTS = RAW["sentence"]
SENTENCE_KEYS = ("words", "example", "path", "near_miss")


def test_every_sentence_list_has_its_words_and_test():
    lacking = {key: [k for k in SENTENCE_KEYS if not row.get(k)] for key, row in SENTENCE_LISTS.items()}
    assert {key: keys for key, keys in lacking.items() if keys} == {}
    assert all(row["path"] in by_path() for row in SENTENCE_LISTS.values())
    # a list a decision applies names it (`enforce parse --explain` shows the decision's id)
    assert {key: row["decision"] for key, row in SENTENCE_LISTS.items() if row.get("decision") not in (None, *RULES)} == {}


@pytest.mark.parametrize("key", SENTENCE_LISTS)
def test_sentence_list_example_reads_its_value(key):
    row = SENTENCE_LISTS[key]
    assert value_at(parse_text(as_report(row["example"])), row["path"]) == row.get("expect"), row["example"]


@pytest.mark.parametrize("key", SENTENCE_LISTS)
def test_sentence_list_near_miss_reads_its_value(key):
    row = SENTENCE_LISTS[key]
    assert row.get("near_miss_expect") != row.get("expect"), "a near miss reads otherwise than the example"
    assert value_at(parse_text(as_report(row["near_miss"])), row["path"]) == row.get("near_miss_expect")


@pytest.mark.parametrize("key", SENTENCE_LISTS)
def test_sentence_list_example_needs_its_words(key, monkeypatch):
    """Without the words of the list that occur in its example, the example reads otherwise: the
    example tests the list, and the engine takes the list from the data."""
    row = vocabulary.table("sentence")[key]
    kept = [w for w in row["words"] if not regex.search(w, row["example"])]
    assert kept != row["words"], f"no word of [sentence] {key} occurs in its example"
    monkeypatch.setitem(row, "words", kept)
    sentences._words.cache_clear()
    try:
        value = value_at(parse_text(as_report(row["example"])), row["path"])
    finally:
        monkeypatch.undo()
        sentences._words.cache_clear()
    assert value != row.get("expect"), f"{row['example']!r} reads {value!r} without its words"


# Word lists of the other tables the readers place in a pattern (vocabulary.toml [implicit] and
# [columns], document.toml [pages]): `<key>_example` and `<key>_near_miss` beside a list are its tests.
LIST_TABLES = {("vocabulary.toml", "implicit"): RAW["implicit"], ("vocabulary.toml", "columns"): RAW["columns"],
               ("document.toml", "pages"): load_toml("document.toml")["pages"]}
TESTED_LISTS = [(file, name, key) for (file, name), t in LIST_TABLES.items() for key in t if f"{key}_example" in t]
READER_CACHES = (tables._unit_headers, tables._placeholders, tables._contents_titles, templates._quantity_item,
                 implicit._compiled, implicit._name_list)


def test_the_lists_with_examples_are_the_ones_the_readers_place():
    assert sorted(key for _, _, key in TESTED_LISTS) == [
        "contents_titles", "names_after", "noun_tails", "placeholders", "quantity_items", "unit_headers"]


def _reads_as(row: dict) -> None:
    record = parse_text(f"{TITLE}\n\n{row['text']}\n")
    assert value_at(record, row["path"]) == row.get("expect"), row["text"]
    codes = {w["code"] for w in record["warnings"] if w.get("field") == row["path"]}
    assert (row["warning"] in codes) if "warning" in row else not codes - {"missing-field"}, codes


@pytest.mark.parametrize("file, name, key", TESTED_LISTS)
def test_list_example_and_near_miss(file, name, key):
    t = LIST_TABLES[file, name]
    _reads_as(t[f"{key}_example"])
    _reads_as(t[f"{key}_near_miss"])


@pytest.mark.parametrize("file, name, key", TESTED_LISTS)
def test_list_example_needs_its_words(file, name, key, monkeypatch):
    """Without the list's words that occur in its example, the example reads otherwise."""
    row = LIST_TABLES[file, name][f"{key}_example"]
    if file == "vocabulary.toml":
        live = vocabulary.table(name)
    else:
        live = load_toml(file)
        monkeypatch.setattr(tables, "load_toml", lambda _: live)
    words = live[name][key] if file != "vocabulary.toml" else live[key]
    kept = [w for w in words if w == "" or w not in row["text"]]
    assert kept != words, f"no word of [{name}] {key} occurs in its example"
    monkeypatch.setitem(live if file == "vocabulary.toml" else live[name], key, kept)
    for cache in READER_CACHES:
        cache.cache_clear()
    try:
        with pytest.raises(AssertionError):
            _reads_as(row)
    finally:
        monkeypatch.undo()
        for cache in READER_CACHES:
            cache.cache_clear()
