"""Registration (arrival number, date, duplicates, 03 to the sender) and refusal (02)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest

from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Urgency
from vanthu.exchange.models import DeliveryEvent
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.registration import incoming_refuse
from vanthu.incoming.services.registration import incoming_register
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import sender_clerk
from vanthu.notify.models import Notification
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role


@pytest.fixture
def sender(other_agency: Any) -> Any:
    return sender_clerk(other_agency)


class TestRegister:
    def test_arrival_numbers_follow_each_other_and_the_sender_sees_03(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime
    ) -> None:
        first = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender, number=41)
        second = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender, number=42)
        incoming_register(incoming=first, actor=clerk, now=now)
        incoming_register(incoming=second, actor=clerk, now=now)
        for incoming, number, sender_number in ((first, 1, 41), (second, 2, 42)):
            incoming.refresh_from_db()
            assert incoming.status == IncomingStatus.REGISTERED
            assert (incoming.arrival_number, incoming.arrival_at, incoming.registered_by_id) == (number, now, clerk.pk)
            assert incoming.register_entry is not None
            assert incoming.register_entry.number == number
            assert incoming.document.number == sender_number  # the sender's number is kept
            delivery = incoming.delivery
            assert delivery is not None
            delivery.refresh_from_db()
            assert delivery.status == DeliveryStatus.REGISTERED
            assert DeliveryEvent.objects.filter(delivery=delivery, status=DeliveryStatus.REGISTERED).exists()
            assert incoming.trace.filter(kind=TraceKind.REGISTERED, to_status=IncomingStatus.REGISTERED).exists()

    def test_numbering_restarts_on_the_first_of_january_vietnam_time(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any
    ) -> None:
        before = datetime(2026, 12, 31, 16, 59, tzinfo=UTC)  # 23:59 in Hà Nội
        after = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 00:00 on 1 January 2027 in Hà Nội
        items = [arrived(sender=other_agency, recipient=agency, now=before, clerk=sender) for _ in range(3)]
        incoming_register(incoming=items[0], actor=clerk, now=before)
        incoming_register(incoming=items[1], actor=clerk, now=before)
        incoming_register(incoming=items[2], actor=clerk, now=after)
        assert [(item.register.year, item.arrival_number) for item in items] == [(2026, 1), (2026, 2), (2027, 1)]  # type: ignore[union-attr]

    def test_a_document_already_registered_is_refused(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender)
        incoming_register(incoming=incoming, actor=clerk, now=now)
        with pytest.raises(ConflictError) as refused:
            incoming_register(incoming=incoming, actor=clerk, now=now)
        assert refused.value.code == "already_registered"
        assert "01" in str(refused.value.message)
        incoming.refresh_from_db()
        assert incoming.arrival_number == 1

    def test_a_possible_duplicate_is_said_in_the_trace(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime
    ) -> None:
        first = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender, identifier="X.2026.1")
        second = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender, identifier="X.2026.1")
        incoming_register(incoming=first, actor=clerk, now=now)
        incoming_register(incoming=second, actor=clerk, now=now)
        entry = second.trace.get(kind=TraceKind.REGISTERED)
        assert entry.data["duplicates"] == [first.pk]
        assert "Có thể trùng với số đến 01" in entry.text  # said in Vietnamese
        # Every item already received counts, registered or still waiting.
        assert first.trace.get(kind=TraceKind.REGISTERED).data["duplicates"] == [second.pk]

    def test_the_senders_metadata_cannot_be_changed_but_a_form_may_send_it_back(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender)
        with pytest.raises(ValidationError):
            incoming_register(incoming=incoming, actor=clerk, now=now, subject="Trích yếu khác")
        incoming_register(incoming=incoming, actor=clerk, now=now, subject=incoming.document.subject)
        assert incoming.arrival_number == 1

    def test_only_the_receiving_clerk_registers(
        self, agency: Any, other_agency: Any, sender: Any, officer: Any, agency_leader: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender)
        with pytest.raises(PermissionDeniedError):
            incoming_register(incoming=incoming, actor=agency_leader, now=now)
        with pytest.raises(NotFoundError):
            incoming_register(incoming=incoming, actor=officer, now=now)
        with pytest.raises(NotFoundError):
            incoming_register(incoming=incoming, actor=sender, now=now)
        incoming.refresh_from_db()
        assert incoming.status == IncomingStatus.ARRIVED

    def test_an_urgent_document_is_pushed_to_the_leaders_at_once(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, agency_leader: Any, now: datetime
    ) -> None:
        person_with_role(Role.AGENCY_LEADER, other_agency)  # not told: another agency
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender, urgency=Urgency.FLASH)
        incoming_register(incoming=incoming, actor=clerk, now=now)
        notified = list(Notification.objects.filter(kind="incoming.urgent").values_list("recipient_id", flat=True))
        assert notified == [agency_leader.pk]


class TestRefuse:
    def test_the_document_is_returned_and_the_sender_sees_02(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender)
        incoming_refuse(incoming=incoming, reason="Gửi nhầm cơ quan", actor=clerk, now=now)
        incoming.refresh_from_db()
        assert (incoming.status, incoming.refused_reason, incoming.arrival_number) == (
            IncomingStatus.REFUSED,
            "Gửi nhầm cơ quan",
            None,
        )
        event = DeliveryEvent.objects.get(delivery=incoming.delivery, status=DeliveryStatus.REFUSED)
        assert event.note == "Gửi nhầm cơ quan"
        with pytest.raises(TransitionNotAllowedError):
            incoming_register(incoming=incoming, actor=clerk, now=now)

    def test_a_reason_is_required(self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender)
        with pytest.raises(ValidationError):
            incoming_refuse(incoming=incoming, reason="  ", actor=clerk, now=now)

    def test_a_registered_document_cannot_be_refused(
        self, agency: Any, other_agency: Any, sender: Any, clerk: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, clerk=sender)
        incoming_register(incoming=incoming, actor=clerk, now=now)
        with pytest.raises(TransitionNotAllowedError):
            incoming_refuse(incoming=incoming, reason="Muộn", actor=clerk, now=now)
