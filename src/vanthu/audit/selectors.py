"""Reads of the audit log, shared by the API and the HTML audit page. Every list starts from
the policy's queryset (permissions in SQL)."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.db.models import QuerySet

from vanthu.audit import policies
from vanthu.audit.models import AuditEvent
from vanthu.core.clock import start_of_vietnam_day
from vanthu.core.errors import NotFoundError
from vanthu.org.models import Person


def _day_start(day: date) -> datetime | None:
    """Midnight of ``day`` in Vietnam time; None for 1 January of year 1, which begins before
    the first instant a database timestamp (in UTC) can hold — nothing happened before it."""
    moment = start_of_vietnam_day(day)
    try:
        moment.astimezone(UTC)
    except OverflowError:
        return None
    return moment


def audit_event_list_for(
    *,
    person: Person,
    now: datetime,
    agency_id: int | None = None,
    actor_id: int | None = None,
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events the person may read, newest first. ``action`` is a prefix ("org.agency." finds
    every agency event); ``date_from``/``date_to`` are days in Vietnam time, both included.

    Raises PermissionDeniedError for a person with no audit capability at all."""
    scope = policies.audit_scope_for(person, now)
    policies.require_audit_capability(scope)
    events = policies.audit_events_in_scope(scope)
    if agency_id is not None:
        events = events.filter(agency_id=agency_id)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action__startswith=action)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if date_from is not None:
        start = _day_start(date_from)
        if start is not None:
            events = events.filter(occurred_at__gte=start)
    if date_to is not None and date_to < date.max:
        end = _day_start(date_to + timedelta(days=1))
        if end is not None:
            events = events.filter(occurred_at__lt=end)
    return events.select_related("agency").order_by("-occurred_at", "-id")


def audit_event_get_for(*, person: Person, pk: int, now: datetime) -> AuditEvent:
    """One event, or NotFoundError when it does not exist or the person may not read it (also
    for a person with no audit capability: never reveal that an event exists)."""
    event = policies.audit_events_visible_to(person, now).select_related("agency").filter(pk=pk).first()
    if event is None:
        raise NotFoundError()
    return event
