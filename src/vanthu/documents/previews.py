"""Drawing a page of a PDF as a PNG with poppler's ``pdftoppm`` (a tool, no database)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

from vanthu.core.errors import DomainError

THUMBNAIL_WIDTH = 240
PAGE_WIDTH = 1100
WIDTHS = (THUMBNAIL_WIDTH, PAGE_WIDTH)
TIMEOUT_SECONDS = 60


class PreviewError(DomainError):
    code = "preview_failed"
    http_status = 422


def render_page_png(pdf: bytes, *, page: int, width: int, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Page ``page`` (from 1) of ``pdf`` as a PNG ``width`` pixels wide (height in proportion)."""
    executable = shutil.which("pdftoppm")
    if executable is None:
        raise PreviewError(_("The page cannot be shown: poppler-utils is not installed on the server."))
    with tempfile.TemporaryDirectory(prefix="vanthu-page-") as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        target = Path(folder) / "page"
        try:
            subprocess.run(  # noqa: S603 - our own arguments, no shell
                [
                    executable,
                    "-png",
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-singlefile",
                    "-scale-to-x",
                    str(width),
                    "-scale-to-y",
                    "-1",
                    str(source),
                    str(target),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            raise PreviewError(_("This page of the PDF cannot be drawn.")) from None
        output = target.with_suffix(".png")
        if not output.exists():
            raise PreviewError(_("This page of the PDF cannot be drawn."))
        return output.read_bytes()
