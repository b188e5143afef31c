"""A sender's recall of a document it delivered (Decree 30 Art. 18.4; edXML 13 → 15 / 16).

Accepted: the document is frozen (RECALLED) and this agency's copy — its versions, files and
metadata — destroyed; a ``RecallRecord`` keeps what may stay (sender, identifier, number and symbol,
arrival number, who decided, when). Refused: the document goes on as it was, the record says why.
A document already DONE can only be refused, and the sender is told so."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentVersion
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.incoming import events
from vanthu.incoming import lifecycle
from vanthu.incoming import policies
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import RecallDecision
from vanthu.incoming.models import RecallRecord
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.history import sender_report
from vanthu.incoming.services.history import trace_add
from vanthu.org.models import Person

NOTE_LENGTH = 500


def _lock_pending(incoming: Incoming, actor: Person, now: datetime) -> Incoming:
    locked = Incoming.objects.select_for_update(of=("self",)).select_related("document").get(pk=incoming.pk)
    policies.require_visible(policies.can_view_incoming(actor, locked, now))
    policies.require(
        policies.is_clerk_of(actor, locked.agency_id, now),
        _("Only a clerk of the receiving agency may decide on a recall."),
    )
    if locked.recall_requested_at is None:
        raise ConflictError(_("The sender has not asked to recall this document."), code="no_recall_pending")
    return locked


def _recall_delivery(incoming: Incoming) -> Delivery | None:
    if incoming.delivery_id is None:
        return None
    return (
        Delivery.objects.filter(kind=DeliveryKind.RECALL, related_id=incoming.delivery_id)
        .order_by("-sent_at", "-id")
        .first()
    )


def _record(
    incoming: Incoming, *, recall: Delivery | None, decision: str, note: str, actor: Person, now: datetime
) -> RecallRecord:
    document = incoming.document
    return RecallRecord.objects.create(
        agency_id=incoming.agency_id,
        incoming=incoming,
        sender_name=(document.issuer_name or "—")[:200],
        sender_code=document.issuer_code[:13],
        document_identifier=document.identifier[:64],
        number_symbol=document.number_symbol[:50],
        arrival_number=incoming.arrival_number,
        recall_delivery=recall,
        reason=recall.note if recall is not None else "",
        decision=decision,
        decided_by=actor,
        decided_at=now,
        note=note,
    )


def _destroy_copy(incoming: Incoming) -> int:
    """Remove this agency's copy: every version (its files and comments with it: the blobs lose
    these references) and the metadata of the Document, which stays only as the anchor of the
    register entry and of the recall record. Returns the number of files removed."""
    document = incoming.document
    files = DocumentFile.objects.filter(version__document=document).count()
    Document.objects.filter(pk=document.pk).update(current_version=None)
    DocumentVersion.objects.filter(document=document).delete()
    Document.objects.filter(pk=document.pk).update(
        subject="",
        number=None,
        symbol="",
        issued_date=None,
        place_name="",
        issuer_name="",
        issuer_code="",
        signer_authority="",
        signer_position="",
        signer_name="",
        signer=None,
        circulation_note="",
        page_count=None,
        copies_count=None,
        reply_due_date=None,
        description="",
        identifier="",
    )
    Assignment.objects.filter(incoming=incoming, status=AssignmentStatus.OPEN).update(status=AssignmentStatus.CANCELLED)
    return files


@transaction.atomic
def incoming_recall_accept(*, incoming: Incoming, actor: Person, now: datetime, note: str = "") -> RecallRecord:
    """Accept the sender's recall: the copy is destroyed, the record kept, the sender told 15."""
    locked = _lock_pending(incoming, actor, now)
    if locked.status == IncomingStatus.DONE:
        raise TransitionNotAllowedError(
            _("This document has already been handled: the recall can only be refused, saying so to the sender."),
            code="recall_of_done_document",
        )
    source, target = lifecycle.advance(locked, lifecycle.IncomingAction.ACCEPT_RECALL)
    note = (note or "").strip()[:NOTE_LENGTH]
    recall = _recall_delivery(locked)
    record = _record(locked, recall=recall, decision=RecallDecision.ACCEPTED, note=note, actor=actor, now=now)
    files = _destroy_copy(locked)
    locked.recalled_at = now
    locked.verification = None
    locked.instruction = ""
    locked.result = ""
    locked.save(update_fields=["status", "recalled_at", "verification", "instruction", "result"])
    trace_add(
        locked,
        kind=TraceKind.RECALL_ACCEPTED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=note or _("Recall accepted: this agency's copy was destroyed."),
        data={"recall_record": record.pk, "files_removed": files},
    )
    audit.record(
        action=events.INCOMING_RECALL_ACCEPTED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=record,
        data={
            "incoming": locked.pk,
            "document": locked.document_id,
            "identifier": record.document_identifier,
            "number_symbol": record.number_symbol,
            "arrival_number": record.arrival_number,
            "files_removed": files,
        },
    )
    if recall is not None:
        sender_report(locked, status=DeliveryStatus.ACCEPTED, actor=actor, now=now, note=note, delivery=recall)
    for field in Incoming._meta.concrete_fields:
        setattr(incoming, field.attname, getattr(locked, field.attname))
    return record


@transaction.atomic
def incoming_recall_refuse(*, incoming: Incoming, reason: str, actor: Person, now: datetime) -> RecallRecord:
    """Refuse the sender's recall with a reason (16); the document goes on as it was. The only
    answer for a document already DONE, and the sender is told it was handled."""
    locked = _lock_pending(incoming, actor, now)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for refusing the recall."), details={"field": "reason"})
    source, target = lifecycle.advance(locked, lifecycle.IncomingAction.REFUSE_RECALL)
    if locked.status == IncomingStatus.DONE:
        reason = _("The document had already been handled.") + " " + reason
    reason = reason[:NOTE_LENGTH]
    recall = _recall_delivery(locked)
    record = _record(locked, recall=recall, decision=RecallDecision.REFUSED, note=reason, actor=actor, now=now)
    locked.recall_requested_at = None  # no recall pending any more; the record keeps it
    locked.save(update_fields=["status", "recall_requested_at"])
    trace_add(
        locked,
        kind=TraceKind.RECALL_REFUSED,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        text=reason,
        data={"recall_record": record.pk},
    )
    audit.record(
        action=events.INCOMING_RECALL_REFUSED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=record,
        data={"incoming": locked.pk, "document": locked.document_id, "reason": reason},
    )
    if recall is not None:
        sender_report(locked, status=DeliveryStatus.RECALL_REFUSED, actor=actor, now=now, note=reason, delivery=recall)
    for field in Incoming._meta.concrete_fields:
        setattr(incoming, field.attname, getattr(locked, field.attname))
    return record
