# mypy: disable-error-code="no-untyped-call"
"""Pure helpers of the scan pipeline (paper → PDF/A with a Vietnamese text layer): checking scanned
pages against Decree 30/2020 App. I Part II (≥ 200 dpi, colour or grey, readable), combining page
images into one PDF, telling a signed PDF, and reading a PDF's text layer with ``pdftotext``.

No database, no clock: services/digitise.py calls these and turns their findings into domain errors.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess  # noqa: S404 - pdftotext / ocrmypdf are run with fixed argument lists, never a shell
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from typing import cast

from PIL import Image
from PIL import ImageOps
from PIL import ImageSequence
from PIL import ImageStat
from PIL import UnidentifiedImageError

if TYPE_CHECKING:
    import pikepdf

# pikepdf, img2pdf and ocrmypdf are imported where they are used: every process loads this module
# (through documents.tasks), few of them handle scans.

MIN_DPI = 200
A4_SHORT_SIDE_INCHES = 210 / 25.4
# A page is "blank" when its grey levels hardly vary, or when almost none of it differs from the
# paper colour (a speck of dust on an empty sheet).
BLANK_STDDEV = 3.0
INK_DELTA = 60
MIN_INK_FRACTION = 0.0001
ANALYSIS_SIZE = 1000  # pixels of the longer side the blank test looks at
IMAGE_TYPES = {"image/jpeg", "image/png", "image/tiff"}
PDF = "application/pdf"
DEFAULT_TEXT_TIMEOUT = 60
Image.MAX_IMAGE_PIXELS = 200_000_000  # a 600 dpi A3 is ~70 Mpx; refuse decompression bombs above


class PageProblem(Exception):
    """One scanned page does not meet the rules. ``reason`` is a code the service words in Vietnamese:
    ``low_dpi`` (``dpi`` measured), ``no_dpi``, ``bilevel``, ``blank``, ``unreadable``, ``no_image``."""

    def __init__(self, *, page: int, reason: str, dpi: int | None = None) -> None:
        super().__init__(f"page {page}: {reason}" + (f" ({dpi} dpi)" if dpi is not None else ""))
        self.page = page
        self.reason = reason
        self.dpi = dpi


@dataclass(frozen=True)
class ScanPage:
    """A checked page image: its bytes (as uploaded, or flattened to PNG when it had transparency or
    was one frame of a multi-page TIFF) and the resolution it is laid out at."""

    data: bytes
    dpi: int


# --- page images ------------------------------------------------------------------------------


def is_blank(image: Image.Image) -> bool:
    """Nearly uniform pixels: an empty sheet, a black frame, a photo of nothing."""
    grey = ImageOps.exif_transpose(image).convert("L")
    grey.thumbnail((ANALYSIS_SIZE, ANALYSIS_SIZE))
    stat = ImageStat.Stat(grey)
    if stat.stddev[0] < BLANK_STDDEV:
        return True
    histogram = grey.histogram()
    paper = max(range(256), key=lambda level: histogram[level])
    ink = sum(count for level, count in enumerate(histogram) if abs(level - paper) >= INK_DELTA)
    return ink / max(1, grey.width * grey.height) < MIN_INK_FRACTION


def _dpi_of(image: Image.Image) -> tuple[int, bool]:
    """(dpi, recorded): the smaller of the recorded x/y densities; without a usable record, estimated
    from the short side of the page taken as A4 (Decree 30 App. I: documents are on A4 paper)."""
    recorded = image.info.get("dpi")
    if isinstance(recorded, tuple) and len(recorded) == 2:  # noqa: PLR2004
        try:
            value = min(float(recorded[0]), float(recorded[1]))
        except (TypeError, ValueError):
            value = 0.0
        if value > 1.5:  # noqa: PLR2004 - JFIF "aspect ratio only" records (1, 1)
            return round(value), True
    return round(min(image.size) / A4_SHORT_SIDE_INCHES), False


def _needs_flattening(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info)


def check_image(data: bytes, *, first_page: int) -> list[ScanPage]:
    """The pages of one uploaded image (a TIFF may hold several), checked; PageProblem otherwise."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise PageProblem(page=first_page, reason="unreadable") from error
    frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
    pages: list[ScanPage] = []
    for offset, frame in enumerate(frames):
        page = first_page + offset
        frame.info.setdefault("dpi", image.info.get("dpi"))
        dpi, _recorded = _dpi_of(frame)
        if dpi < MIN_DPI:
            raise PageProblem(page=page, reason="low_dpi", dpi=dpi)
        if frame.mode == "1":
            raise PageProblem(page=page, reason="bilevel", dpi=dpi)
        if is_blank(frame):
            raise PageProblem(page=page, reason="blank", dpi=dpi)
        if len(frames) == 1 and not _needs_flattening(frame):
            pages.append(ScanPage(data=data, dpi=dpi))
            continue
        flat = frame
        if _needs_flattening(frame):
            rgba = frame.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
        elif frame.mode not in {"L", "RGB", "CMYK"}:
            flat = frame.convert("RGB")
        out = io.BytesIO()
        flat.save(out, "PNG", dpi=(dpi, dpi))
        pages.append(ScanPage(data=out.getvalue(), dpi=dpi))
    return pages


def images_to_pdf(pages: Sequence[ScanPage]) -> bytes:
    """One PDF, a page per image, in order, each laid out at its own resolution (no re-encoding of
    JPEG or PNG data: img2pdf embeds the bytes)."""
    import img2pdf  # type: ignore[import-untyped]  # no stubs
    import pikepdf

    combined = pikepdf.Pdf.new()
    parts: list[pikepdf.Pdf] = []
    for page in pages:
        layout = img2pdf.get_fixed_dpi_layout_fun((page.dpi, page.dpi))
        single = pikepdf.Pdf.open(io.BytesIO(img2pdf.convert(page.data, layout_fun=layout)))
        parts.append(single)
        combined.pages.extend(single.pages)
    out = io.BytesIO()
    combined.save(out)
    for part in parts:
        part.close()
    return out.getvalue()


# --- PDF scans --------------------------------------------------------------------------------


def check_pdf_scan(data: bytes) -> int:
    """Check every page of a scanned PDF: each holds an image whose effective resolution on the page
    is ≥ 200 dpi and which is not blank. Returns the page count; PageProblem otherwise."""
    import pikepdf
    from ocrmypdf.pdfinfo import PdfInfo

    with tempfile.TemporaryDirectory(prefix="vanthu-scan-") as work:
        path = Path(work) / "scan.pdf"
        path.write_bytes(data)
        try:
            info = PdfInfo(path, max_workers=1, use_threads=True)
        except Exception as error:  # noqa: BLE001 - whatever fails in an untrusted file is "unreadable"
            raise PageProblem(page=1, reason="unreadable") from error
        count = len(info)
        with pikepdf.Pdf.open(path) as pdf:
            for index, (page_info, page) in enumerate(zip(list(info.pages), list(pdf.pages), strict=True)):
                number = index + 1
                if page_info is None:
                    raise PageProblem(page=number, reason="unreadable")
                if not page_info.images:
                    raise PageProblem(page=number, reason="no_image")
                scan = max(page_info.images, key=lambda image: image.width * image.height)  # not a logo
                dpi = round(min(float(scan.dpi.x), float(scan.dpi.y)))
                if dpi < MIN_DPI:
                    raise PageProblem(page=number, reason="low_dpi", dpi=dpi)
                if _pdf_page_blank(page, number):
                    raise PageProblem(page=number, reason="blank", dpi=dpi)
    return count


def _pdf_page_blank(page: pikepdf.Page, number: int) -> bool:
    """The largest image of the page is nearly uniform (pages whose images cannot be decoded here,
    e.g. JBIG2, are given the benefit of the doubt)."""
    from pikepdf import PdfImage

    largest: Image.Image | None = None
    for raw in page.get_images().values():
        try:
            candidate = PdfImage(cast("pikepdf.Stream", raw)).as_pil_image()
        except Exception:  # noqa: BLE001, S112 - undecodable here is not "blank"
            continue
        if largest is None or candidate.width * candidate.height > largest.width * largest.height:
            largest = candidate
    if largest is None:
        return False
    if largest.mode == "1":
        raise PageProblem(page=number, reason="bilevel")
    return is_blank(largest)


def pdf_is_signed(data: bytes) -> bool:
    """The PDF carries a digital signature (a signature field with a value, or a DocMDP permission)."""
    import pikepdf

    try:
        with pikepdf.Pdf.open(io.BytesIO(data)) as pdf:
            root = pdf.Root
            if "/Perms" in root:
                return True
            acroform = root.get("/AcroForm")
            if acroform is None:
                return False
            stack = list(acroform.get("/Fields", []))
            seen = 0
            while stack and seen < 10_000:  # noqa: PLR2004 - bound a hostile field tree
                seen += 1
                field = stack.pop()
                if field.get("/FT") == pikepdf.Name.Sig and field.get("/V") is not None:
                    return True
                stack.extend(field.get("/Kids", []))
    except pikepdf.PdfError:
        return b"/ByteRange" in data
    return False


# --- text -------------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text for storage: page breaks as blank lines, no NUL (PostgreSQL refuses it), trimmed."""
    return text.replace("\x00", "").replace("\f", "\n\n").strip()


def pdf_text(data: bytes, *, timeout: int = DEFAULT_TEXT_TIMEOUT) -> str:
    """The text layer of a PDF (``pdftotext``, UTF-8, reading order); "" when it has none, when
    pdftotext is missing or fails — extracting text never blocks storing a file."""
    executable = shutil.which("pdftotext")
    if executable is None:
        return ""
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argument list
            [executable, "-q", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return ""
    if completed.returncode != 0:
        return ""
    return clean_text(completed.stdout.decode("utf-8", "replace"))


class OcrFailedError(Exception):
    """OCRmyPDF did not produce a PDF/A; the message says why (in the server's words)."""

    def __init__(self, reason: str, *, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


PRIOR_TEXT_EXIT = 6  # ocrmypdf: "page already has text"


def ocr_pdf(data: bytes, *, timeout: int, language: str = "vie") -> bytes:
    """``ocrmypdf -l vie --output-type pdfa`` on a scanned PDF: a PDF/A-2B with a text layer, one
    Tesseract thread (OMP_THREAD_LIMIT=1). A scan that already carries a text layer (a scanner's own
    OCR) is rasterised and recognised again (``--force-ocr``): Ghostscript 10.0 corrupts pages kept
    with their text (``--skip-text``/``--redo-ocr``), and our text must be Tesseract ``vie``'s."""
    with tempfile.TemporaryDirectory(prefix="vanthu-ocr-") as work:
        source = Path(work) / "in.pdf"
        target = Path(work) / "out.pdf"
        source.write_bytes(data)
        completed = _run_ocrmypdf(source, target, work=work, timeout=timeout, language=language)
        if completed.returncode == PRIOR_TEXT_EXIT:
            completed = _run_ocrmypdf(
                source, target, work=work, timeout=timeout, language=language, extra=["--force-ocr"]
            )
        if completed.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OcrFailedError(f"ocrmypdf exit {completed.returncode}: {lines[-1] if lines else ''}"[:300])
        return target.read_bytes()


def _run_ocrmypdf(
    source: Path, target: Path, *, work: str, timeout: int, language: str, extra: Sequence[str] = ()
) -> subprocess.CompletedProcess[bytes]:
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "-l",
        language,
        "--output-type",
        "pdfa",
        "--jobs",
        "1",
        "--quiet",
        *extra,
        str(source),
        str(target),
    ]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "TMPDIR": work}
    try:
        return subprocess.run(  # noqa: S603 - fixed argument list
            command, capture_output=True, timeout=timeout, check=False, cwd=work, env=env
        )
    except subprocess.TimeoutExpired as error:
        raise OcrFailedError("timeout", timed_out=True) from error
