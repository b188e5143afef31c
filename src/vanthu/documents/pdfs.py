# mypy: disable-error-code="no-untyped-call"
"""Opening an uploaded PDF to refuse what is broken or encrypted and to count its pages.

(``documents`` sits below ``signing`` in the app graph, so it reads PDFs with pyHanko itself.)"""

from __future__ import annotations

import io

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader

HEADER_WINDOW = 1024
TRAILER_WINDOW = 2048


class PdfUnreadableError(Exception):
    """Not a PDF, damaged or truncated."""


class PdfEncryptedError(PdfUnreadableError):
    """Protected by a password."""


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF that opens; PdfUnreadableError otherwise."""
    if b"%PDF-" not in data[:HEADER_WINDOW] or b"%%EOF" not in data[-TRAILER_WINDOW:]:
        raise PdfUnreadableError()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise PdfEncryptedError()
        count = int(reader.root["/Pages"]["/Count"])
        if count <= 0:
            raise PdfUnreadableError()
        reader.root["/Pages"]["/Kids"][0]  # the first page must be reachable
    except PdfUnreadableError:
        raise
    except (PdfError, Exception) as error:  # noqa: BLE001 - any failure of an untrusted file is "unreadable"
        raise PdfUnreadableError() from error
    return count
