"""Regenerate src/enforcement_parser/data/t2s.tsv, a one-character traditional->simplified fold.

Only one-to-one character pairs are kept so that folding never moves an offset.
The table is shipped data; zhconv is only needed to rebuild it:
    pip install zhconv && python tools/make_t2s.py
"""
import json
import importlib.resources
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[1] / "src/enforcement_parser/data/t2s.tsv"


def main() -> None:
    table = json.loads((importlib.resources.files("zhconv") / "zhcdict.json").read_text(encoding="utf-8"))
    pairs = sorted(
        (k, v) for k, v in table["zh2Hans"].items() if len(k) == 1 and len(v) == 1 and k != v
    )
    OUT.write_text("".join(f"{k}\t{v}\n" for k, v in pairs), encoding="utf-8")


if __name__ == "__main__":
    main()
