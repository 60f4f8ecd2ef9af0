"""Scanned reports: image-only PDF pages and page images read by OCR (the optional `ocr` extra).

Pages are rendered with pypdfium2 and recognised with rapidocr-onnxruntime, whose PP-OCR Chinese
detection and recognition models ship inside its wheel: nothing is downloaded at run time. The
recognised boxes are rebuilt into lines in reading order (boxes on one baseline form a line, left to
right; a wide gap between two boxes becomes a ' | ' cell separator, as the DOCX and HTML readers
emit table rows), so the same engine reads the result. Every box keeps its page, its place on the
page (pixels of the rendered page) and the recogniser's confidence, so evidence can point at the
page and values read with low confidence can be refused (record.py).
"""

from __future__ import annotations

import hashlib
import io
import math
from importlib.metadata import version
from pathlib import Path

import pypdfium2
from PIL import Image, ImageSequence
from rapidocr_onnxruntime import RapidOCR

from ..errors import InputError
from .ocr_run import OcrRun
from .pagelayout import Box, Layout, Recognised, join_line, rebuild_lines

RENDER_DPI = 200                 # PDF pages are rendered at this resolution...
MAX_PAGE_PIXELS = 3000 * 4000    # ...or lower, so that no page exceeds 12 megapixels
MAX_IMAGE_PIXELS = 100_000_000   # an image file larger than this is refused before it is decoded
DISPLAY_WIDTH = 1000             # a page shown on a review page is at most this wide (JPEG, quality 60),
DISPLAY_MIN_WIDTH = 400          # narrower, down to this, when it exceeds its share of the page's size cap


def settings() -> dict:
    """What shapes the boxes read from a page (the key of a cached page besides the input's sha256):
    the engine and renderer versions, the page resolution, and this module's code."""
    return {"engine": f"rapidocr-onnxruntime {version('rapidocr-onnxruntime')}",
            "onnxruntime": version("onnxruntime"), "renderer": f"pypdfium2 {version('pypdfium2')}",
            "render_dpi": RENDER_DPI, "max_page_pixels": MAX_PAGE_PIXELS,
            "reader": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]}


def pdf_ocr(data: bytes, max_pages: int, run: OcrRun | None = None) -> tuple[str, Layout]:
    """Render and recognise every page of an image-only PDF."""
    return recognise(_pdf_pages(data, max_pages), run)


def image_ocr(data: bytes, max_pages: int, run: OcrRun | None = None) -> tuple[str, Layout]:
    """Recognise a page image (PNG, JPEG; every frame of a multi-page TIFF)."""
    return recognise(_image_pages(data, max_pages), run)


def recognise(pages: list[Image.Image], run: OcrRun | None = None) -> tuple[str, Layout]:
    """OCR each page and rebuild the text; no text on any page is an error, not an empty record.
    `run` hears each page and may hold pages already recognised (ocr_run.py): the engine is loaded
    only for a page it lacks."""
    run = run or OcrRun()
    run.begin(len(pages), settings())
    engine = None
    lines_out: list[str] = []
    boxes: list[Box] = []
    pos = 0
    for number, image in enumerate(pages, 1):
        found = run.cached(number)
        if found is None:
            if engine is None:
                engine = RapidOCR()
            result, _elapsed = engine(image)
            found = _recognised(result or [])
            run.recognised(number, found)
        for line in rebuild_lines(found):
            text, pieces = join_line(line)
            boxes += [Box(pos + s, pos + e, number, b, score) for s, e, b, score in pieces]
            lines_out.append(text)
            pos += len(text) + 1
    if not lines_out:
        raise InputError("no text was recognised on the page(s): blank, or not a text page")
    return "\n".join(lines_out), Layout(tuple(boxes))


def display_pages(data: bytes, fmt: str, max_pages: int, budget: int) -> list[tuple[int, int, bytes]]:
    """Each page of a scan (`pdf-ocr` or `image-ocr`) rendered exactly as for OCR, so that evidence
    boxes fit it, as (width, height of that rendering, a JPEG to show); the pages share `budget` bytes.
    Rendering again takes a fraction of a second a page, recognising seconds: nothing is recognised here."""
    pages = _pdf_pages(data, max_pages) if fmt == "pdf-ocr" else _image_pages(data, max_pages)
    share = budget // max(1, len(pages))
    return [(page.width, page.height, _display_jpeg(page, share)) for page in pages]


def _display_jpeg(page: Image.Image, share: int) -> bytes:
    """The page scaled down to DISPLAY_WIDTH, and narrower until it fits its share (or is as narrow as allowed)."""
    width = min(DISPLAY_WIDTH, page.width)
    while True:
        small = page.resize((width, max(1, round(page.height * width / page.width))), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=60, optimize=True)
        if buf.tell() <= share or width <= DISPLAY_MIN_WIDTH:
            return buf.getvalue()
        width = max(DISPLAY_MIN_WIDTH, width * 3 // 4)


def _recognised(result: list) -> list[Recognised]:
    """rapidocr's [quadrilateral, text, score] triples as upright rectangles."""
    out = []
    for quad, text, score in result:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        if text.strip():
            out.append(Recognised(text.strip(), (int(min(xs)), int(min(ys)), int(math.ceil(max(xs))),
                                                 int(math.ceil(max(ys)))), float(score)))
    return out


def _pdf_pages(data: bytes, max_pages: int) -> list[Image.Image]:
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise InputError(f"PDF cannot be rendered for OCR ({exc})") from None
    try:
        if len(pdf) > max_pages:
            raise InputError(f"scanned PDF has {len(pdf)} pages, over the OCR limit of {max_pages} (--max-pages)")
        return [_render(pdf[i]) for i in range(len(pdf))]
    finally:
        pdf.close()


def _render(page) -> Image.Image:
    width, height = page.get_size()   # points
    scale = min(RENDER_DPI / 72, math.sqrt(MAX_PAGE_PIXELS / max(1.0, width * height)))
    return page.render(scale=scale).to_pil().convert("RGB")


def _image_pages(data: bytes, max_pages: int) -> list[Image.Image]:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise InputError(f"image of {image.width}x{image.height} pixels is over the limit of "
                             f"{MAX_IMAGE_PIXELS} pixels")
        frames = getattr(image, "n_frames", 1)
        if frames > max_pages:
            raise InputError(f"image has {frames} pages, over the OCR limit of {max_pages} (--max-pages)")
        return [_capped(frame.convert("RGB")) for frame in ImageSequence.Iterator(image)]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types on damaged images
        raise InputError(f"damaged or unsupported image ({type(exc).__name__})") from None


def _capped(image: Image.Image) -> Image.Image:
    """Scale a page image down to the per-page pixel cap (its boxes are then in the scaled pixels)."""
    pixels = image.width * image.height
    if pixels <= MAX_PAGE_PIXELS:
        return image
    ratio = math.sqrt(MAX_PAGE_PIXELS / pixels)
    return image.resize((int(image.width * ratio), int(image.height * ratio)))
