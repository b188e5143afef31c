"""Assertions shared by the organisation's service tests: a refused call writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.core.models import CalendarOverride
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit

WATCHED = (Agency, Unit, Position, Person, RoleAssignment, Delegation, CalendarOverride, AuditEvent, AuditChainHead)


def database_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the organisation and the audit log, as plain values."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in WATCHED}


@contextmanager
def nothing_written() -> Iterator[None]:
    """The block may raise, but must leave every watched table exactly as it was."""
    before = database_snapshot()
    yield
    after = database_snapshot()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"tables changed by a refused call: {changed}"


@contextmanager
def writes_audit_events(*actions: str) -> Iterator[list[AuditEvent]]:
    """The block writes exactly these audit events (in this order); the list is filled after."""
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    written: list[AuditEvent] = []
    yield written
    written.extend(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))
    assert [event.action for event in written] == list(actions)
