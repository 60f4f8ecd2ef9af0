"""Scanned reports: image-only PDF pages and page images read by OCR (the optional `ocr` extra).

Pages are rendered with pypdfium2 and recognised with rapidocr-onnxruntime, whose PP-OCR Chinese
detection and recognition models ship inside its wheel: nothing is downloaded at run time. The
recognised boxes are rebuilt into lines in reading order (boxes on one baseline form a line, left to
right; a wide gap between two boxes becomes a ' | ' cell separator, as the DOCX and HTML readers
emit table rows), so the same engine reads the result. Every box keeps its page, its place on the
page (pixels of the page image turned upright) and the recogniser's confidence, so evidence can
point at the page and values read with low confidence can be refused (record.py).

A page scanned sideways or upside down is turned until it reads best (upright()); a page on which
nothing is recognised with confidence is left out and named (Layout.no_text), not an error.
"""

from __future__ import annotations

import hashlib
import io
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pypdfium2
from PIL import Image, ImageSequence
from rapidocr_onnxruntime import RapidOCR

from ..errors import InputError
from .ocr_run import OcrRun
from .pagelayout import MIN_CONFIDENCE, Box, Layout, Recognised, join_line, page_skew, rebuild_lines

RENDER_DPI = 200                 # PDF pages are rendered at this resolution...
MAX_PAGE_PIXELS = 3000 * 4000    # ...or lower, so that no page exceeds 12 megapixels
MAX_IMAGE_PIXELS = 100_000_000   # an image file larger than this is refused before it is decoded
TEXT_SCORE = 0.5                 # rapidocr's own floor (its default): a box scored below is noise
UPRIGHT_SHARE = 0.5              # a page reads upright when this share of its characters is confident
# The turns (degrees counter-clockwise) tried on a page that does not read upright, by the shape of
# its boxes: lines read sideways stand as tall boxes; upside down they are wide but read badly.
TURNS_WHEN_TALL = (90, 270, 180)
TURNS_WHEN_WIDE = (180, 90, 270)
TRANSPOSE = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
DISPLAY_WIDTH = 1000             # a page shown on a review page is at most this wide (JPEG, quality 60),
DISPLAY_MIN_WIDTH = 400          # narrower, down to this, when it exceeds its share of the page's size cap


def settings() -> dict:
    """What shapes the boxes read from a page (the key of a cached page besides the input's sha256):
    the engine, renderer and image library versions, the page resolution, and the code that recognises
    a page and chooses its turn (this module and pagelayout.py, whose confidence floor it applies)."""
    code = hashlib.sha256()
    for module in (Path(__file__), Path(__file__).with_name("pagelayout.py")):
        code.update(module.read_bytes())
    return {"engine": f"rapidocr-onnxruntime {_version('rapidocr-onnxruntime')}",
            "onnxruntime": _version("onnxruntime"), "renderer": f"pypdfium2 {_version('pypdfium2')}",
            "images": f"Pillow {_version('Pillow')}", "render_dpi": RENDER_DPI, "max_page_pixels": MAX_PAGE_PIXELS,
            "reader": code.hexdigest()[:16]}


def _version(distribution: str) -> str:
    """A library's installed version, or "unknown" when it was installed without metadata or under
    another name (onnxruntime-gpu): the cache then keys on less, it never fails the reading."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def pdf_ocr(data: bytes, max_pages: int, run: OcrRun | None = None) -> tuple[str, Layout]:
    """Render and recognise every page of an image-only PDF."""
    return recognise(_pdf_pages(data, max_pages), run)


def image_ocr(data: bytes, max_pages: int, run: OcrRun | None = None) -> tuple[str, Layout]:
    """Recognise a page image (PNG, JPEG; every frame of a multi-page TIFF)."""
    return recognise(_image_pages(data, max_pages), run)


def recognise(pages: list[Image.Image], run: OcrRun | None = None) -> tuple[str, Layout]:
    """OCR each page (turned upright) and rebuild the text. A page without any confident box is
    left out and named in Layout.no_text: the record warns, the other pages are read. `run` hears
    each page and may hold pages already recognised (ocr_run.py): the engine is loaded only for a
    page it lacks."""
    run = run or OcrRun()
    run.begin(len(pages), settings())
    engine = None
    lines_out: list[str] = []
    boxes: list[Box] = []
    no_text: list[int] = []
    turns: list[int] = []
    pos = 0
    for number, image in enumerate(pages, 1):
        found = run.cached(number)
        if found is None:
            if engine is None:
                engine = RapidOCR()
            found, turn = upright(engine, image)
            found = [r for r in found if r.score >= TEXT_SCORE]
            run.recognised(number, found, turn)
        turns.append(run.turn(number))
        if not any(r.score >= MIN_CONFIDENCE for r in found):
            no_text.append(number)
            continue
        skew = page_skew(found)
        for line in rebuild_lines(found, skew):
            text, pieces = join_line(line, skew)
            boxes += [Box(pos + s, pos + e, number, b, score) for s, e, b, score in pieces]
            lines_out.append(text)
            pos += len(text) + 1
    return "\n".join(lines_out), Layout(tuple(boxes), no_text=tuple(no_text), turns=tuple(turns))


def upright(engine, image: Image.Image) -> tuple[list[Recognised], int]:
    """The page's boxes read the way up that reads best, and the turn (degrees counter-clockwise)
    that set it upright. The page as is comes first; when fewer than half of its characters are
    confident (upright_share), the other three turns are tried, in the order its box shapes suggest,
    until one reads upright; the reading with the most confident characters is kept (as is on a tie).
    A page where nothing at all is detected (blank, a photo) is not turned: turning finds nothing either."""
    found = read_page(engine, image)
    if not found or upright_share(found) >= UPRIGHT_SHARE:
        return found, 0
    tall = sum(len(r.text) for r in found if r.height > r.width) * 2 > sum(len(r.text) for r in found)
    best, best_turn = found, 0
    for turn in TURNS_WHEN_TALL if tall else TURNS_WHEN_WIDE:
        turned = read_page(engine, image.transpose(TRANSPOSE[turn]))
        if confident_chars(turned) > confident_chars(best):
            best, best_turn = turned, turn
        if upright_share(turned) >= UPRIGHT_SHARE:
            break
    return best, best_turn


def read_page(engine, image: Image.Image) -> list[Recognised]:
    """Every box detected on the page, whatever its score (the caller filters). rapidocr's text
    direction classifier is off: it would read an upside-down page line by line with good scores,
    but in the wrong order; read as is, such a page scores low and upright() turns it whole."""
    result, _elapsed = engine(image, use_cls=False, text_score=0.0)
    return _recognised(result or [])


def confident_chars(found: list[Recognised]) -> int:
    """Characters of boxes wider than high (a line read across the page) scored MIN_CONFIDENCE or more."""
    return sum(len(r.text) for r in found if r.score >= MIN_CONFIDENCE and r.width >= r.height)


def upright_share(found: list[Recognised]) -> float:
    """The share of the characters recognised above rapidocr's floor that are confident (0 if none)."""
    total = sum(len(r.text) for r in found if r.score >= TEXT_SCORE)
    return confident_chars(found) / total if total else 0.0


def display_pages(data: bytes, fmt: str, max_pages: int, budget: int,
                  turns: tuple[int, ...] = ()) -> list[tuple[int, int, bytes]]:
    """Each page of a scan (`pdf-ocr` or `image-ocr`) rendered exactly as for OCR and turned as OCR
    turned it upright (Layout.turns), so that evidence boxes fit it, as (width, height of that
    rendering, a JPEG to show); the pages share `budget` bytes. Rendering again takes a fraction of
    a second a page, recognising seconds: nothing is recognised here."""
    pages = _pdf_pages(data, max_pages) if fmt == "pdf-ocr" else _image_pages(data, max_pages)
    pages = [page.transpose(TRANSPOSE[turns[i]]) if i < len(turns) and turns[i] else page
             for i, page in enumerate(pages)]
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
    """rapidocr's [quadrilateral, text, score] triples as upright rectangles, with the slope of the
    quadrilateral's top edge (rapidocr orders its corners from the top left, clockwise)."""
    out = []
    for quad, text, score in result:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        (x0, y0), (x1, y1) = quad[0], quad[1]
        if text.strip():
            out.append(Recognised(text.strip(), (int(min(xs)), int(min(ys)), int(math.ceil(max(xs))),
                                                 int(math.ceil(max(ys)))), float(score),
                                  (y1 - y0) / (x1 - x0) if x1 != x0 else 0.0))
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
