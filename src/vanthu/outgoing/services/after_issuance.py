"""After issuance (Decree 30 Art. 18.3–18.4; App. VI §III.8; DOMAIN.md §1.5): recall (thu hồi), change
of recipients, and the drafts of a replacement (thay thế) or a correction (đính chính).

A recall freezes the document: RECALLED is final, so no service adds a version or changes it any
more, and every recipient receives a RECALL delivery (edXML status 13). A replacement or a correction
is a new outgoing document linked to the issued one (``replaces`` / ``corrects``); issuing it
(``issuance.outgoing_issue_finish``) sends REPLACEMENT / CORRECTION deliveries and moves the
replaced document to REPLACED.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import RecipientKind
from vanthu.exchange import services as exchange
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.org.models import Person
from vanthu.outgoing import events
from vanthu.outgoing import lifecycle
from vanthu.outgoing import policies
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.services import drafting
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.history import history_add
from vanthu.outgoing.services.issuance import issued_version
from vanthu.outgoing.services.issuance import main_pdf_sha256

CONG_VAN = "CONG_VAN"


def _lock(outgoing: Outgoing) -> Outgoing:
    return (
        Outgoing.objects.select_for_update(of=("self",))
        .select_related("document", "document__document_type", "agency")
        .get(pk=outgoing.pk)
    )


def _require_manager(outgoing: Outgoing, actor: Person, now: datetime) -> None:
    policies.require_visible(policies.can_view_outgoing(actor, outgoing, now))
    policies.require(
        policies.can_manage_issued_outgoing(actor, outgoing, now),
        _("Only the registry's clerks recall an issued document or change its recipients."),
    )


def _reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message, details={"field": "reason"})
    return reason


@transaction.atomic
def outgoing_recall(*, outgoing: Outgoing, reason: str, actor: Person, now: datetime) -> Outgoing:
    """ISSUED → RECALLED (final: the document and its metadata are frozen); every recipient
    receives a RECALL delivery (status 13) and deletes its copy on accepting it."""
    outgoing = _lock(outgoing)
    _require_manager(outgoing, actor, now)
    reason = _reason(reason, _("Give the reason for the recall."))
    source, target = lifecycle.advance(outgoing, OutgoingAction.RECALL)
    outgoing.recalled_at = now
    outgoing.recall_reason = reason[:500]
    outgoing.save(update_fields=["status", "recalled_at", "recall_reason"])
    has_deliveries = Delivery.objects.filter(
        document_id=outgoing.document_id, kind__in=[DeliveryKind.ORIGINAL, DeliveryKind.REPLACEMENT]
    ).exists()
    deliveries = (
        exchange.deliveries_recall(document=outgoing.document, reason=reason, actor=actor, now=now)
        if has_deliveries
        else []
    )
    history_add(
        outgoing, action=OutgoingAction.RECALL, actor=actor, now=now, from_status=source, to_status=target, note=reason
    )
    audit.record(
        action=events.OUTGOING_RECALLED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={"document_id": outgoing.document_id, "reason": reason, "recall_deliveries": len(deliveries)},
    )
    return outgoing


def _recipient_inputs(rows: Sequence[DocumentRecipient]) -> list[RecipientInput]:
    return [
        RecipientInput(
            kind=row.kind,
            agency_id=row.agency_id,
            unit_id=row.unit_id,
            name=row.name,
            channel=row.channel,
            address=row.code if row.kind == RecipientKind.EXTERNAL and row.channel == "AXIS" else row.address,
            is_for_information=row.is_for_information,
        )
        for row in rows
    ]


@transaction.atomic
def outgoing_change_recipients(  # noqa: PLR0913 - what changes, why, who, when
    *,
    outgoing: Outgoing,
    add: Sequence[RecipientInput],
    remove_ids: Sequence[int],
    reason: str,
    actor: Person,
    now: datetime,
) -> Outgoing:
    """Add recipients to an issued document (they receive it as a RECIPIENTS_CHANGE delivery with the
    issued PDF) and remove others (they receive a RECALL delivery); the "Nơi nhận" list is updated."""
    outgoing = _lock(outgoing)
    _require_manager(outgoing, actor, now)
    reason = _reason(reason, _("Give the reason for changing the recipients."))
    if not add and not remove_ids:
        raise ValidationError(_("Add or remove at least one recipient."))
    document = outgoing.document
    current = list(DocumentRecipient.objects.filter(document=document).order_by("ordinal", "id"))
    unknown = set(remove_ids) - {row.pk for row in current}
    if unknown:
        raise ValidationError(
            _("Some recipients to remove are not recipients of this document."), details={"ids": sorted(unknown)}
        )
    removed = [row for row in current if row.pk in set(remove_ids)]
    kept = [row for row in current if row.pk not in set(remove_ids)]
    source, target = lifecycle.advance(outgoing, OutgoingAction.CHANGE_RECIPIENTS)
    notices = drafting.recipients_set(
        document=document, recipients=[*_recipient_inputs(kept), *add], actor=actor, now=now
    )
    # recipients_set replaces the rows: the new ones are those beyond the kept ones.
    rows = list(DocumentRecipient.objects.filter(document=document).order_by("ordinal", "id"))
    added = rows[len(kept) :] if len(rows) > len(kept) else []
    sent = []
    if added:
        sent = exchange.deliveries_send(
            document=document,
            recipients=added,
            blob_sha256=main_pdf_sha256(issued_version(document)),
            actor=actor,
            now=now,
            kind=DeliveryKind.RECIPIENTS_CHANGE,
            note=reason,
        )
    recalled = _recall_from(document=document, removed=removed, reason=reason, actor=actor, now=now)
    outgoing.save(update_fields=["status"])
    note = "\n".join([reason, *notices])
    history_add(
        outgoing,
        action=OutgoingAction.CHANGE_RECIPIENTS,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        note=note,
    )
    audit.record(
        action=events.OUTGOING_RECIPIENTS_CHANGED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "document_id": document.pk,
            "reason": reason,
            "added": [row.name for row in added],
            "removed": [row.name for row in removed],
            "deliveries": len(sent),
            "recall_deliveries": recalled,
            "notices": notices,
        },
    )
    return outgoing


def _recall_from(
    *, document: Document, removed: Sequence[DocumentRecipient], reason: str, actor: Person, now: datetime
) -> int:
    """A RECALL delivery to each removed recipient that received the document; how many were sent.

    Recipients that never received it (e.g. kept internally) get nothing."""
    if not removed:
        return 0
    try:
        deliveries = exchange.deliveries_recall(
            document=document, reason=reason, actor=actor, now=now, recipients=removed
        )
    except ConflictError:
        return 0  # none of them had received it
    return len(deliveries)


def _correction_type() -> DocumentType:
    return DocumentType.objects.get(code=CONG_VAN, agency__isnull=True)


@transaction.atomic
def outgoing_draft_follow_up(
    *, outgoing: Outgoing, kind: Literal["replacement", "correction"], actor: Person, now: datetime
) -> Outgoing:
    """A new DRAFT linked to the issued document: a replacement (same type, ``replaces``) when the
    content was wrong, a correction (a Công văn "V/v đính chính …", ``corrects``) when the format or
    procedure was; the recipients are copied. Issuing it sends REPLACEMENT / CORRECTION deliveries."""
    outgoing = _lock(outgoing)
    policies.require_visible(policies.can_view_outgoing(actor, outgoing, now))
    policies.require(
        policies.can_draft_follow_up(actor, outgoing, now),
        _("Only the drafter or the registry's clerks draft a replacement or a correction of an issued document."),
    )
    if kind not in ("replacement", "correction"):
        raise ValidationError(_("A follow-up is a replacement or a correction."), details={"kind": kind})
    document = outgoing.document
    recipients = _recipient_inputs(list(DocumentRecipient.objects.filter(document=document).order_by("ordinal", "id")))
    if kind == "replacement":
        document_type = document.document_type
        subject = document.subject
        replaces, corrects = outgoing, None
    else:
        document_type = _correction_type()
        subject = f"V/v đính chính {document.document_type.name} số {document.number_symbol}"[:500]
        replaces, corrects = None, outgoing
    draft = drafting.outgoing_create(
        agency=outgoing.agency,
        document_type=document_type,
        subject=subject,
        actor=actor,
        now=now,
        drafting_unit=outgoing.drafting_unit,
        signer=document.signer,
        signer_authority=document.signer_authority,
        signer_position=document.signer_position,
        signer_name=document.signer_name,
        urgency=document.urgency,
        recipients=recipients,
        replaces=replaces,
        corrects=corrects,
    )
    history_add(
        outgoing,
        action=f"draft_{kind}",
        actor=actor,
        now=now,
        note=_("Draft of a %(kind)s started.")
        % {"kind": _("replacement") if kind == "replacement" else _("correction")},
    )
    return draft
