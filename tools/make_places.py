"""Regenerate src/enforcement_parser/data/places.tsv from cpca's adcode table.

The gazetteer is data the engine ships; cpca (MIT) is only needed to rebuild it:
    pip install cpca && python tools/make_places.py
"""
import csv
import importlib.resources
import pathlib

MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = pathlib.Path(__file__).resolve().parents[1] / "src/enforcement_parser/data/places.tsv"


def main() -> None:
    src = importlib.resources.files("cpca") / "resources" / "adcodes.csv"
    rows = list(csv.DictReader(src.open(encoding="utf-8")))
    names = {r["adcode"][:6]: r["name"] for r in rows}
    out = []
    for r in rows:
        code, name = r["adcode"][:6], r["name"]
        if r["adcode"][6:] != "000000" or name in PLACEHOLDERS:
            continue
        province = names.get(code[:2] + "0000", "")
        if code[2:] == "0000":
            level, city = "province", (name if name in MUNICIPALITIES else "")
        elif code[4:] == "00":
            level, city = "city", name
        else:
            level = "district"
            city = province if province in MUNICIPALITIES else names.get(code[:4] + "00", "")
            if city in PLACEHOLDERS:
                city = ""
        out.append((code, level, name, province, city))
    out.sort()
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write("code\tlevel\tname\tprovince\tcity\n")
        for row in out:
            fh.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
