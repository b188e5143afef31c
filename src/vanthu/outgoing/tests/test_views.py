"""The outgoing screens: queues per role, the detail page's buttons per role, the draft form's
errors (nothing lost), the register and its XLSX, navigation and the home page counts."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.config.navigation import navigation_for
from vanthu.config.pages import home_presenter
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.tests.test_selectors import in_review
from vanthu.outgoing.tests.test_selectors import make_outgoing
from vanthu.signing.testing.pdfs import decision_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def client_for(person: Any) -> Client:
    """A session past the second factor (leaders and clerks need it)."""
    client = Client()
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def actions_on_page(html: str) -> set[str]:
    import re

    return set(re.findall(r'id="action-([a-z_]+)"', html))


class TestQueuesPage:
    def test_each_role_sees_its_own_queue(
        self, agency: Any, unit: Any, officer: Any, unit_leader: Any, agency_leader: Any, clerk: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer, drafting_unit=unit)
        review = in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit)
        sign = in_review(agency=agency, drafter=officer, assignee=agency_leader, kind=StepKind.APPROVAL)
        signed = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED)
        expected = {
            (officer, "mine"): draft,
            (unit_leader, "opinions"): review,
            (agency_leader, "to_sign"): sign,
            (clerk, "to_issue"): signed,
        }
        for (person, queue), outgoing in expected.items():
            response = client_for(person).get(reverse("outgoing:queues"), {"queue": queue})
            html = response.content.decode()
            assert response.status_code == 200
            assert f'id="outgoing-row-{outgoing.pk}"' in html
            assert html.count('data-testid="outgoing-row"') == 1
            assert 'id="queue-count-' + queue + '"' in html

    def test_opens_on_the_first_queue_with_work(self, agency: Any, officer: Any, clerk: Any) -> None:
        make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED)
        response = client_for(clerk).get(reverse("outgoing:queues"))
        assert 'data-queue="to_issue"' in response.content.decode()

    def test_htmx_filter_answers_the_list_only(self, agency: Any, officer: Any) -> None:
        for subject in ("Kế hoạch phòng cháy", "Báo cáo tài chính"):
            make_outgoing(agency=agency, drafter=officer, document__subject=subject)
        response = client_for(officer).get(
            reverse("outgoing:queues"), {"queue": "mine", "q": "phòng cháy"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert "<html" not in html
        assert "Kế hoạch phòng cháy" in html
        assert "Báo cáo tài chính" not in html
        assert "HX-Request" in response["Vary"]

    def test_draft_button_only_for_drafting_roles(self, officer: Any, outsider: Any) -> None:
        assert 'id="outgoing-create"' in client_for(officer).get(reverse("outgoing:queues")).content.decode()
        assert 'id="outgoing-create"' not in client_for(outsider).get(reverse("outgoing:queues")).content.decode()

    def test_asks_to_sign_in(self) -> None:
        response = Client().get(reverse("outgoing:queues"))
        assert response.status_code == 302


class TestDetailPage:
    def test_buttons_come_from_lifecycle_and_policy(
        self, agency: Any, unit: Any, officer: Any, unit_leader: Any, agency_leader: Any, clerk: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer, drafting_unit=unit)
        review = in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit)
        sign = in_review(agency=agency, drafter=officer, assignee=agency_leader, kind=StepKind.APPROVAL)
        signed = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED)
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        cases: list[tuple[Any, Outgoing, set[str]]] = [
            (officer, draft, {"submit", "withdraw", "edit", "new_version"}),
            (unit_leader, draft, set()),
            (unit_leader, review, {"review", "return_to_drafter", "return_to_previous"}),
            (officer, review, set()),
            (agency_leader, sign, {"sign", "return_to_drafter", "return_to_previous"}),
            (clerk, signed, {"start_issue"}),
            (clerk, issued, {"recall", "change_recipients", "draft_replacement", "draft_correction", "make_copy"}),
            (officer, issued, {"draft_replacement", "draft_correction"}),
        ]
        for person, outgoing, expected in cases:
            response = client_for(person).get(reverse("outgoing:detail", args=[outgoing.pk]))
            assert response.status_code == 200
            assert actions_on_page(response.content.decode()) == expected, (person.full_name, outgoing.status)

    def test_is_a_404_for_another_agency(self, agency: Any, officer: Any, other_officer: Any) -> None:
        draft = make_outgoing(agency=agency, drafter=officer)
        assert client_for(other_officer).get(reverse("outgoing:detail", args=[draft.pk])).status_code == 404

    def test_shows_the_appendix_vi_metadata_and_the_overdue_step(
        self, agency: Any, unit: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        from datetime import timedelta

        review = in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit)
        review.steps.update(due_at=now - timedelta(hours=2))
        html = client_for(unit_leader).get(reverse("outgoing:detail", args=[review.pk])).content.decode()
        for tag in ("CodeNumber", "CodeNotation", "Subject", "SignerInfo", "Priority", "DueDate"):
            assert f'id="meta-{tag}"' in html
        assert "overdue" in html

    def test_an_action_page_refuses_someone_who_may_not(
        self, agency: Any, officer: Any, unit_leader: Any, unit: Any
    ) -> None:
        draft = make_outgoing(agency=agency, drafter=officer, drafting_unit=unit)
        assert client_for(unit_leader).get(reverse("outgoing:withdraw", args=[draft.pk])).status_code == 403

    def test_send_back_needs_a_reason(self, agency: Any, unit: Any, officer: Any, unit_leader: Any) -> None:
        review = in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit)
        response = client_for(unit_leader).post(
            reverse("outgoing:return_to_drafter", args=[review.pk]), {"reason": " "}
        )
        assert response.status_code == 422
        assert 'id="id_reason_error"' in response.content.decode()
        review.refresh_from_db()
        assert review.status == OutgoingStatus.IN_REVIEW


class TestDraftForm:
    def _data(self, agency: Any, other_agency: Any, **overrides: Any) -> dict[str, Any]:
        from vanthu.outgoing.tests.factories import document_type

        data = {
            "agency": agency.pk,
            "document_type": document_type("QĐ").pk,
            "subject": "Quyết định phê duyệt kế hoạch năm 2026",
            "urgency": "NORMAL",
            "recipient_agencies": [other_agency.pk],
            "external_recipients": "Công ty A; EMAIL; vanthu@congtya.vn",
        }
        data.update(overrides)
        return data

    def test_creates_the_draft_and_goes_to_it(self, agency: Any, other_agency: Any, officer: Any) -> None:
        data = self._data(agency, other_agency)
        data["main_file"] = io.BytesIO(decision_pdf())
        data["main_file"].name = "du-thao.pdf"
        response = client_for(officer).post(reverse("outgoing:create"), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        outgoing = Outgoing.objects.get()
        assert response["Location"] == reverse("outgoing:detail", args=[outgoing.pk])
        assert outgoing.document.subject == data["subject"]
        assert outgoing.document.recipients.count() == 2

    def test_an_empty_summary_is_refused_on_its_field(self, agency: Any, other_agency: Any, officer: Any) -> None:
        response = client_for(officer).post(reverse("outgoing:create"), self._data(agency, other_agency, subject="  "))
        assert response.status_code == 422
        assert 'id="id_subject_error"' in response.content.decode()
        assert not Outgoing.objects.exists()

    def test_a_bad_file_keeps_the_other_input(self, agency: Any, other_agency: Any, officer: Any) -> None:
        data = self._data(agency, other_agency)
        data["main_file"] = io.BytesIO(b"MZ\x90\x00 not a document at all" * 10)
        data["main_file"].name = "du-thao.pdf"
        response = client_for(officer).post(reverse("outgoing:create"), data)
        html = response.content.decode()
        assert response.status_code == 415
        assert "Quyết định phê duyệt kế hoạch năm 2026" in html
        assert f'value="{other_agency.pk}"' in html
        assert "checked" in html
        assert "vanthu@congtya.vn" in html
        assert not Outgoing.objects.exists()

    def test_a_wrong_external_channel_is_refused(self, agency: Any, other_agency: Any, officer: Any) -> None:
        data = self._data(agency, other_agency, external_recipients="Công ty A; FAX; 0123")
        response = client_for(officer).post(reverse("outgoing:create"), data)
        assert response.status_code == 422
        assert 'id="id_external_recipients_error"' in response.content.decode()

    def test_is_refused_to_someone_without_a_drafting_role(self, outsider: Any) -> None:
        assert client_for(outsider).get(reverse("outgoing:create")).status_code == 403

    def test_the_agency_search_keeps_ticked_agencies(
        self, agency: Any, other_agency: Any, province: Any, officer: Any
    ) -> None:
        response = client_for(officer).get(
            reverse("outgoing:agency_search"),
            {"q": "zzz", "recipient_agencies": [other_agency.pk], "agency": agency.pk},
        )
        html = response.content.decode()
        assert f'id="recipient-agency-{other_agency.pk}" checked' in html
        assert f'id="recipient-agency-{province.pk}"' not in html


class TestRegisterPage:
    def test_lists_numbers_and_exports_xlsx(self, agency: Any, officer: Any, clerk: Any) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        response = client_for(clerk).get(reverse("outgoing:register"), {"year": 2026})
        assert response.status_code == 200
        assert 'id="register-row-1"' in response.content.decode()
        download = client_for(clerk).get(reverse("outgoing:register_xlsx", args=[issued.register_id]))
        assert download.status_code == 200
        assert download["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = openpyxl.load_workbook(io.BytesIO(download.content))
        text = " ".join(str(cell.value) for row in workbook.active.iter_rows() for cell in row if cell.value)
        assert issued.document.subject in text

    def test_the_xlsx_is_a_404_for_an_officer(self, agency: Any, officer: Any) -> None:
        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        assert client_for(officer).get(reverse("outgoing:register_xlsx", args=[issued.register_id])).status_code == 404


class TestNavigationAndHome:
    def test_navigation_offers_outgoing_and_exchange_to_role_holders(
        self, officer: Any, outsider: Any, now: Any
    ) -> None:
        assert reverse("outgoing:queues") in [item.url for item in navigation_for(person=officer, now=now)]
        assert reverse("outgoing:queues") not in [item.url for item in navigation_for(person=outsider, now=now)]

    def test_home_counts_the_queues_with_links(self, agency: Any, officer: Any, clerk: Any, now: Any) -> None:
        make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED)
        lines = {line.queue: line for line in home_presenter(person=clerk, now=now)["outgoing_queues"]}
        assert lines["to_issue"].count == 1
        assert lines["to_issue"].url == reverse("outgoing:queues") + "?queue=to_issue"
        assert home_presenter(person=officer, now=now)["outgoing_queues"][0].queue == "mine"


class TestDeliveryTracking:
    def test_the_detail_shows_each_recipients_status(
        self, agency: Any, officer: Any, clerk: Any, other_agency: Any, now: Any
    ) -> None:
        from vanthu.exchange.models import Delivery
        from vanthu.exchange.models import DeliveryStatus

        issued = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        Delivery.objects.create(
            document=issued.document,
            sender_agency=agency,
            recipient_agency=other_agency,
            recipient_name=other_agency.name,
            channel="INTERNAL",
            status=DeliveryStatus.ARRIVED,
            status_at=now,
            sent_at=now,
            sent_by=clerk,
        )
        html = client_for(clerk).get(reverse("outgoing:detail", args=[issued.pk])).content.decode()
        assert 'id="delivery-tracking"' in html
        assert other_agency.name in html
        assert html.count("delivery-line") == 1
