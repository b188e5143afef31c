"""The deliveries API: list (arrived / sent), detail with events, the report action, 404s."""

from __future__ import annotations

import pytest

from vanthu.exchange.models import DeliveryStatus
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


class TestDeliveryList:
    def test_lists_the_arrivals_of_the_recipient(self, sent, recipient_clerk, bearer_client, now):
        response = bearer_client(recipient_clerk, now=now).get("/api/v1/deliveries/")

        assert response.status_code == 200
        (item,) = response.json()["results"]
        assert item["id"] == sent[0].pk
        assert item["status"] == "01"
        assert item["document"]["CodeNumber"] == "05"
        assert item["document"]["CodeNotation"] == "QĐ-STC"

    def test_lists_what_the_sender_sent(self, sent, clerk, bearer_client, now):
        response = bearer_client(clerk, now=now).get("/api/v1/deliveries/?box=sent")

        assert {item["id"] for item in response.json()["results"]} == {d.pk for d in sent}

    def test_filters_by_status(self, sent, clerk, bearer_client, now):
        response = bearer_client(clerk, now=now).get("/api/v1/deliveries/?box=sent&status=SENT")

        assert [item["recipient_name"] for item in response.json()["results"]] == ["Bộ Tài chính"]

    def test_an_unknown_box_is_a_400(self, sent, clerk, bearer_client, now):
        response = bearer_client(clerk, now=now).get("/api/v1/deliveries/?box=everything")

        assert response.status_code == 400

    def test_another_agency_sees_nothing(self, sent, province, bearer_client, now):
        stranger = person_with_role(Role.CLERK, AgencyFactory(parent=province))
        client = bearer_client(stranger, now=now)

        assert client.get("/api/v1/deliveries/").json()["results"] == []
        assert client.get("/api/v1/deliveries/?box=sent").json()["results"] == []


class TestDeliveryDetail:
    def test_shows_the_events_and_what_the_recipient_may_report(self, sent, recipient_clerk, bearer_client, now):
        response = bearer_client(recipient_clerk, now=now).get(f"/api/v1/deliveries/{sent[0].pk}/")

        body = response.json()
        assert response.status_code == 200
        assert [event["status"] for event in body["events"]] == ["01"]
        assert body["allowed_actions"] == ["report"]
        assert body["allowed_statuses"] == ["02", "03"]
        assert body["has_file"] is True

    def test_the_sender_may_not_report(self, sent, clerk, bearer_client, now):
        body = bearer_client(clerk, now=now).get(f"/api/v1/deliveries/{sent[0].pk}/").json()

        assert body["allowed_actions"] == []

    def test_is_a_404_for_an_invisible_delivery(self, sent, other_officer, bearer_client, now):
        response = bearer_client(other_officer, now=now).get(f"/api/v1/deliveries/{sent[0].pk}/")

        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestDeliveryReport:
    def test_the_recipient_registers_it(self, sent, recipient_clerk, bearer_client, now):
        response = bearer_client(recipient_clerk, now=now).post(
            f"/api/v1/deliveries/{sent[0].pk}/actions/report/", {"status": "03", "note": "Số đến 7"}, format="json"
        )

        assert response.status_code == 200
        assert response.json()["status"] == "03"
        assert [event["note"] for event in response.json()["events"]] == ["", "Số đến 7"]

    def test_a_step_not_allowed_is_a_409(self, sent, recipient_clerk, bearer_client, now):
        response = bearer_client(recipient_clerk, now=now).post(
            f"/api/v1/deliveries/{sent[0].pk}/actions/report/", {"status": "05"}, format="json"
        )

        assert response.status_code == 409
        assert response.json()["code"] == "transition_not_allowed"

    def test_the_sender_gets_a_403(self, sent, clerk, bearer_client, now):
        response = bearer_client(clerk, now=now).post(
            f"/api/v1/deliveries/{sent[0].pk}/actions/report/", {"status": "03"}, format="json"
        )

        assert response.status_code == 403
        sent[0].refresh_from_db()
        assert sent[0].status == DeliveryStatus.ARRIVED

    def test_an_invisible_delivery_is_a_404(self, sent, other_officer, bearer_client, now):
        response = bearer_client(other_officer, now=now).post(
            f"/api/v1/deliveries/{sent[0].pk}/actions/report/", {"status": "03"}, format="json"
        )

        assert response.status_code == 404
