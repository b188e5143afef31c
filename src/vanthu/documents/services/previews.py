"""Page images of PDFs, drawn once and kept as blobs (``PageImage``)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import NotFoundError
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import PageImage
from vanthu.documents.previews import THUMBNAIL_WIDTH
from vanthu.documents.previews import WIDTHS
from vanthu.documents.previews import PreviewError
from vanthu.documents.previews import render_page_png


def page_image(*, document_file: DocumentFile, page: int, width: int, now: datetime) -> PageImage:
    """The image of ``page`` of the file's PDF at ``width`` (one of ``WIDTHS``): the kept one, or
    drawn now and kept (two people asking at once keep one)."""
    if document_file.pdf_id is None:
        raise NotFoundError(_("This file has no PDF yet."))
    if width not in WIDTHS or page < 1 or (document_file.page_count and page > document_file.page_count):
        raise NotFoundError()
    found = (
        PageImage.objects.filter(pdf_id=document_file.pdf_id, page=page, width=width).select_related("image").first()
    )
    if found is not None:
        return found
    png = render_page_png(blob_read(sha256=document_file.pdf_id), page=page, width=width)
    try:
        with transaction.atomic():
            image = blob_store_bytes(data=png, now=now, allowed_types={"image/png"})
            return PageImage.objects.create(
                pdf_id=document_file.pdf_id, page=page, width=width, image=image, created_at=now
            )
    except IntegrityError:
        return PageImage.objects.select_related("image").get(pdf_id=document_file.pdf_id, page=page, width=width)


def thumbnails_render(*, file_ids: list[int], now: datetime) -> int:
    """Draw the first-page thumbnail of each file that has a PDF and none yet (the background task
    after a file becomes ready). Returns how many were drawn."""
    drawn = 0
    for document_file in DocumentFile.objects.filter(pk__in=file_ids, pdf__isnull=False):
        if PageImage.objects.filter(pdf_id=document_file.pdf_id, page=1, width=THUMBNAIL_WIDTH).exists():
            continue
        try:
            page_image(document_file=document_file, page=1, width=THUMBNAIL_WIDTH, now=now)
        except PreviewError:
            continue  # a PDF poppler cannot draw: the list shows the file's icon instead
        drawn += 1
    return drawn
