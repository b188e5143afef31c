from __future__ import annotations

import pytest
from django.db import connection
from django.db import transaction

from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.org import services

pytestmark = pytest.mark.django_db


def test_creating_agencies_writes_a_verifiable_chain(province, province_admin, now):
    services.agency_create(
        actor=province_admin,
        parent=province,
        now=now,
        name="Sở Nội vụ",
        abbreviation="SNV",
        kind="DEPARTMENT",
        code_qcvn102="000.00.03.H56",
        place_name="Thanh Hóa",
    )
    assert AuditEvent.objects.filter(action="org.agency.created").count() == 1
    report = audit_verify()
    assert report.ok, report.breaks


def test_the_database_refuses_to_update_an_event(province, province_admin, now):
    services.unit_create(agency=province, name="Phòng Tổng hợp", abbreviation="TH", actor=province_admin, now=now)
    event = AuditEvent.objects.get()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])


@pytest.mark.django_db(transaction=True)
def test_a_transactional_reset_takes_its_permit_back_first(audit_reset_permit, province, province_admin, now):
    services.unit_create(agency=province, name="Phòng Hành chính", abbreviation="HC", actor=province_admin, now=now)
    assert AuditEvent.objects.count() == 1


def test_the_audit_table_is_append_only_again_after_a_transactional_test(province, province_admin, now):
    services.unit_create(agency=province, name="Phòng Tổng hợp", abbreviation="TH", actor=province_admin, now=now)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
