"""The database itself refuses to change or remove audit events (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError
from django.db import connection
from django.db import transaction

from vanthu.audit import services as audit
from vanthu.audit.models import AuditEvent
from vanthu.audit.tests.tamper import close_reset_permit

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(agency: Any, clerk: Any, now: Any) -> AuditEvent:
    close_reset_permit()
    return audit.record(action="test.document.registered", actor=clerk, agency=agency, now=now, data={"number": 1})


def raw(sql: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def orm_update(event: AuditEvent) -> None:
    AuditEvent.objects.filter(pk=event.pk).update(action="test.document.deleted")


def orm_save(event: AuditEvent) -> None:
    event.data = {"number": 2}
    event.save()


def orm_queryset_delete(event: AuditEvent) -> None:
    AuditEvent.objects.filter(pk=event.pk).delete()


def orm_instance_delete(event: AuditEvent) -> None:
    event.delete()


def raw_update(event: AuditEvent) -> None:
    raw("UPDATE audit_auditevent SET data = %s WHERE id = %s", '{"number": 2}', event.pk)


def raw_delete(event: AuditEvent) -> None:
    raw("DELETE FROM audit_auditevent WHERE id = %s", event.pk)


def raw_delete_all(event: AuditEvent) -> None:
    raw("DELETE FROM audit_auditevent")


ATTEMPTS: list[Callable[[AuditEvent], None]] = [
    orm_update,
    orm_save,
    orm_queryset_delete,
    orm_instance_delete,
    raw_update,
    raw_delete,
    raw_delete_all,
]


class TestAppendOnly:
    @pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.__name__)
    def test_the_database_refuses(self, event, attempt):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt(event)

        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.action, stored.data) == ("test.document.registered", {"number": 1})

    def test_new_events_are_still_accepted(self, event, agency, clerk, now):
        second = audit.record(action="test.document.registered", actor=clerk, agency=agency, now=now)

        assert second.seq == 2


@pytest.mark.postgres
class TestPostgresReset:
    def test_truncate_is_allowed_for_the_test_runners_reset(self, event):
        with transaction.atomic():
            raw("TRUNCATE audit_auditevent")
            assert not AuditEvent.objects.exists()
            transaction.set_rollback(True)

        assert AuditEvent.objects.filter(pk=event.pk).exists()
