"""enforcement_parser: Chinese annual administrative-enforcement reports to JSON records.

The public API is lazy so that `enforce --version` imports nothing heavy.
"""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"

__all__ = ["__version__", "SCHEMA_VERSION", "parse_text", "parse_file", "parse_bytes"]


def __getattr__(name: str):
    if name in ("parse_text", "parse_file", "parse_bytes"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
