"""The extraction engine: text -> values, evidence and warnings (see pipeline.py)."""
