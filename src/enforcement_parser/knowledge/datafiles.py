"""The package's data files (vocabulary, units, topics, gazetteer ...), read from beside the code.

Plain file reads: importlib.resources costs ~20 ms of start-up and the package is never zipped.
"""

from __future__ import annotations

import os

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")


def read_text(name: str) -> str:
    return read_bytes(name).decode("utf-8")


def read_bytes(name: str) -> bytes:
    with open(os.path.join(DATA_DIR, name), "rb") as fh:
        return fh.read()
