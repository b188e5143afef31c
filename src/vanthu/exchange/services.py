"""Writes of the exchange app: sending a document to its recipients, recalling it, and the
recipient's status reports (edXML codes, lifecycle.py).

Sending is one transaction for the whole recipient list with a bounded number of queries whatever
its length: successors of merged agencies are resolved for the whole list at once, the deliveries
and their first status are bulk-inserted, one audit event is written in the sender's chain, the
recipient agencies' CLERKs get one bulk of in-app notifications, and ``delivery_arrived`` is sent
once with every delivery inside the province. E-mails go after commit; one that fails marks its
delivery FAILED.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_read
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.models import Blob
from vanthu.documents.models import Channel
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import RecipientKind
from vanthu.exchange import events
from vanthu.exchange import lifecycle
from vanthu.exchange import policies
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.exchange.signals import delivery_arrived
from vanthu.notify.services import notification_send
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role

logger = logging.getLogger(__name__)

NOTE_LENGTH = 500


@dataclass(frozen=True)
class _Target:
    """One delivery to create."""

    agency_id: int | None
    name: str
    code: str
    channel: str
    address: str = ""
    note: str = ""
    related: Delivery | None = None
    envelope_count: int | None = None


@dataclass(frozen=True)
class _PersonId:
    pk: int


def _join_notes(*notes: str) -> str:
    return " ".join(note.strip() for note in notes if note and note.strip())[:NOTE_LENGTH]


def _successor_map() -> dict[int, int]:
    """Every merged agency → its successor, in one query."""
    return dict(Agency.objects.filter(successor__isnull=False).values_list("id", "successor_id"))


def _current_id(agency_id: int, successors: Mapping[int, int]) -> int:
    """Follow successor links (as org.selectors.agency_current does) over a preloaded map."""
    seen = {agency_id}
    current = agency_id
    while (successor := successors.get(current)) is not None and successor not in seen:
        seen.add(successor)
        current = successor
    return current


def _targets(
    *,
    recipients: Sequence[DocumentRecipient],
    related: Mapping[int, Delivery],
    note: str,
    envelope_counts: Mapping[int, int],
) -> list[_Target]:
    agency_recipients = [r for r in recipients if r.kind == RecipientKind.AGENCY and r.channel != Channel.NONE]
    successors = _successor_map() if agency_recipients else {}
    current_ids = {r.agency_id: _current_id(r.agency_id, successors) for r in agency_recipients if r.agency_id}
    agencies = Agency.objects.in_bulk(set(current_ids) | set(current_ids.values())) if current_ids else {}
    targets: list[_Target] = []
    seen_agencies: set[int] = set()
    for recipient in recipients:
        if recipient.kind == RecipientKind.UNIT or recipient.channel == Channel.NONE:
            continue  # internal distribution inside the issuing agency, not a delivery
        envelopes = envelope_counts.get(recipient.pk, 1) if recipient.channel == Channel.POST else None
        if recipient.kind == RecipientKind.AGENCY and recipient.agency_id is not None:
            current_id = current_ids[recipient.agency_id]
            if current_id in seen_agencies and recipient.channel == Channel.INTERNAL:
                continue  # two predecessors of one successor: it receives the document once
            seen_agencies.add(current_id)
            current = agencies[current_id]
            routing = ""
            if current_id != recipient.agency_id:
                routing = _("Sent to the successor agency %(successor)s (%(agency)s was merged into it).") % {
                    "successor": current.name,
                    "agency": agencies[recipient.agency_id].name,
                }
            targets.append(
                _Target(
                    agency_id=current_id,
                    name=current.name,
                    code=current.code_qcvn102 or "",
                    channel=recipient.channel,
                    address=recipient.address,
                    note=_join_notes(routing, note),
                    related=related.get(current_id) or related.get(recipient.agency_id),
                    envelope_count=envelopes,
                )
            )
            continue
        if recipient.channel == Channel.INTERNAL:
            raise ValidationError(
                _("“%(name)s” is outside the system: send it by the national axis, e-mail or post.")
                % {"name": recipient.name},
                details={"recipient": recipient.pk},
            )
        if recipient.channel == Channel.EMAIL and not recipient.address.strip():
            raise ValidationError(
                _("“%(name)s” has no e-mail address.") % {"name": recipient.name}, details={"recipient": recipient.pk}
            )
        targets.append(
            _Target(
                agency_id=None,
                name=recipient.name,
                code=recipient.code,
                channel=recipient.channel,
                address=recipient.address.strip(),
                note=_join_notes(note),
                envelope_count=envelopes,
            )
        )
    return targets


def _create(
    *,
    document: Document,
    targets: Sequence[_Target],
    blob_sha256: str | None,
    kind: str,
    actor: Person,
    now: datetime,
    audit_data: Mapping[str, object] | None = None,
) -> list[Delivery]:
    deliveries = [
        Delivery(
            document_id=document.pk,
            kind=kind,
            sender_agency_id=document.agency_id,
            recipient_agency_id=target.agency_id,
            recipient_name=target.name[:200],
            recipient_code=target.code[:13],
            channel=target.channel,
            address=target.address[:255],
            blob_id=blob_sha256,
            related=target.related,
            status=lifecycle.initial_status(channel=target.channel, kind=kind),
            status_at=now,
            sent_at=now,
            sent_by=actor,
            envelope_count=target.envelope_count,
            note=target.note,
        )
        for target in targets
    ]
    Delivery.objects.bulk_create(deliveries)
    actor_name = (actor.full_name or actor.username)[:150]
    DeliveryEvent.objects.bulk_create(
        [
            DeliveryEvent(
                delivery=delivery,
                status=delivery.status,
                occurred_at=now,
                actor=actor,
                actor_name=actor_name,
                note=delivery.note,
            )
            for delivery in deliveries
        ]
    )
    audit.record(
        action=events.DELIVERIES_SENT,
        actor=actor,
        agency=document.agency_id,
        now=now,
        target=document,
        data={
            "document": document.pk,
            "kind": kind,
            "count": len(deliveries),
            "channels": dict(Counter(delivery.channel for delivery in deliveries)),
            "recipient_agency_ids": sorted({d.recipient_agency_id for d in deliveries if d.recipient_agency_id}),
            "external_recipients": [d.recipient_name for d in deliveries if d.recipient_agency_id is None],
            **(audit_data or {}),
        },
    )
    internal = [delivery for delivery in deliveries if delivery.channel == Channel.INTERNAL]
    if internal:
        delivery_arrived.send(sender=Delivery, deliveries=internal, now=now)
        _notify_recipient_clerks(document=document, deliveries=internal, kind=kind, now=now)
    emails = [delivery.pk for delivery in deliveries if delivery.channel == Channel.EMAIL]
    if emails:
        transaction.on_commit(lambda: _email_deliveries(delivery_ids=emails, now=now))
    return deliveries


def _notify_recipient_clerks(*, document: Document, deliveries: Sequence[Delivery], kind: str, now: datetime) -> None:
    """One in-app notification to each CLERK of the recipient agencies (two queries in all)."""
    agency_ids = {delivery.recipient_agency_id for delivery in deliveries if delivery.recipient_agency_id is not None}
    clerk_ids = set(
        org_selectors.roles_current(now=now)
        .filter(role=Role.CLERK, agency_id__in=agency_ids, person__is_active=True)
        .order_by()
        .values_list("person_id", flat=True)
    )
    if not clerk_ids:
        return
    sender = document.agency.name
    number = document.number_symbol or document.subject[:60]
    if kind == DeliveryKind.RECALL:
        title = _("%(sender)s recalls document %(number)s") % {"sender": sender, "number": number}
    else:
        title = _("A document arrived from %(sender)s: %(number)s") % {"sender": sender, "number": number}
    notification_send(
        recipients=[_PersonId(pk) for pk in sorted(clerk_ids)],
        title=title,
        body=document.subject,
        url=reverse("exchange:index"),
        kind="exchange.delivery.arrived",
        now=now,
    )


def _attachment_name(document: Document) -> str:
    base = document.number_symbol or f"van-ban-{document.pk}"
    return re.sub(r"[^\w.-]+", "-", base).strip("-") + ".pdf"


def _email_deliveries(*, delivery_ids: Sequence[int], now: datetime) -> None:
    """After commit: send each e-mail delivery (the PDF attached); a failure marks it FAILED."""
    deliveries = list(Delivery.objects.filter(pk__in=delivery_ids).select_related("document", "sender_agency"))
    files: dict[str, bytes] = {}
    for delivery in deliveries:
        document = delivery.document
        try:
            if delivery.kind == DeliveryKind.RECALL:
                subject = _("Recall of document %(number)s") % {"number": document.number_symbol}
                body = _("%(sender)s recalls document %(number)s: %(subject)s\n\nReason: %(reason)s") % {
                    "sender": delivery.sender_agency.name,
                    "number": document.number_symbol,
                    "subject": document.subject,
                    "reason": delivery.note,
                }
            else:
                subject = _("Document %(number)s from %(sender)s") % {
                    "number": document.number_symbol,
                    "sender": delivery.sender_agency.name,
                }
                body = _("%(sender)s sends you document %(number)s: %(subject)s") % {
                    "sender": delivery.sender_agency.name,
                    "number": document.number_symbol,
                    "subject": document.subject,
                }
            message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.address])
            if delivery.blob_id and delivery.kind != DeliveryKind.RECALL:
                if delivery.blob_id not in files:
                    files[delivery.blob_id] = blob_read(sha256=delivery.blob_id)
                message.attach(_attachment_name(document), files[delivery.blob_id], "application/pdf")
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server marks the delivery failed
            logger.warning("e-mail delivery %s failed: %s", delivery.pk, error)
            delivery_mark_failed(delivery_id=delivery.pk, reason=str(error) or error.__class__.__name__, now=now)


@transaction.atomic
def deliveries_send(
    *,
    document: Document,
    recipients: Sequence[DocumentRecipient],
    blob_sha256: str,
    actor: Person,
    now: datetime,
    kind: str = DeliveryKind.ORIGINAL,
    related: Mapping[int, Delivery] | None = None,
    note: str = "",
    envelope_counts: Mapping[int, int] | None = None,
) -> list[Delivery]:
    """One delivery per recipient agency (merged ones routed to their successor) and per outside
    recipient; UNIT recipients (internal distribution) and "kept internally" ones are skipped.

    ``related`` maps a recipient agency id to the delivery this one refers to (the original, for a
    replacement or correction); ``envelope_counts`` maps a DocumentRecipient id to the number of
    envelopes sent by post (1 by default)."""
    policies.require(
        policies.can_send_deliveries(actor, document, now),
        _("Only a clerk of the issuing agency may send its documents."),
    )
    if kind == DeliveryKind.RECALL:
        raise ValidationError(_("A recall is sent with deliveries_recall."))
    if kind not in DeliveryKind.values:
        raise ValidationError(_("Unknown kind of delivery."), details={"kind": kind})
    if not Blob.objects.filter(pk=blob_sha256).exists():
        raise ValidationError(_("The file to send is not stored."), details={"sha256": blob_sha256})
    targets = _targets(recipients=recipients, related=related or {}, note=note, envelope_counts=envelope_counts or {})
    if not targets:
        return []
    return _create(document=document, targets=targets, blob_sha256=blob_sha256, kind=kind, actor=actor, now=now)


def _recipient_key(agency_id: int | None, name: str, channel: str, address: str) -> tuple[object, ...]:
    """Who a delivery went to: the agency (and channel) inside the system, else name and address."""
    return (agency_id, channel) if agency_id is not None else (None, name, channel, address)


def _matches_recipients(recipients: Sequence[DocumentRecipient]) -> Callable[[Delivery], bool]:
    """Whether a delivery went to one of ``recipients`` (agencies followed to their successor; outside
    names by name and channel)."""
    successors = _successor_map()
    agencies = {_current_id(line.agency_id, successors) for line in recipients if line.agency_id is not None}
    outside = {(line.name, line.channel) for line in recipients if line.agency_id is None}

    def matches(delivery: Delivery) -> bool:
        if delivery.recipient_agency_id is not None:
            return _current_id(delivery.recipient_agency_id, successors) in agencies
        return (delivery.recipient_name, delivery.channel) in outside

    return matches


@transaction.atomic
def deliveries_recall(
    *,
    document: Document,
    reason: str,
    actor: Person,
    now: datetime,
    recipients: Sequence[DocumentRecipient] | None = None,
) -> list[Delivery]:
    """A recall (status 13 inside the province) to every recipient that received the document's
    original or a replacement — or only to ``recipients`` (removed from the recipient list) — each
    linked to the last delivery it received; recipients already asked to give it back are not asked
    twice."""
    policies.require(
        policies.can_send_deliveries(actor, document, now),
        _("Only a clerk of the issuing agency may send its documents."),
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for the recall."), details={"field": "reason"})
    received = list(
        Delivery.objects.filter(document=document, kind__in=[DeliveryKind.ORIGINAL, DeliveryKind.REPLACEMENT])
        .exclude(status__in=[DeliveryStatus.FAILED, DeliveryStatus.REFUSED])
        .order_by("sent_at", "id")
    )
    already = {
        _recipient_key(agency_id, name, channel, address)
        for agency_id, name, channel, address in Delivery.objects.filter(
            document=document, kind=DeliveryKind.RECALL
        ).values_list("recipient_agency_id", "recipient_name", "channel", "address")
    }
    if recipients is not None:
        matches = _matches_recipients(recipients)
        received = [delivery for delivery in received if matches(delivery)]
    latest: dict[tuple[object, ...], Delivery] = {}
    for delivery in received:
        key = _recipient_key(delivery.recipient_agency_id, delivery.recipient_name, delivery.channel, delivery.address)
        if key not in already:
            latest[key] = delivery
    targets = [
        _Target(
            agency_id=delivery.recipient_agency_id,
            name=delivery.recipient_name,
            code=delivery.recipient_code,
            channel=delivery.channel,
            address=delivery.address,
            note=reason[:NOTE_LENGTH],
            related=delivery,
            envelope_count=1 if delivery.channel == Channel.POST else None,
        )
        for delivery in latest.values()
    ]
    if not targets:
        raise ConflictError(_("No recipient has this document to give back."))
    return _create(
        document=document,
        targets=targets,
        blob_sha256=None,
        kind=DeliveryKind.RECALL,
        actor=actor,
        now=now,
        audit_data={"reason": reason},
    )


@transaction.atomic
def delivery_report_status(
    *, delivery: Delivery, status: str, actor: Person, now: datetime, note: str = ""
) -> Delivery:
    """The recipient's registry reports what it did (02, 03, 04, 05, 06; 15 or 16 on a recall or
    an update); the sender sees the new status at once. Audited in the recipient's chain."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    policies.require_visible(policies.can_view_delivery(actor, locked, now))
    policies.require(
        policies.can_report_delivery_status(actor, locked, now),
        _("Only the clerks and leaders of the recipient agency may report what happened to this delivery."),
    )
    return _status_reported(locked=locked, status=status, actor=actor, now=now, note=note)


@transaction.atomic
def delivery_status_reported(
    *, delivery: Delivery, status: str, actor: Person, now: datetime, note: str = ""
) -> Delivery:
    """The same as ``delivery_report_status`` without its clerk/leader policy: called by the
    recipient app's services (incoming) after their own policy — e.g. an officer completing the
    document reports 06."""
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    return _status_reported(locked=locked, status=status, actor=actor, now=now, note=note)


def _status_reported(*, locked: Delivery, status: str, actor: Person, now: datetime, note: str) -> Delivery:
    if status not in lifecycle.RECIPIENT_STATUSES:
        raise ValidationError(_("This status is not reported by the recipient."), details={"status": status})
    previous = locked.status
    lifecycle.advance(locked, status, now=now)
    locked.save(update_fields=["status", "status_at"])
    note = note.strip()[:NOTE_LENGTH]
    DeliveryEvent.objects.create(
        delivery=locked,
        status=locked.status,
        occurred_at=now,
        actor=actor,
        actor_name=(actor.full_name or actor.username)[:150],
        note=note,
    )
    audit.record(
        action=events.DELIVERY_STATUS_REPORTED,
        actor=actor,
        agency=locked.recipient_agency_id,
        now=now,
        target=locked,
        data={"document": locked.document_id, "previous": previous, "status": locked.status, "note": note},
    )
    return locked


@transaction.atomic
def delivery_mark_failed(*, delivery_id: int, reason: str, now: datetime) -> Delivery:
    """An e-mail (or, later, the axis) could not deliver: the delivery ends FAILED with the reason."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    previous = delivery.status
    lifecycle.advance(delivery, DeliveryStatus.FAILED, now=now)
    delivery.save(update_fields=["status", "status_at"])
    reason = reason.strip()[:NOTE_LENGTH]
    DeliveryEvent.objects.create(delivery=delivery, status=delivery.status, occurred_at=now, note=reason)
    audit.record(
        action=events.DELIVERY_FAILED,
        actor=None,
        agency=delivery.sender_agency_id,
        now=now,
        target=delivery,
        data={"document": delivery.document_id, "previous": previous, "reason": reason},
    )
    return delivery
