"""enforcement_parser: Chinese annual administrative-enforcement reports to JSON records.

The public API is lazy so that `enforce --version` imports nothing heavy.
"""

from .version import SCHEMA_VERSION, __version__

_API = ("parse_text", "parse_file", "parse_bytes", "explain_text", "explain_file", "explain_bytes")
__all__ = ["__version__", "SCHEMA_VERSION", *_API]


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
