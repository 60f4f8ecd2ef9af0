"""The tool's and the record schema's versions: a leaf any module may import (the package's
__init__ would tie every importer to the public API)."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.0"
