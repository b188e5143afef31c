"""Test data for the incoming app: documents issued cheaply by a sender (Document + recipients,
sent through ``exchange.services.deliveries_send`` so ``delivery_arrived`` fires) and incoming
documents put in any status directly (tests only: production code moves status through
``incoming.lifecycle.advance``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Origin
from vanthu.documents.models import Urgency
from vanthu.exchange.models import Delivery
from vanthu.exchange.services import deliveries_recall
from vanthu.exchange.services import deliveries_send
from vanthu.exchange.tests.factories import agency_recipient
from vanthu.exchange.tests.factories import issued_document
from vanthu.exchange.tests.factories import stored_pdf
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentRole
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.org.models import Agency
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role

_counter = {"number": 100}


def sender_clerk(agency: Agency) -> Any:
    """A clerk of the sending agency (one per call: cheap and independent)."""
    return person_with_role(Role.CLERK, agency)


def deliver(
    *,
    sender: Agency,
    recipients: Sequence[Agency],
    now: datetime,
    clerk: Any = None,
    number: int | None = None,
    subject: str = "Về việc phân bổ ngân sách năm 2026",
    urgency: str = Urgency.NORMAL,
    identifier: str = "",
) -> list[Incoming]:
    """Issue a document of ``sender`` to ``recipients`` and send it: the incoming items created."""
    clerk = clerk or sender_clerk(sender)
    if number is None:
        _counter["number"] += 1
        number = _counter["number"]
    document = issued_document(agency=sender, created_by=clerk, number=number, subject=subject)
    document.urgency = urgency
    document.identifier = identifier or f"{sender.code_qcvn102}.2026.{number:06d}"
    document.save(update_fields=["urgency", "identifier"])
    lines = [agency_recipient(document, recipient, ordinal=index) for index, recipient in enumerate(recipients)]
    deliveries = deliveries_send(
        document=document, recipients=lines, blob_sha256=stored_pdf(now).sha256, actor=clerk, now=now
    )
    return list(Incoming.objects.filter(delivery__in=deliveries).select_related("document", "delivery").order_by("pk"))


def arrived(*, sender: Agency, recipient: Agency, now: datetime, **fields: Any) -> Incoming:
    return deliver(sender=sender, recipients=[recipient], now=now, **fields)[0]


def recall_sent(incoming: Incoming, *, now: datetime, reason: str = "Sai sót về nội dung") -> Delivery:
    """The sender recalls the document ``incoming`` came from (status 13 arrives)."""
    assert incoming.delivery is not None
    original = incoming.delivery
    clerk = sender_clerk(original.sender_agency)
    return deliveries_recall(document=original.document, reason=reason, actor=clerk, now=now)[0]


def put_in_status(
    incoming: Incoming,
    status: str,
    *,
    now: datetime,
    lead: Any = None,
    lead_unit: Any = None,
    cooperate: Any = None,
    inform: Any = None,
    leader: Any = None,
) -> Incoming:
    """Move ``incoming`` to ``status`` directly (tests only), with an arrival number for registered
    and later statuses and the given assignments (people or a lead unit)."""
    values: dict[str, Any] = {"status": status}
    if status not in (IncomingStatus.ARRIVED, IncomingStatus.REFUSED) and incoming.arrival_number is None:
        values["arrival_number"] = 10_000 + incoming.pk
        values["arrival_at"] = now
    if leader is not None:
        values["directed_by"] = leader
        values["directed_at"] = now
    Incoming.objects.filter(pk=incoming.pk).update(**values)
    incoming.refresh_from_db()
    assigner = leader or lead or cooperate or inform
    if (lead or lead_unit or cooperate or inform) is not None and assigner is None:
        raise ValueError("a unit assignment needs the leader who directs it")
    for role, person in (
        (AssignmentRole.LEAD, lead),
        (AssignmentRole.COOPERATE, cooperate),
        (AssignmentRole.INFORM, inform),
    ):
        if person is not None:
            Assignment.objects.create(
                incoming=incoming, role=role, person=person, assigned_by=assigner, assigned_at=now
            )
    if lead_unit is not None:
        Assignment.objects.create(
            incoming=incoming,
            role=AssignmentRole.LEAD,
            unit=lead_unit,
            assigned_by=assigner,
            assigned_at=now,
        )
    return incoming


def paper_arrivals(
    *, agency: Agency, clerk: Any, now: datetime, count: int, issuer_name: str = "UBND huyện Quảng Xương"
) -> list[int]:
    """``count`` paper documents ARRIVED at ``agency`` (built in bulk, directly: numbering tests
    register them by the hundred); their ids in order."""
    document_type = DocumentType.objects.get(code="CONG_VAN", agency=None)
    documents = Document.objects.bulk_create(
        [
            Document(
                direction=Direction.INCOMING,
                agency=agency,
                document_type=document_type,
                subject=f"Về việc báo cáo tình hình thực hiện nhiệm vụ, văn bản số {index + 1}",
                number=index + 1,
                symbol="UBND-VP",
                issuer_name=issuer_name,
                origin=Origin.DIGITISED,
                created_by=clerk,
            )
            for index in range(count)
        ]
    )
    incomings = Incoming.objects.bulk_create(
        [
            Incoming(
                document=document,
                agency=agency,
                status=IncomingStatus.ARRIVED,
                source=IncomingSource.PAPER,
                received_at=now,
                received_by=clerk,
                created_at=now,
            )
            for document in documents
        ]
    )
    return [incoming.pk for incoming in incomings]
