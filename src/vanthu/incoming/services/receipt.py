"""Receipt of incoming documents (Decree 30 Art. 20–21): arrivals from agencies of the province
through the exchange (in bulk, in the sender's transaction), documents received electronically by
other means, paper documents scanned; and the verification of their signatures on arrival."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_read
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentType
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import FileRole
from vanthu.documents.models import Origin
from vanthu.documents.models import VersionKind
from vanthu.documents.services.digitise import scan_add
from vanthu.documents.services.documents import document_create
from vanthu.documents.services.files import version_create
from vanthu.documents.services.text import document_text_refresh
from vanthu.documents.uploads import Upload
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.incoming import events
from vanthu.incoming import policies
from vanthu.incoming.lifecycle import OPEN_STATUSES
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.history import trace_add
from vanthu.incoming.signals import verification_requested
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing import selectors as signing_selectors
from vanthu.signing.pades import verify_pdf

# Metadata copied from the sender's document to the receiving agency's own (Appendix VI part II).
COPIED_FIELDS = (
    "document_type_id",
    "number",
    "symbol",
    "issued_date",
    "place_name",
    "subject",
    "issuer_name",
    "issuer_code",
    "signer_authority",
    "signer_position",
    "signer_name",
    "urgency",
    "page_count",
    "reply_due_date",
    "language",
    "identifier",
)
VERIFICATION_FORMAT = 1


def _verification_requested(incoming_ids: Sequence[int]) -> None:
    """After commit: verify each arrival's signatures in the background."""
    if not incoming_ids:
        return
    ids = list(incoming_ids)

    def enqueue() -> None:
        verification_requested.send(sender=Incoming, incoming_ids=ids)

    transaction.on_commit(enqueue)


# --- arrivals through the exchange -----------------------------------------------------------


def _recipient_id(delivery: Delivery) -> int:
    if delivery.recipient_agency_id is None:
        raise ValueError("a delivery inside the province has its recipient agency")
    return delivery.recipient_agency_id


def _receive_originals(deliveries: Sequence[Delivery], now: datetime) -> list[Incoming]:
    sources = Document.objects.select_related("agency").in_bulk({delivery.document_id for delivery in deliveries})
    documents: list[Document] = []
    for delivery in deliveries:
        source = sources[delivery.document_id]
        document = Document(
            direction=Direction.INCOMING,
            agency_id=_recipient_id(delivery),
            origin=Origin.BORN_DIGITAL,
            created_by_id=delivery.sent_by_id,
            **{field: getattr(source, field) for field in COPIED_FIELDS},
        )
        if not document.issuer_name:
            document.issuer_name, document.issuer_code = source.agency.name, source.agency.code_qcvn102 or ""
        documents.append(document)
    Document.objects.bulk_create(documents)
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=1,
                kind=VersionKind.RECEIVED,
                note=(_("Received from %(sender)s") % {"sender": document.issuer_name})[:500],
                created_by_id=delivery.sent_by_id,
                created_at=now,
            )
            for document, delivery in zip(documents, deliveries, strict=True)
        ]
    )
    # The issued PDF's text was extracted at the sender: the same bytes, the same text.
    blob_ids = {delivery.blob_id for delivery in deliveries if delivery.blob_id}
    texts = dict(
        DocumentFile.objects.filter(pdf_id__in=blob_ids).exclude(text="").order_by().values_list("pdf_id", "text")
    )
    DocumentFile.objects.bulk_create(
        [
            DocumentFile(
                version=version,
                role=FileRole.MAIN,
                ordinal=1,
                name=f"{document.number_symbol or 'van-ban-den'}.pdf".replace("/", "_")[:255],
                source_id=delivery.blob_id,
                pdf_id=delivery.blob_id,
                page_count=document.page_count,
                text=texts.get(delivery.blob_id, ""),
                created_at=now,
            )
            for document, version, delivery in zip(documents, versions, deliveries, strict=True)
            if delivery.blob_id
        ]
    )
    for document, version in zip(documents, versions, strict=True):
        document.current_version = version
    Document.objects.bulk_update(documents, ["current_version"])
    incomings = Incoming.objects.bulk_create(
        [
            Incoming(
                document=document,
                agency_id=_recipient_id(delivery),
                status=IncomingStatus.ARRIVED,
                source=IncomingSource.INTERNAL,
                delivery=delivery,
                received_at=now,
                created_at=now,
            )
            for document, delivery in zip(documents, deliveries, strict=True)
        ]
    )
    TraceEntry.objects.bulk_create(
        [
            TraceEntry(
                incoming=incoming,
                kind=TraceKind.RECEIVED,
                occurred_at=now,
                to_status=IncomingStatus.ARRIVED,
                text=_("Arrived from %(sender)s.") % {"sender": incoming.document.issuer_name},
                data={"delivery": delivery.pk, "kind": delivery.kind, "related": delivery.related_id},
            )
            for incoming, delivery in zip(incomings, deliveries, strict=True)
        ]
    )
    document_text_refresh(document_ids=[document.pk for document in documents], now=now)
    return incomings


def _receive_recalls(deliveries: Sequence[Delivery], now: datetime) -> list[Incoming]:
    by_original = {delivery.related_id: delivery for delivery in deliveries if delivery.related_id is not None}
    incomings = list(
        Incoming.objects.select_for_update()
        .filter(delivery_id__in=list(by_original), status__in=[*OPEN_STATUSES, IncomingStatus.DONE])
        .order_by("pk")
    )
    if not incomings:
        return []
    Incoming.objects.filter(pk__in=[incoming.pk for incoming in incomings]).update(recall_requested_at=now)
    entries = []
    for incoming in incomings:
        incoming.recall_requested_at = now
        recall = by_original[incoming.delivery_id or 0]
        entries.append(
            TraceEntry(
                incoming=incoming,
                kind=TraceKind.RECALL_REQUESTED,
                occurred_at=now,
                text=_("The sender recalls this document: %(reason)s") % {"reason": recall.note or "—"},
                data={"recall_delivery": recall.pk, "reason": recall.note},
            )
        )
    TraceEntry.objects.bulk_create(entries)
    return incomings


@transaction.atomic
def incoming_receive_deliveries(*, deliveries: Sequence[Delivery], now: datetime) -> list[Incoming]:
    """Deliveries that arrived from agencies of this system (``exchange.signals.delivery_arrived``):
    each becomes an ARRIVED item of its receiving agency — its own Document (metadata copied from
    the sender's, origin electronic), a RECEIVED version sharing the sender's blob — and a RECALL
    marks the item it recalls (``recall_requested_at``). In the sender's transaction, with a bounded
    number of queries for the whole list; one audit event in the sender's chain (the exchange
    already holds it); the signatures are verified after commit, one task per arrival.

    Returns the new arrivals and the items whose recall was requested."""
    internal = [delivery for delivery in deliveries if delivery.recipient_agency_id is not None]
    originals = [delivery for delivery in internal if delivery.kind != DeliveryKind.RECALL]
    recalls = [delivery for delivery in internal if delivery.kind == DeliveryKind.RECALL]
    arrived = _receive_originals(originals, now) if originals else []
    recalled = _receive_recalls(recalls, now) if recalls else []
    if not (arrived or recalled):
        return []
    first = internal[0]
    audit.record(
        action=events.INCOMING_RECALL_REQUESTED if not arrived else events.INCOMING_ARRIVED,
        actor=None,
        agency=first.sender_agency_id,
        now=now,
        data={
            "document": first.document_id,
            "arrived": {str(incoming.agency_id): incoming.pk for incoming in arrived},
            "recall_requested": [incoming.pk for incoming in recalled],
        },
    )
    _verification_requested([incoming.pk for incoming in arrived])
    return [*arrived, *recalled]


def on_delivery_arrived(sender: Any, *, deliveries: Sequence[Delivery], now: datetime, **kwargs: Any) -> None:
    """Receiver of ``exchange.signals.delivery_arrived`` (connected in ``IncomingConfig.ready``)."""
    incoming_receive_deliveries(deliveries=deliveries, now=now)


# --- received by the clerk ---------------------------------------------------------------------


def _metadata(metadata: dict[str, Any]) -> tuple[DocumentType, str, dict[str, Any]]:
    values = dict(metadata)
    document_type = values.pop("document_type", None)
    if document_type is None and values.get("document_type_id") is not None:
        document_type = DocumentType.objects.filter(pk=values.pop("document_type_id")).first()
    values.pop("document_type_id", None)
    if not isinstance(document_type, DocumentType):
        raise ValidationError(_("Choose the type of the document."), details={"field": "document_type"})
    subject = str(values.pop("subject", "") or "")
    for protected in ("direction", "agency", "origin", "created_by"):
        values.pop(protected, None)
    return document_type, subject, values


def _receive(
    *, agency: Agency, source: str, origin: str, actor: Person, now: datetime, metadata: dict[str, Any]
) -> tuple[Incoming, Document]:
    policies.require(
        policies.can_receive(actor, agency, now), _("Only a clerk of this agency may receive its documents.")
    )
    document_type, subject, values = _metadata(metadata)
    document = document_create(
        direction=Direction.INCOMING,
        agency=agency,
        document_type=document_type,
        subject=subject,
        actor=actor,
        now=now,
        origin=origin,
        **values,
    )
    incoming = Incoming.objects.create(
        document=document,
        agency=agency,
        status=IncomingStatus.ARRIVED,
        source=source,
        received_at=now,
        received_by=actor,
        created_at=now,
    )
    return incoming, document


def _after_receipt(incoming: Incoming, *, actor: Person, now: datetime, text: str) -> None:
    trace_add(incoming, kind=TraceKind.RECEIVED, actor=actor, now=now, to_status=IncomingStatus.ARRIVED, text=text)
    audit.record(
        action=events.INCOMING_RECEIVED,
        actor=actor,
        agency=incoming.agency_id,
        now=now,
        target=incoming,
        data={"document": incoming.document_id, "source": incoming.source},
    )


@transaction.atomic
def incoming_receive_electronic(
    *, agency: Agency, main: Upload, actor: Person, now: datetime, **metadata: Any
) -> Incoming:
    """A document that came by other electronic means (e-mail, a storage medium), uploaded by the
    clerk with its metadata (``document_type``, ``subject`` and any other Document field)."""
    incoming, document = _receive(
        agency=agency,
        source=IncomingSource.ELECTRONIC,
        origin=Origin.BORN_DIGITAL,
        actor=actor,
        now=now,
        metadata=metadata,
    )
    version_create(document=document, kind=VersionKind.RECEIVED, actor=actor, now=now, main=main)
    _after_receipt(incoming, actor=actor, now=now, text=_("Received electronically by other means."))
    _verification_requested([incoming.pk])
    return incoming


@transaction.atomic
def incoming_receive_paper(
    *, agency: Agency, scans: Sequence[Upload], actor: Person, now: datetime, **metadata: Any
) -> Incoming:
    """A paper document, scanned: its scan goes through the documents digitisation pipeline (checks,
    PDF/A with a Vietnamese text layer in the background); origin "digitised from paper"."""
    if not scans:
        raise ValidationError(_("Attach the scan of the paper document."), details={"field": "scans"})
    incoming, document = _receive(
        agency=agency, source=IncomingSource.PAPER, origin=Origin.DIGITISED, actor=actor, now=now, metadata=metadata
    )
    version = version_create(document=document, kind=VersionKind.RECEIVED, actor=actor, now=now)
    scan_add(version=version, uploads=list(scans), actor=actor, now=now)
    _after_receipt(incoming, actor=actor, now=now, text=_("Received on paper and scanned."))
    return incoming


# --- verification ----------------------------------------------------------------------------


def _main_pdf(document: Document) -> DocumentFile | None:
    if document.current_version_id is None:
        return None
    return (
        DocumentFile.objects.filter(version_id=document.current_version_id, role=FileRole.MAIN, pdf__isnull=False)
        .select_related("pdf")
        .first()
    )


@transaction.atomic
def incoming_verify(*, incoming: Incoming, now: datetime) -> Incoming:
    """Verify every signature of the document's main PDF at ``now`` and keep the report with it
    (``Incoming.verification``; a trace row with the summary). A paper scan has no signatures: its
    report says so. Run by a task after each arrival; the clerk sees the result before registering."""
    locked = Incoming.objects.select_for_update().select_related("document").get(pk=incoming.pk)
    main = _main_pdf(locked.document)
    report: dict[str, Any]
    if locked.source == IncomingSource.PAPER:
        report = {"signature_count": 0, "all_valid": False, "summary": _("A paper scan carries no digital signature.")}
    elif main is None or main.pdf_id is None:
        report = {"signature_count": 0, "all_valid": False, "summary": _("There is no PDF to verify.")}
    else:
        revocation = signing_selectors.revocation_settings_get()
        result = verify_pdf(
            pdf=blob_read(sha256=main.pdf_id),
            trust_roots=signing_selectors.trust_roots(),
            other_certs=signing_selectors.trust_intermediates(),
            now=now,
            allow_fetching=revocation.is_online_check_enabled,
            revocation_mode="hard-fail" if revocation.is_revocation_check_required else "soft-fail",
            language=settings.LANGUAGE_CODE,
        )
        report = result.as_dict()
    locked.verification = {
        "format": VERIFICATION_FORMAT,
        "pdf_sha256": main.pdf_id if main is not None else None,
        "verified_at": now.isoformat(),
        "report": report,
    }
    locked.verified_at = now
    locked.save(update_fields=["verification", "verified_at"])
    summary = str(report.get("summary", ""))
    trace_add(
        locked, kind=TraceKind.VERIFIED, actor=None, now=now, text=summary, data={"all_valid": report.get("all_valid")}
    )
    audit.record(
        action=events.INCOMING_VERIFIED,
        actor=None,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={
            "pdf_sha256": locked.verification["pdf_sha256"],
            "signature_count": report.get("signature_count"),
            "all_valid": report.get("all_valid"),
        },
    )
    incoming.verification, incoming.verified_at = locked.verification, now
    return locked
