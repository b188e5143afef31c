"""The outgoing API: the object's shape (Appendix VI tag names, status, allowed_actions), create
with a multipart file, PATCH, actions through outgoing_act, and the error statuses."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.outgoing import policies
from vanthu.outgoing import presenters
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.tests.factories import document_type
from vanthu.outgoing.tests.test_selectors import in_review
from vanthu.outgoing.tests.test_selectors import make_outgoing
from vanthu.signing.testing.pdfs import decision_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

TAGS = {
    "CodeNumber",
    "CodeNotation",
    "TypeName",
    "IssuedDate",
    "OrganName",
    "OrganId",
    "Subject",
    "Language",
    "PageAmount",
    "Description",
    "SignerInfo",
    "To",
    "Priority",
    "IssuedAmount",
    "DueDate",
}


def file(content: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def create(client: Any, agency: Any, other_agency: Any, **overrides: Any) -> Any:
    data = {
        "agency": agency.pk,
        "document_type": document_type("QĐ").pk,
        "subject": "Quyết định phê duyệt kế hoạch năm 2026",
        "urgency": "URGENT",
        "recipients": json.dumps([{"kind": "AGENCY", "agency_id": other_agency.pk}]),
        "main": file(decision_pdf(), "du-thao.pdf"),
    }
    data.update(overrides)
    return client.post("/api/v1/outgoing/", data, format="multipart")


class TestCreate:
    def test_answers_the_draft_with_its_tags_status_and_actions(
        self, bearer_client: Any, agency: Any, other_agency: Any, officer: Any, now: Any
    ) -> None:
        response = create(bearer_client(officer, now=now), agency, other_agency)
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "DRAFT"
        assert set(body["allowed_actions"]) == {"submit", "withdraw"}
        assert set(body["metadata"]) == TAGS
        assert body["metadata"]["Subject"] == "Quyết định phê duyệt kế hoạch năm 2026"
        assert body["metadata"]["Priority"] == 1
        assert body["metadata"]["To"] == [{"OrganId": other_agency.code_qcvn102, "OrganName": other_agency.name}]
        assert set(body["metadata"]["SignerInfo"]) == {"Position", "FullName"}
        assert [f["role"] for f in body["files"]] == ["MAIN"]

    def test_refuses_an_empty_summary_with_422(
        self, bearer_client: Any, agency: Any, other_agency: Any, officer: Any, now: Any
    ) -> None:
        response = create(bearer_client(officer, now=now), agency, other_agency, subject="   ")
        assert response.status_code in (400, 422)
        assert "subject" in response.json()["details"]["fields"]
        assert not Outgoing.objects.exists()

    def test_refuses_a_file_that_is_neither_pdf_nor_docx_with_415(
        self, bearer_client: Any, agency: Any, other_agency: Any, officer: Any, now: Any
    ) -> None:
        response = create(
            bearer_client(officer, now=now), agency, other_agency, main=file(b"MZ\x90\x00 program" * 20, "a.pdf")
        )
        assert response.status_code == 415
        assert not Outgoing.objects.exists()

    def test_refuses_a_recipient_that_does_not_exist(
        self, bearer_client: Any, agency: Any, other_agency: Any, officer: Any, now: Any
    ) -> None:
        recipients = json.dumps([{"kind": "AGENCY", "agency_id": 999_999}])
        response = create(bearer_client(officer, now=now), agency, other_agency, recipients=recipients)
        assert response.status_code == 422
        assert not Outgoing.objects.exists()


class TestRetrieveAndUpdate:
    def test_is_a_404_for_someone_who_may_not_see_it(
        self, bearer_client: Any, agency: Any, officer: Any, other_officer: Any, now: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer)
        response = bearer_client(other_officer, now=now).get(f"/api/v1/outgoing/{draft.pk}/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_patch_changes_the_summary_of_a_draft(
        self, bearer_client: Any, agency: Any, officer: Any, now: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer)
        response = bearer_client(officer, now=now).patch(
            f"/api/v1/outgoing/{draft.pk}/", {"subject": "Trích yếu mới"}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["metadata"]["Subject"] == "Trích yếu mới"

    def test_patch_of_an_issued_document_is_refused(
        self, bearer_client: Any, agency: Any, officer: Any, now: Any
    ) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        response = bearer_client(officer, now=now).patch(
            f"/api/v1/outgoing/{issued.pk}/", {"subject": "Sửa"}, format="json"
        )
        assert response.status_code in (403, 409)


class TestActions:
    def test_review_passes_the_step_and_answers_the_document(
        self, bearer_client: Any, agency: Any, unit: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        review = in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit)
        response = bearer_client(unit_leader, now=now).post(
            f"/api/v1/outgoing/{review.pk}/actions/review/", {"comment": "Đồng ý"}, format="json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["steps"][0]["status"] == "DONE"

    def test_send_back_without_a_reason_is_a_422(
        self, bearer_client: Any, agency: Any, unit: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        review = in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit)
        response = bearer_client(unit_leader, now=now).post(
            f"/api/v1/outgoing/{review.pk}/actions/return_to_drafter/", {}, format="json"
        )
        assert response.status_code == 422

    def test_submitting_a_draft_without_its_file_is_a_409(
        self, bearer_client: Any, agency: Any, officer: Any, now: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer)
        response = bearer_client(officer, now=now).post(
            f"/api/v1/outgoing/{draft.pk}/actions/submit/", {}, format="json"
        )
        assert response.status_code == 409
        draft.refresh_from_db()
        assert draft.status == OutgoingStatus.DRAFT

    def test_an_action_by_the_wrong_person_is_a_403(
        self, bearer_client: Any, agency: Any, unit: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer, drafting_unit=unit)
        response = bearer_client(unit_leader, now=now).post(
            f"/api/v1/outgoing/{draft.pk}/actions/withdraw/", {"reason": "Không cần"}, format="json"
        )
        assert response.status_code == 403

    def test_an_unknown_action_is_a_404(self, bearer_client: Any, agency: Any, officer: Any, now: Any) -> None:
        draft = make_outgoing(agency=agency, drafter=officer)
        response = bearer_client(officer, now=now).post(f"/api/v1/outgoing/{draft.pk}/actions/fly/", {}, format="json")
        assert response.status_code == 404


class TestList:
    def test_filters_by_queue(
        self, bearer_client: Any, agency: Any, officer: Any, agency_leader: Any, now: Any
    ) -> None:
        sign = in_review(agency=agency, drafter=officer, assignee=agency_leader, kind=StepKind.APPROVAL)
        make_outgoing(agency=agency, drafter=officer)
        body = bearer_client(agency_leader, now=now).get("/api/v1/outgoing/", {"queue": "to_sign"}).json()
        assert [row["id"] for row in body["results"]] == [sign.pk]
        assert body["results"][0]["allowed_actions"] == ["return_to_drafter", "return_to_previous", "sign"]

    def test_an_unknown_queue_is_a_400(self, bearer_client: Any, officer: Any, now: Any) -> None:
        assert bearer_client(officer, now=now).get("/api/v1/outgoing/", {"queue": "all"}).status_code == 400

    def test_reads_one_or_thirty_rows_in_the_same_number_of_queries(
        self, bearer_client: Any, agency: Any, officer: Any, now: Any
    ) -> None:
        client = bearer_client(officer, now=now)

        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/api/v1/outgoing/").status_code == 200
            return len(queries)

        make_outgoing(agency=agency, drafter=officer)
        count()  # the first request of the token also records its use
        one = count()
        for _ in range(29):
            make_outgoing(agency=agency, drafter=officer)
        assert count() == one


class TestAllowedActionsBulk:
    def test_agrees_with_available_actions(
        self, agency: Any, unit: Any, officer: Any, unit_leader: Any, agency_leader: Any, clerk: Any, now: Any
    ) -> None:
        outgoings = [
            make_outgoing(agency=agency, drafter=officer, drafting_unit=unit),
            in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit),
            in_review(agency=agency, drafter=officer, assignee=agency_leader, kind=StepKind.APPROVAL),
            make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED),
            make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUING),
            make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED),
            make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.RECALLED),
        ]
        for person in (officer, unit_leader, agency_leader, clerk):
            bulk = presenters.allowed_actions_bulk(outgoings, person=person, now=now)
            for outgoing in outgoings:
                expected = [str(a) for a in policies.available_actions(outgoing, person, now)]
                assert bulk[outgoing.pk] == expected, (person.full_name, outgoing.status)
