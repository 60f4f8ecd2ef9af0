"""Parsed records of the sample and shared texts, parsed once per test session."""
import functools
import pathlib

from conftest import SAMPLES, SHARED
from enforcement_parser.api import extract_text, parse_file, read_input

DEV_CASES = SHARED / "dev" / "cases"
DEV_GOLD = SHARED / "dev" / "gold"
SEEDS = SHARED / "seeds"
SEED_GOLD = SHARED / "gold"
NO_SHARED = f"{SHARED} is absent (the shared development set lives beside the repository)"

SAMPLE_TEXTS = sorted(SAMPLES.glob("*.txt"))
DEV_TEXTS = sorted(DEV_CASES.glob("*.txt")) if DEV_CASES.is_dir() else []


@functools.cache
def parsed(path: pathlib.Path) -> tuple[dict, str]:
    """(record, decoded text) of one file, through the public API."""
    record = parse_file(str(path))
    text, _encoding, _fmt = extract_text(read_input(str(path)), path=str(path))
    return record, text


def value_at(record: dict, path: str):
    node = record
    for key in path.split("."):
        node = node[key]
    return node
