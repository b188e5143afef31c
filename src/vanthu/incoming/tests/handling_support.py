"""Test data for direction, handling and reminders: an incoming document already registered
(built directly, so these tests do not depend on receipt and registration), with — for one
delivered through this system — the sender's document and its delivery at 03 (registered)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vanthu.documents.models import Direction
from vanthu.documents.models import Origin
from vanthu.documents.models import Urgency
from vanthu.documents.tests.factories import make_document
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.org.models import Role
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role

SUBJECT = "Về việc báo cáo tình hình thực hiện dự toán ngân sách quý I năm 2026"

_arrival_numbers: dict[int, int] = {}


def registered_incoming(
    *,
    agency: Any,
    clerk: Any,
    now: datetime,
    sender: Any = None,
    sender_clerk: Any = None,
    urgency: str = Urgency.NORMAL,
    subject: str = SUBJECT,
) -> Incoming:
    """A REGISTERED incoming document of ``agency``; delivered from ``sender`` (INTERNAL, the delivery
    at 03) when a sender is given, else received electronically by other means."""
    delivery = None
    if sender is not None:
        sent = make_document(agency=sender, actor=sender_clerk or clerk, now=now, code="CONG_VAN", subject=subject)
        delivery = Delivery.objects.create(
            document=sent,
            sender_agency=sender,
            recipient_agency=agency,
            recipient_name=agency.name,
            channel="INTERNAL",
            status=DeliveryStatus.REGISTERED,
            status_at=now,
            sent_at=now,
            sent_by=sender_clerk or clerk,
        )
    document = make_document(
        agency=agency,
        actor=clerk,
        now=now,
        code="CONG_VAN",
        direction=Direction.INCOMING,
        subject=subject,
        number=12,
        symbol="STC-NS",
        issuer_name=sender.name if sender is not None else "Bộ Tài chính",
        urgency=urgency,
        origin=Origin.BORN_DIGITAL,
    )
    existing = Incoming.objects.filter(agency=agency).order_by("-arrival_number").first()
    number = (existing.arrival_number or 0) + 1 if existing else 1
    return Incoming.objects.create(
        document=document,
        agency=agency,
        status=IncomingStatus.REGISTERED,
        source=IncomingSource.INTERNAL if delivery is not None else IncomingSource.ELECTRONIC,
        delivery=delivery,
        received_at=now,
        received_by=clerk,
        arrival_number=number,
        arrival_at=now,
        registered_by=clerk,
        created_at=now,
    )


def unit_with_leader(agency: Any, name: str, abbreviation: str) -> tuple[Any, Any]:
    """A unit of ``agency`` and its leader."""
    unit = UnitFactory(agency=agency, name=name, abbreviation=abbreviation)
    leader = person_with_role(Role.UNIT_LEADER, agency, unit, full_name=f"Trưởng {name}")
    return unit, leader
