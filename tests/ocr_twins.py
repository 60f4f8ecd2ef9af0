"""Scanned twins of text reports: the text drawn on page images with a CJK font, saved as an
image-only PDF (what a stamped, scanned report looks like to `enforce`). Needs Pillow and a Noto CJK
font (the ocr extra and Debian's fonts-noto-cjk: `make ocr-test` installs both)."""

from __future__ import annotations

import glob
import io

from PIL import Image, ImageDraw, ImageFont

FONT_GLOBS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/**/NotoSansCJK*.tt[cf]", "/usr/share/fonts/**/NotoSerifCJK*.tt[cf]")
SIZE = 30              # font size in pixels: a 10.5 pt body text scanned at 200 dpi is about this tall
WRAP = 50              # characters per printed line: a long paragraph wraps, as on paper
PER_PAGE = 45          # printed lines per page
CELL_GAP = 3 * SIZE    # the white space between two table cells (a tab in the text version)
DPI = 200


def cjk_font() -> str | None:
    """The path of an installed Noto CJK font, or None."""
    for pattern in FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def printed_lines(text: str) -> list[str]:
    """The lines as printed: blank lines dropped, a long line without cells wrapped."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if "\t" in line:
            out.append(line)
            continue
        out += [line[i:i + WRAP] for i in range(0, len(line), WRAP)]
    return out


def pages(text: str, font_path: str) -> list[Image.Image]:
    """Page images (white, black text, cells of a tab-separated row set apart)."""
    font = ImageFont.truetype(font_path, SIZE)
    lines = printed_lines(text)
    images = []
    for first in range(0, len(lines), PER_PAGE):
        image = Image.new("L", (int(SIZE * (WRAP + 8)), int(SIZE * 1.8 * (PER_PAGE + 4))), 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(lines[first:first + PER_PAGE]):
            x, y = 2 * SIZE, int(2 * SIZE + row * SIZE * 1.8)
            for cell in line.split("\t"):
                draw.text((x, y), cell, font=font, fill=0)
                x += draw.textlength(cell, font=font) + CELL_GAP
        images.append(image)
    return images


def scanned_pdf(text: str, font_path: str) -> bytes:
    """An image-only PDF of the text (no text layer: pypdf finds nothing on it)."""
    images = pages(text, font_path)
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return buf.getvalue()


def scanned_png(text: str, font_path: str) -> bytes:
    """The first page as a PNG image."""
    buf = io.BytesIO()
    pages(text, font_path)[0].save(buf, "PNG")
    return buf.getvalue()
