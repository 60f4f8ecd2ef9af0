"""Legacy Word (.doc/.wps): read through Debian's antiword or catdoc, with a time limit; the error names
the program to install when neither is there. The fixture is made once with LibreOffice (see its README)."""

import os
import shutil
import subprocess

import pytest

import formats_builders as B
from conftest import ROOT, enforce_exe
from enforcement_parser.api import extract_text, parse_bytes, parse_text
from enforcement_parser.errors import InputError
from enforcement_parser.files import legacy
from test_formats import TWIN_TEXT, assert_spans, figures

TWIN_DOC = (ROOT / "tests" / "data" / "legacy" / "twin.doc").read_bytes()
# What the twin reads as: paragraphs as antiword separates them, the table as framed pipe rows.
TWIN_DOC_LINES = [B.TWIN[0], "", B.TWIN[1], "", B.TWIN[2], "", B.TWIN[3], "", "| 警告 | 罚款 | 合计 |",
                  "| 31 | 54 | 85 |", "", B.TWIN[6], "", B.TWIN[7]]


def needs(program: str) -> None:
    """CI installs both programs (make legacy-tools): there a missing one is a failure, not a skip."""
    if shutil.which(program) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{program} is not installed; .ci/run runs `make legacy-tools` first")
        pytest.skip(f"{program} is not installed (make legacy-tools)")


def only_on_path(tmp_path, monkeypatch, programs: dict[str, str]) -> None:
    """PATH holds just these programs: name -> a real program to link, or a shell script to write."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, target in programs.items():
        if target.startswith("#!"):
            (bin_dir / name).write_text(target)
            (bin_dir / name).chmod(0o755)
        else:
            (bin_dir / name).symlink_to(target)
    monkeypatch.setenv("PATH", str(bin_dir))


@pytest.mark.parametrize("name", ["report.doc", "report.wps", "report.bin"])
def test_a_word_97_document_reads_to_its_twin(name):
    needs("antiword")
    text, encoding, fmt = extract_text(TWIN_DOC, path=name)
    assert (text.split("\n"), encoding, fmt) == (TWIN_DOC_LINES, "binary", "doc")
    record = parse_bytes(TWIN_DOC, path=name)
    assert_spans(record, text)
    assert figures(record) == figures(parse_text(TWIN_TEXT))


def test_catdoc_is_used_when_antiword_is_missing(tmp_path, monkeypatch):
    needs("catdoc")
    only_on_path(tmp_path, monkeypatch, {"catdoc": shutil.which("catdoc")})
    text = extract_text(TWIN_DOC, path="r.doc")[0]
    assert text.split("\n") == [*B.TWIN[:4], "警告\t罚款\t合计", "31\t54\t85", *B.TWIN[6:]]
    assert figures(parse_bytes(TWIN_DOC, path="r.doc")) == figures(parse_text(TWIN_TEXT))


def test_without_either_program_the_error_names_the_package(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(TWIN_DOC)
    empty = tmp_path / "empty-path"
    empty.mkdir()
    result = subprocess.run([enforce_exe(), "parse", str(path)], capture_output=True,
                            env={**os.environ, "PATH": str(empty)})
    err = result.stderr.decode()
    assert result.returncode == 3 and result.stdout == b"" and err.count("\n") == 1, err
    assert err.startswith(f"error: {path}: ") and "apt-get install antiword" in err


def test_a_converter_that_fails_is_one_reason():
    needs("antiword")
    with pytest.raises(InputError, match=r"truncated or damaged Word 97 document \(antiword: the file is not a Word"):
        extract_text(TWIN_DOC[:9000], path="cut.doc")


@pytest.mark.parametrize("raw, tidied", [
    ("\n\n标题  \n\n\n正文\n\n", "标题\n\n正文"),
    ("|警告      |罚款      |\n|31        |          |", "| 警告 | 罚款 |\n| 31 |  |"),
    ("a | b 不是表格行", "a | b 不是表格行"),
    ("第一页\f第二页\r\n", "第一页\n第二页"),
])
def test_tidy(raw, tidied):
    assert legacy.tidy(raw) == tidied
