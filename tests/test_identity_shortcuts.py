"""Shortcuts in engine/identity.py that must agree with the patterns they stand in for."""

from enforcement_parser.engine import patterns
from enforcement_parser.engine.identity import _YEAR_OPENERS, _compiled


def test_only_the_year_openers_open_a_date():
    date = _compiled()["date"]
    for written in ("1999年1月5日", "2024-01-05", "一九九九年十二月三十日", "二〇二四年一月五日"):
        assert written[0] in _YEAR_OPENERS and patterns.fullmatch(date, written)
        for cp in range(0x10000):
            if chr(cp) not in _YEAR_OPENERS:
                assert patterns.fullmatch(date, chr(cp) + written[1:]) is None, hex(cp)
