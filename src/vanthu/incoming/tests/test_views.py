"""The incoming screens: queues and the home card per role, the detail page's buttons from
lifecycle × policy, the action forms (refusals stay on the form; other agencies get 404), the
clerk's receipt form, the registers and their XLSX."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.config.navigation import navigation_for
from vanthu.config.pages import home_presenter
from vanthu.documents.tests.factories import document_type
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role
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
    return set(re.findall(r'id="action-([a-z_]+)"', html))


class TestQueuesPage:
    def test_the_clerk_finds_the_arrival_in_awaiting_registration(
        self, agency: Any, other_agency: Any, clerk: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)

        response = client_for(clerk).get(reverse("incoming:queues"))

        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-queue="to_register"' in html
        assert f'id="incoming-row-{incoming.pk}"' in html
        assert re.search(r'id="queue-count-to_register">1<', html)
        assert 'id="incoming-receive"' in html

    def test_an_officer_cannot_receive_documents(self, officer: Any) -> None:
        response = client_for(officer).get(reverse("incoming:queues"))

        assert 'id="incoming-receive"' not in response.content.decode()
        assert client_for(officer).get(reverse("incoming:receive")).status_code == 403

    def test_the_navigation_and_home_show_the_incoming_work(
        self, agency: Any, other_agency: Any, agency_leader: Any, now: Any
    ) -> None:
        put_in_status(arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now)

        urls = [item.url for item in navigation_for(person=agency_leader, now=now)]
        home = home_presenter(person=agency_leader, now=now)

        assert reverse("incoming:queues") in urls
        assert [(line.queue, line.count) for line in home["incoming_queues"]] == [("to_direct", 1)]
        page = client_for(agency_leader).get(reverse("home")).content.decode()
        assert 'id="home-incoming-queue-to_direct"' in page


class TestDetailPage:
    def test_the_buttons_follow_the_role(
        self, agency: Any, other_agency: Any, clerk: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        waiting = arrived(sender=other_agency, recipient=agency, now=now)
        registered = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
        )
        handled = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.IN_PROGRESS,
            now=now,
            lead=officer,
            leader=agency_leader,
        )

        def buttons(person: Any, incoming: Incoming) -> set[str]:
            response = client_for(person).get(reverse("incoming:detail", args=[incoming.pk]))
            assert response.status_code == 200
            return actions_on_page(response.content.decode())

        assert buttons(clerk, waiting) == {"register", "refuse"}
        assert buttons(agency_leader, registered) == {"direct"}
        assert buttons(clerk, registered) == set()
        assert {"report", "complete", "request_extension", "reply"} <= buttons(officer, handled)

    def test_the_reply_link_opens_the_outgoing_reply_screen(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        handled = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.DIRECTED,
            now=now,
            lead=officer,
            leader=agency_leader,
        )

        html = client_for(officer).get(reverse("incoming:detail", args=[handled.pk])).content.decode()

        assert reverse("outgoing:reply", args=[handled.document_id]) in html

    def test_an_overdue_deadline_is_shown_in_red(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        handled = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.IN_PROGRESS,
            now=now,
            lead=officer,
            leader=agency_leader,
        )
        Incoming.objects.filter(pk=handled.pk).update(due_date="2026-03-02")

        html = client_for(officer).get(reverse("incoming:detail", args=[handled.pk])).content.decode()

        assert re.search(r'id="incoming-due"[^>]*>', html)
        assert 'class="badge text-bg-danger" id="incoming-due"' in html

    def test_another_agency_gets_not_found(self, agency: Any, other_agency: Any, other_officer: Any, now: Any) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)

        assert client_for(other_officer).get(reverse("incoming:detail", args=[incoming.pk])).status_code == 404
        url = reverse("incoming:act", args=[incoming.pk, "register"])
        assert client_for(other_officer).get(url).status_code == 404


class TestActionPages:
    def test_the_clerk_registers_and_the_document_gets_its_arrival_number(
        self, agency: Any, other_agency: Any, clerk: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        client = client_for(clerk)
        url = reverse("incoming:act", args=[incoming.pk, "register"])

        assert client.get(url).status_code == 200
        response = client.post(url, {})

        assert response.status_code == 302
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.REGISTERED
        assert incoming.arrival_number == 1

    def test_registering_twice_is_a_conflict(self, agency: Any, other_agency: Any, clerk: Any, now: Any) -> None:
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
        )

        response = client_for(clerk).post(reverse("incoming:act", args=[incoming.pk, "register"]), {})

        assert response.status_code == 409

    def test_a_refusal_without_a_reason_stays_on_the_form(
        self, agency: Any, other_agency: Any, clerk: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)

        response = client_for(clerk).post(reverse("incoming:act", args=[incoming.pk, "refuse"]), {"reason": ""})

        assert response.status_code == 422
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.ARRIVED

    def test_the_leader_directs_to_a_lead_unit_with_co_operators_and_working_days(
        self, agency: Any, other_agency: Any, unit: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
        )
        url = reverse("incoming:act", args=[incoming.pk, "direct"])

        response = client_for(agency_leader).post(
            url,
            {
                "instruction": "Phòng Ngân sách chủ trì, tham mưu trả lời.",
                "lead_unit": unit.pk,
                "cooperate_people": [officer.pk],
                "due_working_days": 5,
            },
        )

        assert response.status_code == 302, response.content.decode()[:2000]
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.DIRECTED
        roles = set(incoming.assignments.values_list("role", "unit_id", "person_id"))
        assert roles == {(AssignmentRole.LEAD, unit.pk, None), (AssignmentRole.COOPERATE, None, officer.pk)}
        assert incoming.due_date is not None

    def test_a_direction_without_a_lead_stays_on_the_form(
        self, agency: Any, other_agency: Any, agency_leader: Any, now: Any
    ) -> None:
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
        )

        response = client_for(agency_leader).post(
            reverse("incoming:act", args=[incoming.pk, "direct"]), {"instruction": "Xem xét."}
        )

        assert response.status_code == 422
        assert 'id="id_lead_unit_error"' in response.content.decode()

    def test_a_co_operator_may_not_complete(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        cooperator = person_with_role(Role.OFFICER, agency)
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.IN_PROGRESS,
            now=now,
            lead=officer,
            cooperate=cooperator,
            leader=agency_leader,
        )
        url = reverse("incoming:act", args=[incoming.pk, "complete"])

        assert client_for(cooperator).get(url).status_code == 403
        assert client_for(cooperator).post(url, {"result": "Xong"}).status_code == 403
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.IN_PROGRESS

    def test_the_lead_reports_and_completes(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.DIRECTED,
            now=now,
            lead=officer,
            leader=agency_leader,
        )
        client = client_for(officer)

        assert (
            client.post(reverse("incoming:act", args=[incoming.pk, "report"]), {"text": "Đang tổng hợp"}).status_code
            == 302
        )
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.IN_PROGRESS
        response = client.post(reverse("incoming:act", args=[incoming.pk, "complete"]), {"result": "Đã trả lời"})
        assert response.status_code == 302
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.DONE
        trace = client.get(reverse("incoming:detail", args=[incoming.pk])).content.decode()
        assert "Đang tổng hợp" in trace
        assert "Đã trả lời" in trace

    def test_an_unknown_action_is_not_found(self, agency: Any, other_agency: Any, clerk: Any, now: Any) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)

        assert client_for(clerk).get(reverse("incoming:act", args=[incoming.pk, "destroy"])).status_code == 404


class TestReceiveForm:
    def test_the_clerk_receives_an_electronic_document(self, agency: Any, clerk: Any) -> None:
        kind = document_type("CONG_VAN")
        upload = SimpleUploadedFile("cong-van.pdf", decision_pdf(), content_type="application/pdf")

        response = client_for(clerk).post(
            reverse("incoming:receive"),
            {
                "agency": agency.pk,
                "document_type": kind.pk,
                "number": 45,
                "symbol": "BTC-NSNN",
                "issuer_name": "Bộ Tài chính",
                "subject": "Về việc hướng dẫn lập dự toán",
                "urgency": "NORMAL",
                "main": upload,
            },
        )

        assert response.status_code == 302, response.content.decode()[:3000]
        incoming = Incoming.objects.get(agency=agency)
        assert incoming.source == IncomingSource.ELECTRONIC
        assert incoming.status == IncomingStatus.ARRIVED
        assert incoming.document.issuer_name == "Bộ Tài chính"

    def test_a_receipt_without_a_summary_keeps_the_input(self, agency: Any, clerk: Any) -> None:
        kind = document_type("CONG_VAN")

        response = client_for(clerk).post(
            reverse("incoming:receive"),
            {"agency": agency.pk, "document_type": kind.pk, "issuer_name": "Bộ Tài chính", "urgency": "NORMAL"},
        )

        assert response.status_code == 422
        assert 'value="Bộ Tài chính"' in response.content.decode()
        assert not Incoming.objects.exists()


class TestRegisterPages:
    def test_the_registers_list_the_arrivals_and_export_them(
        self, agency: Any, other_agency: Any, clerk: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        client = client_for(clerk)
        client.post(reverse("incoming:act", args=[incoming.pk, "register"]), {})

        page = client.get(reverse("incoming:register")).content.decode()
        follow = client.get(reverse("incoming:register"), {"kind": "follow_up"}).content.decode()

        assert 'id="register-month"' in page
        assert 'id="register-row-1"' in page
        assert 'id="follow-up-row-1"' in follow
        incoming.refresh_from_db()
        assert incoming.register_id is not None
        for kind in ("register", "follow_up"):
            response = client.get(reverse("incoming:register_xlsx", args=[incoming.register_id, kind]))
            assert response.status_code == 200
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            assert sheet.cell(row=6, column=1).value is not None

    def test_a_register_is_read_a_month_at_a_time(self, agency: Any, other_agency: Any, clerk: Any, now: Any) -> None:
        from datetime import timedelta

        from vanthu.incoming.services.registration import incoming_register

        february = now - timedelta(days=30)  # 8 February 2026
        for moment in (february, now):
            incoming_register(
                incoming=arrived(sender=other_agency, recipient=agency, now=moment), actor=clerk, now=moment
            )
        client = client_for(clerk)

        this_month = client.get(reverse("incoming:register")).content.decode()
        last_month = client.get(reverse("incoming:register"), {"month": 2, "kind": "follow_up"}).content.decode()
        whole_year = client.get(reverse("incoming:register"), {"month": "all"}).content.decode()

        assert ('id="register-row-1"' in this_month, 'id="register-row-2"' in this_month) == (False, True)
        assert ('id="follow-up-row-1"' in last_month, 'id="follow-up-row-2"' in last_month) == (True, False)
        assert 'id="register-row-1"' in whole_year
        assert 'id="register-row-2"' in whole_year

    def test_an_officer_has_no_register(
        self, agency: Any, other_agency: Any, clerk: Any, officer: Any, now: Any
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        client_for(clerk).post(reverse("incoming:act", args=[incoming.pk, "register"]), {})
        incoming.refresh_from_db()

        response = client_for(officer).get(reverse("incoming:register_xlsx", args=[incoming.register_id, "register"]))

        assert response.status_code == 404


def _scan_png(dpi: int) -> bytes:
    from vanthu.documents.scan_pages import render_page

    return render_page("Ủy ban nhân dân phường đề nghị báo cáo.", dpi=dpi)


class TestPaperReceiptForm:
    def _post(self, client: Client, agency: Any, scans: list[SimpleUploadedFile]) -> Any:
        return client.post(
            reverse("incoming:receive_paper"),
            {
                "agency": agency.pk,
                "document_type": document_type("CONG_VAN").pk,
                "number": 312,
                "symbol": "UBND-VP",
                "issuer_name": "UBND phường Hạc Thành",
                "subject": "Về việc báo cáo tình hình an ninh trật tự",
                "urgency": "NORMAL",
                "scans": scans,
            },
        )

    def test_the_clerk_receives_a_scanned_paper_letter(
        self, agency: Any, clerk: Any, django_capture_on_commit_callbacks: Any
    ) -> None:
        from vanthu.documents.models import FileRole

        scan = SimpleUploadedFile("trang-1.png", _scan_png(200), content_type="image/png")
        with django_capture_on_commit_callbacks(execute=False):  # OCR itself is tested in documents
            response = self._post(client_for(clerk), agency, [scan])

        assert response.status_code == 302, response.content.decode()[:2000]
        incoming = Incoming.objects.get(agency=agency)
        assert incoming.source == IncomingSource.PAPER
        assert incoming.document.origin == "DIGITISED"
        main = incoming.document.current_version.files.get(role=FileRole.MAIN)  # type: ignore[union-attr]
        assert main.conversion_status in ("PENDING", "RUNNING", "DONE")

    def test_a_scan_under_200_dpi_is_refused_and_nothing_is_kept(self, agency: Any, clerk: Any) -> None:
        scan = SimpleUploadedFile("mo.png", _scan_png(100), content_type="image/png")

        response = self._post(client_for(clerk), agency, [scan])

        assert response.status_code in (413, 415, 422)
        assert "200 dpi" in response.content.decode()
        assert not Incoming.objects.exists()

    def test_a_form_without_a_scan_stays_on_the_page(self, agency: Any, clerk: Any) -> None:
        response = self._post(client_for(clerk), agency, [])

        assert response.status_code == 422
        assert 'value="UBND-VP"' in response.content.decode()
        assert not Incoming.objects.exists()


class TestExtensionPages:
    def test_the_lead_asks_and_the_leader_grants(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        from datetime import date

        from vanthu.incoming.models import ExtensionRequest

        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.IN_PROGRESS,
            now=now,
            lead=officer,
            leader=agency_leader,
        )
        asked = client_for(officer).post(
            reverse("incoming:extension_request", args=[incoming.pk]),
            {"due_date": "2026-03-20", "reason": "Chờ số liệu của các phường."},
        )
        assert asked.status_code == 302, asked.content.decode()[:2000]
        request = ExtensionRequest.objects.get(incoming=incoming)

        page = client_for(agency_leader).get(reverse("incoming:detail", args=[incoming.pk])).content.decode()
        assert f'id="action-decide-extension-{request.pk}"' in page
        decided = client_for(agency_leader).post(
            reverse("incoming:extension_decide", args=[incoming.pk, request.pk]), {"grant": "yes", "note": "Đồng ý."}
        )

        assert decided.status_code == 302
        request.refresh_from_db()
        incoming.refresh_from_db()
        assert request.status == "GRANTED"
        assert incoming.due_date == date(2026, 3, 20)

    def test_a_reader_for_information_may_not_ask_and_a_past_date_is_refused(
        self, agency: Any, other_agency: Any, agency_leader: Any, officer: Any, now: Any
    ) -> None:
        from vanthu.incoming.models import ExtensionRequest

        reader = person_with_role(Role.OFFICER, agency)
        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.IN_PROGRESS,
            now=now,
            lead=officer,
            inform=reader,
            leader=agency_leader,
        )
        path = reverse("incoming:extension_request", args=[incoming.pk])

        assert client_for(reader).get(path).status_code == 403
        past = client_for(officer).post(path, {"due_date": "2026-03-01", "reason": "Chờ số liệu."})
        assert past.status_code == 422
        assert not ExtensionRequest.objects.exists()


class TestRecallPages:
    def test_the_clerk_accepts_a_recall_and_only_the_record_stays(
        self, agency: Any, other_agency: Any, clerk: Any, now: Any
    ) -> None:
        from vanthu.documents.models import Document
        from vanthu.incoming.models import RecallRecord
        from vanthu.incoming.tests.factories import recall_sent

        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now), IncomingStatus.REGISTERED, now=now
        )
        document_id = incoming.document_id
        recall_sent(incoming, now=now)

        page = client_for(clerk).get(reverse("incoming:detail", args=[incoming.pk])).content.decode()
        assert {"accept_recall", "refuse_recall"} <= actions_on_page(page)
        response = client_for(clerk).post(
            reverse("incoming:act", args=[incoming.pk, "accept_recall"]), {"note": "Đã hủy bản nhận."}
        )

        assert response.status_code == 302
        record = RecallRecord.objects.get(agency=agency)
        assert record.decision == "ACCEPTED"
        assert record.decided_by == clerk
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.RECALLED
        document = Document.objects.get(pk=document_id)  # kept only as the anchor of the register entry
        assert (document.subject, document.current_version_id) == ("", None)
        assert not document.versions.exists()
        assert record.number_symbol  # what was recalled stays known

    def test_a_recall_of_a_done_document_can_only_be_refused(
        self, agency: Any, other_agency: Any, clerk: Any, officer: Any, agency_leader: Any, now: Any
    ) -> None:
        from vanthu.incoming.tests.factories import recall_sent

        incoming = put_in_status(
            arrived(sender=other_agency, recipient=agency, now=now),
            IncomingStatus.DONE,
            now=now,
            lead=officer,
            leader=agency_leader,
        )
        recall_sent(incoming, now=now)
        client = client_for(clerk)

        page = client.get(reverse("incoming:detail", args=[incoming.pk])).content.decode()
        assert "accept_recall" not in actions_on_page(page)
        refused = client.post(
            reverse("incoming:act", args=[incoming.pk, "refuse_recall"]), {"reason": "Văn bản đã được giải quyết xong."}
        )
        assert refused.status_code == 302
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.DONE
