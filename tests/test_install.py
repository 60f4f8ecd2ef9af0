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
