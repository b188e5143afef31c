from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.audit.models import AuditEvent
from vanthu.incoming import events
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.incoming.periodic import at_vietnam_time
from vanthu.incoming.periodic import send_deadline_reminders
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.incoming.services.direction import incoming_assign
from vanthu.incoming.services.direction import incoming_direct
from vanthu.incoming.services.handling import incoming_complete
from vanthu.incoming.services.reminders import REMINDER_KIND
from vanthu.incoming.services.reminders import reminders_send
from vanthu.incoming.tests.handling_support import registered_incoming
from vanthu.notify.models import Notification

DIRECTED_AT = datetime(2026, 2, 9, 2, 0, tzinfo=UTC)  # Monday 9 February 2026, 09:00 in Vietnam
DUE = date(2026, 2, 23)  # the Monday after Tết (16–20 February) and its weekends


def at(day: int, month: int = 2, hour: int = 7) -> datetime:
    """``hour`` o'clock in Vietnam on ``day``/``month``/2026."""
    return datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


def direct(incoming: Any, leader: Any, unit: Any, due_date: date = DUE, inform: Any = None) -> Any:
    lines = [AssignmentInput(role=AssignmentRole.LEAD, unit_id=unit.pk)]
    if inform is not None:
        lines.append(AssignmentInput(role=AssignmentRole.INFORM, person_id=inform.pk))
    return incoming_direct(
        incoming=incoming, actor=leader, now=DIRECTED_AT, instruction="Xử lý.", assignments=lines, due_date=due_date
    )


@pytest.fixture
def directed(agency: Any, clerk: Any, agency_leader: Any, unit: Any, unit_leader: Any, officer: Any) -> Any:
    """Lead: ``unit`` (its leader is reminded) and ``officer`` inside it; due on 23 February 2026."""
    incoming = direct(
        registered_incoming(agency=agency, clerk=clerk, now=DIRECTED_AT), agency_leader, unit, inform=clerk
    )
    lead = Assignment.objects.get(incoming=incoming, role=AssignmentRole.LEAD)
    incoming_assign(incoming=incoming, parent=lead, person=officer, actor=unit_leader, now=DIRECTED_AT)
    Notification.objects.all().delete()
    return incoming


def reminded(person: Any) -> list[str]:
    return list(Notification.objects.filter(recipient=person, kind=REMINDER_KIND).values_list("title", flat=True))


class TestRemindersSend:
    def test_says_nothing_three_working_days_before_across_tet(self, directed: Any, officer: Any) -> None:
        assert reminders_send(now=at(11)) == 0  # Wed 11: Thu 12, Fri 13, Mon 23 are three working days

        assert reminded(officer) == []

    def test_warns_two_working_days_before_across_tet_in_app_and_by_e_mail(
        self, directed: Any, officer: Any, unit_leader: Any, clerk: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            sent = reminders_send(now=at(12))  # Thu 12: Fri 13 and Mon 23 are left

        assert sent == 2
        assert len(reminded(officer)) == 1
        assert "23/02/2026" in reminded(officer)[0]
        assert len(reminded(unit_leader)) == 1
        assert reminded(clerk) == []  # for information only: nothing to do by a date
        assert sorted(address for message in mail.outbox for address in message.to) == sorted(
            [officer.email, unit_leader.email]
        )
        assert TraceEntry.objects.filter(incoming=directed, kind=TraceKind.REMINDED).count() == 2
        assert AuditEvent.objects.filter(action=events.INCOMING_REMINDERS_SENT).count() == 1

    def test_reminds_once_a_day(self, directed: Any, officer: Any) -> None:
        reminders_send(now=at(12))

        assert reminders_send(now=at(12, hour=15)) == 0
        assert reminders_send(now=at(13)) == 2  # Friday: one working day left
        assert len(reminded(officer)) == 2

    @pytest.mark.parametrize("day", [14, 15, 16, 17, 20, 21, 22])
    def test_sends_nothing_on_a_weekend_or_during_tet(self, directed: Any, day: int) -> None:
        assert reminders_send(now=at(day)) == 0

    def test_says_due_today_on_the_day(self, directed: Any, officer: Any) -> None:
        sent = reminders_send(now=at(23))

        assert sent == 2
        assert Assignment.objects.filter(incoming=directed, reminded_on=date(2026, 2, 23)).count() == 2

    def test_warns_every_working_day_once_overdue(self, directed: Any, officer: Any) -> None:
        assert reminders_send(now=at(24)) == 2
        assert reminders_send(now=at(25)) == 2
        assert reminders_send(now=at(28)) == 0  # Saturday
        assert reminders_send(now=at(2, month=3)) == 2

        titles = reminded(officer)
        assert len(titles) == 3
        assert all("23/02/2026" in title for title in titles)

    def test_a_completed_document_is_not_reminded(self, directed: Any, officer: Any) -> None:
        incoming_complete(incoming=directed, actor=officer, now=at(12), result="Xong.")

        assert reminders_send(now=at(24)) == 0

    def test_the_number_of_days_is_a_setting(self, directed: Any, settings: Any) -> None:
        settings.VANTHU_REMINDER_DAYS_BEFORE = 3

        assert reminders_send(now=at(11)) == 2

    def test_queries_do_not_grow_with_the_number_of_documents(
        self, agency: Any, clerk: Any, agency_leader: Any, unit: Any, unit_leader: Any
    ) -> None:
        def run(count: int, day: int) -> int:
            for _index in range(count):
                direct(registered_incoming(agency=agency, clerk=clerk, now=DIRECTED_AT), agency_leader, unit)
            with CaptureQueriesContext(connection) as queries:
                assert reminders_send(now=at(day, month=3)) == count
            Assignment.objects.update(status="DONE")
            return len(queries)

        assert run(1, 2) == run(6, 3)


def huey_utc(hour: int, minute: int) -> datetime:
    """The naive UTC timestamp Huey gives its periodic tasks (12 February 2026)."""
    return datetime(2026, 2, 12, hour, minute, tzinfo=UTC).replace(tzinfo=None)


class TestPeriodicTask:
    def test_runs_at_seven_in_the_morning_in_vietnam(self) -> None:
        validate = at_vietnam_time(hour=7, utc=True)

        assert validate(huey_utc(0, 0))  # 07:00 in Vietnam, in Huey's naive UTC
        assert not validate(huey_utc(7, 0))
        assert not validate(huey_utc(0, 1))

    def test_sends_the_reminders_at_the_clock_time(
        self, directed: Any, officer: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr("vanthu.core.clock.now", lambda: at(12))

        send_deadline_reminders.call_local()

        assert len(reminded(officer)) == 1
