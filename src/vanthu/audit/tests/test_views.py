"""The audit trail page: who may open it (403 otherwise), what each reader sees (their scope;
an event outside it is a 404), the filters, pagination, and the chain verification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.audit import services as audit
from vanthu.audit.models import AuditEvent
from vanthu.core import clock

pytestmark = pytest.mark.django_db


def signed_in(client: Client, person: Any) -> Client:
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def record(
    action: str, agency: Any, *, actor: Any = None, when: Any = None, data: dict[str, Any] | None = None
) -> AuditEvent:
    with transaction.atomic():
        return audit.record(action=action, actor=actor, agency=agency, now=when or clock.now(), data=data or {})


@pytest.fixture
def events(agency: Any, other_agency: Any, clerk: Any) -> dict[str, AuditEvent]:
    return {
        "own": record("org.unit.created", agency, actor=clerk, data={"name": "Phòng Giá"}),
        "other": record("org.unit.created", other_agency, data={"name": "Phòng Dược"}),
        "province": record("core.calendar.override_set", None),
    }


def rows(response: Any) -> int:
    return response.content.decode().count('class="audit-row"')


class TestEventList:
    def test_sends_anonymous_visitors_to_sign_in(self, client: Client) -> None:
        assert client.get(reverse("audit:event_list")).status_code == 302

    @pytest.mark.parametrize("role", ["officer", "clerk", "agency_leader", "outsider"])
    def test_is_a_403_without_admin_or_inspector_role(
        self, client: Client, role: str, request: pytest.FixtureRequest
    ) -> None:
        person = request.getfixturevalue(role)
        response = signed_in(client, person).get(reverse("audit:event_list"))
        assert response.status_code == 403
        assert 'data-status="403"' in response.content.decode()

    def test_a_province_inspector_reads_every_agency(
        self, client: Client, inspector: Any, events: dict[str, AuditEvent]
    ) -> None:
        body = signed_in(client, inspector).get(reverse("audit:event_list")).content.decode()
        assert "Phòng Giá" in body
        assert "Phòng Dược" in body
        assert "core.<wbr>calendar.<wbr>override_set" in body

    def test_an_agency_admin_reads_only_their_agency(
        self, client: Client, admin: Any, events: dict[str, AuditEvent]
    ) -> None:
        response = signed_in(client, admin).get(reverse("audit:event_list"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Phòng Giá" in body
        assert "Phòng Dược" not in body
        assert "override_set" not in body

    def test_filters_by_action_agency_and_person(
        self, client: Client, inspector: Any, clerk: Any, agency: Any, other_agency: Any, events: dict[str, AuditEvent]
    ) -> None:
        signed_in(client, inspector)
        url = reverse("audit:event_list")
        assert rows(client.get(url, {"action": "org.unit."})) == 2
        body = client.get(url, {"agency": other_agency.pk}).content.decode()
        assert "Phòng Dược" in body
        assert "Phòng Giá" not in body
        body = client.get(url, {"person": clerk.username}).content.decode()
        assert "Phòng Giá" in body
        assert "Phòng Dược" not in body
        assert rows(client.get(url, {"actor": clerk.pk})) == 1

    def test_an_unknown_person_finds_nothing(
        self, client: Client, inspector: Any, events: dict[str, AuditEvent]
    ) -> None:
        response = signed_in(client, inspector).get(reverse("audit:event_list"), {"person": "khong-ai-ca"})
        assert rows(response) == 0
        assert "alert-warning" in response.content.decode()

    def test_filters_by_vietnam_dates(self, client: Client, inspector: Any, agency: Any) -> None:
        today = clock.vietnam_date(clock.now())
        record("org.unit.updated", agency, when=clock.now() - timedelta(days=10), data={"name": "Phòng-trước-kỳ"})
        record("org.unit.updated", agency, data={"name": "Phòng-trong-kỳ"})
        body = (
            signed_in(client, inspector)
            .get(reverse("audit:event_list"), {"date_from": today.isoformat(), "date_to": today.isoformat()})
            .content.decode()
        )
        assert "Phòng-trong-kỳ" in body
        assert "Phòng-trước-kỳ" not in body

    def test_refuses_a_period_that_ends_before_it_starts(
        self, client: Client, inspector: Any, events: dict[str, AuditEvent]
    ) -> None:
        response = signed_in(client, inspector).get(
            reverse("audit:event_list"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
        )
        assert response.status_code == 200
        assert rows(response) == 0
        assert "invalid-feedback" in response.content.decode()

    def test_pages_without_counting_the_whole_log(
        self, client: Client, inspector: Any, agency: Any, django_assert_max_num_queries: Any
    ) -> None:
        for index in range(60):
            record("org.unit.updated", agency, data={"index": index})
        signed_in(client, inspector)
        with django_assert_max_num_queries(35) as queries:
            first = client.get(reverse("audit:event_list"))
        assert not [q for q in queries.captured_queries if "COUNT" in q["sql"] and "audit_auditevent" in q["sql"]]
        assert rows(first) == 50
        assert 'rel="next"' in first.content.decode()
        second = client.get(reverse("audit:event_list"), {"page": "2"})
        assert rows(second) == AuditEvent.objects.count() - 50  # the 60 and the sign-in event(s)

    def test_htmx_returns_only_the_results(self, client: Client, inspector: Any, events: dict[str, AuditEvent]) -> None:
        response = signed_in(client, inspector).get(
            reverse("audit:event_list"), {"action": "org."}, HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="audit-results"')
        assert "<html" not in body

    def test_each_row_carries_its_data(self, client: Client, inspector: Any, events: dict[str, AuditEvent]) -> None:
        body = signed_in(client, inspector).get(reverse("audit:event_list")).content.decode()
        assert f'id="audit-data-{events["own"].pk}"' in body
        assert "&quot;name&quot;: &quot;Phòng Giá&quot;" in body


class TestEventDetail:
    def test_an_inspector_opens_an_event(self, client: Client, inspector: Any, events: dict[str, AuditEvent]) -> None:
        response = signed_in(client, inspector).get(reverse("audit:event_detail", args=[events["other"].pk]))
        assert response.status_code == 200
        assert events["other"].hash in response.content.decode()

    def test_an_event_outside_the_scope_is_a_404(
        self, client: Client, admin: Any, events: dict[str, AuditEvent]
    ) -> None:
        assert signed_in(client, admin).get(reverse("audit:event_detail", args=[events["other"].pk])).status_code == 404

    def test_is_a_404_for_a_person_without_audit_role(
        self, client: Client, officer: Any, events: dict[str, AuditEvent]
    ) -> None:
        assert signed_in(client, officer).get(reverse("audit:event_detail", args=[events["own"].pk])).status_code == 404


class TestVerify:
    def test_a_province_admin_verifies_the_chain(
        self, client: Client, province_admin: Any, events: dict[str, AuditEvent]
    ) -> None:
        signed_in(client, province_admin)
        assert 'id="audit-verify-button"' in client.get(reverse("audit:event_list")).content.decode()
        response = client.post(reverse("audit:verify"), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert 'id="audit-verify-ok"' in response.content.decode()

    def test_without_htmx_it_is_a_page(
        self, client: Client, province_admin: Any, events: dict[str, AuditEvent]
    ) -> None:
        response = signed_in(client, province_admin).post(reverse("audit:verify"))
        assert response.status_code == 200
        assert "<html" in response.content.decode()

    @pytest.mark.parametrize("role", ["admin", "inspector"])
    def test_is_a_403_for_others(self, client: Client, role: str, request: pytest.FixtureRequest) -> None:
        person = request.getfixturevalue(role)
        signed_in(client, person)
        assert 'id="audit-verify-button"' not in client.get(reverse("audit:event_list")).content.decode()
        assert client.post(reverse("audit:verify")).status_code == 403

    def test_refuses_get(self, client: Client, province_admin: Any) -> None:
        assert signed_in(client, province_admin).get(reverse("audit:verify")).status_code == 405
