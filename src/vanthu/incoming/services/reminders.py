"""Deadline reminders (DOMAIN.md §1.6 step 4 "theo dõi, đôn đốc"): a daily job warns the handlers of
open lead and co-operating assignments whose deadline is at most ``VANTHU_REMINDER_DAYS_BEFORE``
working days away (default 2), due today, or overdue — in the app (the bell) and by e-mail.

Each assignment is reminded at most once a day (``Assignment.reminded_on``); the job sends nothing
on a day off (weekends, Tết, public holidays: nobody reads it, and the next working day catches
up). Whatever the number of assignments, the queries are bounded: one read of the assignments, one
of the unit leaders, one of the people, bulk inserts of the notices and the trace rows, one update,
one audit event per agency concerned."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_date
from vanthu.core.working_days import WorkingCalendar
from vanthu.incoming import events
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.direction import calendar_around
from vanthu.incoming.services.direction import day_label
from vanthu.incoming.services.direction import incoming_detail_url
from vanthu.incoming.services.direction import subject_of
from vanthu.incoming.services.direction import unit_leader_ids
from vanthu.notify.models import Notification
from vanthu.org.models import Person

REMINDER_KIND = "incoming.reminder"
DEFAULT_DAYS_BEFORE = 2


@dataclass(frozen=True)
class _Reminder:
    assignment: Assignment
    person_ids: frozenset[int]
    title: str
    body: str


def days_before_setting() -> int:
    return max(0, int(getattr(settings, "VANTHU_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE)))


def reminder_title(*, subject: str, due_date: date, today: date, calendar: WorkingCalendar) -> str:
    """ "Due in N working days", "due today" or "overdue since" — in the handler's words."""
    if due_date < today:
        return _("Overdue since %(date)s: %(subject)s") % {"date": day_label(due_date), "subject": subject}
    if due_date == today:
        return _("Due today: %(subject)s") % {"subject": subject}
    days = calendar.working_days_between(today, due_date)
    return ngettext(
        "Due on %(date)s, in %(days)s working day: %(subject)s",
        "Due on %(date)s, in %(days)s working days: %(subject)s",
        days,
    ) % {"date": day_label(due_date), "days": days, "subject": subject}


def _body(assignment: Assignment, title: str, url: str) -> str:
    document = assignment.incoming.document
    lines = [title]
    reference = "/".join(str(part) for part in (document.number, document.symbol) if part)
    if reference:
        lines.append(
            _("Document: %(reference)s, %(issuer)s") % {"reference": reference, "issuer": document.issuer_name}
        )
    if assignment.incoming.arrival_number:
        lines.append(_("Arrival number: %(number)s") % {"number": assignment.incoming.arrival_number})
    if url:
        lines.append(url)
    return "\n".join(lines)


@transaction.atomic
def reminders_send(*, now: datetime) -> int:
    """Warn the handlers of the assignments that are due soon, due today or overdue (once a day
    each). Returns how many notices were sent (one per person and assignment)."""
    today = vietnam_date(now)
    calendar = calendar_around(today)
    if not calendar.is_working_day(today):
        return 0
    horizon = calendar.add_working_days(today, days_before_setting())
    assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(
            status=AssignmentStatus.OPEN,
            role__in=[AssignmentRole.LEAD, AssignmentRole.COOPERATE],
            due_date__isnull=False,
            due_date__lte=horizon,
            incoming__status__in=[IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS],
        )
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
        .select_related("incoming__document")
        .order_by("incoming_id", "id")
    )
    if not assignments:
        return 0
    leaders = unit_leader_ids({a.unit_id for a in assignments if a.person_id is None and a.unit_id is not None}, now)
    reminders: list[_Reminder] = []
    for assignment in assignments:
        assert assignment.due_date is not None  # noqa: S101 - filtered above
        if assignment.person_id is not None:
            people = frozenset({assignment.person_id})
        else:
            people = frozenset(leaders.get(assignment.unit_id or 0, set()))
        title = reminder_title(
            subject=subject_of(assignment.incoming), due_date=assignment.due_date, today=today, calendar=calendar
        )
        url = incoming_detail_url(assignment.incoming)
        reminders.append(_Reminder(assignment, people, title, _body(assignment, title, url)))

    active = {
        person.pk: person
        for person in Person.objects.filter(
            pk__in={pk for reminder in reminders for pk in reminder.person_ids}, is_active=True
        ).only("id", "email")
    }
    notifications: list[Notification] = []
    mails: list[tuple[str, str, str | None, list[str]]] = []
    for reminder in reminders:
        url = incoming_detail_url(reminder.assignment.incoming)
        for person_id in sorted(reminder.person_ids):
            person = active.get(person_id)
            if person is None:
                continue
            notifications.append(
                Notification(
                    recipient_id=person_id,
                    title=reminder.title[:255],
                    body=reminder.body,
                    url=url,
                    kind=REMINDER_KIND,
                    created_at=now,
                )
            )
            if person.email:
                mails.append((reminder.title, reminder.body, settings.DEFAULT_FROM_EMAIL, [person.email]))
    Notification.objects.bulk_create(notifications)
    Assignment.objects.filter(pk__in=[reminder.assignment.pk for reminder in reminders]).update(reminded_on=today)
    TraceEntry.objects.bulk_create(
        [
            TraceEntry(
                incoming_id=reminder.assignment.incoming_id,
                assignment_id=reminder.assignment.pk,
                kind=TraceKind.REMINDED,
                occurred_at=now,
                text=reminder.title,
                data={
                    "due_date": reminder.assignment.due_date.isoformat() if reminder.assignment.due_date else None,
                    "people": sorted(pk for pk in reminder.person_ids if pk in active),
                },
            )
            for reminder in reminders
        ]
    )
    by_agency: dict[int, list[int]] = defaultdict(list)
    for reminder in reminders:
        by_agency[reminder.assignment.incoming.agency_id].append(reminder.assignment.pk)
    for agency_id, assignment_ids in sorted(by_agency.items()):
        audit.record(
            action=events.INCOMING_REMINDERS_SENT,
            actor=None,
            agency=agency_id,
            now=now,
            data={"date": today.isoformat(), "assignments": assignment_ids},
        )
    if mails:
        transaction.on_commit(lambda: send_mass_mail(tuple(mails), fail_silently=True))
    return len(notifications)
