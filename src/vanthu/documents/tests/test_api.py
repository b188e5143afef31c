from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.core.clock import vietnam_year
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionKind
from vanthu.documents.services.files import version_create
from vanthu.documents.services.numbering import number_allocate
from vanthu.documents.services.numbering import number_reserve
from vanthu.documents.services.numbering import register_for
from vanthu.documents.tests.factories import make_document
from vanthu.documents.tests.factories import make_pdf
from vanthu.documents.tests.factories import upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock", "creator_visibility")]


@pytest.fixture
def pdf_file(agency: Any, officer: Any, now: datetime) -> DocumentFile:
    document = make_document(agency=agency, actor=officer, now=now)
    version = version_create(
        document=document, kind=VersionKind.DRAFT, actor=officer, now=now, main=upload(make_pdf(pages=2), "qd.pdf")
    )
    return version.files.get()


@pytest.fixture
def register(agency: Any, clerk: Any, now: datetime) -> Register:
    return register_for(agency=agency, year=vietnam_year(now), scope=RegisterScope.OUTGOING, actor=clerk, now=now)


class TestFileApi:
    def test_gives_the_file_metadata(
        self, bearer_client: Any, officer: Any, now: datetime, pdf_file: DocumentFile
    ) -> None:
        response = bearer_client(officer, now=now).get(f"/api/v1/files/{pdf_file.pk}/")
        assert response.status_code == 200
        body = response.json()
        assert body["name"] == "qd.pdf"
        assert body["role"] == "MAIN"
        assert body["page_count"] == 2
        assert body["content_type"] == "application/pdf"
        assert body["pdf_sha256"] == body["source_sha256"] == pdf_file.source_id
        assert (body["conversion_status"], body["progress"]) == ("NOT_NEEDED", 100)

    def test_gives_the_bytes(self, bearer_client: Any, officer: Any, now: datetime, pdf_file: DocumentFile) -> None:
        response = bearer_client(officer, now=now).get(f"/api/v1/files/{pdf_file.pk}/content")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")

    @pytest.mark.parametrize("path", ["/api/v1/files/{pk}/", "/api/v1/files/{pk}/content"])
    def test_is_a_404_for_an_invisible_file(
        self, bearer_client: Any, other_officer: Any, now: datetime, pdf_file: DocumentFile, path: str
    ) -> None:
        response = bearer_client(other_officer, now=now).get(path.format(pk=pdf_file.pk))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestDocumentTypeApi:
    def test_lists_the_active_types_with_case_exact_abbreviations(
        self, bearer_client: Any, officer: Any, now: datetime
    ) -> None:
        body = bearer_client(officer, now=now).get("/api/v1/document-types/").json()
        abbreviations = {row["name"]: row["abbreviation"] for row in body}
        assert len(body) == 32
        assert (abbreviations["Quy định"], abbreviations["Công văn"], abbreviations["Bản trích sao"]) == (
            "QyĐ",
            "",
            "TrS",
        )


class TestRegisterApi:
    def test_a_clerk_lists_the_registers_of_the_year(
        self, bearer_client: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        body = bearer_client(clerk, now=now).get(f"/api/v1/registers/?year={register.year}").json()
        assert [row["code"] for row in body["results"]] == ["DI"]
        assert bearer_client(clerk, now=now).get("/api/v1/registers/?year=2001").json()["results"] == []

    def test_entries_come_in_a_bounded_number_of_queries(
        self, bearer_client: Any, clerk: Any, officer: Any, agency: Any, now: datetime, register: Register
    ) -> None:
        client = bearer_client(clerk, now=now)
        client.get(f"/api/v1/registers/{register.pk}/entries/")  # the first call of a token also marks it used
        for _ in range(3):
            number_allocate(
                register=register, document=make_document(agency=agency, actor=officer, now=now), actor=clerk, now=now
            )
        with CaptureQueriesContext(connection) as few:
            client.get(f"/api/v1/registers/{register.pk}/entries/")
        for _ in range(10):
            number_allocate(
                register=register, document=make_document(agency=agency, actor=officer, now=now), actor=clerk, now=now
            )
        with CaptureQueriesContext(connection) as many:
            response = client.get(f"/api/v1/registers/{register.pk}/entries/")
        assert response.json()["count"] == 13
        assert response.json()["results"][0]["number_text"] == "01"
        assert len(many) == len(few)

    def test_a_clerk_reserves_and_cancels(
        self, bearer_client: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        client = bearer_client(clerk, now=now)
        response = client.post(
            f"/api/v1/registers/{register.pk}/actions/reserve/", {"count": 2, "note": "Dự phòng"}, format="json"
        )
        assert response.status_code == 201
        assert [row["number"] for row in response.json()] == [1, 2]
        entry_id = response.json()[0]["id"]
        refused = client.post(f"/api/v1/register-entries/{entry_id}/actions/cancel/", {"reason": ""}, format="json")
        assert refused.status_code == 400
        cancelled = client.post(
            f"/api/v1/register-entries/{entry_id}/actions/cancel/", {"reason": "Không dùng"}, format="json"
        )
        assert cancelled.status_code == 200
        assert (cancelled.json()["status"], cancelled.json()["cancelled_reason"]) == ("CANCELLED", "Không dùng")

    def test_a_reservation_in_a_closed_register_is_a_409(
        self, bearer_client: Any, clerk: Any, now: datetime, register: Register
    ) -> None:
        Register.objects.filter(pk=register.pk).update(closed_at=now)
        response = bearer_client(clerk, now=now).post(
            f"/api/v1/registers/{register.pk}/actions/reserve/", {"count": 1}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "register_closed"

    @pytest.mark.parametrize("person", ["officer", "agency_leader", "other_officer", "outsider"])
    def test_others_cannot_reserve_or_cancel(
        self,
        request: pytest.FixtureRequest,
        bearer_client: Any,
        clerk: Any,
        now: datetime,
        register: Register,
        person: str,
    ) -> None:
        entry = number_reserve(register=register, count=1, note="", actor=clerk, now=now)[0]
        client = bearer_client(request.getfixturevalue(person), now=now)
        reserve = client.post(f"/api/v1/registers/{register.pk}/actions/reserve/", {"count": 1}, format="json")
        cancel = client.post(f"/api/v1/register-entries/{entry.pk}/actions/cancel/", {"reason": "x"}, format="json")
        assert (reserve.status_code, cancel.status_code) == (404, 404)
        assert RegisterEntry.objects.get().status == EntryStatus.RESERVED
