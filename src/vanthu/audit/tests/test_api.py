"""The audit API: who reads which events (403 on the list for those with no audit capability,
404 for an event out of scope), filters in Vietnam time, and the output (no file content)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from vanthu.audit import services as audit
from vanthu.core.tests.api_helpers import PEOPLE
from vanthu.core.tests.api_helpers import caller
from vanthu.core.tests.api_helpers import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

ROLES = [*PEOPLE, "superuser", "anonymous"]
WHERE = ["own", "other", "province", "unattached"]
READS_ALL = {"superuser", "province_admin", "inspector"}


@pytest.fixture
def events(province: Any, agency: Any, other_agency: Any, now: Any) -> dict[str, Any]:
    with transaction.atomic():
        return {
            "own": audit.record(action="org.unit.created", actor=None, agency=agency, now=now, target=agency),
            "other": audit.record(action="org.unit.created", actor=None, agency=other_agency, now=now),
            "province": audit.record(action="org.agency.updated", actor=None, agency=province, now=now),
            "unattached": audit.record(
                action="accounts.login.failed",
                actor=None,
                agency=None,
                now=now,
                data={"username": "khong-co"},
                client_address="203.0.113.7",
            ),
        }


def expected_list(role: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if role in READS_ALL | {"admin"} else 403


def expected_detail(role: str, where: str) -> int:
    if role == "anonymous":
        return 401
    if role in READS_ALL:
        return 200
    return 200 if role == "admin" and where == "own" else 404


class TestAuditMatrix:
    @pytest.mark.parametrize("role", ROLES)
    def test_list(self, request: pytest.FixtureRequest, role: str, events: dict[str, Any]) -> None:
        response = client_for(caller(request, role)).get("/api/v1/audit/", {"page_size": 200})

        assert response.status_code == expected_list(role)
        if response.status_code == 200:
            seen = {item["id"] for item in response.json()["results"]}
            assert {where for where, event in events.items() if event.pk in seen} == {
                where for where in WHERE if expected_detail(role, where) == 200
            }
        if response.status_code == 403:
            assert response.json()["code"] == "permission_denied"

    @pytest.mark.parametrize("where", WHERE)
    @pytest.mark.parametrize("role", ROLES)
    def test_detail(self, request: pytest.FixtureRequest, role: str, where: str, events: dict[str, Any]) -> None:
        response = client_for(caller(request, role)).get(f"/api/v1/audit/{events[where].pk}/")

        assert response.status_code == expected_detail(role, where)


class TestAuditOutput:
    def test_tells_who_what_when_and_the_chain_links(
        self, province_admin: Any, events: dict[str, Any], agency: Any
    ) -> None:
        event = events["own"]

        body = client_for(province_admin).get(f"/api/v1/audit/{event.pk}/").json()

        assert body == {
            "id": event.pk,
            "occurred_at": "2026-03-10T09:00:00+07:00",
            "action": "org.unit.created",
            "actor": None,
            "agency": {"id": agency.pk, "name": agency.name, "abbreviation": agency.abbreviation},
            "target_type": "org.agency",
            "target_id": str(agency.pk),
            "target_label": agency.name,
            "data": {},
            "client_address": None,
            "chain": f"agency:{agency.pk}",
            "seq": event.seq,
            "hash": event.hash,
            "prev_hash": event.prev_hash,
        }

    def test_names_the_actor_as_written(self, province_admin: Any, agency: Any, now: Any) -> None:
        with transaction.atomic():
            event = audit.record(action="org.agency.updated", actor=province_admin, agency=agency, now=now)

        body = client_for(province_admin).get(f"/api/v1/audit/{event.pk}/").json()

        assert body["actor"] == {"id": province_admin.pk, "name": province_admin.full_name}

    def test_keeps_the_client_address_and_data(self, superuser: Any, events: dict[str, Any]) -> None:
        body = client_for(superuser).get(f"/api/v1/audit/{events['unattached'].pk}/").json()

        assert body["agency"] is None
        assert body["client_address"] == "203.0.113.7"
        assert body["data"] == {"username": "khong-co"}


class TestAuditFilters:
    def _ids(self, client: APIClient, **params: Any) -> set[int]:
        response = client.get("/api/v1/audit/", {"page_size": 200, **params})
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["results"]}

    def test_filters_by_agency_actor_action_prefix_and_target(
        self, superuser: Any, province_admin: Any, events: dict[str, Any], agency: Any, now: Any
    ) -> None:
        with transaction.atomic():
            by_admin = audit.record(action="org.agency.merged", actor=province_admin, agency=agency, now=now)
        client = client_for(superuser)

        assert self._ids(client, agency=agency.pk) == {events["own"].pk, by_admin.pk}
        assert self._ids(client, actor=province_admin.pk) == {by_admin.pk}
        assert self._ids(client, action="org.agency.") == {events["province"].pk, by_admin.pk}
        assert self._ids(client, action="accounts.login") == {events["unattached"].pk}
        assert self._ids(client, target_type="org.agency", target_id=str(agency.pk)) == {events["own"].pk}

    def test_reads_dates_in_vietnam_time(self, superuser: Any, agency: Any) -> None:
        # 23:30 UTC on 9 March is 06:30 on 10 March in Vietnam.
        early = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
        with transaction.atomic():
            event = audit.record(action="test.early", actor=None, agency=agency, now=early)
        client = client_for(superuser)

        assert event.pk in self._ids(client, date_from="2026-03-10", date_to="2026-03-10")
        assert event.pk not in self._ids(client, date_to="2026-03-09")
        assert event.pk not in self._ids(client, date_from="2026-03-11")

    def test_accepts_the_extreme_dates(self, superuser: Any, events: dict[str, Any]) -> None:
        client = client_for(superuser)

        assert self._ids(client, date_from="0001-01-01", date_to="9999-12-31") == {e.pk for e in events.values()}
        assert self._ids(client, date_to="0001-01-01") == set()

    def test_an_admin_filtering_another_agency_gets_nothing(
        self, admin: Any, events: dict[str, Any], other_agency: Any
    ) -> None:
        assert self._ids(client_for(admin), agency=other_agency.pk) == set()

    def test_refuses_a_malformed_date_with_400(self, superuser: Any) -> None:
        response = client_for(superuser).get("/api/v1/audit/", {"date_from": "10/03/2026"})

        assert response.status_code == 400
        assert "date_from" in response.json()["details"]["fields"]

    def test_lists_in_a_bounded_number_of_queries(
        self, province_admin: Any, agency: Any, now: Any, django_assert_max_num_queries: Any
    ) -> None:
        with transaction.atomic():
            for number in range(30):
                audit.record(action="test.many", actor=None, agency=agency, now=now + timedelta(seconds=number))
        client = client_for(province_admin)

        with django_assert_max_num_queries(10):
            response = client.get("/api/v1/audit/")

        assert response.json()["count"] == 30


def test_reads_with_a_bearer_token(bearer_client: Any, inspector: Any, events: dict[str, Any], now: Any) -> None:
    client = bearer_client(inspector, now=now)

    response = client.get("/api/v1/audit/")

    assert response.status_code == 200
    # The events of the fixture and the token's own issuance.
    actions = [item["action"] for item in response.json()["results"]]
    assert "accounts.token.issued" in actions
