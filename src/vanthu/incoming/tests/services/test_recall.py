"""The sender's recall: accepted (copy destroyed, record kept, 15) or refused (16)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import EntryStatus
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import RecallDecision
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.recall import incoming_recall_accept
from vanthu.incoming.services.recall import incoming_recall_refuse
from vanthu.incoming.services.registration import incoming_register
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import put_in_status
from vanthu.incoming.tests.factories import recall_sent


@pytest.fixture
def registered(agency: Any, other_agency: Any, clerk: Any, now: datetime) -> Incoming:
    incoming = arrived(sender=other_agency, recipient=agency, now=now, number=9, identifier="000.00.02.H56.2026.9")
    incoming_register(incoming=incoming, actor=clerk, now=now)
    return incoming


class TestRecallAccept:
    def test_the_copy_is_destroyed_the_record_kept_and_the_sender_sees_15(
        self, registered: Incoming, clerk: Any, now: datetime
    ) -> None:
        recall = recall_sent(registered, now=now, reason="Ban hành nhầm")
        registered.refresh_from_db()
        document = registered.document
        symbol = document.symbol
        record = incoming_recall_accept(incoming=registered, actor=clerk, now=now, note="Đã hủy bản nhận")
        registered.refresh_from_db()
        document.refresh_from_db()
        assert registered.status == IncomingStatus.RECALLED
        assert registered.recalled_at == now
        assert document.subject == ""
        assert document.identifier == ""
        assert document.current_version_id is None
        assert not DocumentVersion.objects.filter(document=document).exists()
        assert not DocumentFile.objects.filter(version__document=document).exists()
        assert registered.register_entry is not None
        assert registered.register_entry.status == EntryStatus.USED  # the register shows no silent gap
        assert (record.decision, record.decided_by_id, record.decided_at) == (RecallDecision.ACCEPTED, clerk.pk, now)
        assert record.number_symbol == f"09/{symbol}"
        assert (record.document_identifier, record.arrival_number) == ("000.00.02.H56.2026.9", 1)
        assert record.sender_name
        assert (record.recall_delivery_id, record.reason) == (recall.pk, "Ban hành nhầm")
        recall.refresh_from_db()
        assert recall.status == DeliveryStatus.ACCEPTED
        assert registered.trace.filter(kind=TraceKind.RECALL_ACCEPTED).exists()

    def test_a_done_document_can_only_be_refused(
        self, registered: Incoming, clerk: Any, agency_leader: Any, officer: Any, now: datetime
    ) -> None:
        put_in_status(registered, IncomingStatus.DONE, now=now, lead=officer, leader=agency_leader)
        recall = recall_sent(registered, now=now)
        registered.refresh_from_db()
        with pytest.raises(TransitionNotAllowedError) as refused:
            incoming_recall_accept(incoming=registered, actor=clerk, now=now)
        assert refused.value.code == "recall_of_done_document"
        record = incoming_recall_refuse(incoming=registered, reason="Đã giải quyết xong", actor=clerk, now=now)
        registered.refresh_from_db()
        assert registered.status == IncomingStatus.DONE
        assert registered.document.current_version_id is not None
        assert record.decision == RecallDecision.REFUSED
        recall.refresh_from_db()
        assert recall.status == DeliveryStatus.RECALL_REFUSED
        assert record.note.startswith("Văn bản đã được giải quyết xong.")  # said to the sender in Vietnamese

    def test_nothing_to_decide_without_a_recall(self, registered: Incoming, clerk: Any, now: datetime) -> None:
        with pytest.raises(ConflictError):
            incoming_recall_accept(incoming=registered, actor=clerk, now=now)

    def test_only_a_clerk_decides(self, registered: Incoming, agency_leader: Any, now: datetime) -> None:
        recall_sent(registered, now=now)
        registered.refresh_from_db()
        with pytest.raises(PermissionDeniedError):
            incoming_recall_accept(incoming=registered, actor=agency_leader, now=now)
        registered.refresh_from_db()
        assert registered.status == IncomingStatus.REGISTERED


class TestRecallRefuse:
    def test_the_document_goes_on_and_the_sender_sees_16(self, registered: Incoming, clerk: Any, now: datetime) -> None:
        recall = recall_sent(registered, now=now)
        registered.refresh_from_db()
        record = incoming_recall_refuse(
            incoming=registered, reason="Văn bản đã được xử lý một phần", actor=clerk, now=now
        )
        registered.refresh_from_db()
        assert registered.status == IncomingStatus.REGISTERED
        assert registered.recall_requested_at is None  # nothing pending any more
        assert record.decision == RecallDecision.REFUSED
        assert record.note == "Văn bản đã được xử lý một phần"
        recall.refresh_from_db()
        assert recall.status == DeliveryStatus.RECALL_REFUSED
        with pytest.raises(ConflictError):
            incoming_recall_refuse(incoming=registered, reason="Lần nữa", actor=clerk, now=now)
