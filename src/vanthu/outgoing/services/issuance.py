"""Numbering and issuance of a signed outgoing document (Decree 30 Art. 14–18; DOMAIN.md §1.3, §1.5,
§1.9): the registry's CLERK binds a number, applies the agency signature (seal) with the number and
the issue date written on page 1, writes the register and delivers the document.

Two steps, so that a number is never lost and never burnt twice:

1. ``outgoing_issue_start`` (SIGNED → ISSUING) allocates the number from the register in its own
   transaction, under the register's row lock (no gap, no duplicate), and binds it to the document.
   A second click finds the document ISSUING (the Outgoing row lock serialises two clicks) and
   returns it unchanged.
2. ``outgoing_seal_prepare`` opens an agency signing session on the signed PDF (server key, the
   clerk's token through the signing agent, or a remote hash); ``outgoing_issue_finish`` takes the
   completed session, stores the ISSUED version, and delivers. A failed or abandoned seal leaves
   the document ISSUING with its number: preparing again opens a new session and keeps the number.

``outgoing_issue`` chains both for an agency whose seal key is held by the server;
``outgoing_issue_cancel`` gives up (ISSUING → SIGNED) and marks the number cancelled in the register
with the reason, so the register never shows a silent gap.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_read
from vanthu.core.clock import vietnam_date
from vanthu.core.clock import vietnam_year
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.documents import selectors as document_selectors
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentType
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import FileRole
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionKind
from vanthu.documents.services import files as document_files
from vanthu.documents.services import numbering
from vanthu.documents.services.text import document_text_refresh
from vanthu.documents.symbols import issue_date_text
from vanthu.documents.uploads import Upload
from vanthu.exchange import services as exchange
from vanthu.exchange.models import DeliveryKind
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.outgoing import events
from vanthu.outgoing import lifecycle
from vanthu.outgoing import policies
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services.history import history_add
from vanthu.outgoing.signals import document_issued
from vanthu.signing import sessions as signing
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import SignatureImageKind
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import document as pdf_document
from vanthu.signing.pades.appearance import AgencySignature
from vanthu.signing.pades.appearance import CopyOrAnnexLine
from vanthu.signing.pades.appearance import IssuanceStamp


class IssuanceError(ConflictError):
    code = "issuance_not_possible"


# --- reading ---------------------------------------------------------------------------------------


def _lock(outgoing: Outgoing) -> Outgoing:
    return (
        Outgoing.objects.select_for_update(of=("self",))
        .select_related("document", "document__document_type", "agency", "register_entry")
        .get(pk=outgoing.pk)
    )


def _require_clerk(outgoing: Outgoing, actor: Person, now: datetime) -> None:
    policies.require_visible(policies.can_view_outgoing(actor, outgoing, now))
    policies.require(
        policies.can_issue_outgoing(actor, outgoing, now), _("Only the registry's clerks number and issue documents.")
    )


def signed_version(document: Document) -> DocumentVersion:
    """The version signed by the competent person (the latest SIGNED one)."""
    version = DocumentVersion.objects.filter(document=document, kind=VersionKind.SIGNED).order_by("-number").first()
    if version is None:
        raise IssuanceError(_("This document has no signed version to issue."))
    return version


def issued_version(document: Document) -> DocumentVersion:
    """The issued version (numbered, with the agency signature)."""
    version = DocumentVersion.objects.filter(document=document, kind=VersionKind.ISSUED).order_by("-number").first()
    if version is None:
        raise IssuanceError(_("This document has no issued version."))
    return version


def main_pdf_sha256(version: DocumentVersion) -> str:
    main = DocumentFile.objects.filter(version=version, role=FileRole.MAIN).first()
    if main is None or main.pdf_id is None:
        raise IssuanceError(_("The main file of this version has no PDF."))
    return str(main.pdf_id)


def outgoing_register_for(
    *, agency: Agency, document_type: DocumentType, year: int, actor: Person, now: datetime
) -> Register:
    """The register that numbers an outgoing document of ``document_type`` in ``year``: the agency's
    register of that type when the agency keeps one (this year, or an earlier year: the stream goes
    on and restarts at 01), else the general outgoing register."""
    keeps_type_register = Register.objects.filter(
        agency=agency, scope=RegisterScope.OUTGOING_TYPE, document_type=document_type, year__lte=year
    ).exists()
    if keeps_type_register:
        return numbering.register_for(
            agency=agency,
            year=year,
            scope=RegisterScope.OUTGOING_TYPE,
            document_type=document_type,
            actor=actor,
            now=now,
        )
    return numbering.register_for(agency=agency, year=year, scope=RegisterScope.OUTGOING, actor=actor, now=now)


def outgoing_duplicates(*, outgoing: Outgoing) -> list[Document]:
    """Other documents with the same number, symbol and issuer (a warning, never a refusal)."""
    document = outgoing.document
    if document.number is None:
        return []
    return list(
        document_selectors.duplicates_of(
            number=document.number,
            symbol=document.symbol,
            issuer_code=document.issuer_code,
            issuer_name=document.issuer_name,
            exclude_pk=document.pk,
        )[:10]
    )


def _duplicate_warning(duplicates: Sequence[Document]) -> str:
    if not duplicates:
        return ""
    return _("Warning: %(count)s other document(s) of this issuer already carry this number and symbol.") % {
        "count": len(duplicates)
    }


# --- step 1: the number --------------------------------------------------------------------------


@transaction.atomic
def outgoing_issue_start(
    *, outgoing: Outgoing, actor: Person, now: datetime, reserved_entry: RegisterEntry | None = None
) -> Outgoing:
    """SIGNED → ISSUING: bind the next number of the register (or the reserved one) and the issue
    date (today in Vietnam) to the document, in this transaction. Already ISSUING or ISSUED (a second
    click, or two clerks at once): returned unchanged, no second number."""
    outgoing = _lock(outgoing)
    if outgoing.status in (OutgoingStatus.ISSUING, OutgoingStatus.ISSUED) and policies.is_clerk_of(
        actor, outgoing.agency_id, now
    ):
        return outgoing
    _require_clerk(outgoing, actor, now)
    source, target = lifecycle.advance(outgoing, OutgoingAction.START_ISSUE)
    document = outgoing.document
    if reserved_entry is not None:
        reserved_entry = RegisterEntry.objects.select_related("register").get(pk=reserved_entry.pk)
        register = reserved_entry.register
        if register.agency_id != outgoing.agency_id or register.scope not in (
            RegisterScope.OUTGOING,
            RegisterScope.OUTGOING_TYPE,
        ):
            raise ValidationError(_("This reserved number belongs to another register."))
        entry = numbering.number_use_reserved(entry=reserved_entry, document=document, actor=actor, now=now)
    else:
        register = outgoing_register_for(
            agency=outgoing.agency,
            document_type=document.document_type,
            year=vietnam_year(now),
            actor=actor,
            now=now,
        )
        entry = numbering.number_allocate(register=register, document=document, actor=actor, now=now)
    document.number = entry.number
    document.issued_date = vietnam_date(now)
    document.save(update_fields=["number", "issued_date", "updated_at"])
    document_text_refresh(document_ids=[document.pk], now=now)
    outgoing.register = register
    outgoing.register_entry = entry
    outgoing.issuing_started_at = now
    outgoing.save(update_fields=["status", "register", "register_entry", "issuing_started_at"])
    duplicates = outgoing_duplicates(outgoing=outgoing)
    note = _("Number %(number_symbol)s, register “%(register)s”.") % {
        "number_symbol": document.number_symbol,
        "register": register.name,
    }
    warning = _duplicate_warning(duplicates)
    history_add(
        outgoing,
        action=OutgoingAction.START_ISSUE,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        note=f"{note} {warning}".strip(),
    )
    audit.record(
        action=events.OUTGOING_ISSUE_STARTED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "document_id": document.pk,
            "number": entry.number,
            "symbol": document.symbol,
            "issued_date": document.issued_date.isoformat(),
            "register_id": register.pk,
            "register_entry_id": entry.pk,
            "reserved": reserved_entry is not None,
            "duplicate_document_ids": [duplicate.pk for duplicate in duplicates],
        },
    )
    return outgoing


# --- step 2: the agency signature ------------------------------------------------------------------


def _seal_image_png(outgoing: Outgoing) -> tuple[bytes, float]:
    image = (
        SignatureImage.objects.filter(agency_id=outgoing.agency_id, kind=SignatureImageKind.SEAL, is_current=True)
        .order_by("-uploaded_at")
        .first()
    )
    if image is None:
        raise IssuanceError(_("The agency has no seal image: upload it before issuing documents."))
    return blob_read(sha256=str(image.blob_id)), float(image.width_mm)


def _check_seal_certificate(outgoing: Outgoing, certificate: Certificate) -> None:
    if certificate.kind != CertificateKind.AGENCY or certificate.agency_id != outgoing.agency_id:
        raise ValidationError(_("Issue with the seal certificate of the issuing agency."))


def _cancel_open_seal_session(outgoing: Outgoing, actor: Person, now: datetime) -> None:
    if outgoing.sealing_session_id is None:
        return
    session = SigningSession.objects.filter(pk=outgoing.sealing_session_id, status=SigningStatus.PREPARED).first()
    if session is not None and session.created_by_id == actor.pk:
        signing.signature_session_cancel(session=session, actor=actor, now=now)


@transaction.atomic
def outgoing_seal_prepare(
    *, outgoing: Outgoing, certificate: Certificate, method: str, actor: Person, now: datetime
) -> signing.PreparedSignature:
    """Open the agency signature session on the signed main PDF: the seal over the signer's
    signature, the number and symbol and the issue date written on page 1. ISSUING only; a new call
    (after a failed or abandoned session) opens a new session and keeps the number."""
    outgoing = _lock(outgoing)
    _require_clerk(outgoing, actor, now)
    lifecycle.next_status(outgoing.status, OutgoingAction.ISSUE)  # ISSUING only
    _check_seal_certificate(outgoing, certificate)
    document = outgoing.document
    if document.issued_date is None:
        raise IssuanceError(_("This document has no issue date yet."))
    seal_png, seal_width_mm = _seal_image_png(outgoing)
    appearance = AgencySignature(
        seal_png=seal_png,
        agency_name=outgoing.agency.name,
        seal_width_mm=seal_width_mm,
        issuance=IssuanceStamp(
            number_symbol=document.number_symbol, issue_date_text=issue_date_text(document.issued_date)
        ),
    )
    _cancel_open_seal_session(outgoing, actor, now)
    prepared = signing.signature_prepare(
        pdf_sha256=main_pdf_sha256(signed_version(document)),
        method=method,
        certificate=certificate,
        appearance=appearance,
        actor=actor,
        now=now,
    )
    outgoing.sealing_session_id = prepared.session.pk
    outgoing.save(update_fields=["sealing_session_id"])
    history_add(
        outgoing,
        action="seal_prepared",
        actor=actor,
        now=now,
        note=_("Agency signature prepared (%(method)s).") % {"method": SigningMethod(method).label},
    )
    return prepared


def _sign_annex(*, pdf_sha256: str, certificate: Certificate, text: str, actor: Person, now: datetime) -> bytes:
    """The invisible agency signature with the number line on an annex in a separate file."""
    prepared = signing.signature_prepare(
        pdf_sha256=pdf_sha256,
        method=SigningMethod.SERVER_KEY,
        certificate=certificate,
        appearance=CopyOrAnnexLine(text=text),
        actor=actor,
        now=now,
    )
    session = signing.signature_apply(session=prepared.session, actor=actor, now=now)
    return blob_read(sha256=session.result_sha256)


def _issued_annexes(
    *, version: DocumentVersion, certificate: Certificate, number_symbol: str, actor: Person, now: datetime
) -> tuple[list[Upload], bool]:
    """The signed version's annexes with the agency signature (when the seal key is on the server),
    and whether they were signed."""
    annexes = list(DocumentFile.objects.filter(version=version, role=FileRole.ANNEX).order_by("ordinal", "id"))
    if not annexes or not certificate.has_private_key_on_server:
        return [], False
    uploads = []
    for annex in annexes:
        if annex.pdf_id is None:
            raise IssuanceError(_("An annex of this version has no PDF."))
        signed = _sign_annex(
            pdf_sha256=str(annex.pdf_id), certificate=certificate, text=number_symbol, actor=actor, now=now
        )
        uploads.append(Upload(name=annex.name, content=io.BytesIO(signed)))
    return uploads, True


def _check_seal_session(outgoing: Outgoing, session: SigningSession, source_sha256: str) -> SigningSession:
    session = SigningSession.objects.select_related("certificate").get(pk=session.pk)
    if outgoing.sealing_session_id != session.pk:
        raise IssuanceError(_("This signing session is not the agency signature of this document."))
    if session.status != SigningStatus.COMPLETED or not session.result_sha256:
        raise IssuanceError(_("The agency signature has not been applied yet."))
    if session.source_sha256 != source_sha256:
        raise IssuanceError(_("The agency signature was applied to another file than the signed document."))
    return session


def _delivery_kind(outgoing: Outgoing) -> str:
    if outgoing.replaces_id is not None:
        return DeliveryKind.REPLACEMENT
    if outgoing.corrects_id is not None:
        return DeliveryKind.CORRECTION
    return DeliveryKind.ORIGINAL


def _mark_predecessor(outgoing: Outgoing, *, actor: Person, now: datetime) -> None:
    """The issued replacement moves the replaced document to REPLACED; a correction notes CORRECT."""
    if outgoing.replaces_id is not None:
        previous_id, action, event = outgoing.replaces_id, OutgoingAction.REPLACE, events.OUTGOING_REPLACED
    elif outgoing.corrects_id is not None:
        previous_id, action, event = outgoing.corrects_id, OutgoingAction.CORRECT, events.OUTGOING_CORRECTED
    else:
        return
    previous = _lock(Outgoing(pk=previous_id))
    source, target = lifecycle.advance(previous, action)
    previous.save(update_fields=["status"])
    note = (
        _("Replaced by %(number_symbol)s.")
        if action == OutgoingAction.REPLACE
        else _("Corrected by %(number_symbol)s.")
    ) % {"number_symbol": outgoing.document.number_symbol}
    history_add(previous, action=action, actor=actor, now=now, from_status=source, to_status=target, note=note)
    audit.record(
        action=event,
        actor=actor,
        agency=previous.agency_id,
        now=now,
        target=previous,
        data={"by_outgoing_id": outgoing.pk, "by_document_id": outgoing.document_id},
    )


@transaction.atomic
def outgoing_issue_finish(*, outgoing: Outgoing, session: SigningSession, actor: Person, now: datetime) -> Outgoing:
    """ISSUING → ISSUED with the completed agency signature session: the ISSUED version (the sealed
    main PDF, annexes signed with the number line when the seal key is on the server — carried
    unchanged otherwise), the page count, the deliveries to every recipient, ``document_issued``."""
    outgoing = _lock(outgoing)
    _require_clerk(outgoing, actor, now)
    source, target = lifecycle.advance(outgoing, OutgoingAction.ISSUE)
    document = outgoing.document
    signed = signed_version(document)
    session = _check_seal_session(outgoing, session, main_pdf_sha256(signed))
    sealed = blob_read(sha256=session.result_sha256)
    annexes, annexes_signed = _issued_annexes(
        version=signed, certificate=session.certificate, number_symbol=document.number_symbol, actor=actor, now=now
    )
    has_annexes = DocumentFile.objects.filter(version=signed, role=FileRole.ANNEX).exists()
    note = _("Issued with the agency signature.")
    if has_annexes and not annexes_signed:
        note = _(
            "Issued with the agency signature; the annexes were carried unchanged (the seal key is not on the server)."
        )
    document_files.version_create(
        document=document,
        kind=VersionKind.ISSUED,
        actor=actor,
        now=now,
        note=note,
        main_pdf_sha256=session.result_sha256,
        annexes=annexes,
        carry_annexes_from=signed if has_annexes and not annexes_signed else None,
    )
    document.refresh_from_db()
    document.page_count = pdf_document.page_count(pdf_document.open_pdf(sealed))
    document.save(update_fields=["page_count", "updated_at"])
    outgoing.issued_at = now
    outgoing.issued_by = actor
    outgoing.save(update_fields=["status", "issued_at", "issued_by"])
    kind = _delivery_kind(outgoing)
    deliveries = exchange.deliveries_send(
        document=document,
        recipients=list(document.recipients.all()),
        blob_sha256=session.result_sha256,
        actor=actor,
        now=now,
        kind=kind,
    )
    _mark_predecessor(outgoing, actor=actor, now=now)
    history_add(
        outgoing, action=OutgoingAction.ISSUE, actor=actor, now=now, from_status=source, to_status=target, note=note
    )
    audit.record(
        action=events.OUTGOING_ISSUED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "document_id": document.pk,
            "number_symbol": document.number_symbol,
            "issued_sha256": session.result_sha256,
            "seal_session_id": str(session.pk),
            "annexes_signed": annexes_signed,
            "delivery_kind": kind,
            "delivery_count": len(deliveries),
        },
    )
    document_issued.send(sender=Outgoing, outgoing=outgoing, now=now)
    return outgoing


def outgoing_issue(*, outgoing: Outgoing, certificate: Certificate, actor: Person, now: datetime) -> Outgoing:
    """One click, when the agency's seal key is on the server: bind the number (committed on its
    own), then seal and issue in a second transaction. If the seal fails, the document stays
    ISSUING with its number, and a retry reuses it."""
    if not certificate.has_private_key_on_server:
        raise ValidationError(_("The seal key of this certificate is not on the server: sign with the token."))
    outgoing = outgoing_issue_start(outgoing=outgoing, actor=actor, now=now)
    if outgoing.status == OutgoingStatus.ISSUED:
        return outgoing
    with transaction.atomic():
        prepared = outgoing_seal_prepare(
            outgoing=outgoing, certificate=certificate, method=SigningMethod.SERVER_KEY, actor=actor, now=now
        )
        session = signing.signature_apply(session=prepared.session, actor=actor, now=now)
        return outgoing_issue_finish(outgoing=outgoing, session=session, actor=actor, now=now)


@transaction.atomic
def outgoing_issue_cancel(*, outgoing: Outgoing, reason: str, actor: Person, now: datetime) -> Outgoing:
    """ISSUING → SIGNED: the number is cancelled in the register with ``reason`` (the register shows
    it, never a silent gap), the document loses its number and date, an open seal session ends."""
    reason = (reason or "").strip()
    outgoing = _lock(outgoing)
    _require_clerk(outgoing, actor, now)
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the issuance."))
    source, target = lifecycle.advance(outgoing, OutgoingAction.CANCEL_ISSUE)
    document = outgoing.document
    entry = outgoing.register_entry
    number_symbol = document.number_symbol
    _cancel_open_seal_session(outgoing, actor, now)
    outgoing.register_entry = None
    outgoing.sealing_session_id = None
    outgoing.issuing_started_at = None
    outgoing.save(update_fields=["status", "register_entry", "sealing_session_id", "issuing_started_at"])
    # The document is not issued any more (no date): only then may its number be cancelled.
    document.number = None
    document.issued_date = None
    document.save(update_fields=["number", "issued_date", "updated_at"])
    document_text_refresh(document_ids=[document.pk], now=now)
    if entry is not None:
        numbering.number_cancel(entry=entry, reason=reason, actor=actor, now=now)
    history_add(
        outgoing,
        action=OutgoingAction.CANCEL_ISSUE,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        note=_("Number %(number_symbol)s cancelled: %(reason)s") % {"number_symbol": number_symbol, "reason": reason},
    )
    audit.record(
        action=events.OUTGOING_ISSUE_CANCELLED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "document_id": document.pk,
            "number_symbol": number_symbol,
            "register_entry_id": entry.pk if entry is not None else None,
            "reason": reason,
        },
    )
    return outgoing
