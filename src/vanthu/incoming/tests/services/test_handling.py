from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from django.utils import translation

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming import events
from vanthu.incoming import policies
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import ExtensionStatus
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.incoming.services.direction import incoming_assign
from vanthu.incoming.services.direction import incoming_direct
from vanthu.incoming.services.handling import extension_decide
from vanthu.incoming.services.handling import extension_request
from vanthu.incoming.services.handling import incoming_complete
from vanthu.incoming.services.handling import incoming_reopen
from vanthu.incoming.services.handling import incoming_report
from vanthu.incoming.tests.handling_support import registered_incoming
from vanthu.incoming.tests.handling_support import unit_with_leader
from vanthu.notify.models import Notification
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role

# Tuesday 10 February 2026, 09:00 in Vietnam; the deadline (5 working days) is Tuesday 24 February.
START = datetime(2026, 2, 10, 2, 0, tzinfo=UTC)
LATER = START + timedelta(days=1)


class Team:
    """A directed document: ``unit`` leads (its leader assigned ``officer``), a second unit
    co-operates, ``reader`` is informed."""

    def __init__(self, **people: Any) -> None:
        self.__dict__.update(people)


@pytest.fixture
def team(
    agency: Any, other_agency: Any, clerk: Any, agency_leader: Any, unit: Any, unit_leader: Any, officer: Any
) -> Team:
    cooperating_unit, cooperating_leader = unit_with_leader(agency, "Phòng Tin học và Thống kê", "THTK")
    reader = person_with_role(Role.OFFICER, agency, cooperating_unit, full_name="Người Để Biết")
    incoming = registered_incoming(agency=agency, clerk=clerk, now=START, sender=other_agency)
    incoming = incoming_direct(
        incoming=incoming,
        actor=agency_leader,
        now=START,
        instruction="Phòng Ngân sách chủ trì; phòng Tin học phối hợp.",
        assignments=[
            AssignmentInput(role=AssignmentRole.LEAD, unit_id=unit.pk),
            AssignmentInput(role=AssignmentRole.COOPERATE, unit_id=cooperating_unit.pk),
            AssignmentInput(role=AssignmentRole.INFORM, person_id=reader.pk),
        ],
        due_working_days=5,
    )
    lead = Assignment.objects.get(incoming=incoming, role=AssignmentRole.LEAD)
    incoming_assign(incoming=incoming, parent=lead, person=officer, actor=unit_leader, now=START)
    Notification.objects.all().delete()
    return Team(
        incoming=incoming,
        leader=agency_leader,
        unit_leader=unit_leader,
        officer=officer,
        cooperating_leader=cooperating_leader,
        reader=reader,
        clerk=clerk,
    )


def delivery_of(team: Team) -> Delivery:
    return Delivery.objects.get(pk=team.incoming.delivery_id)


class TestIncomingReport:
    def test_the_first_progress_report_starts_handling_and_tells_the_sender_in_progress(self, team: Team) -> None:
        reported = incoming_report(incoming=team.incoming, actor=team.officer, now=LATER, text="Đã dự thảo báo cáo.")

        assert reported.status == IncomingStatus.IN_PROGRESS
        assert delivery_of(team).status == DeliveryStatus.IN_PROGRESS
        entry = TraceEntry.objects.get(incoming=team.incoming, kind=TraceKind.PROGRESS)
        assert (entry.from_status, entry.to_status, entry.actor_id) == ("DIRECTED", "IN_PROGRESS", team.officer.pk)
        assert AuditEvent.objects.filter(action=events.INCOMING_REPORTED).count() == 1

    def test_a_second_report_keeps_the_status_and_tells_the_sender_once(self, team: Team) -> None:
        incoming_report(incoming=team.incoming, actor=team.officer, now=LATER, text="Đã dự thảo.")
        incoming_report(incoming=team.incoming, actor=team.unit_leader, now=LATER, text="Đã duyệt dự thảo.")

        assert TraceEntry.objects.filter(incoming=team.incoming, kind=TraceKind.PROGRESS).count() == 2
        assert delivery_of(team).events.filter(status=DeliveryStatus.IN_PROGRESS).count() == 1

    def test_cooperating_input_is_seen_by_the_lead(self, team: Team) -> None:
        kept = incoming_report(
            incoming=team.incoming, actor=team.cooperating_leader, now=LATER, text="Số liệu thống kê gửi kèm."
        )

        assert kept.status == IncomingStatus.DIRECTED
        entry = TraceEntry.objects.get(incoming=team.incoming, kind=TraceKind.INPUT)
        assert entry.text == "Số liệu thống kê gửi kèm."
        assert entry.assignment is not None
        assert entry.assignment.role == AssignmentRole.COOPERATE
        notified = set(Notification.objects.values_list("recipient_id", flat=True))
        assert notified == {team.unit_leader.pk, team.officer.pk}
        assert delivery_of(team).status == DeliveryStatus.ASSIGNED

    def test_an_informed_reader_cannot_report(self, team: Team) -> None:
        assert policies.can_view_incoming(team.reader, team.incoming, LATER)

        with pytest.raises(PermissionDeniedError):
            incoming_report(incoming=team.incoming, actor=team.reader, now=LATER, text="Tôi cũng muốn góp ý.")

    def test_refuses_an_empty_report(self, team: Team) -> None:
        with pytest.raises(ValidationError):
            incoming_report(incoming=team.incoming, actor=team.officer, now=LATER, text="   ")


class TestIncomingComplete:
    def test_the_lead_completes_and_the_sender_sees_done(self, team: Team) -> None:
        incoming_report(incoming=team.incoming, actor=team.officer, now=LATER, text="Đã dự thảo.")

        done = incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="Đã có văn bản trả lời.")

        assert done.status == IncomingStatus.DONE
        assert (done.completed_by, done.completed_at, done.result) == (team.officer, LATER, "Đã có văn bản trả lời.")
        assert delivery_of(team).status == DeliveryStatus.DONE
        assert not Assignment.objects.filter(incoming=team.incoming, status=AssignmentStatus.OPEN).exists()
        assert Notification.objects.filter(recipient=team.leader).count() == 1
        assert AuditEvent.objects.filter(action=events.INCOMING_COMPLETED).count() == 1

    def test_completes_straight_from_directed(self, team: Team) -> None:
        done = incoming_complete(incoming=team.incoming, actor=team.unit_leader, now=LATER, result="Đã xử lý.")

        assert done.status == IncomingStatus.DONE
        assert delivery_of(team).status == DeliveryStatus.DONE

    def test_a_cooperator_cannot_complete(self, team: Team) -> None:
        with translation.override("en"), pytest.raises(PermissionDeniedError) as error:
            incoming_complete(incoming=team.incoming, actor=team.cooperating_leader, now=LATER, result="Xong.")

        assert "co-operating" in str(error.value.message)
        team.incoming.refresh_from_db()
        assert team.incoming.status == IncomingStatus.DIRECTED

    def test_an_informed_reader_cannot_complete(self, team: Team) -> None:
        with pytest.raises(PermissionDeniedError):
            incoming_complete(incoming=team.incoming, actor=team.reader, now=LATER, result="Xong.")

    def test_refuses_a_completion_without_a_result(self, team: Team) -> None:
        with pytest.raises(ValidationError):
            incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="")

    def test_refuses_completing_twice(self, team: Team) -> None:
        incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="Xong.")

        with pytest.raises((TransitionNotAllowedError, PermissionDeniedError)):
            incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="Xong lần nữa.")


class TestIncomingReopen:
    def test_the_leader_reopens_and_the_handlers_work_again(self, team: Team) -> None:
        incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="Xong.")

        reopened = incoming_reopen(
            incoming=team.incoming, actor=team.leader, now=LATER + timedelta(hours=1), reason="Chưa đủ số liệu."
        )

        assert reopened.status == IncomingStatus.IN_PROGRESS
        assert reopened.completed_at is None
        assert Assignment.objects.filter(incoming=team.incoming, status=AssignmentStatus.OPEN).count() == 4
        assert policies.can_complete(team.officer, reopened, LATER)
        entry = reopened.trace.order_by("-id").first()
        assert entry is not None
        assert (entry.kind, entry.text) == (TraceKind.REOPENED, "Chưa đủ số liệu.")
        # The sender's view only moves forward: it stays "done".
        assert delivery_of(team).status == DeliveryStatus.DONE

    def test_refuses_the_handler(self, team: Team) -> None:
        incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="Xong.")

        with pytest.raises(PermissionDeniedError):
            incoming_reopen(incoming=team.incoming, actor=team.officer, now=LATER, reason="Làm lại.")


class TestExtensions:
    def test_the_lead_asks_and_the_leader_grants_a_new_deadline(self, team: Team) -> None:
        request = extension_request(
            incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 3), reason="Chờ số liệu."
        )
        assert request.status == ExtensionStatus.PENDING
        assert Notification.objects.filter(recipient=team.leader).count() == 1

        decided = extension_decide(request=request, actor=team.leader, now=LATER, grant=True, note="Đồng ý.")

        assert decided.status == ExtensionStatus.GRANTED
        assert decided.decided_by == team.leader
        # The officer's assignment, the unit's above it and the document's deadline all move.
        deadlines = set(
            Assignment.objects.filter(incoming=team.incoming, role=AssignmentRole.LEAD).values_list(
                "due_date", flat=True
            )
        )
        assert deadlines == {date(2026, 3, 3)}
        team.incoming.refresh_from_db()
        assert team.incoming.due_date == date(2026, 3, 3)
        cooperating = Assignment.objects.get(incoming=team.incoming, role=AssignmentRole.COOPERATE)
        assert cooperating.due_date == date(2026, 2, 24)
        assert TraceEntry.objects.filter(incoming=team.incoming, kind=TraceKind.EXTENSION_DECIDED).count() == 1
        assert Notification.objects.filter(recipient=team.officer).count() == 1

    def test_the_leader_refuses_and_the_deadline_stays(self, team: Team) -> None:
        request = extension_request(
            incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 3), reason="Chờ số liệu."
        )

        decided = extension_decide(request=request, actor=team.leader, now=LATER, grant=False, note="Không gia hạn.")

        assert decided.status == ExtensionStatus.REFUSED
        team.incoming.refresh_from_db()
        assert team.incoming.due_date == date(2026, 2, 24)
        assert set(Assignment.objects.filter(incoming=team.incoming).values_list("due_date", flat=True)) == {
            date(2026, 2, 24),
            None,
        }

    def test_a_cooperator_asks_for_their_own_assignment(self, team: Team) -> None:
        request = extension_request(
            incoming=team.incoming,
            actor=team.cooperating_leader,
            now=LATER,
            due_date=date(2026, 2, 26),
            reason="Cần thêm thời gian.",
        )
        extension_decide(request=request, actor=team.leader, now=LATER, grant=True)

        assert request.assignment.role == AssignmentRole.COOPERATE
        team.incoming.refresh_from_db()
        assert team.incoming.due_date == date(2026, 2, 24)

    def test_refuses_a_second_request_while_one_waits(self, team: Team) -> None:
        extension_request(
            incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 3), reason="Chờ số liệu."
        )

        with pytest.raises(ConflictError):
            extension_request(
                incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 4), reason="Lần nữa."
            )

    def test_refuses_a_date_not_later_than_the_deadline(self, team: Team) -> None:
        with pytest.raises(ValidationError):
            extension_request(
                incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 2, 23), reason="Sớm hơn."
            )

    def test_an_informed_reader_cannot_ask(self, team: Team) -> None:
        with pytest.raises(PermissionDeniedError):
            extension_request(
                incoming=team.incoming, actor=team.reader, now=LATER, due_date=date(2026, 3, 3), reason="Tôi xin."
            )

    def test_only_a_leader_decides(self, team: Team) -> None:
        request = extension_request(
            incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 3), reason="Chờ số liệu."
        )

        with pytest.raises(PermissionDeniedError):
            extension_decide(request=request, actor=team.unit_leader, now=LATER, grant=True)

    def test_refuses_deciding_twice(self, team: Team) -> None:
        request = extension_request(
            incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 3), reason="Chờ số liệu."
        )
        extension_decide(request=request, actor=team.leader, now=LATER, grant=False)

        with pytest.raises(ConflictError):
            extension_decide(request=request, actor=team.leader, now=LATER, grant=True)

    def test_completion_closes_a_waiting_request(self, team: Team) -> None:
        request = extension_request(
            incoming=team.incoming, actor=team.officer, now=LATER, due_date=date(2026, 3, 3), reason="Chờ số liệu."
        )

        incoming_complete(incoming=team.incoming, actor=team.officer, now=LATER, result="Xong sớm.")

        request.refresh_from_db()
        assert request.status == ExtensionStatus.REFUSED
