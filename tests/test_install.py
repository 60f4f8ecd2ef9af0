"""How the package installs: a format library that cannot be imported is one `error:` line naming the
package (exit 3), through the real entry point; and (under CI) a fresh venv with a plain `pip install .`
reads every advertised format."""

import os

import pytest

import formats_builders as B

# The library each format needs, and a file of that format.
CASES = [
    ("selectolax", "selectolax", "page.html", lambda: B.gov_html(B.TWIN).encode()),
    ("lxml", "lxml", "report.docx", lambda: B.docx_bytes(B.TWIN)),
    ("pypdf", "pypdf", "report.pdf", lambda: B.pdf_bytes(B.TWIN)),
    ("python_calamine", "python-calamine", "book.xlsx", lambda: B.xlsx_bytes([("Sheet1", B.sheet_rows(B.TWIN))])),
]


def blocking(tmp_path, module: str) -> dict:
    """An environment whose interpreter cannot import `module`: a sitecustomize on PYTHONPATH puts
    None in sys.modules, which is what Python itself does to mark a module as unimportable."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(f"import sys\nsys.modules[{module!r}] = None\n")
    return {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}


@pytest.mark.parametrize("module, package, name, build", CASES, ids=[c[0] for c in CASES])
def test_a_missing_format_library_is_one_error_line_naming_the_package(tmp_path, module, package, name, build):
    import subprocess

    from conftest import enforce_exe

    path = tmp_path / name
    path.write_bytes(build())
    env = blocking(tmp_path, module)
    for args in (["parse", path], ["parse", path, "--summary"], ["validate", path]):
        result = subprocess.run([enforce_exe(), *map(str, args)], capture_output=True, env=env)
        err = result.stderr.decode()
        assert result.returncode == 3, (args, err)
        assert result.stdout == b""
        assert err.count("\n") == 1 and err.startswith(f"error: {path}: "), err
        assert f"pip install {package}" in err and "Traceback" not in err
    text = tmp_path / "report.txt"
    text.write_text("\n".join(B.TWIN), encoding="utf-8")
    plain = subprocess.run([enforce_exe(), "parse", str(text), "--compact"], capture_output=True, env=env)
    assert plain.returncode == 0, plain.stderr   # plain text never needs the library


# --- the plain install ------------------------------------------------------------------------

INSTALL_CHECK = os.environ.get("CI") == "true" or os.environ.get("ENFORCE_INSTALL_TEST") == "1"


def seed_twins(directory) -> dict[str, str]:
    """Every seed in every format a plain install must read; name -> the plain text it was made from."""
    from conftest import SHARED

    made = {}
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        lines = text.splitlines()
        rows = B.sheet_rows(lines)
        builds = {".txt": lambda: text.encode("utf-8"), ".html": lambda: B.gov_html(lines).encode("utf-8"),
                  ".docx": lambda: B.docx_bytes(lines), ".pdf": lambda: B.pdf_bytes(lines),
                  ".xlsx": lambda: B.xlsx_bytes([("Sheet1", rows)]), ".ods": lambda: B.ods_bytes([("Sheet1", rows)]),
                  ".xls": lambda: B.xls_bytes([("Sheet1", rows)])}
        for suffix, build in builds.items():
            name = seed.stem[:3] + suffix
            (directory / name).write_bytes(build())
            made[name] = text
    return made


@pytest.mark.skipif(not INSTALL_CHECK, reason="creates a venv and installs (1-2 min): runs under CI=true "
                                              "or ENFORCE_INSTALL_TEST=1 (make install-check)")
def test_a_plain_pip_install_reads_every_format_to_the_same_figures(tmp_path):
    """As the README tells a user: a fresh venv, `pip install .`, no extras; then every seed in every
    format through `enforce batch` gives the figures the seed's text gives."""
    import json
    import shutil
    import subprocess
    import sys
    import venv

    from conftest import ROOT
    from enforcement_parser.api import parse_text

    source = tmp_path / "source"   # a copy, so the build leaves nothing in the work tree
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = subprocess.run([env_dir / "bin" / "python", "-m", "pip", "install", "-q", str(source)],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr
    inputs = tmp_path / "in"
    inputs.mkdir()
    made = seed_twins(inputs)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([env_dir / "bin" / "enforce", "batch", str(inputs), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "out" / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(r["source"]["path"] for r in records) == sorted(made)
    skip = {"schema_version", "source", "evidence", "warnings"}
    for record in records:
        want = parse_text(made[record["source"]["path"]])
        assert {k: v for k, v in record.items() if k not in skip} == {k: v for k, v in want.items() if k not in skip}, \
            record["source"]["path"]
