"""Rewrite the JSON snapshots of data/*.toml that start-up reads (`make data`; see knowledge/tables.py).

Run after editing a table: tests/test_tables.py fails while a snapshot is stale.
"""
import os

from enforcement_parser.knowledge.tables import SNAPSHOT_DIR, snapshot_path, snapshot_text, toml_names
from enforcement_parser.outputs.writing import write_output


def main() -> None:
    os.makedirs(SNAPSHOT_DIR, exist_ok=True)
    for name in toml_names():
        path = snapshot_path(name)
        write_output(path, snapshot_text(name))   # atomically
        print(path)


if __name__ == "__main__":
    main()
