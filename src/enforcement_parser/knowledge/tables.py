"""The data tables (data/*.toml), loaded folded: TOML is the source people edit.

Parsing TOML (tomllib is pure Python) and folding it costs ~10 ms of every cold start. Each table is
therefore also kept, parsed and folded, as a JSON snapshot in data/snapshots/ (`make data` writes
them, a test fails when one is stale). A snapshot is used only when it records the current checksum
of the TOML and of the character table it is folded with, so an edited table takes effect at once,
only slower.
"""

from __future__ import annotations

import functools
import json
import os
import zlib

from .datafiles import DATA_DIR, read_bytes
from .folding import fold_strings

SNAPSHOT_DIR = os.path.join(DATA_DIR, "snapshots")


def load_toml(name: str) -> dict:
    """A TOML table with the matching fold (full-width, traditional) applied to its strings,
    since it is matched against folded text."""
    source = read_bytes(name)
    table = _from_snapshot(name, source)
    return _parse_toml(source) if table is None else table


def _parse_toml(source: bytes) -> dict:
    # Deferred: tomllib is needed only when a snapshot is stale (start-up reads the JSON).
    import tomllib

    return fold_strings(tomllib.loads(source.decode("utf-8")))


def _source_crc(source: bytes) -> int:
    """What a snapshot was made from: the traditional->simplified table it is folded with, then
    the TOML (a change to the fold code itself shows in test_datafiles until `make data`)."""
    return zlib.crc32(source, _fold_table_crc())


@functools.cache
def _fold_table_crc() -> int:
    """Read once: every table's snapshot check needs it."""
    return zlib.crc32(read_bytes("t2s.tsv"))


def snapshot_path(name: str) -> str:
    return os.path.join(SNAPSHOT_DIR, os.path.splitext(name)[0] + ".json")


def _from_snapshot(name: str, source: bytes) -> dict | None:
    """The snapshot's table if it was made from exactly these TOML bytes, else None."""
    try:
        with open(snapshot_path(name), encoding="utf-8") as fh:
            snap = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(snap, dict) or snap.get("source_crc32") != _source_crc(source):
        return None
    table = snap.get("table")
    return table if isinstance(table, dict) else None


def snapshot_text(name: str) -> str:
    """The JSON snapshot of data/<name> as `make data` writes it (deterministic)."""
    source = read_bytes(name)
    snap = {"generated_from": name, "source_crc32": _source_crc(source), "table": _parse_toml(source)}
    return json.dumps(snap, ensure_ascii=False, indent=1) + "\n"


def toml_names() -> list[str]:
    return sorted(n for n in os.listdir(DATA_DIR) if n.endswith(".toml"))
