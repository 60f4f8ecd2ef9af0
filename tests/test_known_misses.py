"""The ratchet's bookkeeping: regenerating the known-miss list, and CI without ../shared."""
from conftest import shared_missing_under_ci
from known_misses import TODO, Row, load, regenerate, save


def test_regenerate_keeps_reasons_and_names_what_moved():
    old = {("dev", "001", "a"): Row("dev", "001", "a", "miss", "read far from its label"),
           ("dev", "001", "b"): Row("dev", "001", "b", "miss", "fixed since"),
           ("dev", "002", "c"): Row("dev", "002", "c", "miss", "now wrong")}
    now = {("dev", "001", "a"): ("miss", "MISS  a: want 1"),
           ("dev", "002", "c"): ("wrong", "WRONG c: got 2 want 3"),
           ("samples", "x", "d"): ("extra", "EXTRA d: got 4")}
    rows, added, removed, changed = regenerate(old, now)
    assert [(r.key, r.kind, r.reason) for r in rows] == [
        (("dev", "001", "a"), "miss", "read far from its label"),
        (("dev", "002", "c"), "wrong", "now wrong"),
        (("samples", "x", "d"), "extra", TODO)]
    assert [(r.key, message) for r, message in added] == [(("samples", "x", "d"), "EXTRA d: got 4")]
    assert [r.key for r in removed] == [("dev", "001", "b")]
    assert [(before.kind, after.kind) for before, after, _ in changed] == [("miss", "wrong")]


def test_the_file_round_trips(tmp_path):
    rows = [Row("seeds", "dongli", "penalties.fines", "wrong", "两个数 side by side"),
            Row("dev", "003", "report_year", "miss", "no title")]
    save(rows, tmp_path / "k.tsv")
    assert list(load(tmp_path / "k.tsv").values()) == sorted(rows, key=lambda r: r.key)


def test_a_missing_shared_directory_fails_only_under_ci(tmp_path):
    assert "absent" in shared_missing_under_ci({"CI": "true"}, tmp_path)
    assert shared_missing_under_ci({}, tmp_path) is None
    (tmp_path / "dev" / "gold").mkdir(parents=True)
    assert shared_missing_under_ci({"CI": "true"}, tmp_path) is None
