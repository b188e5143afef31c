"""Reads of the exchange app. Every read starts from ``deliveries_visible_to``; a delivery the
person may not see is a NotFoundError (404). Each function runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from django.db.models import Max
from django.db.models import Prefetch
from django.db.models import QuerySet

from vanthu.core.clock import VIETNAM
from vanthu.core.errors import NotFoundError
from vanthu.documents.models import Channel
from vanthu.documents.models import Document
from vanthu.exchange import policies
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.org.models import Agency
from vanthu.org.models import Person

_RELATED = ("document", "document__document_type", "sender_agency", "recipient_agency")


def _events() -> Prefetch[str]:
    return Prefetch("events", queryset=DeliveryEvent.objects.order_by("occurred_at", "id"))


def arrivals_for(*, person: Person, now: datetime, status: str | None = None) -> QuerySet[Delivery]:
    """Deliveries to the person's agencies (as CLERK or AGENCY_LEADER, merged predecessors
    included), newest first."""
    agency_ids = policies.recipient_agency_ids(person, now)
    if not agency_ids:
        return Delivery.objects.none()
    deliveries = policies.deliveries_visible_to(person, now).filter(recipient_agency_id__in=agency_ids)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.select_related(*_RELATED).order_by("-sent_at", "-id")


def sent_deliveries_for(*, person: Person, now: datetime, status: str | None = None) -> QuerySet[Delivery]:
    """Deliveries sent by the person's agencies, newest first (flat; the API's "sent" box)."""
    agency_ids = policies.sender_agency_ids(person, now)
    if not agency_ids:
        return Delivery.objects.none()
    deliveries = policies.deliveries_visible_to(person, now).filter(sender_agency_id__in=agency_ids)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.select_related(*_RELATED).order_by("-sent_at", "-id")


@dataclass
class SentDocument:
    """One sent document with each recipient's delivery (the "Đã gửi" tab)."""

    document: Document
    last_sent_at: datetime
    deliveries: list[Delivery] = field(default_factory=list)


def sent_for(*, person: Person, now: datetime, limit: int = 50) -> list[SentDocument]:
    """The documents the person's agencies sent, the most recently sent first, each with its
    deliveries (three queries whatever the number of documents and recipients)."""
    sent = sent_deliveries_for(person=person, now=now)
    latest = list(
        sent.order_by().values("document_id").annotate(last_sent_at=Max("sent_at")).order_by("-last_sent_at")[:limit]
    )
    if not latest:
        return []
    groups = {
        row["document_id"]: SentDocument(document=Document(pk=row["document_id"]), last_sent_at=row["last_sent_at"])
        for row in latest
    }
    for delivery in sent.filter(document_id__in=groups).select_related(*_RELATED).order_by("sent_at", "id"):
        group = groups[delivery.document_id]
        group.document = delivery.document
        group.deliveries.append(delivery)
    return list(groups.values())


def deliveries_of_document(*, document: Document, person: Person, now: datetime) -> list[Delivery]:
    """Every delivery of ``document`` the person may see, with its timeline (the sender's "Theo
    dõi gửi"): recipient, channel, status, status time, events. Two queries."""
    return list(
        policies.deliveries_visible_to(person, now)
        .filter(document_id=document.pk)
        .select_related("recipient_agency", "related")
        .prefetch_related(_events())
        .order_by("sent_at", "id")
    )


def delivery_get_for(*, person: Person, pk: int, now: datetime) -> Delivery:
    delivery = (
        policies.deliveries_visible_to(person, now)
        .select_related(*_RELATED, "related", "sent_by")
        .prefetch_related(_events())
        .filter(pk=pk)
        .first()
    )
    if delivery is None:
        raise NotFoundError()
    return delivery


def post_register(*, agency: Agency, year: int) -> QuerySet[Delivery]:
    """Sổ gửi văn bản đi bưu điện (Decree 30 App. IV): the letters an agency sent by post in a year
    (Vietnam time), in the order they left. The caller checks ``can_view_post_register``."""
    start = datetime(year, 1, 1, tzinfo=VIETNAM)
    end = datetime(year + 1, 1, 1, tzinfo=VIETNAM)
    return (
        Delivery.objects.filter(sender_agency_id=agency.pk, channel=Channel.POST, sent_at__gte=start, sent_at__lt=end)
        .select_related("document", "document__document_type")
        .order_by("sent_at", "id")
    )
