"""Page images of PDFs: drawn by pdftoppm once and kept, shared by every copy of the same PDF,
served only to people who may see the file; the in-page viewer lists every page; a thumbnail is
drawn in the background when a file gets its PDF."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from vanthu.documents.models import DocumentFile
from vanthu.documents.models import PageImage
from vanthu.documents.models import VersionKind
from vanthu.documents.previews import PAGE_WIDTH
from vanthu.documents.previews import THUMBNAIL_WIDTH
from vanthu.documents.services.files import document_file_add
from vanthu.documents.services.files import version_create
from vanthu.documents.tests.conftest import signed_in
from vanthu.documents.tests.factories import make_document
from vanthu.documents.tests.factories import make_pdf
from vanthu.documents.tests.factories import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock", "creator_visibility")]


@pytest.fixture
def three_pages(agency: Any, officer: Any, now: datetime) -> DocumentFile:
    document = make_document(agency=agency, actor=officer, now=now)
    version = version_create(
        document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf(pages=3), "Báo cáo.pdf")
    )
    return version.files.get()


def test_a_page_is_drawn_once_at_the_width_asked(three_pages: DocumentFile, officer: Any) -> None:
    client = signed_in(officer)
    url = reverse("documents:file_page", args=[three_pages.pk, 2, PAGE_WIDTH])

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(first.content)).size[0] == PAGE_WIDTH
    assert again.status_code == 304
    assert PageImage.objects.filter(pdf_id=three_pages.pdf_id).count() == 1


def test_pages_beyond_the_end_odd_widths_and_other_people_get_not_found(
    three_pages: DocumentFile, officer: Any, other_officer: Any
) -> None:
    client = signed_in(officer)
    assert client.get(reverse("documents:file_page", args=[three_pages.pk, 4, PAGE_WIDTH])).status_code == 404
    assert client.get(reverse("documents:file_page", args=[three_pages.pk, 1, 5000])).status_code == 404
    stranger = signed_in(other_officer).get(reverse("documents:file_page", args=[three_pages.pk, 1, PAGE_WIDTH]))
    assert stranger.status_code == 404
    assert not PageImage.objects.exists()


def test_the_viewer_lists_every_page(three_pages: DocumentFile, officer: Any) -> None:
    page = signed_in(officer).get(reverse("documents:file_view", args=[three_pages.pk])).content.decode()
    for number in (1, 2, 3):
        assert reverse("documents:file_page", args=[three_pages.pk, number, PAGE_WIDTH]) in page
    assert 'loading="lazy"' in page


def test_a_thumbnail_is_drawn_in_the_background_when_a_pdf_is_added(
    agency: Any, officer: Any, now: datetime, django_capture_on_commit_callbacks: Any
) -> None:
    document = make_document(agency=agency, actor=officer, now=now)
    version = version_create(document=document, kind=VersionKind.DRAFT, actor=officer, now=now)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once in tests
        added = document_file_add(version=version, role="MAIN", upload=upload(make_pdf()), actor=officer, now=now)

    assert PageImage.objects.filter(pdf_id=added.pdf_id, page=1, width=THUMBNAIL_WIDTH).exists()
