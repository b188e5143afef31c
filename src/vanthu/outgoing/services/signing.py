"""Approval by the signer: the competent person's digital signature on the draft's main PDF
(Decree 30 Art. 13 and App. I; DOMAIN.md §1.5 step 4, §1.9), through the signing app.

``outgoing_sign_prepare`` opens a signing session on the current version's main PDF with the
signer's signature image in the signer box; the signing agent (or a remote signer) completes the
session in the signing app; ``outgoing_sign_finish`` takes the completed session's result as the
SIGNED version and closes the approval step."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.blobs import blob_read
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Urgency
from vanthu.documents.models import VersionKind
from vanthu.documents.services.files import version_create
from vanthu.notify.services import notification_send
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.outgoing import events
from vanthu.outgoing import lifecycle
from vanthu.outgoing import policies
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus
from vanthu.outgoing.services.drafting import current_main_file
from vanthu.outgoing.services.history import history_add
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades.appearance import PersonSignature
from vanthu.signing.selectors import signature_image_current_for
from vanthu.signing.sessions import PreparedSignature
from vanthu.signing.sessions import signature_prepare

NOTIFY_KIND = "outgoing.signed"


def _lock(outgoing: Outgoing) -> Outgoing:
    return Outgoing.objects.select_for_update().select_related("document").get(pk=outgoing.pk)


def _main_pdf_sha256(outgoing: Outgoing) -> str:
    main = current_main_file(outgoing.document)
    if main is None or main.pdf_id is None:
        raise ConflictError(_("The draft has no main PDF to sign."), code="main_file_not_ready")
    return str(main.pdf_id)


def _appearance(outgoing: Outgoing, actor: Person) -> PersonSignature:
    image = signature_image_current_for(person=actor)
    if image is None:
        raise ValidationError(
            _("You have no signature image yet: upload it on the My certificates page."),
            details={"field": "appearance"},
        )
    document = outgoing.document
    # The signer block prints the authority and the head's title on one line and the signer's own
    # position under it ("KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"): each part is looked for on its own line.
    authority = f"{document.signer_authority}." if document.signer_authority else ""
    title = "\n".join(part for part in (authority, document.signer_position) if part)
    return PersonSignature(
        image_png=blob_read(sha256=image.blob_id),
        name=document.signer_name or actor.full_name,
        title=title,
    )


@transaction.atomic
def outgoing_sign_prepare(
    *, outgoing: Outgoing, certificate: Certificate, method: str, actor: Person, now: datetime
) -> PreparedSignature:
    """Open the signature of the draft's main PDF by the signer (or their delegate) with
    ``certificate`` (their personal one); the session is remembered on the draft."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_sign_outgoing(actor, outgoing, now), _("Only the signer approves and signs."))
    pdf_sha256 = _main_pdf_sha256(outgoing)
    prepared = signature_prepare(
        pdf_sha256=pdf_sha256,
        method=method,
        certificate=certificate,
        appearance=_appearance(outgoing, actor),
        actor=actor,
        now=now,
    )
    outgoing.signing_session_id = prepared.session.pk
    outgoing.save(update_fields=["signing_session_id"])
    audit.record(
        action=events.OUTGOING_SIGNING_PREPARED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={"session_id": str(prepared.session.pk), "method": method, "source_sha256": pdf_sha256},
    )
    return prepared


@transaction.atomic
def outgoing_sign_finish(*, outgoing: Outgoing, session: SigningSession, actor: Person, now: datetime) -> Outgoing:
    """The signature is done: its result becomes the SIGNED version (annexes carried), the
    approval step is DONE, the draft SIGNED. Urgent documents are announced to the clerks at once
    (Decree 30 Art. 18.1: issued immediately after signing)."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_sign_outgoing(actor, outgoing, now), _("Only the signer approves and signs."))
    session = SigningSession.objects.get(pk=session.pk)
    if outgoing.signing_session_id is None or session.pk != outgoing.signing_session_id:
        raise ConflictError(_("This signing session is not the one opened for this draft."), code="wrong_session")
    if session.status != SigningStatus.COMPLETED or not session.result_sha256:
        raise ConflictError(_("The signature is not finished yet."), code="signature_not_finished")
    source = _main_pdf_sha256(outgoing)
    if session.source_sha256 != source:
        raise ConflictError(
            _("The draft changed after the signature was prepared: sign it again."), code="signed_file_outdated"
        )
    step = (
        ReviewStep.objects.select_for_update()
        .filter(
            outgoing=outgoing,
            kind=StepKind.APPROVAL,
            status=StepStatus.ACTIVE,
            assignee_id__in=policies.acting_ids(actor, now),
        )
        .first()
    )
    if step is None:
        raise ConflictError(_("You have no approval step open on this draft."))
    document = outgoing.document
    previous = document.current_version
    version = version_create(
        document=document,
        kind=VersionKind.SIGNED,
        actor=actor,
        now=now,
        note=_("Signed by %(name)s") % {"name": document.signer_name or actor.full_name},
        main_pdf_sha256=session.result_sha256,
        carry_annexes_from=previous,
    )
    step.status = StepStatus.DONE
    step.decided_at = now
    step.decided_by = actor
    step.save(update_fields=["status", "decided_at", "decided_by"])
    source_status, target = lifecycle.advance(outgoing, OutgoingAction.SIGN)
    outgoing.signed_at = now
    outgoing.save(update_fields=["status", "signed_at"])
    history_add(
        outgoing,
        action=OutgoingAction.SIGN,
        actor=actor,
        now=now,
        from_status=source_status,
        to_status=target,
        note=f"v{version.number}",
    )
    audit.record(
        action=events.OUTGOING_SIGNED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={
            "session_id": str(session.pk),
            "certificate_id": session.certificate_id,
            "sha256_before": session.source_sha256,
            "sha256_after": session.result_sha256,
            "version": version.number,
            "on_behalf_of": step.assignee_id if step.assignee_id != actor.pk else None,
        },
    )
    if document.urgency != Urgency.NORMAL:
        clerks = Person.objects.filter(
            pk__in=RoleAssignment.objects.filter(agency_id=outgoing.agency_id, role=Role.CLERK, valid_from__lte=now)
            .exclude(valid_to__lte=now)
            .values("person_id"),
            is_active=True,
        )
        notification_send(
            recipients=clerks,
            title=_("Urgent document signed, to issue now: %(subject)s") % {"subject": document.subject[:200]},
            url=reverse("outgoing:detail", args=[outgoing.pk]),
            kind=NOTIFY_KIND,
            now=now,
            email=True,
            sms=True,
        )
    return outgoing
