"""How much of the vocabulary real text uses: each label fragment of data/vocabulary.toml, counted
in the documents of ../shared (seeds, dev cases, corpus) and samples/, and where each row's
example sentences come from.

A fragment no document uses is either a phrasing still to meet (keep it, with a real example) or
a guess (delete it); docs/enginetests.md keeps the verdict on each. Matching is the engine's:
fragments are searched in the normalized view of each text (folded: traditional characters,
full-width forms), table columns as their folded cell text.

    python tools/vocabulary_coverage.py              # summary, fragments used by no / one document
    python tools/vocabulary_coverage.py --tsv        # every fragment: field, role, fragment, documents
    python tools/vocabulary_coverage.py --examples   # where each example / near miss / held-out comes from
"""
from __future__ import annotations

import argparse
import functools
import pathlib
import sys

from enforcement_parser.engine import patterns
from enforcement_parser.api import extract_text, read_input
from enforcement_parser.knowledge.tables import load_toml
from enforcement_parser.engine.phrases import expand
from enforcement_parser.engine.normalizing import normalize
from enforcement_parser.knowledge.folding import fold

ROOT = pathlib.Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# Where the documents are, by the provenance they give an example found in them.
SETS = {"seeds": SHARED / "seeds", "dev": SHARED / "dev" / "cases", "samples": ROOT / "samples",
        "corpus": SHARED / "corpus"}
ROLES = ("labels", "after", "generic", "parts", "columns")
SENTENCES = ("example", "near_miss", "held_out")


@functools.cache
def documents() -> dict[str, str]:
    """{set/name: normalized text} of every .txt document of SETS that is present."""
    out = {}
    for set_name, folder in SETS.items():
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            text = extract_text(read_input(str(path)), path=str(path))[0]
            out[f"{set_name}/{path.name}"] = normalize(text).text
    return out


def fragments() -> list[tuple[str, str, str]]:
    """(field, role, fragment) of every label fragment and table column of the vocabulary."""
    return [(row["path"], role, fragment) for row in load_toml("vocabulary.toml")["field"]
            for role in ROLES for fragment in row.get(role, ())]


def finds(role: str, fragment: str):
    """A predicate: does a normalized text hold this fragment as the engine would look for it."""
    if role == "columns":
        cell = fold(fragment)
        return lambda text: cell in text
    literals = expand(fragment)
    if literals is not None:
        return lambda text: any(lit in text for lit in literals)
    pattern = patterns.compile(f"(?:{fragment})")
    return lambda text: patterns.search(pattern, text) is not None


def usage() -> list[tuple[str, str, str, list[str]]]:
    """(field, role, fragment, the documents holding it) of every fragment."""
    docs = documents()
    out = []
    for path, role, fragment in fragments():
        hit = finds(role, fragment)
        out.append((path, role, fragment, [name for name, text in docs.items() if hit(text)]))
    return out


def provenance(sentence: str) -> list[str]:
    """The sets whose documents hold the sentence verbatim (in the normalized view)."""
    wanted = normalize(sentence).text
    return sorted({name.split("/")[0] for name, text in documents().items() if wanted in text})


def example_rows() -> list[tuple[str, str, str, list[str]]]:
    """(field, key, sentence, sets it is found in) of every example sentence of the vocabulary."""
    return [(row["path"], key, row[key], provenance(row[key]))
            for row in load_toml("vocabulary.toml")["field"] for key in SENTENCES if row.get(key)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tsv", action="store_true", help="every fragment with its document count")
    parser.add_argument("--examples", action="store_true", help="the provenance of every example sentence")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"error: {SHARED} is absent: nothing to measure against", file=sys.stderr)
        return 2
    if args.examples:
        for path, key, sentence, sets in example_rows():
            print(f"{path}\t{key}\t{','.join(sets) or 'none'}\t{sentence}")
        return 0
    rows = usage()
    if args.tsv:
        print("field\trole\tfragment\tdocuments")
        for path, role, fragment, names in rows:
            print(f"{path}\t{role}\t{fragment}\t{len(names)}")
        return 0
    none = [r for r in rows if not r[3]]
    one = [r for r in rows if len(r[3]) == 1]
    examples = [r for r in example_rows() if r[1] == "example"]
    copied = [r for r in examples if {"seeds", "dev"} & set(r[3])]
    print(f"{len(rows)} fragments in {len(documents())} documents: {len(none)} match none, "
          f"{len(one)} match one; {len(copied)} of {len(examples)} examples are found in seeds or dev")
    print("\nmatch no document:")
    for path, role, fragment, _ in none:
        print(f"  {path}\t{role}\t{fragment}")
    print("\nmatch one document:")
    for path, role, fragment, names in one:
        print(f"  {path}\t{role}\t{fragment}\t{names[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
