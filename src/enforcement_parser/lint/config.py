"""Settings for `enforce validate`: profiles, rule selection, and the config file that carries them.

Settings come in two layers, the config file and then the command line, so the command line wins:
a scalar given on the command line replaces the file's, `select` given on the command line starts the
selection afresh, `extend-select` and `ignore` adjust whatever the previous layer left.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..knowledge.catalogue import by_path, fields
from .rule import Rule, all_rules

FORMATS = ("text", "json", "github", "junit", "sarif")
PROFILES = ("core", "full")
CONFIG_NAMES = ("enforce.toml", "pyproject.toml")
# key -> (type, help); the keys of [tool.enforce] and enforce.toml, also documented in docs/validate.md.
KEYS: dict[str, tuple[type, str]] = {
    "profile": (str, "core or full: which fields C101 requires"),
    "select": (list, "rule codes, prefixes or names to enable (replaces the default set)"),
    "extend-select": (list, "rule codes, prefixes or names to enable on top of the selection"),
    "ignore": (list, "rule codes, prefixes or names to disable"),
    "required": (list, "extra catalogue fields C101 requires"),
    "format": (str, "output format: " + ", ".join(FORMATS)),
    "statistics": (bool, "print counts per rule instead of the findings"),
    "exit-zero": (bool, "exit 0 even when there are error findings"),
}
# Under the core profile one of these is enough (a data template gives only the decision total).
CORE_ALTERNATIVES = (("permits.decisions", "permits.granted"),)


@dataclass(frozen=True)
class Settings:
    profile: str = "core"
    rules: tuple[Rule, ...] = ()
    required: tuple[str, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()
    format: str = "text"
    statistics: bool = False
    exit_zero: bool = False
    config_path: str | None = None


# --- finding and reading the file ----------------------------------------------------------

def find_config(start: Path) -> Path | None:
    """The nearest enforce.toml, or pyproject.toml with a [tool.enforce] table, from start upwards."""
    for directory in (start, *start.parents):
        candidate = directory / "enforce.toml"
        if candidate.is_file():
            return candidate
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and "enforce" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read config: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None


def load_config(path: Path) -> dict:
    """The checked settings table of a config file (pyproject.toml: its [tool.enforce] table)."""
    if not path.is_file():
        raise UsageError(f"{path}: config file not found")
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        if "enforce" not in data.get("tool", {}):
            raise UsageError(f"{path}: no [tool.enforce] table")
        data = data["tool"]["enforce"]
        where = f"{path} [tool.enforce]"
    else:
        where = str(path)
    return {key.replace("-", "_"): _checked(key, v, where) for key, v in data.items()}


def _checked(key: str, v, where: str):
    if key not in KEYS:
        close = difflib.get_close_matches(key, KEYS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS)}"
        raise UsageError(f"{where}: unknown key {key!r}{hint}")
    kind = KEYS[key][0]
    if kind is list and isinstance(v, list) and all(isinstance(x, str) for x in v):
        return [x.strip() for x in v if x.strip()]
    if kind is not list and isinstance(v, kind):
        return v
    wanted = {list: "a list of strings", str: "a string", bool: "true or false"}[kind]
    raise UsageError(f"{where}: {key} must be {wanted}, not {v!r}")


# --- resolving the layers ------------------------------------------------------------------

def resolve(file_values: dict, cli_values: dict, config_path: str | None = None) -> Settings:
    """Merge the file layer and the command-line layer (None means not given) into Settings."""
    def pick(key, default):
        for layer in (cli_values, file_values):
            if layer.get(key) is not None:
                return layer[key]
        return default

    profile = pick("profile", "core")
    fmt = pick("format", "text")
    if profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r} (choose {' or '.join(PROFILES)})")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (choose one of {', '.join(FORMATS)})")
    extra = tuple(pick("required", []))
    required, alternatives = profile_fields(profile, extra)
    selected = select_rules([(file_values, config_path or "the config file"), (cli_values, "the command line")])
    return Settings(profile=profile, rules=selected, required=required, alternatives=alternatives,
                    format=fmt, statistics=bool(pick("statistics", False)),
                    exit_zero=bool(pick("exit_zero", False)), config_path=config_path)


def profile_fields(profile: str, extra: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(required paths, groups where one is enough) for a profile plus --required fields."""
    for path in extra:
        if path not in by_path():
            close = difflib.get_close_matches(path, by_path(), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else " (see `enforce fields`)"
            raise UsageError(f"--required: unknown field {path!r}{hint}")
    if profile == "full":
        base, alternatives = [f.path for f in fields()], ()
    else:
        alternatives = tuple(g for g in CORE_ALTERNATIVES if not set(g) & set(extra))
        grouped = {p for g in CORE_ALTERNATIVES for p in g}
        base = [f.path for f in fields() if f.core and (f.path not in grouped or f.path in extra)]
    required = tuple(dict.fromkeys([*base, *extra]))
    return required, alternatives


def _specificity(selector: str, r: Rule) -> int:
    """How closely a selector names a rule: -1 not at all, then ALL < family < prefix < code or name."""
    s = selector.strip()
    if s.upper() == "ALL":
        return 0
    if s.lower() == r.name:
        return 4
    return len(s) if r.code.startswith(s.upper()) else -1


def select_rules(layers: list[tuple[dict, str]]) -> tuple[Rule, ...]:
    """Apply each layer's select / extend-select / ignore, the more specific selector winning a tie."""
    rules = all_rules()
    enabled = {r.code for r in rules if r.default}
    for values, origin in layers:
        select, extend, ignore = values.get("select"), values.get("extend_select") or [], values.get("ignore") or []
        for s in [*(select or []), *extend, *ignore]:
            if all(_specificity(s, r) < 0 for r in rules):
                raise UsageError(f"unknown rule selector {s!r} in {origin} (see `enforce rules`)")
        carried = enabled if select is None else set()
        enabled = set()
        for r in rules:
            on = max((_specificity(s, r) for s in [*(select or []), *extend]), default=-1)
            off = max((_specificity(s, r) for s in ignore), default=-1)
            if on >= 0 and on > off or (off < 0 and r.code in carried):
                enabled.add(r.code)
    return tuple(r for r in rules if r.code in enabled)


def split_list(items: list[str] | None) -> list[str] | None:
    """Command-line lists: repeatable options whose values may also be comma-separated."""
    if items is None:
        return None
    return [part.strip() for item in items for part in item.split(",") if part.strip()]
