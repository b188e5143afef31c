from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest
from django.core import mail

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.core.working_days import WorkingCalendar
from vanthu.documents.models import Urgency
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming import events
from vanthu.incoming import policies
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.incoming.services.direction import deadline_resolve
from vanthu.incoming.services.direction import incoming_assign
from vanthu.incoming.services.direction import incoming_direct
from vanthu.incoming.tests.handling_support import registered_incoming
from vanthu.incoming.tests.handling_support import unit_with_leader
from vanthu.notify.models import Notification
from vanthu.org.models import Role
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

# Tuesday 10 February 2026, 09:00 in Vietnam: the week before Tết (16–20 February 2026).
BEFORE_TET = datetime(2026, 2, 10, 2, 0, tzinfo=UTC)
PURE = WorkingCalendar()  # the calendar without overrides from the database
LEAD = AssignmentRole.LEAD
COOPERATE = AssignmentRole.COOPERATE
INFORM = AssignmentRole.INFORM


@pytest.fixture
def cooperating(agency: Any) -> list[tuple[Any, Any]]:
    return [
        unit_with_leader(agency, "Phòng Tin học và Thống kê", "THTK"),
        unit_with_leader(agency, "Phòng Quản lý giá", "QLG"),
    ]


@pytest.fixture
def incoming(agency: Any, other_agency: Any, clerk: Any) -> Any:
    return registered_incoming(agency=agency, clerk=clerk, now=BEFORE_TET, sender=other_agency)


def lines(unit: Any, cooperating: list[tuple[Any, Any]]) -> list[AssignmentInput]:
    return [
        AssignmentInput(role=LEAD, unit_id=unit.pk),
        *(AssignmentInput(role=COOPERATE, unit_id=other.pk) for other, _leader in cooperating),
    ]


class TestDeadlineResolve:
    def test_counts_working_days_over_a_weekend_and_tet(self) -> None:
        assert deadline_resolve(calendar=PURE, now=BEFORE_TET, due_working_days=5).due_date == date(2026, 2, 24)

    def test_moves_a_day_of_tet_to_the_next_working_day(self) -> None:
        deadline = deadline_resolve(calendar=PURE, now=BEFORE_TET, due_date=date(2026, 2, 17))

        assert deadline.due_date == date(2026, 2, 23)
        assert deadline.moved_from == date(2026, 2, 17)
        assert "17/02/2026" in deadline.note
        assert "23/02/2026" in deadline.note

    def test_keeps_a_working_day(self) -> None:
        deadline = deadline_resolve(calendar=PURE, now=BEFORE_TET, due_date=date(2026, 2, 12))

        assert deadline.due_date == date(2026, 2, 12)
        assert deadline.moved_from is None

    def test_refuses_both_a_date_and_working_days(self) -> None:
        with pytest.raises(ValidationError):
            deadline_resolve(calendar=PURE, now=BEFORE_TET, due_date=date(2026, 2, 12), due_working_days=3)

    def test_refuses_zero_working_days(self) -> None:
        with pytest.raises(ValidationError):
            deadline_resolve(calendar=PURE, now=BEFORE_TET, due_working_days=0)


class TestIncomingDirect:
    def test_names_a_lead_and_two_cooperating_units_with_a_deadline_across_tet(
        self, incoming: Any, agency_leader: Any, unit: Any, cooperating: Any
    ) -> None:
        directed = incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Phòng Ngân sách chủ trì, tổng hợp báo cáo.",
            assignments=lines(unit, cooperating),
            due_working_days=5,
        )

        assert directed.status == IncomingStatus.DIRECTED
        assert directed.due_date == date(2026, 2, 24)
        assert directed.directed_by == agency_leader
        rows = list(Assignment.objects.filter(incoming=incoming).order_by("id"))
        assert [(row.role, row.unit_id) for row in rows] == [
            (LEAD, unit.pk),
            (COOPERATE, cooperating[0][0].pk),
            (COOPERATE, cooperating[1][0].pk),
        ]
        assert {row.due_date for row in rows} == {date(2026, 2, 24)}

    def test_tells_the_sender_assigned(self, incoming: Any, agency_leader: Any, unit: Any) -> None:
        incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Xử lý.",
            assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
        )

        delivery = Delivery.objects.get(pk=incoming.delivery_id)
        assert delivery.status == DeliveryStatus.ASSIGNED
        assert delivery.events.filter(status=DeliveryStatus.ASSIGNED).count() == 1

    def test_refuses_a_deadline_before_today(self, incoming: Any, agency_leader: Any, unit: Any) -> None:
        with pytest.raises(ValidationError) as error:
            incoming_direct(
                incoming=incoming,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
                due_date=date(2026, 2, 9),
            )

        assert error.value.code == "deadline_in_the_past"
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.REGISTERED
        assert not Assignment.objects.filter(incoming=incoming).exists()

    def test_moves_a_holiday_deadline_to_the_next_working_day_and_says_so_in_the_trace(
        self, incoming: Any, agency_leader: Any, unit: Any
    ) -> None:
        directed = incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Xử lý trước Tết nếu kịp.",
            assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
            due_date=date(2026, 2, 18),
        )

        assert directed.due_date == date(2026, 2, 23)
        entry = TraceEntry.objects.get(incoming=incoming, kind=TraceKind.DIRECTED)
        assert entry.text.startswith("Xử lý trước Tết nếu kịp.")
        assert "18/02/2026" in entry.text
        assert "23/02/2026" in entry.text
        assert entry.data["due_date_moved_from"] == "2026-02-18"

    def test_refuses_a_lead_unit_of_another_agency(self, incoming: Any, agency_leader: Any, other_agency: Any) -> None:
        foreign = UnitFactory(agency=other_agency, name="Phòng Nghiệp vụ Y", abbreviation="NVY")

        with pytest.raises(ValidationError) as error:
            incoming_direct(
                incoming=incoming,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=LEAD, unit_id=foreign.pk)],
            )

        assert error.value.code == "unit_of_another_agency"
        assert not Assignment.objects.filter(incoming=incoming).exists()

    def test_refuses_a_person_of_another_agency(self, incoming: Any, agency_leader: Any, other_officer: Any) -> None:
        with pytest.raises(ValidationError) as error:
            incoming_direct(
                incoming=incoming,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=LEAD, person_id=other_officer.pk)],
            )

        assert error.value.code == "person_of_another_agency"

    @pytest.mark.parametrize("roles", [[COOPERATE], [LEAD, LEAD]])
    def test_refuses_anything_but_exactly_one_lead(
        self, incoming: Any, agency_leader: Any, unit: Any, cooperating: Any, roles: list[str]
    ) -> None:
        units = [unit, *(other for other, _leader in cooperating)]
        with pytest.raises(ValidationError):
            incoming_direct(
                incoming=incoming,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=role, unit_id=units[i].pk) for i, role in enumerate(roles)],
            )

    def test_refuses_a_clerk(self, incoming: Any, clerk: Any, unit: Any) -> None:
        with pytest.raises(PermissionDeniedError):
            incoming_direct(
                incoming=incoming,
                actor=clerk,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
            )

    def test_refuses_a_document_not_yet_registered(self, incoming: Any, agency_leader: Any, unit: Any) -> None:
        incoming.__class__.objects.filter(pk=incoming.pk).update(status=IncomingStatus.ARRIVED)

        with pytest.raises(TransitionNotAllowedError):
            incoming_direct(
                incoming=incoming,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
            )

    def test_a_new_direction_cancels_the_open_assignments(
        self, incoming: Any, agency_leader: Any, unit: Any, cooperating: Any
    ) -> None:
        incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Xử lý.",
            assignments=lines(unit, cooperating),
        )
        other_unit = cooperating[0][0]

        incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Giao lại cho phòng Tin học chủ trì.",
            assignments=[AssignmentInput(role=LEAD, unit_id=other_unit.pk)],
        )

        open_rows = Assignment.objects.filter(incoming=incoming, status=AssignmentStatus.OPEN)
        assert [(row.role, row.unit_id) for row in open_rows] == [(LEAD, other_unit.pk)]
        assert Assignment.objects.filter(incoming=incoming, status=AssignmentStatus.CANCELLED).count() == 3
        # 04 is told once: the sender's view only moves forward.
        assert Delivery.objects.get(pk=incoming.delivery_id).events.count() == 1

    def test_writes_one_audit_event_and_notifies_the_unit_leaders(
        self, incoming: Any, agency_leader: Any, unit: Any, unit_leader: Any, cooperating: Any
    ) -> None:
        incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Xử lý.",
            assignments=lines(unit, cooperating),
        )

        assert AuditEvent.objects.filter(action=events.INCOMING_DIRECTED).count() == 1
        notified = set(Notification.objects.values_list("recipient_id", flat=True))
        assert notified == {unit_leader.pk, cooperating[0][1].pk, cooperating[1][1].pk}

    def test_pushes_an_urgent_document_by_e_mail_at_once(
        self,
        agency: Any,
        other_agency: Any,
        clerk: Any,
        agency_leader: Any,
        unit: Any,
        unit_leader: Any,
        django_capture_on_commit_callbacks: Any,
    ) -> None:
        urgent = registered_incoming(
            agency=agency, clerk=clerk, now=BEFORE_TET, sender=other_agency, urgency=Urgency.FLASH
        )

        with django_capture_on_commit_callbacks(execute=True):
            incoming_direct(
                incoming=urgent,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Hỏa tốc: xử lý ngay.",
                assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
            )

        assert [message.to for message in mail.outbox] == [[unit_leader.email]]

    def test_an_ordinary_document_is_not_e_mailed(
        self, incoming: Any, agency_leader: Any, unit: Any, unit_leader: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            incoming_direct(
                incoming=incoming,
                actor=agency_leader,
                now=BEFORE_TET,
                instruction="Xử lý.",
                assignments=[AssignmentInput(role=LEAD, unit_id=unit.pk)],
            )

        assert mail.outbox == []
        assert Notification.objects.filter(recipient=unit_leader).count() == 1


class TestIncomingAssign:
    @pytest.fixture
    def directed(self, incoming: Any, agency_leader: Any, unit: Any, cooperating: Any) -> Any:
        return incoming_direct(
            incoming=incoming,
            actor=agency_leader,
            now=BEFORE_TET,
            instruction="Xử lý.",
            assignments=lines(unit, cooperating),
            due_working_days=5,
        )

    def lead_of(self, incoming: Any) -> Assignment:
        return Assignment.objects.get(incoming=incoming, role=LEAD, parent=None, status=AssignmentStatus.OPEN)

    def test_the_unit_leader_assigns_an_officer_who_then_sees_the_document(
        self, directed: Any, unit_leader: Any, officer: Any
    ) -> None:
        assert not policies.can_view_incoming(officer, directed, BEFORE_TET)

        child = incoming_assign(
            incoming=directed,
            parent=self.lead_of(directed),
            person=officer,
            actor=unit_leader,
            now=BEFORE_TET,
            instruction="Đồng chí Chuyên Viên dự thảo báo cáo.",
        )

        assert (child.role, child.unit_id, child.person_id) == (
            LEAD,
            directed.document.incoming.assignments.get(parent=None, role=LEAD).unit_id,
            officer.pk,
        )
        assert child.due_date == date(2026, 2, 24)
        assert policies.can_view_incoming(officer, directed, BEFORE_TET)
        assert policies.can_complete(officer, directed, BEFORE_TET)
        assert TraceEntry.objects.filter(incoming=directed, kind=TraceKind.ASSIGNED, assignment=child).exists()
        assert Notification.objects.filter(recipient=officer).count() == 1

    def test_refuses_the_leader_of_another_unit(self, directed: Any, cooperating: Any, officer: Any) -> None:
        with pytest.raises(PermissionDeniedError):
            incoming_assign(
                incoming=directed,
                parent=self.lead_of(directed),
                person=officer,
                actor=cooperating[0][1],
                now=BEFORE_TET,
            )

    def test_refuses_a_person_of_another_unit(
        self, directed: Any, unit_leader: Any, agency: Any, cooperating: Any
    ) -> None:
        stranger = person_with_role(Role.OFFICER, agency, cooperating[0][0], full_name="Chuyên Viên Phòng Khác")

        with pytest.raises(ValidationError):
            incoming_assign(
                incoming=directed, parent=self.lead_of(directed), person=stranger, actor=unit_leader, now=BEFORE_TET
            )

    def test_refuses_a_deadline_later_than_the_units(self, directed: Any, unit_leader: Any, officer: Any) -> None:
        with pytest.raises(ValidationError):
            incoming_assign(
                incoming=directed,
                parent=self.lead_of(directed),
                person=officer,
                actor=unit_leader,
                now=BEFORE_TET,
                due_date=date(2026, 2, 25),
            )

    def test_refuses_the_same_person_twice(self, directed: Any, unit_leader: Any, officer: Any) -> None:
        parent = self.lead_of(directed)
        incoming_assign(incoming=directed, parent=parent, person=officer, actor=unit_leader, now=BEFORE_TET)

        with pytest.raises(ConflictError):
            incoming_assign(incoming=directed, parent=parent, person=officer, actor=unit_leader, now=BEFORE_TET)
