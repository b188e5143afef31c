"""Registration of incoming documents (Decree 30 Art. 22): the arrival number (số đến) — one stream
per agency and year (Vietnam time) for paper and electronic documents, consecutive, without gaps,
taken under the register's row lock — the arrival date and time, and the Appendix VI incoming
fields; or refusal of an invalid or misaddressed document, returned to the sender (02)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_year
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Document
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import Urgency
from vanthu.documents.services.documents import document_update
from vanthu.documents.services.numbering import number_allocate
from vanthu.documents.services.numbering import register_for
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming import events
from vanthu.incoming import lifecycle
from vanthu.incoming import policies
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.history import sender_report
from vanthu.incoming.services.history import trace_add
from vanthu.notify.services import notification_send
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Person
from vanthu.org.models import Role

URGENT = (Urgency.URGENT, Urgency.VERY_URGENT, Urgency.FLASH)
REASON_LENGTH = 500


def _lock(incoming: Incoming) -> Incoming:
    return Incoming.objects.select_for_update(of=("self",)).select_related("document").get(pk=incoming.pk)


def duplicates_of(incoming: Incoming) -> list[Incoming]:
    """Other incoming documents of the same agency that look like the same document: the same
    identifier, or the same number, symbol and issuer (refused and recalled ones left out)."""
    document = incoming.document
    condition = Q(pk__in=[])
    if document.identifier:
        condition |= Q(document__identifier=document.identifier)
    if document.number is not None and document.symbol:
        condition |= Q(
            document__number=document.number,
            document__symbol=document.symbol,
            document__issuer_name=document.issuer_name,
        )
    return list(
        Incoming.objects.filter(condition, agency_id=incoming.agency_id)
        .exclude(pk=incoming.pk)
        .exclude(status__in=[IncomingStatus.REFUSED, IncomingStatus.RECALLED])
        .select_related("document")
        .order_by("pk")[:10]
    )


def _changed(document: Document, metadata: dict[str, Any]) -> dict[str, Any]:
    """The metadata values that differ from the document's (a form sends every field back)."""
    changed: dict[str, Any] = {}
    for key, value in metadata.items():
        current = getattr(document, key, object())
        if isinstance(current, str) and isinstance(value, str):
            if current.strip() != value.strip():
                changed[key] = value
        elif current != value:
            changed[key] = value
    return changed


def _notify_leaders(incoming: Incoming, *, now: datetime) -> None:
    """An urgent document (khẩn, thượng khẩn, hỏa tốc) is pushed to the agency's leaders at once."""
    leader_ids = set(
        org_selectors.roles_current(now=now)
        .filter(role=Role.AGENCY_LEADER, agency_id=incoming.agency_id, person__is_active=True)
        .order_by()
        .values_list("person_id", flat=True)
    )
    if not leader_ids:
        return
    document = incoming.document
    notification_send(
        recipients=list(Person.objects.filter(pk__in=leader_ids).order_by("pk")),
        title=_("Urgent document to direct (%(urgency)s): %(number)s")
        % {"urgency": Urgency(document.urgency).label, "number": document.number_symbol or document.subject[:60]},
        body=document.subject,
        url=reverse("incoming:detail", args=[incoming.pk]),
        kind="incoming.urgent",
        now=now,
        email=True,
    )


@transaction.atomic
def incoming_update_metadata(*, incoming: Incoming, actor: Person, now: datetime, **metadata: Any) -> Incoming:
    """The clerk corrects the incoming fields of a document received on paper or by other electronic
    means, before or after registration (never those of a document delivered through the system:
    they are the sender's; never once it is directed). The change is audited by ``document_update``."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_register(actor, locked, now),
        _("Only a clerk of the receiving agency may correct its information."),
    )
    if locked.status not in (IncomingStatus.ARRIVED, IncomingStatus.REGISTERED):
        raise ConflictError(
            _("The information can be corrected only before the document is directed."), code="not_editable"
        )
    changes = _changed(locked.document, metadata)
    if changes and locked.source == IncomingSource.INTERNAL:
        raise ValidationError(
            _("The metadata of a document delivered through the system is the sender's: it cannot be changed."),
            details={"fields": sorted(changes)},
        )
    if changes:
        locked.document = document_update(document=locked.document, actor=actor, now=now, **changes)
    return locked


@transaction.atomic
def incoming_register(*, incoming: Incoming, actor: Person, now: datetime, **metadata: Any) -> Incoming:
    """Give an ARRIVED document its arrival number and date (now), with the incoming fields
    (``metadata``: Document fields; a document delivered through this system keeps the sender's
    metadata). A possible duplicate is said in the trace; the sender is told 03 at once; urgent
    documents are pushed to the agency's leaders."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.can_register(actor, locked, now), _("Only a clerk of the receiving agency may register it.")
    )
    if locked.arrival_number is not None:
        raise ConflictError(
            _("This document is already registered, with arrival number %(number)s.")
            % {"number": f"{locked.arrival_number:02d}"},
            code="already_registered",
            details={"arrival_number": locked.arrival_number},
        )
    source, target = lifecycle.advance(locked, lifecycle.IncomingAction.REGISTER)
    document = locked.document
    changes = _changed(document, metadata)
    if changes:
        if locked.source == IncomingSource.INTERNAL:
            raise ValidationError(
                _("The metadata of a document delivered through the system is the sender's: it cannot be changed."),
                details={"fields": sorted(changes)},
            )
        document = document_update(document=document, actor=actor, now=now, **changes)
    register = register_for(
        agency=locked.agency, year=vietnam_year(now), scope=RegisterScope.INCOMING, actor=actor, now=now
    )
    # number_allocate writes the register's number into Document.number; an incoming document keeps
    # the number its sender gave it (số văn bản) and holds the arrival number (số đến) here.
    sender_number = document.number
    entry = number_allocate(register=register, document=document, actor=actor, now=now)
    Document.objects.filter(pk=document.pk).update(number=sender_number)
    document.number = sender_number
    locked.register = register
    locked.register_entry = entry
    locked.arrival_number = entry.number
    locked.arrival_at = now
    locked.registered_by = actor
    locked.save(update_fields=["status", "register", "register_entry", "arrival_number", "arrival_at", "registered_by"])
    duplicates = duplicates_of(locked)
    text = _("Registered with arrival number %(number)s.") % {"number": f"{entry.number:02d}"}
    if duplicates:
        text += " " + _("Possible duplicate of %(items)s.") % {
            "items": ", ".join(
                _("arrival number %(number)s") % {"number": f"{item.arrival_number:02d}"}
                if item.arrival_number is not None
                else item.document.number_symbol or str(item.pk)
                for item in duplicates
            )
        }
    trace_add(
        locked,
        kind=TraceKind.REGISTERED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=text,
        data={"arrival_number": entry.number, "year": register.year, "duplicates": [item.pk for item in duplicates]},
    )
    audit.record(
        action=events.INCOMING_REGISTERED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={
            "document": document.pk,
            "source": locked.source,  # electronic or paper, for the statistics (reports)
            "arrival_number": entry.number,
            "register": register.code,
            "year": register.year,
            "duplicates": [item.pk for item in duplicates],
            "changed": sorted(changes),
        },
    )
    sender_report(locked, status=DeliveryStatus.REGISTERED, actor=actor, now=now)
    if document.urgency in URGENT:
        _notify_leaders(locked, now=now)
    _copy(locked, incoming)
    return locked


@transaction.atomic
def incoming_refuse(*, incoming: Incoming, reason: str, actor: Person, now: datetime) -> Incoming:
    """Refuse an arrived document (invalid signature, misaddressed, …) and return it to the sender
    with the reason (02)."""
    locked = _lock(incoming)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(policies.can_refuse(actor, locked, now), _("Only a clerk of the receiving agency may refuse it."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the refusal."), details={"field": "reason"})
    source, target = lifecycle.advance(locked, lifecycle.IncomingAction.REFUSE)
    locked.refused_reason = reason[:REASON_LENGTH]
    locked.save(update_fields=["status", "refused_reason"])
    trace_add(locked, kind=TraceKind.REFUSED, actor=actor, now=now, from_status=source, to_status=target, text=reason)
    audit.record(
        action=events.INCOMING_REFUSED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={"document": locked.document_id, "reason": locked.refused_reason},
    )
    sender_report(locked, status=DeliveryStatus.REFUSED, actor=actor, now=now, note=locked.refused_reason)
    _copy(locked, incoming)
    return locked


def _copy(locked: Incoming, incoming: Incoming) -> None:
    """Keep the caller's instance in step with the stored row."""
    for field in Incoming._meta.concrete_fields:
        setattr(incoming, field.attname, getattr(locked, field.attname))
