"""Documents signed on paper, registered by the registry (Decree 30 Art. 15.1, 16, 18.6; DOMAIN.md §1.3).

The number comes from the same register as the electronic documents (one stream for paper and
electronic, Art. 15.1). The outgoing document is *created* in ISSUED — creation sets the initial
status (as a draft is created in DRAFT); ``lifecycle.advance`` writes every later change — with
``origin = PAPER`` and ``is_paper``, so statistics count it as non-electronic.

Deliveries: none. The signed paper is dispatched on paper (post or by hand); an optional scan is
kept as its ISSUED version for reference only. Sending it electronically means issuing an
electronic version, which Art. 18.6 defines as digitising plus the agency signature, i.e. a sao y
(``copies.copy_make``), not the bare scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Direction
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Origin
from vanthu.documents.models import VersionKind
from vanthu.documents.services import files as document_files
from vanthu.documents.services import numbering
from vanthu.documents.services.documents import document_create
from vanthu.documents.symbols import symbol_for
from vanthu.documents.uploads import Upload
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.outgoing import events
from vanthu.outgoing import policies
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import drafting
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.history import history_add
from vanthu.outgoing.services.issuance import outgoing_register_for

PAPER_REGISTERED = "paper_registered"


@transaction.atomic
def outgoing_register_paper(  # noqa: PLR0913 - the fields of the register line
    *,
    agency: Agency,
    document_type: DocumentType,
    subject: str,
    signer_name: str,
    signer_position: str,
    signer_authority: str,
    issued_date: date,
    scanned: Upload | None,
    recipients: Sequence[RecipientInput],
    actor: Person,
    now: datetime,
) -> Outgoing:
    """Register a document signed on paper: the next number of the register of its issue year, an
    ISSUED outgoing document of origin PAPER, its recipients, its scan (a PDF) if given."""
    policies.require(
        policies.can_manage_registers(actor, agency, now),
        _("Only the registry's clerks register documents signed on paper."),
    )
    if not (signer_name or "").strip():
        raise ValidationError(_("Give the name of the person who signed."), details={"field": "signer_name"})
    if issued_date > vietnam_date(now):
        raise ValidationError(_("The issue date cannot be in the future."), details={"field": "issued_date"})
    if scanned is not None:
        head = scanned.content.read(5)
        scanned.content.seek(0)
        if head != b"%PDF-":
            raise UnsupportedMediaTypeError(_("The scan must be a PDF file."), details={"field": "scanned"})
    document = document_create(
        direction=Direction.OUTGOING,
        agency=agency,
        document_type=document_type,
        subject=subject,
        actor=actor,
        now=now,
        symbol=symbol_for(type_abbreviation=document_type.abbreviation, agency_abbreviation=agency.abbreviation),
        signer_name=signer_name.strip()[:50],
        signer_position=(signer_position or "").strip()[:100],
        signer_authority=signer_authority or "",
        issued_date=issued_date,
        origin=Origin.PAPER,
    )
    register = outgoing_register_for(
        agency=agency, document_type=document_type, year=issued_date.year, actor=actor, now=now
    )
    entry = numbering.number_allocate(register=register, document=document, actor=actor, now=now)
    outgoing = Outgoing.objects.create(
        document=document,
        agency=agency,
        status=OutgoingStatus.ISSUED,  # created issued: see the module docstring
        drafter=actor,
        is_paper=True,
        register=register,
        register_entry=entry,
        created_at=now,
        issued_at=now,
        issued_by=actor,
    )
    if scanned is not None:
        document_files.version_create(
            document=document,
            kind=VersionKind.ISSUED,
            actor=actor,
            now=now,
            note=_("Scan of the paper original."),
            main=scanned,
        )
    notices = drafting.recipients_set(document=document, recipients=recipients, actor=actor, now=now)
    history_add(
        outgoing,
        action=PAPER_REGISTERED,
        actor=actor,
        now=now,
        to_status=outgoing.status,
        note="\n".join(
            [_("Signed on paper, number %(number_symbol)s.") % {"number_symbol": document.number_symbol}, *notices]
        ),
    )
    audit.record(
        action=events.OUTGOING_PAPER_REGISTERED,
        actor=actor,
        agency=agency,
        now=now,
        target=outgoing,
        data={
            "document_id": document.pk,
            "number_symbol": document.number_symbol,
            "issued_date": issued_date.isoformat(),
            "register_id": register.pk,
            "scanned": scanned is not None,
            "recipients": len(recipients),
        },
    )
    return outgoing
