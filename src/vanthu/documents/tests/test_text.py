"""The searchable text of documents: what it holds, kept with every change, rebuilt by the command."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from django.core.management import call_command

from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentText
from vanthu.documents.services.documents import document_update
from vanthu.documents.services.files import document_file_add
from vanthu.documents.services.files import version_create
from vanthu.documents.tests.factories import make_document
from vanthu.documents.tests.factories import make_pdf
from vanthu.documents.tests.factories import upload

pytestmark = pytest.mark.django_db


def text_of(document: Any) -> DocumentText:
    return DocumentText.objects.get(document=document)


def test_a_new_document_is_searchable_at_once_and_follows_its_changes(agency: Any, clerk: Any, now: datetime) -> None:
    document = make_document(agency=agency, actor=clerk, now=now, subject="Quyết định giao đất đai", symbol="QĐ-STC")

    assert "quyet dinh giao dat dai" in text_of(document).folded
    assert "quyết định giao đất đai" in text_of(document).exact
    assert text_of(document).symbol_key == "QD-STC"

    document_update(document=document, actor=clerk, now=now, subject="Quyết định thu hồi đất")
    assert "thu hoi dat" in text_of(document).folded
    assert "giao" not in text_of(document).folded.split()


def test_the_text_of_the_current_files_is_searched(agency: Any, clerk: Any, now: datetime) -> None:
    document = make_document(agency=agency, actor=clerk, now=now)
    version = version_create(document=document, kind="DRAFT", actor=clerk, now=now)
    document_file_add(
        version=version, role="MAIN", upload=upload(make_pdf(text="Phu luc kinh phi")), actor=clerk, now=now
    )

    assert "phu luc kinh phi 1" in text_of(document).folded


def test_the_command_rebuilds_lost_text_and_reads_pdfs_again(
    agency: Any, clerk: Any, now: datetime, frozen_clock: None
) -> None:
    document = make_document(agency=agency, actor=clerk, now=now, subject="Báo cáo tổng kết")
    version = version_create(document=document, kind="DRAFT", actor=clerk, now=now)
    document_file_add(
        version=version, role="MAIN", upload=upload(make_pdf(text="Noi dung tong ket")), actor=clerk, now=now
    )
    DocumentFile.objects.filter(version=version).update(text="")
    DocumentText.objects.filter(document=document).delete()

    call_command("reindex_text", stdout=io.StringIO(), stderr=io.StringIO())

    assert "noi dung tong ket" in text_of(document).folded
    assert "bao cao tong ket" in text_of(document).folded


def test_a_missing_stored_file_does_not_stop_the_rebuild(agency: Any, clerk: Any, now: datetime) -> None:
    from vanthu.core.blobs import blob_path
    from vanthu.core.blobs import blob_storage
    from vanthu.documents.services.text import text_reindex

    document = make_document(agency=agency, actor=clerk, now=now, subject="Báo cáo quý")
    version = version_create(document=document, kind="DRAFT", actor=clerk, now=now)
    added = document_file_add(
        version=version, role="MAIN", upload=upload(make_pdf(text="Mat tep")), actor=clerk, now=now
    )
    DocumentFile.objects.filter(pk=added.pk).update(text="")
    blob_storage().delete(blob_path(added.pdf_id))

    files, documents = text_reindex(now=now)

    assert (files, documents) == (0, 1)
    assert "bao cao quy" in text_of(document).folded
