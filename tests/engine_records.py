"""Parsed records of the sample and shared texts, parsed once per test session, and the gold cases."""
import functools
import json
import pathlib
from dataclasses import dataclass, field

from conftest import SAMPLES, SHARED
from enforcement_parser.api import extract_text, parse_file, read_input

DEV_CASES = SHARED / "dev" / "cases"
DEV_GOLD = SHARED / "dev" / "gold"
SEEDS = SHARED / "seeds"
SEED_GOLD = SHARED / "gold"
NO_SHARED = f"{SHARED} is absent (the shared development set lives beside the repository)"

SAMPLE_GOLD = SAMPLES / "gold"
# The three sets of hand-checked gold: name -> (gold directory, directory of the texts it names).
GOLD_SETS = {"seeds": (SEED_GOLD, SEEDS), "dev": (DEV_GOLD, DEV_CASES), "samples": (SAMPLE_GOLD, SAMPLES)}
# The five seeds are also samples, byte for byte, under readable names: parsed once, as samples.
SEED_SAMPLES = {
    "000_227cbd767f18b893.txt": "shenyang_template.txt",
    "001_29a50878a8927d2e.txt": "yubei_markdown.txt",
    "002_d9e4bc978c5d915f.txt": "dongli_narrative.txt",
    "003_4f0c3f35a078f290.txt": "huainan_notice.txt",
    "004_def4dc8d441f5fbb.txt": "taizhou_web.txt",
}

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


@dataclass(frozen=True)
class GoldCase:
    """One text with its gold file: `set` is a key of GOLD_SETS, `name` the gold file's stem."""
    set: str
    name: str
    text: pathlib.Path = field(compare=False)
    gold: dict = field(compare=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.set}/{self.name}"


def gold_cases() -> list[GoldCase]:
    """Every gold case of the sets whose directory is here (the shared ones may be absent)."""
    cases = []
    for set_name, (gold_dir, text_dir) in GOLD_SETS.items():
        for gold_path in sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            text = text_dir / (gold.get("seed") or gold.get("case"))
            if set_name == "seeds":
                text = SAMPLES / SEED_SAMPLES[text.name]
            cases.append(GoldCase(set_name, gold_path.stem, text, gold))
    return cases
