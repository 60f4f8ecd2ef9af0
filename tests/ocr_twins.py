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


def turned(image: Image.Image, degrees: int) -> Image.Image:
    """The page as a scanner fed it sideways or upside down (degrees counter-clockwise)."""
    return image.rotate(degrees, expand=True)


def skewed(image: Image.Image, degrees: float) -> Image.Image:
    """The page laid a little askew on the glass (degrees counter-clockwise), on white."""
    return image.rotate(degrees, expand=True, fillcolor=255, resample=Image.BICUBIC)


def no_text_photo() -> Image.Image:
    """A picture without any character: a colour gradient with a few filled shapes on it."""
    image = Image.new("RGB", (1600, 1200))
    draw = ImageDraw.Draw(image)
    for y in range(image.height):
        draw.line([(0, y), (image.width, y)], fill=(255 * y // image.height, 120, 255 - 255 * y // image.height))
    draw.ellipse((300, 200, 900, 800), fill=(240, 200, 40))
    draw.rectangle((1000, 500, 1400, 1100), fill=(30, 90, 60))
    draw.polygon([(100, 1100), (500, 600), (800, 1150)], fill=(200, 40, 40))
    return image


def blank_page(text: str, font_path: str) -> Image.Image:
    """A white page of the twins' size."""
    return Image.new("L", pages(text, font_path)[0].size, 255)


def pdf_of(images: list[Image.Image]) -> bytes:
    """An image-only PDF of these page images."""
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=DPI, save_all=True, append_images=images[1:])
    return buf.getvalue()


def png_of(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def scanned_pdf(text: str, font_path: str) -> bytes:
    """An image-only PDF of the text (no text layer: pypdf finds nothing on it)."""
    return pdf_of(pages(text, font_path))


def scanned_png(text: str, font_path: str) -> bytes:
    """The first page as a PNG image."""
    return png_of(pages(text, font_path)[0])
