"""The package's data files (vocabulary, units, topics, gazetteer ...), read from beside the code.

Plain file reads: importlib.resources costs ~20 ms of start-up and the package is never zipped.
"""

from __future__ import annotations

import os

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def read_text(name: str) -> str:
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as fh:
        return fh.read()


def load_toml(name: str, *, folded: bool = False) -> dict:
    """A TOML table; `folded` applies the matching fold first (full-width, traditional)."""
    import tomllib

    text = read_text(name)
    if folded:
        from .normalizing import fold

        text = fold(text)
    return tomllib.loads(text)
