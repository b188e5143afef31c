"""Drafting an outgoing document (Decree 30 Art. 10; DOMAIN.md §1.5 step 1): the draft with its
metadata, files and versions, comments, recipients (nơi nhận), withdrawal, and the reply to an
incoming document.

The metadata lives on ``documents.Document`` (written through the documents services); this module
keeps the workflow row (``Outgoing``), its history and its audit events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.documents import policies as document_policies
from vanthu.documents.models import Channel
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import FileRole
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import Secrecy
from vanthu.documents.models import Urgency
from vanthu.documents.models import VersionKind
from vanthu.documents.services.documents import document_create
from vanthu.documents.services.documents import document_update
from vanthu.documents.services.files import version_comment_add
from vanthu.documents.services.files import version_create
from vanthu.documents.services.text import document_text_refresh
from vanthu.documents.symbols import symbol_for
from vanthu.documents.uploads import Upload
from vanthu.org.codes import QCVN102_PATTERN
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit
from vanthu.outgoing import events
from vanthu.outgoing import lifecycle
from vanthu.outgoing import policies
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services.history import history_add

# History action names that are not lifecycle actions.
HISTORY_CREATED = "create"
HISTORY_UPDATED = "update"
HISTORY_VERSION = "new_version"
HISTORY_COMMENT = "comment"

# Document fields a draft's metadata may change (``outgoing_update``); ``recipients`` is handled apart.
EDITABLE_FIELDS = frozenset(
    {
        "document_type",
        "subject",
        "drafting_unit",
        "signer",
        "signer_authority",
        "signer_position",
        "signer_name",
        "urgency",
        "circulation_note",
        "reply_due_date",
        "copies_count",
        "description",
        "language",
        "secrecy",
    }
)
EXTERNAL_CHANNELS = frozenset({Channel.EMAIL, Channel.POST, Channel.AXIS})
CONG_VAN = "CONG_VAN"


@dataclass(frozen=True)
class RecipientInput:
    """One line of the "Nơi nhận": an agency of the system (``AGENCY``), a unit of the issuing
    agency (``UNIT``), or a name outside the system with its channel (``EXTERNAL``)."""

    kind: str
    agency_id: int | None = None
    unit_id: int | None = None
    name: str = ""
    channel: str = Channel.INTERNAL
    address: str = ""
    is_for_information: bool = False


# --- recipients ------------------------------------------------------------------------------------


def _successor_map() -> dict[int, int]:
    return dict(Agency.objects.filter(successor__isnull=False).values_list("id", "successor_id"))


def _follow(agency_id: int, successors: dict[int, int]) -> int:
    """As ``org.selectors.agency_current``, over a map loaded once (bounded queries)."""
    current, seen = agency_id, {agency_id}
    while current in successors and successors[current] not in seen:
        current = successors[current]
        seen.add(current)
    return current


def _check_external(line: RecipientInput, index: int) -> tuple[str, str, str]:
    """(name, channel, address-or-code) of an outside recipient, validated."""
    name = line.name.strip()
    address = line.address.strip()
    details: dict[str, Any] = {"index": index}
    if not name:
        raise ValidationError(_("A recipient outside the system needs a name."), details={**details, "field": "name"})
    if line.channel not in EXTERNAL_CHANNELS:
        raise ValidationError(
            _("A recipient outside the system is reached by e-mail, by post or over the national document axis."),
            details={**details, "field": "channel"},
        )
    if line.channel == Channel.EMAIL:
        try:
            validate_email(address)
        except Exception:  # noqa: BLE001 - Django's ValidationError, turned into ours
            raise ValidationError(
                _("“%(address)s” is not a valid e-mail address.") % {"address": address},
                details={**details, "field": "address"},
            ) from None
    elif line.channel == Channel.POST and not address:
        raise ValidationError(
            _("A recipient reached by post needs a postal address."), details={**details, "field": "address"}
        )
    elif line.channel == Channel.AXIS and address and not QCVN102_PATTERN.fullmatch(address):
        raise ValidationError(
            _("The agency code must look like 000.00.00.H56 (QCVN 102:2016)."),
            details={**details, "field": "address"},
        )
    return name, line.channel, address


def recipients_set(
    *, document: Document, recipients: Sequence[RecipientInput], actor: Person, now: datetime
) -> list[str]:
    """Replace the recipients of ``document``; returns notices for the person (merged agencies
    routed to their successor). A building block: the calling service checks its own policy and
    writes the audit event. Bounded queries whatever the number of recipients."""
    agency_ids = {line.agency_id for line in recipients if line.kind == RecipientKind.AGENCY and line.agency_id}
    unit_ids = {line.unit_id for line in recipients if line.kind == RecipientKind.UNIT and line.unit_id}
    successors = _successor_map() if agency_ids else {}
    routed_ids = {_follow(agency_id, successors) for agency_id in agency_ids}
    agencies = Agency.objects.in_bulk(agency_ids | routed_ids)
    units = Unit.objects.in_bulk(unit_ids)
    notices: list[str] = []
    rows: list[DocumentRecipient] = []
    seen: set[tuple[str, int | str]] = set()
    for index, line in enumerate(recipients):
        row = DocumentRecipient(
            document=document, ordinal=index, kind=line.kind, is_for_information=line.is_for_information
        )
        if line.kind == RecipientKind.AGENCY:
            original = agencies.get(line.agency_id or 0)
            if original is None:
                raise ValidationError(
                    _("Recipient agency %(id)s does not exist.") % {"id": line.agency_id},
                    details={"index": index, "agency_id": line.agency_id},
                )
            agency = agencies[_follow(original.pk, successors)]
            if agency.pk != original.pk:
                notices.append(
                    _("%(old)s has merged into %(new)s; the document will be sent to %(new)s.")
                    % {"old": original.name, "new": agency.name}
                )
            elif not agency.is_active:
                raise ValidationError(
                    _("%(name)s has ceased to exist and has no successor.") % {"name": agency.name},
                    details={"index": index, "agency_id": agency.pk},
                )
            key: tuple[str, int | str] = (RecipientKind.AGENCY, agency.pk)
            row.agency, row.name, row.code, row.channel = agency, agency.name, agency.code_qcvn102, Channel.INTERNAL
        elif line.kind == RecipientKind.UNIT:
            unit = units.get(line.unit_id or 0)
            if unit is None or unit.agency_id != document.agency_id:
                raise ValidationError(
                    _("The unit must belong to the issuing agency."), details={"index": index, "unit_id": line.unit_id}
                )
            key = (RecipientKind.UNIT, unit.pk)
            row.unit, row.name, row.channel = unit, unit.name, Channel.INTERNAL
        elif line.kind == RecipientKind.EXTERNAL:
            name, channel, address = _check_external(line, index)
            key = (RecipientKind.EXTERNAL, f"{name}|{channel}|{address}")
            row.name, row.channel = name, channel
            if channel == Channel.AXIS:
                row.code = address
            else:
                row.address = address
        else:
            raise ValidationError(
                _("Unknown kind of recipient: %(kind)s.") % {"kind": line.kind}, details={"index": index}
            )
        if key in seen:
            continue  # the same recipient twice (e.g. two agencies merged into one): sent once
        seen.add(key)
        rows.append(row)
    DocumentRecipient.objects.filter(document=document).delete()
    DocumentRecipient.objects.bulk_create(rows)
    document_text_refresh(document_ids=[document.pk], now=now)
    return notices


# --- creating and changing a draft ---------------------------------------------------------------


def _lock(outgoing: Outgoing) -> Outgoing:
    return Outgoing.objects.select_for_update().select_related("document").get(pk=outgoing.pk)


def _refuse_past_reply_date(reply_due_date: date | None, now: datetime) -> None:
    if reply_due_date is not None and reply_due_date < vietnam_date(now):
        raise ValidationError(_("The reply deadline cannot be in the past."), details={"field": "reply_due_date"})


def _default_unit(actor: Person, agency: Agency, now: datetime) -> Unit | None:
    unit_ids = sorted(
        grant.unit_id
        for grant in grants_for(actor, now)
        if grant.agency_id == agency.pk and grant.unit_id is not None and grant.delegated_by_id is None
    )
    return Unit.objects.filter(pk__in=unit_ids[:1]).first() if unit_ids else None


def _check_unit(unit: Unit | None, agency: Agency) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError(_("The unit must belong to the issuing agency."), details={"field": "drafting_unit"})


def signer_position_in(signer: Person, agency: Agency, now: datetime) -> str:
    """The signer's position (chức vụ) in ``agency``: from their role assignment, leaders first."""
    assignments = (
        RoleAssignment.objects.filter(person=signer, agency=agency, position__isnull=False, valid_from__lte=now)
        .exclude(valid_to__lte=now)
        .select_related("position")
    )
    ranked = sorted(assignments, key=lambda item: (item.role != Role.AGENCY_LEADER, item.position.rank, item.pk))  # type: ignore[union-attr]
    return ranked[0].position.name.upper() if ranked and ranked[0].position else ""


def _check_signer(signer: Person, agency: Agency, now: datetime) -> None:
    holds_role = (
        RoleAssignment.objects.filter(person=signer, agency=agency, valid_from__lte=now)
        .exclude(valid_to__lte=now)
        .exists()
    )
    if not holds_role or not signer.is_active:
        raise ValidationError(
            _("The signer must hold a role in the issuing agency."), details={"field": "signer", "id": signer.pk}
        )


def _symbol(document_type: DocumentType, agency: Agency, unit: Unit | None) -> str:
    return symbol_for(
        type_abbreviation=document_type.abbreviation,
        agency_abbreviation=agency.abbreviation,
        unit_abbreviation=unit.abbreviation if unit is not None else "",
    )


@transaction.atomic
def outgoing_create(  # noqa: PLR0913 - the fields of a draft
    *,
    agency: Agency,
    document_type: DocumentType,
    subject: str,
    actor: Person,
    now: datetime,
    drafting_unit: Unit | None = None,
    signer: Person | None = None,
    signer_authority: str = "",
    signer_position: str = "",
    signer_name: str = "",
    urgency: str = Urgency.NORMAL,
    circulation_note: str = "",
    reply_due_date: date | None = None,
    copies_count: int | None = None,
    recipients: Sequence[RecipientInput] = (),
    main: Upload | None = None,
    annexes: Sequence[Upload] = (),
    reply_to: Document | None = None,
    secrecy: str = Secrecy.NORMAL,
    replaces: Outgoing | None = None,
    corrects: Outgoing | None = None,
) -> Outgoing:
    """A new draft in ``agency`` drafted by ``actor``, with its first DRAFT version.

    The notices of ``recipients_set`` (merged recipients routed to their successor) are returned on
    the draft as ``outgoing.recipient_notices`` (and kept in the history note)."""
    policies.require(policies.can_create_outgoing(actor, agency, now), _("You may not draft documents in this agency."))
    _refuse_past_reply_date(reply_due_date, now)
    unit = drafting_unit if drafting_unit is not None else _default_unit(actor, agency, now)
    _check_unit(unit, agency)
    if signer is not None:
        _check_signer(signer, agency, now)
        signer_name = signer_name or signer.full_name
        signer_position = signer_position or signer_position_in(signer, agency, now)
    document = document_create(
        direction=Direction.OUTGOING,
        agency=agency,
        document_type=document_type,
        subject=subject,
        actor=actor,
        now=now,
        symbol=_symbol(document_type, agency, unit),
        drafting_unit=unit,
        signer=signer,
        signer_authority=signer_authority,
        signer_position=signer_position[:100],
        signer_name=signer_name[:50],
        urgency=urgency,
        circulation_note=circulation_note,
        reply_due_date=reply_due_date,
        copies_count=copies_count,
        reply_to=reply_to,
        secrecy=secrecy,
    )
    outgoing = Outgoing.objects.create(
        document=document,
        agency=agency,
        status=OutgoingStatus.DRAFT,  # the initial status; every change goes through lifecycle.advance
        drafter=actor,
        drafting_unit=unit,
        replaces=replaces,
        corrects=corrects,
        created_at=now,
    )
    version_create(document=document, kind=VersionKind.DRAFT, actor=actor, now=now, main=main, annexes=annexes)
    notices = recipients_set(document=document, recipients=recipients, actor=actor, now=now)
    history_add(
        outgoing, action=HISTORY_CREATED, actor=actor, now=now, to_status=outgoing.status, note="\n".join(notices)
    )
    audit.record(
        action=events.OUTGOING_CREATED,
        actor=actor,
        agency=agency,
        now=now,
        target=outgoing,
        data={
            "document_id": document.pk,
            "document_type": document_type.code,
            "recipients": len(recipients),
            "notices": notices,
            "reply_to": reply_to.pk if reply_to is not None else None,
        },
    )
    outgoing.recipient_notices = notices  # type: ignore[attr-defined]
    return outgoing


@transaction.atomic
def outgoing_update(*, outgoing: Outgoing, actor: Person, now: datetime, **fields: Any) -> Outgoing:
    """Change a draft's metadata (``EDITABLE_FIELDS``) and/or its ``recipients``; DRAFT only.
    The notices of ``recipients_set`` come back as ``outgoing.recipient_notices``."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_edit_draft(actor, outgoing, now), _("Only the drafter changes a draft."))
    lifecycle_status = outgoing.status
    unknown = set(fields) - EDITABLE_FIELDS - {"recipients"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed here."), details={"fields": sorted(unknown)})
    document = outgoing.document
    recipients = fields.pop("recipients", None)
    if "reply_due_date" in fields:
        _refuse_past_reply_date(fields["reply_due_date"], now)
    agency = outgoing.agency
    if "drafting_unit" in fields:
        _check_unit(fields["drafting_unit"], agency)
    signer = fields.get("signer")
    if signer is not None:
        _check_signer(signer, agency, now)
        if signer.pk != document.signer_id:
            fields.setdefault("signer_name", signer.full_name[:50])
            fields.setdefault("signer_position", signer_position_in(signer, agency, now)[:100])
    if "document_type" in fields or "drafting_unit" in fields:
        unit = fields.get("drafting_unit", outgoing.drafting_unit)
        fields["symbol"] = _symbol(fields.get("document_type", document.document_type), agency, unit)
    changed = sorted(fields)
    if fields:
        document = document_update(document=document, actor=actor, now=now, **fields)
        outgoing.document = document
    if "drafting_unit" in fields:
        outgoing.drafting_unit = fields["drafting_unit"]
        outgoing.save(update_fields=["drafting_unit"])
    notices: list[str] = []
    if recipients is not None:
        notices = recipients_set(document=document, recipients=recipients, actor=actor, now=now)
        changed.append("recipients")
    history_add(
        outgoing,
        action=HISTORY_UPDATED,
        actor=actor,
        now=now,
        from_status=lifecycle_status,
        to_status=outgoing.status,
        note="\n".join(notices),
    )
    audit.record(
        action=events.OUTGOING_UPDATED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={"fields": changed, "notices": notices},
    )
    outgoing.recipient_notices = notices  # type: ignore[attr-defined]
    return outgoing


def current_main_file(document: Document) -> Any:
    """The MAIN file of the document's current version (or None)."""
    if document.current_version_id is None:
        return None
    return document.current_version.files.filter(role=FileRole.MAIN).select_related("pdf").first()  # type: ignore[union-attr]


@transaction.atomic
def outgoing_new_version(
    *,
    outgoing: Outgoing,
    actor: Person,
    now: datetime,
    main: Upload | None = None,
    annexes: Sequence[Upload] = (),
    note: str = "",
) -> Outgoing:
    """A new DRAFT version. Only the main file given: the annexes are kept; only annexes given:
    the main file's PDF is kept."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_edit_draft(actor, outgoing, now), _("Only the drafter changes a draft."))
    if main is None and not annexes:
        raise ValidationError(_("Give the new main file or new annexes."), details={"field": "main"})
    document = outgoing.document
    previous = document.current_version
    main_pdf_sha256 = None
    if main is None:
        current = current_main_file(document)
        if current is None or current.pdf_id is None:
            raise ValidationError(
                _("The draft has no main file ready yet: upload the main file too."), details={"field": "main"}
            )
        main_pdf_sha256 = current.pdf_id
    version = version_create(
        document=document,
        kind=VersionKind.DRAFT,
        actor=actor,
        now=now,
        note=note,
        main=main,
        annexes=annexes,
        main_pdf_sha256=main_pdf_sha256,
        carry_annexes_from=previous if not annexes else None,
    )
    history_add(outgoing, action=HISTORY_VERSION, actor=actor, now=now, note=f"v{version.number} {note}".strip())
    audit.record(
        action=events.OUTGOING_VERSION_ADDED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={"version": version.number, "main_changed": main is not None, "annexes_changed": bool(annexes)},
    )
    outgoing.document.refresh_from_db()
    return outgoing


@transaction.atomic
def outgoing_comment(*, outgoing: Outgoing, actor: Person, now: datetime, text: str) -> Outgoing:
    """A comment on the current version (drafter, reviewers, signer, …)."""
    outgoing = _lock(outgoing)
    policies.require_visible(policies.can_view_outgoing(actor, outgoing, now))
    policies.require(policies.can_comment_outgoing(actor, outgoing, now))
    version = outgoing.document.current_version
    if version is None:
        raise ValidationError(_("The draft has no version to comment on yet."))
    comment = version_comment_add(version=version, author=actor, text=text, now=now)
    history_add(outgoing, action=HISTORY_COMMENT, actor=actor, now=now, note=comment.text)
    audit.record(
        action=events.OUTGOING_COMMENTED,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={"version": version.number, "comment_id": comment.pk},
    )
    return outgoing


@transaction.atomic
def outgoing_withdraw(*, outgoing: Outgoing, actor: Person, now: datetime, reason: str) -> Outgoing:
    """The drafter gives up a draft (WITHDRAWN is final)."""
    outgoing = _lock(outgoing)
    policies.require(policies.can_withdraw_outgoing(actor, outgoing, now), _("Only the drafter withdraws a draft."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason."), details={"field": "reason"})
    source, target = lifecycle.advance(outgoing, OutgoingAction.WITHDRAW)
    outgoing.save(update_fields=["status"])
    history_add(
        outgoing,
        action=OutgoingAction.WITHDRAW,
        actor=actor,
        now=now,
        from_status=source,
        to_status=target,
        note=reason,
    )
    audit.record(
        action=events.OUTGOING_WITHDRAWN,
        actor=actor,
        agency=outgoing.agency_id,
        now=now,
        target=outgoing,
        data={"reason": reason},
    )
    return outgoing


# --- reply to an incoming document -----------------------------------------------------------------


def _reply_agency(actor: Person, document: Document, now: datetime) -> Agency:
    agency_ids = {grant.agency_id for grant in grants_for(actor, now) if grant.role in policies.DRAFTING_ROLES}
    if document.agency_id in agency_ids:
        return document.agency
    if not agency_ids:
        raise NotFoundError()
    return Agency.objects.get(pk=min(agency_ids))


def reply_subject(document: Document) -> str:
    """ "V/v trả lời văn bản số 12/UBND-VX ngày 05/01/2026 của Sở Y tế"."""
    parts = [f"V/v trả lời văn bản số {document.number_symbol or '…'}"]
    if document.issued_date is not None:
        parts.append(f"ngày {document.issued_date:%d/%m/%Y}")
    if document.issuer_name:
        parts.append(f"của {document.issuer_name}")
    return " ".join(parts)[:500]


@transaction.atomic
def draft_reply_to(*, document: Document, actor: Person, now: datetime, agency: Agency | None = None) -> Outgoing:
    """A new Công văn draft in the actor's agency answering ``document`` (an incoming document):
    ``reply_to`` set, the summary prefilled, the sender agency as recipient when it is in the system."""
    policies.require_visible(document_policies.can_view_document(actor, document, now))
    if agency is None:
        agency = _reply_agency(actor, document, now)
    document_type = DocumentType.objects.get(code=CONG_VAN, agency__isnull=True)
    recipients: list[RecipientInput] = []
    sender = None
    if document.issuer_code:
        sender = Agency.objects.filter(code_qcvn102=document.issuer_code).first()
    if sender is not None and sender.pk != agency.pk:
        recipients.append(RecipientInput(kind=RecipientKind.AGENCY, agency_id=sender.pk))
    return outgoing_create(
        agency=agency,
        document_type=document_type,
        subject=reply_subject(document),
        actor=actor,
        now=now,
        recipients=recipients,
        reply_to=document,
    )
