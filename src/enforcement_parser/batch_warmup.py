"""Imported once by the batch fork server: parse a tiny text so that the engine's lazily built tables
(vocabulary tries, place lists) exist before the workers are forked and every worker inherits them."""

from __future__ import annotations


def _warm_up() -> None:
    from .api import parse_text

    try:
        parse_text("某市行政执法年度报告\n2023年，共办理行政处罚案件12件。\n", path="<warm-up>")
    except Exception:  # a broken engine shows up on the real inputs, with their names
        pass


_warm_up()
