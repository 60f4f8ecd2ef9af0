"""`enforce validate`: a linter over records (raw reports parsed on the fly, or JSON records).

Rules live one family per module (completeness, consistency, document); each rule has a stable code,
a name, a severity and a docstring whose examples a test runs. Problems are plain records; formatters
and configuration are separate modules, and the command module is the only place that touches the CLI.
"""
