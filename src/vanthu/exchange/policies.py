"""Who sees and acts on deliveries (ARCHITECTURE.md §9).

- Sender side: every person of the sending agency (merged predecessors included) sees the
  deliveries of the documents their agency sent — the status per recipient, never the recipient's
  internal handling beyond it.
- Recipient side: the recipient agency's CLERKs and AGENCY_LEADERs (a delegation gives the delegate
  the delegator's view; the successor's holders see what went to a merged agency) see the
  deliveries to their agency, report their status (inside the province) and read the file.
- Nobody else, ADMINs and superusers included (separation of duties): a 404.

One source for every rule: the queryset ``deliveries_visible_to`` and the predicates are built
from the same grants.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.db.models import QuerySet

from vanthu.documents.models import Channel
from vanthu.documents.models import Document
from vanthu.exchange.models import Delivery
from vanthu.org import policies as org_policies
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role

require = org_policies.require
require_visible = org_policies.require_visible

RECIPIENT_ROLES = frozenset({Role.CLERK, Role.AGENCY_LEADER})


def _active(person: Person) -> bool:
    return bool(person.is_authenticated and person.is_active)


def sender_agency_ids(person: Person, now: datetime) -> set[int]:
    """Agencies whose sent deliveries the person follows: those they work in."""
    if not _active(person):
        return set()
    return member_agency_ids(grants_for(person, now))


def recipient_agency_ids(person: Person, now: datetime) -> set[int]:
    """Agencies whose arrivals the person handles: where they are CLERK or AGENCY_LEADER."""
    if not _active(person):
        return set()
    grants = frozenset(grant for grant in grants_for(person, now) if grant.role in RECIPIENT_ROLES)
    return member_agency_ids(grants)


def deliveries_visible_to(person: Person, now: datetime) -> QuerySet[Delivery]:
    senders = sender_agency_ids(person, now)
    recipients = recipient_agency_ids(person, now)
    if not senders and not recipients:
        return Delivery.objects.none()
    return Delivery.objects.filter(Q(sender_agency_id__in=senders) | Q(recipient_agency_id__in=recipients))


def is_sender_side(person: Person, delivery: Delivery, now: datetime) -> bool:
    return delivery.sender_agency_id in sender_agency_ids(person, now)


def is_recipient_side(person: Person, delivery: Delivery, now: datetime) -> bool:
    return delivery.recipient_agency_id is not None and delivery.recipient_agency_id in recipient_agency_ids(
        person, now
    )


def can_view_delivery(person: Person, delivery: Delivery, now: datetime) -> bool:
    return is_sender_side(person, delivery, now) or is_recipient_side(person, delivery, now)


def can_report_delivery_status(person: Person, delivery: Delivery, now: datetime) -> bool:
    """The recipient's registry reports what it did with a delivery inside the province."""
    return delivery.channel == Channel.INTERNAL and is_recipient_side(person, delivery, now)


def can_read_delivery_file(person: Person, delivery: Delivery, now: datetime) -> bool:
    return delivery.blob_id is not None and can_view_delivery(person, delivery, now)


def can_send_deliveries(person: Person, document: Document, now: datetime) -> bool:
    """The issuing agency's CLERKs send (the outgoing app checks its own rules before calling)."""
    if not _active(person):
        return False
    clerk_grants = frozenset(grant for grant in grants_for(person, now) if grant.role == Role.CLERK)
    return document.agency_id in member_agency_ids(clerk_grants)


def documents_delivered_to(person: Person, now: datetime) -> list[QuerySet[Any]]:
    """Visibility provider for documents (documents.policies.register_visibility): a document
    delivered to an agency is seen there by the CLERKs and AGENCY_LEADERs, as its delivery is."""
    recipients = recipient_agency_ids(person, now)
    if not recipients:
        return []
    return [Delivery.objects.filter(recipient_agency_id__in=recipients).values("document_id")]


def can_view_post_register(person: Person, agency: Agency, now: datetime) -> bool:
    """The post register (Sổ gửi văn bản đi bưu điện) is kept by the agency's CLERKs and read by its
    AGENCY_LEADERs."""
    return agency.pk in recipient_agency_ids(person, now)
