from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from vanthu.core.clock import vietnam_year
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import FileRole
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionKind
from vanthu.documents.services.files import document_file_add
from vanthu.documents.services.files import version_create
from vanthu.documents.services.numbering import number_reserve
from vanthu.documents.services.numbering import register_for
from vanthu.documents.tests.conftest import signed_in
from vanthu.documents.tests.factories import make_document
from vanthu.documents.tests.factories import make_docx
from vanthu.documents.tests.factories import make_pdf
from vanthu.documents.tests.factories import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock", "creator_visibility")]


@pytest.fixture
def pdf_file(agency: Any, officer: Any, now: datetime) -> DocumentFile:
    document = make_document(agency=agency, actor=officer, now=now)
    version = version_create(
        document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf(), "Dự thảo.pdf")
    )
    return version.files.get()


@pytest.fixture
def docx_file(agency: Any, officer: Any, now: datetime) -> DocumentFile:
    document = make_document(agency=agency, actor=officer, now=now)
    version = version_create(document=document, kind=VersionKind.DRAFT, actor=officer, now=now)
    return document_file_add(
        version=version, role=FileRole.MAIN, upload=upload(make_docx(), "du-thao.docx"), actor=officer, now=now
    )


class TestFileContent:
    def test_streams_the_pdf_inline_to_whoever_sees_the_document(self, officer: Any, pdf_file: DocumentFile) -> None:
        response = signed_in(officer).get(reverse("documents:file_content", args=[pdf_file.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert "filename*=UTF-8''D%E1%BB%B1%20th%E1%BA%A3o.pdf" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.content.startswith(b"%PDF-")

    def test_gives_the_original_docx_on_request(self, officer: Any, docx_file: DocumentFile) -> None:
        response = signed_in(officer).get(reverse("documents:file_content", args=[docx_file.pk]) + "?original=1")
        assert response.status_code == 200
        assert response.content.startswith(b"PK")

    @pytest.mark.parametrize("viewer", ["other_officer", "clerk", "outsider"])
    def test_is_a_404_for_people_who_do_not_see_the_document(
        self, request: pytest.FixtureRequest, pdf_file: DocumentFile, viewer: str
    ) -> None:
        response = signed_in(request.getfixturevalue(viewer)).get(reverse("documents:file_content", args=[pdf_file.pk]))
        assert response.status_code == 404


class TestFileStatus:
    def test_polls_every_second_while_the_conversion_waits(self, officer: Any, docx_file: DocumentFile) -> None:
        DocumentFile.objects.filter(pk=docx_file.pk).update(
            conversion_status=ConversionStatus.RUNNING, conversion_progress=30
        )
        html = signed_in(officer).get(reverse("documents:file_status", args=[docx_file.pk])).content.decode()
        assert 'hx-trigger="every 1s"' in html
        assert 'aria-valuenow="30"' in html
        assert "progress-bar" in html

    def test_stops_polling_when_done(self, officer: Any, pdf_file: DocumentFile) -> None:
        html = signed_in(officer).get(reverse("documents:file_status", args=[pdf_file.pk])).content.decode()
        assert "every 1s" not in html
        assert reverse("documents:file_content", args=[pdf_file.pk]) in html

    def test_shows_the_error_and_a_retry_button_when_failed(
        self, officer: Any, docx_file: DocumentFile, django_capture_on_commit_callbacks: Any
    ) -> None:
        DocumentFile.objects.filter(pk=docx_file.pk).update(
            conversion_status=ConversionStatus.FAILED, conversion_error="Không chuyển được tệp DOCX sang PDF: lỗi"
        )
        client = signed_in(officer)
        html = client.get(reverse("documents:file_status", args=[docx_file.pk])).content.decode()
        assert "every 1s" not in html
        assert "Không chuyển được tệp DOCX sang PDF: lỗi" in html
        assert reverse("documents:file_retry", args=[docx_file.pk]) in html
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(reverse("documents:file_retry", args=[docx_file.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert 'hx-trigger="every 1s"' in response.content.decode()
        docx_file.refresh_from_db()
        assert docx_file.conversion_status == ConversionStatus.PENDING
        assert len(callbacks) == 1

    def test_is_a_404_for_others(self, other_officer: Any, docx_file: DocumentFile) -> None:
        response = signed_in(other_officer).get(reverse("documents:file_status", args=[docx_file.pk]))
        assert response.status_code == 404


class TestRegisters:
    @pytest.fixture
    def register(self, agency: Any, clerk: Any, now: datetime) -> Register:
        return register_for(agency=agency, year=vietnam_year(now), scope=RegisterScope.OUTGOING, actor=clerk, now=now)

    def test_a_clerk_sees_the_register_with_reserved_and_cancelled_numbers(
        self, clerk: Any, now: datetime, register: Register
    ) -> None:
        entries = number_reserve(register=register, count=2, note="Cho Sở", actor=clerk, now=now)
        from vanthu.documents.services.numbering import number_cancel

        number_cancel(entry=entries[0], reason="Không dùng", actor=clerk, now=now)
        html = signed_in(clerk).get(reverse("documents:registers")).content.decode()
        assert "Sổ văn bản đi" in html
        assert "Không dùng" in html
        assert f'id="entry-{entries[1].pk}" data-status="RESERVED"' in html

    def test_a_clerk_reserves_numbers(self, clerk: Any, register: Register) -> None:
        response = signed_in(clerk).post(
            reverse("documents:register_reserve", args=[register.pk]),
            {f"reserve-{register.pk}-count": "3", f"reserve-{register.pk}-note": "Dự phòng"},
        )
        assert response.status_code == 302
        assert list(RegisterEntry.objects.values_list("number", "status")) == [
            (1, EntryStatus.RESERVED),
            (2, EntryStatus.RESERVED),
            (3, EntryStatus.RESERVED),
        ]

    def test_cancelling_without_a_reason_is_refused_on_the_page(
        self, clerk: Any, now: datetime, register: Register
    ) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        response = signed_in(clerk).post(
            reverse("documents:entry_cancel", args=[entry.pk]), {f"cancel-{entry.pk}-reason": " "}
        )
        assert response.status_code == 422
        entry.refresh_from_db()
        assert entry.status == EntryStatus.RESERVED

    def test_a_clerk_cancels_a_reserved_number(self, clerk: Any, now: datetime, register: Register) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        response = signed_in(clerk).post(
            reverse("documents:entry_cancel", args=[entry.pk]), {f"cancel-{entry.pk}-reason": "Nhầm số"}
        )
        assert response.status_code == 302
        entry.refresh_from_db()
        assert (entry.status, entry.cancelled_reason) == (EntryStatus.CANCELLED, "Nhầm số")

    @pytest.mark.parametrize("person", ["officer", "agency_leader", "other_officer"])
    def test_others_do_not_reach_the_register(
        self, request: pytest.FixtureRequest, register: Register, person: str
    ) -> None:
        client = signed_in(request.getfixturevalue(person))
        assert "Sổ văn bản đi" not in client.get(reverse("documents:registers")).content.decode()
        response = client.post(
            reverse("documents:register_reserve", args=[register.pk]), {f"reserve-{register.pk}-count": "1"}
        )
        assert response.status_code == 404
        assert not RegisterEntry.objects.exists()

    def test_a_clerk_opens_the_outgoing_register_ahead(self, clerk: Any, agency: Any, now: datetime) -> None:
        client = signed_in(clerk)
        assert f'id="open-register-{agency.pk}"' in client.get(reverse("documents:registers")).content.decode()
        response = client.post(reverse("documents:register_open"), {"agency": agency.pk, "year": vietnam_year(now)})
        assert response.status_code == 302
        assert Register.objects.filter(agency=agency, code="DI").exists()

    def test_a_closed_register_refuses_a_reservation_in_words(
        self, clerk: Any, now: datetime, register: Register
    ) -> None:
        from vanthu.documents.services.numbering import register_close

        register_close(register=register, actor=clerk, now=now)
        response = signed_in(clerk).post(
            reverse("documents:register_reserve", args=[register.pk]), {f"reserve-{register.pk}-count": "1"}
        )
        assert response.status_code == 409
        assert not RegisterEntry.objects.exists()
