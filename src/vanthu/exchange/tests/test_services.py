from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Channel
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import RecipientKind
from vanthu.exchange import events
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.exchange.services import deliveries_recall
from vanthu.exchange.services import deliveries_send
from vanthu.exchange.services import delivery_mark_failed
from vanthu.exchange.services import delivery_report_status
from vanthu.exchange.signals import delivery_arrived
from vanthu.exchange.tests.factories import agencies_with_clerks
from vanthu.exchange.tests.factories import agency_recipient
from vanthu.exchange.tests.factories import external_recipient
from vanthu.exchange.tests.factories import issued_document
from vanthu.exchange.tests.factories import pdf_bytes
from vanthu.notify.models import Notification
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db(transaction=False)


def send(document: Any, blob: Any, clerk: Any, now: Any, **kwargs: Any) -> list[Delivery]:
    recipients = list(DocumentRecipient.objects.filter(document=document).select_related("agency"))
    return deliveries_send(
        document=document, recipients=recipients, blob_sha256=blob.sha256, actor=clerk, now=now, **kwargs
    )


class TestDeliveriesSend:
    def test_an_agency_of_the_province_has_the_document_at_once(
        self, document, blob, clerk, other_agency, recipient_clerk, now
    ):
        agency_recipient(document, other_agency)

        (delivery,) = send(document, blob, clerk, now)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.ARRIVED
        assert delivery.channel == Channel.INTERNAL
        assert delivery.recipient_agency == other_agency
        assert delivery.blob_id == blob.sha256
        assert delivery.status_at == now
        assert list(delivery.events.values_list("status", "actor_id")) == [(DeliveryStatus.ARRIVED, clerk.pk)]

    def test_routes_a_merged_agency_to_its_successor_and_says_so(self, document, blob, clerk, province, now):
        successor = AgencyFactory(parent=province, name="Sở Khoa học và Công nghệ")
        merged = AgencyFactory(parent=province, name="Sở Thông tin và Truyền thông", valid_to=date(2025, 3, 1))
        merged.successor = successor
        merged.save(update_fields=["successor"])
        agency_recipient(document, merged)

        (delivery,) = send(document, blob, clerk, now)

        assert delivery.recipient_agency_id == successor.pk
        assert delivery.recipient_name == "Sở Khoa học và Công nghệ"
        assert "Sở Thông tin và Truyền thông" in delivery.note
        assert "Sở Khoa học và Công nghệ" in delivery.note

    def test_two_merged_agencies_of_one_successor_send_it_one_delivery(self, document, blob, clerk, province, now):
        successor = AgencyFactory(parent=province)
        for ordinal in range(2):
            merged = AgencyFactory(parent=province, successor=successor)
            agency_recipient(document, merged, ordinal=ordinal)

        deliveries = send(document, blob, clerk, now)

        assert [delivery.recipient_agency_id for delivery in deliveries] == [successor.pk]

    def test_emails_the_pdf_after_commit(self, document, blob, clerk, now, django_capture_on_commit_callbacks):
        external_recipient(document, name="Công ty ABC", channel=Channel.EMAIL, address="vanthu@abc.vn")

        with django_capture_on_commit_callbacks(execute=True):
            (delivery,) = send(document, blob, clerk, now)

        assert delivery.status == DeliveryStatus.SENT
        (message,) = mail.outbox
        assert message.to == ["vanthu@abc.vn"]
        ((name, content, content_type),) = message.attachments
        assert name == "05-QĐ-STC.pdf"
        assert content == pdf_bytes()
        assert content_type == "application/pdf"

    def test_an_email_that_fails_marks_the_delivery_failed(
        self, document, blob, clerk, now, django_capture_on_commit_callbacks, monkeypatch
    ):
        external_recipient(document, name="Công ty ABC", channel=Channel.EMAIL, address="vanthu@abc.vn")

        def refuse(self: Any, fail_silently: bool = False) -> int:
            raise OSError("connection refused")

        monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            (delivery,) = send(document, blob, clerk, now)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert list(delivery.events.values_list("status", flat=True)) == [DeliveryStatus.SENT, DeliveryStatus.FAILED]
        assert "connection refused" in delivery.events.last().note

    def test_sends_no_email_when_the_transaction_rolls_back(self, document, blob, clerk, now):
        external_recipient(document, name="Công ty ABC", channel=Channel.EMAIL, address="vanthu@abc.vn")

        send(document, blob, clerk, now)  # the test transaction is never committed

        assert mail.outbox == []

    def test_a_letter_by_post_is_a_row_of_the_post_register(self, document, blob, clerk, now):
        recipient = external_recipient(
            document, name="Bộ Tài chính", channel=Channel.POST, address="28 Trần Hưng Đạo, Hà Nội"
        )

        (delivery,) = send(document, blob, clerk, now, envelope_counts={recipient.pk: 2})

        assert (delivery.status, delivery.envelope_count, delivery.address) == (
            DeliveryStatus.SENT,
            2,
            "28 Trần Hưng Đạo, Hà Nội",
        )

    def test_the_national_axis_waits_to_be_sent(self, document, blob, clerk, now):
        external_recipient(document, name="Bộ Nội vụ", channel=Channel.AXIS)

        (delivery,) = send(document, blob, clerk, now)

        assert delivery.status == DeliveryStatus.PENDING

    def test_skips_units_and_recipients_kept_internally(self, document, blob, clerk, unit, now):
        DocumentRecipient.objects.create(document=document, kind=RecipientKind.UNIT, unit=unit, name=unit.name)
        external_recipient(document, name="Lưu: VT", channel=Channel.NONE)

        assert send(document, blob, clerk, now) == []
        assert not Delivery.objects.exists()

    def test_refuses_an_outside_recipient_without_a_channel_out(self, document, blob, clerk, now):
        external_recipient(document, name="Công ty ABC", channel=Channel.INTERNAL)

        with pytest.raises(ValidationError):
            send(document, blob, clerk, now)

    def test_refuses_someone_who_is_not_a_clerk_of_the_issuing_agency(
        self, document, blob, officer, recipient_clerk, other_agency, now
    ):
        agency_recipient(document, other_agency)

        for person in (officer, recipient_clerk):
            with pytest.raises(PermissionDeniedError):
                send(document, blob, person, now)

    def test_announces_every_arrival_once(self, document, blob, clerk, province, now):
        agencies = agencies_with_clerks(province, 3)
        for ordinal, agency in enumerate(agencies):
            agency_recipient(document, agency, ordinal=ordinal)
        external_recipient(document, name="Công ty ABC", channel=Channel.POST, ordinal=9)
        calls: list[dict[str, Any]] = []

        def receiver(**kwargs: Any) -> None:
            calls.append(kwargs)

        delivery_arrived.connect(receiver, dispatch_uid="test-exchange")
        try:
            deliveries = send(document, blob, clerk, now)
        finally:
            delivery_arrived.disconnect(dispatch_uid="test-exchange")

        (call,) = calls
        assert call["sender"] is Delivery
        assert call["now"] == now
        assert [d.pk for d in call["deliveries"]] == [d.pk for d in deliveries if d.channel == Channel.INTERNAL]
        assert len(call["deliveries"]) == 3

    def test_notifies_the_clerks_of_the_recipient_agencies(self, document, blob, clerk, province, other_agency, now):
        recipient_clerks = [person_with_role(Role.CLERK, other_agency) for _ in range(2)]
        person_with_role(Role.OFFICER, other_agency)
        agency_recipient(document, other_agency)

        send(document, blob, clerk, now)

        notified = set(Notification.objects.values_list("recipient_id", flat=True))
        assert notified == {person.pk for person in recipient_clerks}
        assert "05/QĐ-STC" in Notification.objects.first().title

    def test_writes_one_audit_event_in_the_sender_chain(self, document, blob, clerk, province, agency, now):
        agencies = agencies_with_clerks(province, 3)
        for ordinal, recipient in enumerate(agencies):
            agency_recipient(document, recipient, ordinal=ordinal)

        send(document, blob, clerk, now)

        (event,) = AuditEvent.objects.filter(action=events.DELIVERIES_SENT)
        assert event.agency_id == agency.pk
        assert event.data["count"] == 3
        assert event.data["recipient_agency_ids"] == sorted(a.pk for a in agencies)
        assert event.data["kind"] == DeliveryKind.ORIGINAL

    def test_runs_the_same_number_of_queries_for_2_and_200_recipients(self, agency, clerk, blob, province, now):
        # Django assumes SQLite's old limit of 999 parameters a query and splits bulk inserts into
        # batches of 62 deliveries; SQLite since 3.32 takes 32766 (PostgreSQL 65535).
        if connection.vendor == "sqlite":
            connection.features.__dict__["max_query_params"] = 32766
        try:
            counts = []
            for size in (1, 2, 200):  # the first send also opens the agency's audit chain
                document = issued_document(agency=agency, created_by=clerk, number=size)
                for ordinal, recipient in enumerate(agencies_with_clerks(province, size)):
                    agency_recipient(document, recipient, ordinal=ordinal)
                external_recipient(document, name="Bưu điện", channel=Channel.POST, ordinal=999)
                recipients = list(DocumentRecipient.objects.filter(document=document))
                with CaptureQueriesContext(connection) as queries:
                    deliveries = deliveries_send(
                        document=document, recipients=recipients, blob_sha256=blob.sha256, actor=clerk, now=now
                    )
                assert len(deliveries) == size + 1
                counts.append(len(queries))
        finally:
            connection.features.__dict__.pop("max_query_params", None)

        assert counts[1] == counts[2]
        # the send, plus the receiving agencies' incoming items and their searchable text (incoming app)
        assert counts[2] <= 36


class TestDeliveriesRecall:
    def test_asks_every_recipient_of_the_original_to_give_it_back(
        self, document, blob, clerk, province, other_agency, now
    ):
        agency_recipient(document, other_agency)
        external_recipient(document, name="Công ty ABC", channel=Channel.POST, ordinal=1)
        originals = send(document, blob, clerk, now)

        recalls = deliveries_recall(document=document, reason="Sai số liệu", actor=clerk, now=now + timedelta(hours=1))

        assert [(r.kind, r.status) for r in recalls] == [
            (DeliveryKind.RECALL, DeliveryStatus.RECALL_REQUESTED),
            (DeliveryKind.RECALL, DeliveryStatus.SENT),
        ]
        assert [r.related_id for r in recalls] == [o.pk for o in originals]
        assert all(r.note == "Sai số liệu" for r in recalls)
        assert recalls[0].recipient_agency_id == other_agency.pk

    def test_follows_the_replacement_a_recipient_received_last(self, document, blob, clerk, other_agency, now):
        agency_recipient(document, other_agency)
        (original,) = send(document, blob, clerk, now)
        (replacement,) = send(
            document, blob, clerk, now, kind=DeliveryKind.REPLACEMENT, related={other_agency.pk: original}
        )

        (recall,) = deliveries_recall(document=document, reason="Thu hồi", actor=clerk, now=now)

        assert replacement.related_id == original.pk
        assert recall.related_id == replacement.pk

    def test_does_not_ask_twice(self, document, blob, clerk, other_agency, now):
        agency_recipient(document, other_agency)
        send(document, blob, clerk, now)
        deliveries_recall(document=document, reason="Thu hồi", actor=clerk, now=now)

        with pytest.raises(ConflictError):
            deliveries_recall(document=document, reason="Thu hồi lần nữa", actor=clerk, now=now)

    def test_needs_a_reason(self, document, blob, clerk, other_agency, now):
        agency_recipient(document, other_agency)
        send(document, blob, clerk, now)

        with pytest.raises(ValidationError):
            deliveries_recall(document=document, reason="  ", actor=clerk, now=now)


class TestDeliveryReportStatus:
    @pytest.fixture
    def delivery(self, document, blob, clerk, other_agency, now) -> Delivery:
        agency_recipient(document, other_agency)
        (delivery,) = send(document, blob, clerk, now)
        return delivery

    def test_the_recipient_clerk_registers_it_and_the_sender_sees_it(
        self, delivery, recipient_clerk, other_agency, now
    ):
        later = now + timedelta(minutes=5)

        reported = delivery_report_status(
            delivery=delivery, status=DeliveryStatus.REGISTERED, actor=recipient_clerk, now=later, note="Số đến 12"
        )

        delivery.refresh_from_db()
        assert (delivery.status, delivery.status_at) == (DeliveryStatus.REGISTERED, later)
        assert reported.status == DeliveryStatus.REGISTERED
        assert list(delivery.events.values_list("status", "note")) == [
            (DeliveryStatus.ARRIVED, ""),
            (DeliveryStatus.REGISTERED, "Số đến 12"),
        ]
        event = AuditEvent.objects.get(action=events.DELIVERY_STATUS_REPORTED)
        assert event.agency_id == other_agency.pk

    def test_the_recipient_leader_may_report_too(self, delivery, recipient_leader, now):
        delivery_report_status(delivery=delivery, status=DeliveryStatus.REFUSED, actor=recipient_leader, now=now)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.REFUSED

    @pytest.mark.parametrize(
        ("role", "where", "error"),
        [
            (Role.CLERK, "sender", PermissionDeniedError),
            (Role.AGENCY_LEADER, "sender", PermissionDeniedError),
            (Role.OFFICER, "sender", PermissionDeniedError),
            (Role.OFFICER, "recipient", NotFoundError),
            (Role.UNIT_LEADER, "recipient", NotFoundError),
            (Role.ARCHIVIST, "recipient", NotFoundError),
            (Role.ADMIN, "recipient", NotFoundError),
            (Role.INSPECTOR, "recipient", NotFoundError),
            (Role.CLERK, "third", NotFoundError),
            (Role.AGENCY_LEADER, "third", NotFoundError),
        ],
    )
    def test_refuses_everyone_else(self, delivery, role, where, error, agency, other_agency, province, now):
        place = {"sender": agency, "recipient": other_agency, "third": AgencyFactory(parent=province)}[where]
        person = person_with_role(role, place)

        with pytest.raises(error):
            delivery_report_status(delivery=delivery, status=DeliveryStatus.REGISTERED, actor=person, now=now)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.ARRIVED

    def test_refuses_a_step_the_lifecycle_does_not_allow(self, delivery, recipient_clerk, now):
        with pytest.raises(TransitionNotAllowedError) as raised:
            delivery_report_status(delivery=delivery, status=DeliveryStatus.DONE, actor=recipient_clerk, now=now)

        assert raised.value.http_status == 409
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.ARRIVED

    def test_refuses_a_status_the_recipient_does_not_report(self, delivery, recipient_clerk, now):
        with pytest.raises(ValidationError):
            delivery_report_status(
                delivery=delivery, status=DeliveryStatus.RECALL_REQUESTED, actor=recipient_clerk, now=now
            )

    def test_the_successor_clerk_reports_on_a_delivery_to_a_merged_agency(
        self, document, blob, clerk, province, other_agency, now
    ):
        merged = AgencyFactory(parent=province)
        agency_recipient(document, merged)
        (delivery,) = send(document, blob, clerk, now)
        merged.successor = other_agency
        merged.save(update_fields=["successor"])
        successor_clerk = person_with_role(Role.CLERK, other_agency)

        delivery_report_status(delivery=delivery, status=DeliveryStatus.REGISTERED, actor=successor_clerk, now=now)

        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.REGISTERED

    def test_the_recipient_accepts_a_recall(self, delivery, document, clerk, recipient_clerk, now):
        (recall,) = deliveries_recall(document=document, reason="Sai", actor=clerk, now=now)

        delivery_report_status(delivery=recall, status=DeliveryStatus.ACCEPTED, actor=recipient_clerk, now=now)

        recall.refresh_from_db()
        assert recall.status == DeliveryStatus.ACCEPTED


class TestDeliveryMarkFailed:
    def test_refuses_a_delivery_inside_the_province(self, document, blob, clerk, other_agency, now):
        agency_recipient(document, other_agency)
        (delivery,) = send(document, blob, clerk, now)

        with pytest.raises(TransitionNotAllowedError):
            delivery_mark_failed(delivery_id=delivery.pk, reason="?", now=now)

    def test_audits_in_the_sender_chain(self, document, blob, clerk, agency, now):
        external_recipient(document, name="ABC", channel=Channel.EMAIL, address="a@abc.vn")
        (delivery,) = send(document, blob, clerk, now)

        delivery_mark_failed(delivery_id=delivery.pk, reason="550 mailbox unavailable", now=now)

        event = AuditEvent.objects.get(action=events.DELIVERY_FAILED)
        assert event.agency_id == agency.pk
        assert DeliveryEvent.objects.filter(delivery=delivery, status=DeliveryStatus.FAILED).exists()
