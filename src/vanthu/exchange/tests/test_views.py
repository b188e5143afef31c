"""The /exchange/ screens: arrivals of my agency only, the sender's statuses, the delivery page
with its file and status report, the post register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from vanthu.exchange.models import DeliveryStatus
from vanthu.exchange.services import delivery_report_status
from vanthu.exchange.tests.conftest import signed_in
from vanthu.exchange.tests.factories import pdf_bytes
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


class TestArrivals:
    def test_the_recipient_clerk_sees_the_arrival(self, sent, recipient_clerk):
        response = signed_in(recipient_clerk).get(reverse("exchange:index"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "05/QĐ-STC" in content
        assert "Sở Tài chính" in content
        assert content.count('class="arrival-row"') == 1
        assert content.count("arrival-card") == 1

    def test_another_agency_clerk_sees_nothing(self, sent, province):
        stranger = person_with_role(Role.CLERK, AgencyFactory(parent=province))

        response = signed_in(stranger).get(reverse("exchange:index") + "?tab=arrived")

        assert response.status_code == 200
        assert "05/QĐ-STC" not in response.content.decode()
        assert 'id="arrivals-empty"' in response.content.decode()

    def test_filters_by_status(self, sent, recipient_clerk):
        client = signed_in(recipient_clerk)

        registered = client.get(reverse("exchange:index") + "?tab=arrived&status=03")
        arrived = client.get(reverse("exchange:index") + "?tab=arrived&status=01")

        assert "05/QĐ-STC" not in registered.content.decode()
        assert "05/QĐ-STC" in arrived.content.decode()

    def test_runs_a_bounded_number_of_queries(self, sent, recipient_clerk, django_assert_max_num_queries):
        client = signed_in(recipient_clerk)
        with django_assert_max_num_queries(20):
            client.get(reverse("exchange:index"))


class TestSent:
    def test_the_sender_sees_each_recipient_status(self, sent, clerk, recipient_clerk, now):
        delivery_report_status(
            delivery=sent[0], status=DeliveryStatus.REGISTERED, actor=recipient_clerk, now=now + timedelta(hours=1)
        )

        response = signed_in(clerk).get(reverse("exchange:index") + "?tab=sent")

        content = response.content.decode()
        assert response.status_code == 200
        assert content.count("delivery-line") == 2
        assert "03 " + str(DeliveryStatus.REGISTERED.label) in content
        assert "Bộ Tài chính" in content

    def test_an_officer_of_the_sender_sees_the_statuses_too(self, sent, officer):
        response = signed_in(officer).get(reverse("exchange:index"))

        assert "sent-document" in response.content.decode()


class TestDeliveryDetail:
    def test_the_recipient_clerk_reports_registered(self, sent, recipient_clerk):
        client = signed_in(recipient_clerk)
        url = reverse("exchange:delivery_detail", args=[sent[0].pk])
        assert 'id="report-form"' in client.get(url).content.decode()

        response = client.post(reverse("exchange:delivery_report", args=[sent[0].pk]), {"status": "03", "note": "12"})

        assert response.status_code == 302
        sent[0].refresh_from_db()
        assert sent[0].status == DeliveryStatus.REGISTERED

    def test_the_sender_sees_the_page_without_the_report_form(self, sent, clerk):
        response = signed_in(clerk).get(reverse("exchange:delivery_detail", args=[sent[0].pk]))

        assert response.status_code == 200
        assert 'id="report-form"' not in response.content.decode()

    def test_the_sender_may_not_report(self, sent, clerk):
        response = signed_in(clerk).post(reverse("exchange:delivery_report", args=[sent[0].pk]), {"status": "03"})

        assert response.status_code == 403
        sent[0].refresh_from_db()
        assert sent[0].status == DeliveryStatus.ARRIVED

    def test_a_step_not_allowed_is_a_409(self, sent, recipient_clerk):
        response = signed_in(recipient_clerk).post(
            reverse("exchange:delivery_report", args=[sent[0].pk]), {"status": "06"}
        )

        assert response.status_code == 409

    def test_another_agency_gets_a_404(self, sent, province):
        stranger = person_with_role(Role.CLERK, AgencyFactory(parent=province))
        client = signed_in(stranger)

        assert client.get(reverse("exchange:delivery_detail", args=[sent[0].pk])).status_code == 404
        assert client.get(reverse("exchange:delivery_file", args=[sent[0].pk])).status_code == 404
        assert client.post(reverse("exchange:delivery_report", args=[sent[0].pk]), {"status": "03"}).status_code == 404


class TestDeliveryFile:
    @pytest.mark.parametrize("who", ["recipient_clerk", "recipient_leader", "clerk", "officer"])
    def test_streams_the_shared_pdf_to_those_allowed(self, sent, who, request):
        person = request.getfixturevalue(who)

        response = signed_in(person).get(reverse("exchange:delivery_file", args=[sent[0].pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content == pdf_bytes()

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.ARCHIVIST, Role.ADMIN])
    def test_refuses_other_people_of_the_recipient_agency(self, sent, other_agency, role):
        person = person_with_role(role, other_agency)

        response = signed_in(person).get(reverse("exchange:delivery_file", args=[sent[0].pk]))

        assert response.status_code == 404


class TestPostRegister:
    def test_lists_the_letters_sent_by_post(self, sent, clerk):
        response = signed_in(clerk).get(reverse("exchange:post_register") + "?year=2026")

        content = response.content.decode()
        assert response.status_code == 200
        assert content.count('class="post-row"') == 1
        assert "Bộ Tài chính" in content
        assert "28 Trần Hưng Đạo" in content

    def test_another_year_is_empty(self, sent, clerk):
        response = signed_in(clerk).get(reverse("exchange:post_register") + "?year=2025")

        assert 'id="post-register-empty"' in response.content.decode()

    def test_is_not_shown_to_an_officer(self, sent, officer, agency):
        response = signed_in(officer).get(reverse("exchange:post_register") + f"?agency={agency.pk}")

        assert response.status_code == 404
