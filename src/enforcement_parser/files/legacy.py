"""Legacy Word (.doc, and .wps saved as Word 97): the text of Debian's `antiword`, else `catdoc`.

No Python library reads Word 97 binaries well; these two small C programs do, and are one
`apt-get install` away. They run on a temporary copy of the file (never through a shell), with
a time limit, and their output is tidied into the shapes the readers know: a table row comes out
as a framed pipe row ("| 警告 | 罚款 | 合计 |") as from a spreadsheet, without antiword's padding.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile

from ..errors import InputError

TIME_LIMIT_S = 30.0
# (program, arguments before the file): antiword with UTF-8 output and no line wrapping (-w 0);
# catdoc with UTF-8 output and no wrapping (-w).
PROGRAMS = (("antiword", ("-m", "UTF-8.txt", "-w", "0")), ("catdoc", ("-d", "utf-8", "-w")))
_PADDED_ROW = re.compile(r"\|(?:[^|\n]*\|)+")


def doc_text(data: bytes) -> str:
    """The document's text, one line per paragraph, tables as framed pipe rows."""
    program, args = _converter()
    with tempfile.NamedTemporaryFile(prefix="enforce-", suffix=".doc") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            done = subprocess.run([program, *args, tmp.name], capture_output=True, timeout=TIME_LIMIT_S,
                                  stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C.UTF-8"})
        except subprocess.TimeoutExpired:
            raise InputError(f"{os.path.basename(program)} took longer than {TIME_LIMIT_S:.0f} s "
                             "on this Word 97 document; refused") from None
        except OSError as exc:
            raise InputError(f"cannot run {program}: {exc.strerror}") from None
        reason = done.stderr.decode("utf-8", "replace").replace(tmp.name, "the file").strip().splitlines()
    if done.returncode != 0:
        raise InputError(f"truncated or damaged Word 97 document ({os.path.basename(program)}: "
                         f"{reason[-1][:120] if reason else f'exit {done.returncode}'})")
    text = tidy(done.stdout.decode("utf-8", "replace"))
    if not text:
        raise InputError("Word 97 document has no text")
    return text


def _converter() -> tuple[str, tuple[str, ...]]:
    for name, args in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found, args
    raise InputError("reading a legacy Word (.doc/.wps) file needs the program 'antiword' (or 'catdoc'); "
                     "install it with: apt-get install antiword (or save the document as .docx)")


def tidy(text: str) -> str:
    """Lines without trailing blanks, antiword's padded table rows as framed pipe rows, at most one
    empty line in a row, none at either end."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\f", "\n").split("\n"):
        line = line.rstrip()
        if _PADDED_ROW.fullmatch(line.strip()):
            cells = [c.strip() for c in line.strip()[1:-1].split("|")]
            line = "| " + " | ".join(cells) + " |"
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
