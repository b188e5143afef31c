from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from vanthu.audit import services as audit
from vanthu.audit.chain import link_hash
from vanthu.audit.context import client_address
from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.audit.services import event_content
from vanthu.audit.verification import GENESIS
from vanthu.audit.verification import audit_verify

pytestmark = pytest.mark.django_db


def record(agency: Any, actor: Any, now: datetime, action: str = "test.thing.done", **kwargs: Any) -> AuditEvent:
    return audit.record(action=action, actor=actor, agency=agency, now=now, **kwargs)


class TestRecord:
    def test_each_agency_has_its_own_chain(self, agency, other_agency, clerk, other_officer, now):
        first = record(agency, clerk, now)
        elsewhere = record(other_agency, other_officer, now)
        second = record(agency, clerk, now + timedelta(seconds=1))

        assert (first.chain, first.seq) == (f"agency:{agency.pk}", 1)
        assert (second.chain, second.seq) == (f"agency:{agency.pk}", 2)
        assert (elsewhere.chain, elsewhere.seq) == (f"agency:{other_agency.pk}", 1)
        assert first.prev_hash == elsewhere.prev_hash == GENESIS
        assert second.prev_hash == first.hash

    def test_events_without_an_agency_go_to_the_global_chain(self, province_admin, now):
        event = record(None, province_admin, now)

        assert (event.chain, event.seq) == ("global", 1)

    def test_the_hash_covers_the_previous_hash_and_the_content(self, agency, clerk, now):
        record(agency, clerk, now)
        event = record(agency, clerk, now, data={"số": "12/QĐ-UBND"})

        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.hash == link_hash(stored.prev_hash, event_content(stored))

    def test_moves_the_chain_head(self, agency, clerk, now):
        record(agency, clerk, now)
        event = record(agency, clerk, now)

        head = AuditChainHead.objects.get(chain=f"agency:{agency.pk}")
        assert (head.seq, head.hash) == (2, event.hash)

    def test_keeps_who_did_it_and_what_it_touched(self, agency, unit, clerk, now):
        event = record(agency, clerk, now, target=unit, data={"when": now, "amount": Decimal("1.50")})

        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.actor_id, stored.actor_name) == (clerk.pk, "Lê Thị Văn Thư")
        assert (stored.target_type, stored.target_id, stored.target_label) == (
            "org.unit",
            str(unit.pk),
            "Phòng Ngân sách",
        )
        assert stored.data == {"when": str(now), "amount": "1.50"}

    def test_an_anonymous_actor_is_recorded_as_nobody(self, agency, now):
        from django.contrib.auth.models import AnonymousUser

        event = record(agency, AnonymousUser(), now, action="accounts.login.failed")

        assert (event.actor_id, event.actor_name) == (None, "")

    def test_takes_the_client_address_of_the_request(self, agency, clerk, now):
        token = client_address.set("203.113.131.5")
        try:
            event = record(agency, clerk, now)
        finally:
            client_address.reset(token)

        assert AuditEvent.objects.get(pk=event.pk).client_address == "203.113.131.5"

    def test_drops_an_address_that_is_not_one(self, agency, clerk, now):
        event = record(agency, clerk, now, client_address="unknown")

        assert AuditEvent.objects.get(pk=event.pk).client_address is None

    @pytest.mark.parametrize("address", ["2001:0DB8:0000:0000:0001:0000:0000:0001", "::ffff:10.0.0.1", "10.0.0.1"])
    def test_the_chain_verifies_whatever_form_the_database_returns_an_address_in(self, agency, clerk, address, now):
        record(agency, clerk, now, client_address=address)

        assert audit_verify().ok, audit_verify().breaks

    def test_the_chain_verifies_numbers_the_database_rewrites(self, agency, clerk, now):
        record(
            agency,
            clerk,
            now,
            data={"big": 1e20, "ratio": 0.25, "whole": 2.0, "count": 3, "nested": [1.0, {"x": 1e-7}]},
        )

        report = audit_verify()
        assert report.ok, report.breaks


class TestAuditVerify:
    def test_a_clean_log_verifies(self, agency, other_agency, clerk, now):
        for minute in range(3):
            record(agency, clerk, now + timedelta(minutes=minute))
        record(other_agency, clerk, now)
        record(None, clerk, now)

        report = audit_verify()

        assert report.ok
        assert (report.chains, report.events) == (3, 5)

    def test_an_empty_log_verifies(self, db):
        report = audit_verify()

        assert report.ok
        assert (report.chains, report.events) == (0, 0)

    def test_the_services_of_the_organisation_leave_a_verifiable_log(self, province, agency, province_admin, now):
        from vanthu.org import services

        unit = services.unit_create(
            agency=agency, name="Phòng Tin học", abbreviation="TH", actor=province_admin, now=now
        )
        services.unit_update(unit=unit, actor=province_admin, now=now, name="Phòng Công nghệ thông tin")
        services.person_create(
            agency=agency, username="tranvanan", full_name="Trần Văn An", actor=province_admin, now=now
        )

        assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
class TestRecordOutsideATransaction:
    def test_refuses_to_write_outside_a_transaction(self, agency, clerk, now, audit_reset_permit):
        with pytest.raises(RuntimeError, match="inside the transaction"):
            record(agency, clerk, now)

        assert not AuditEvent.objects.exists()

    def test_writes_inside_one_and_the_reset_clears_it(self, agency, clerk, now, audit_reset_permit):
        with transaction.atomic():
            record(agency, clerk, now)

        assert AuditEvent.objects.count() == 1
        # Teardown flushes the tables: TRUNCATE on PostgreSQL, a permitted DELETE on SQLite.
