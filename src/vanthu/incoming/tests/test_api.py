"""The incoming API: lists and queues, the Appendix VI incoming tags, actions with their status
codes (404 for other agencies, 403 not yours, 409 not in this state, 422 invalid)."""

from __future__ import annotations

from typing import Any

import pytest

from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def url(pk: int | None = None, action: str = "") -> str:
    if pk is None:
        return "/api/v1/incoming/"
    return f"/api/v1/incoming/{pk}/" + (f"actions/{action}/" if action else "")


class TestList:
    def test_a_queue_lists_the_callers_work_with_allowed_actions(
        self, agency: Any, other_agency: Any, clerk: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)

        response = bearer_client(clerk, now=now).get(url(), {"queue": "to_register"})

        assert response.status_code == 200
        rows = response.json()["results"]
        assert [row["id"] for row in rows] == [incoming.pk]
        assert set(rows[0]["allowed_actions"]) == {"register", "refuse"}
        assert rows[0]["status"] == "ARRIVED"

    def test_another_agency_lists_nothing_and_reads_nothing(
        self, agency: Any, other_agency: Any, other_officer: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        client = bearer_client(other_officer, now=now)

        assert client.get(url()).json()["results"] == []
        assert client.get(url(incoming.pk)).status_code == 404
        assert client.post(url(incoming.pk, "register"), {}, format="json").status_code == 404

    def test_an_unknown_queue_is_refused(self, clerk: Any, bearer_client: Any, now: Any) -> None:
        assert bearer_client(clerk, now=now).get(url(), {"queue": "all"}).status_code == 400


class TestDetail:
    def test_the_detail_carries_the_appendix_vi_incoming_tags(
        self, agency: Any, other_agency: Any, unit: Any, agency_leader: Any, officer: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.DIRECTED,
            now=now,
            lead=officer,
            leader=agency_leader,
        )

        body = bearer_client(officer, now=now).get(url(incoming.pk)).json()

        metadata = body["metadata"]
        assert metadata["ArrivalNumber"] == incoming.arrival_number
        assert metadata["ArrivalDate"] == "2026-03-10"
        assert metadata["OrganName"] == other_agency.name
        assert "Hoàng Văn Chuyên Viên" in metadata["ToPlaces"]
        assert isinstance(metadata["TraceHeaderList"], list)
        assert body["assignments"][0]["role"] == AssignmentRole.LEAD
        assert "complete" in body["allowed_actions"]


class TestActions:
    def test_the_clerk_registers_then_the_leader_directs(
        self, agency: Any, other_agency: Any, unit: Any, clerk: Any, agency_leader: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)

        registered = bearer_client(clerk, now=now).post(url(incoming.pk, "register"), {}, format="json")
        directed = bearer_client(agency_leader, now=now).post(
            url(incoming.pk, "direct"),
            {
                "instruction": "Giao Phòng Ngân sách chủ trì.",
                "assignments": [{"role": "LEAD", "unit_id": unit.pk}],
                "due_working_days": 5,
            },
            format="json",
        )

        assert registered.status_code == 200
        assert registered.json()["metadata"]["ArrivalNumber"] == 1
        assert directed.status_code == 200, directed.json()
        assert directed.json()["status"] == "DIRECTED"
        assert directed.json()["metadata"]["DueDate"] is not None

    def test_registering_a_registered_document_is_a_conflict(
        self, agency: Any, other_agency: Any, clerk: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
        )

        response = bearer_client(clerk, now=now).post(url(incoming.pk, "register"), {}, format="json")

        assert response.status_code == 409
        assert response.json()["code"] == "already_registered"
        assert response.json()["details"] == {"arrival_number": incoming.arrival_number}

    def test_a_co_operator_may_not_complete(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, bearer_client: Any, now: Any
    ) -> None:
        cooperator = person_with_role(Role.OFFICER, agency)
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.IN_PROGRESS,
            now=now,
            lead=officer,
            cooperate=cooperator,
            leader=agency_leader,
        )

        response = bearer_client(cooperator, now=now).post(
            url(incoming.pk, "complete"), {"result": "Xong"}, format="json"
        )

        assert response.status_code == 403

    def test_a_missing_field_is_invalid_and_an_unknown_action_not_found(
        self, agency: Any, other_agency: Any, clerk: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        client = bearer_client(clerk, now=now)

        assert client.post(url(incoming.pk, "refuse"), {}, format="json").status_code == 422
        assert client.post(url(incoming.pk, "burn"), {}, format="json").status_code == 404


class TestMetadataCorrection:
    """PATCH: the clerk corrects the fields of a document received by other means (not one delivered
    through the system, whose fields are the sender's), until it is directed."""

    def test_the_clerk_corrects_a_document_received_by_other_means(
        self, agency: Any, clerk: Any, bearer_client: Any, now: Any
    ) -> None:
        from vanthu.audit.models import AuditEvent
        from vanthu.incoming.tests.handling_support import registered_incoming

        incoming = registered_incoming(agency=agency, clerk=clerk, now=now)

        response = bearer_client(clerk, now=now).patch(
            url(incoming.pk), {"subject": "Về việc báo cáo dự toán quý II năm 2026", "page_count": 3}, format="json"
        )

        assert response.status_code == 200, response.json()
        incoming.document.refresh_from_db()
        assert incoming.document.subject == "Về việc báo cáo dự toán quý II năm 2026"
        assert incoming.document.page_count == 3
        assert AuditEvent.objects.filter(action__startswith="documents.", target_id=str(incoming.document_id)).exists()

    def test_a_delivered_document_keeps_the_senders_fields(
        self, agency: Any, other_agency: Any, clerk: Any, bearer_client: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        subject = incoming.document.subject

        response = bearer_client(clerk, now=now).patch(url(incoming.pk), {"subject": "Khác"}, format="json")

        assert response.status_code == 422
        incoming.document.refresh_from_db()
        assert incoming.document.subject == subject

    def test_others_may_not_and_a_directed_document_is_closed_to_corrections(
        self,
        agency: Any,
        other_agency: Any,
        clerk: Any,
        officer: Any,
        other_officer: Any,
        agency_leader: Any,
        bearer_client: Any,
        now: Any,
    ) -> None:
        from vanthu.incoming.services.direction import AssignmentInput
        from vanthu.incoming.services.direction import incoming_direct
        from vanthu.incoming.tests.handling_support import registered_incoming

        incoming = registered_incoming(agency=agency, clerk=clerk, now=now)
        change = {"subject": "Về việc khác"}

        assert bearer_client(other_officer, now=now).patch(url(incoming.pk), change, format="json").status_code == 404
        incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=now,
            instruction="Giao chuyên viên xử lý.",
            assignments=[AssignmentInput(role=AssignmentRole.LEAD, person_id=officer.pk)],
            due_working_days=3,
        )
        assert bearer_client(officer, now=now).patch(url(incoming.pk), change, format="json").status_code == 403
        response = bearer_client(clerk, now=now).patch(url(incoming.pk), change, format="json")
        assert response.status_code == 409
        assert response.json()["code"] == "not_editable"
