"""Numbering registers (sổ): one stream of numbers per agency, year (Vietnam time) and scope —
unique, consecutive, without gaps (Decree 30 Art. 15; App. VI).

Every number is taken under a row lock on its Register, inside the caller's transaction: a
transaction that rolls back gives its number back by construction (the bump of ``next_number`` rolls
back with it), so the register never holds a hole. A number reserved ahead that ends unused is
cancelled with a reason, never silently dropped."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from django.db import IntegrityError
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit.services import record
from vanthu.core.errors import ConflictError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents import events
from vanthu.documents.errors import RegisterClosedError
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionKind
from vanthu.documents.policies import can_manage_registers
from vanthu.documents.policies import require
from vanthu.org.models import Agency
from vanthu.org.models import Person

MAX_RESERVE = 50


def _slug(text: str) -> str:
    """ "Hội đồng thi đua" -> "HOI-DONG-THI-DUA" (ASCII, upper case)."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(char for char in folded if not unicodedata.combining(char))
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").upper()


def _code_and_name(scope: str, document_type: DocumentType | None, advisory_body: str) -> tuple[str, str]:
    """Register codes and names are data of the registry, written in Vietnamese."""
    if scope == RegisterScope.OUTGOING:
        return "DI", "Sổ văn bản đi"
    if scope == RegisterScope.OUTGOING_TYPE:
        if document_type is None:
            raise ValidationError(_("A register of one document type needs the type."))
        return f"DI-{document_type.abbreviation or document_type.code}"[:32], f"Sổ văn bản đi — {document_type.name}"
    if scope == RegisterScope.COPIES:
        return "SAO", "Sổ bản sao văn bản"
    if scope == RegisterScope.ADVISORY:
        slug = _slug(advisory_body)
        if not slug:
            raise ValidationError(_("A register of an advisory body needs the body's name."))
        return f"HD-{slug}"[:32], f"Sổ văn bản của {advisory_body.strip()}"[:200]
    if scope == RegisterScope.INCOMING:
        return "DEN", "Sổ văn bản đến"
    raise ValidationError(_("Unknown register scope."), details={"scope": scope})


def _check_open(register: Register) -> None:
    if register.closed_at is not None:
        raise RegisterClosedError(details={"register": register.pk, "year": register.year})


@transaction.atomic
def register_for(
    *,
    agency: Agency,
    year: int,
    scope: str,
    document_type: DocumentType | None = None,
    advisory_body: str = "",
    actor: Person,
    now: datetime,
) -> Register:
    """The register of this agency, year and scope, opened on first use (numbers from 01).

    A closed register is refused (RegisterClosedError). Does not check who acts: it is called by the
    services that number documents (outgoing issuance, incoming registration) after their policy."""
    code, name = _code_and_name(scope, document_type, advisory_body)
    register = Register.objects.filter(agency=agency, year=year, code=code).first()
    if register is None:
        try:
            with transaction.atomic():
                register = Register.objects.create(
                    agency=agency,
                    year=year,
                    scope=scope,
                    code=code,
                    name=name,
                    document_type=document_type if scope == RegisterScope.OUTGOING_TYPE else None,
                    advisory_body=advisory_body.strip() if scope == RegisterScope.ADVISORY else "",
                )
        except IntegrityError:
            register = Register.objects.get(agency=agency, year=year, code=code)  # opened concurrently
        else:
            record(
                action=events.REGISTER_OPENED,
                actor=actor,
                agency=agency,
                now=now,
                target=register,
                data={"year": year, "scope": scope, "code": code},
            )
    _check_open(register)
    return register


def _lock_register(register: Register) -> Register:
    # FOR NO KEY UPDATE, not FOR UPDATE: numbers are still taken one at a time, but a transaction
    # whose rows point at the register (an outgoing or incoming document, an entry) can check its
    # foreign keys (FOR KEY SHARE, at commit) meanwhile. FOR UPDATE made that check wait for the
    # allocating transaction, which itself waited for the audit chain head that the other one
    # held: a deadlock between two issuances of one agency (seen by tests/faults).
    locked = Register.objects.select_for_update(no_key=True).get(pk=register.pk)
    _check_open(locked)
    return locked


def _check_document(register: Register, document: Document) -> None:
    if document.agency_id != register.agency_id:
        raise ValidationError(_("The document and the register belong to different agencies."))
    if RegisterEntry.objects.filter(register=register, document=document, status=EntryStatus.USED).exists():
        raise ConflictError(_("This document already has a number in this register."), code="already_numbered")


def _set_number(document: Document, number: int) -> None:
    Document.objects.filter(pk=document.pk).update(number=number)
    document.number = number


@transaction.atomic
def number_allocate(*, register: Register, document: Document, actor: Person, now: datetime) -> RegisterEntry:
    """Take the next number of the register for the document (entry USED, ``document.number`` set).

    Runs in the caller's transaction under a lock on the register row: numbers are unique and
    consecutive, and a rollback gives the number back. Does NOT check who acts: the calling service
    (issuance, registration) checked its own policy."""
    locked = _lock_register(register)
    _check_document(locked, document)
    number = locked.next_number
    entry = RegisterEntry.objects.create(
        register=locked,
        number=number,
        status=EntryStatus.USED,
        document=document,
        allocated_by=actor,
        allocated_at=now,
    )
    locked.next_number = number + 1
    locked.save(update_fields=["next_number", "updated_at"])
    register.next_number = locked.next_number
    _set_number(document, number)
    record(
        action=events.NUMBER_ALLOCATED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=entry,
        data={"register": locked.code, "year": locked.year, "number": number, "document": document.pk},
    )
    return entry


@transaction.atomic
def number_reserve(*, register: Register, count: int, note: str, actor: Person, now: datetime) -> list[RegisterEntry]:
    """Reserve ``count`` (1–50) numbers ahead, for documents not yet issued. Clerks only."""
    require(
        can_manage_registers(actor, register.agency, now),
        _("Only a clerk of this agency may reserve numbers."),
    )
    if not 1 <= count <= MAX_RESERVE:
        raise ValidationError(
            _("Reserve between 1 and %(max)s numbers at a time.") % {"max": MAX_RESERVE}, details={"field": "count"}
        )
    locked = _lock_register(register)
    first = locked.next_number
    entries = RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                register=locked,
                number=number,
                status=EntryStatus.RESERVED,
                allocated_by=actor,
                allocated_at=now,
                note=(note or "").strip()[:255],
            )
            for number in range(first, first + count)
        ]
    )
    locked.next_number = first + count
    locked.save(update_fields=["next_number", "updated_at"])
    register.next_number = locked.next_number
    record(
        action=events.NUMBER_RESERVED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={"numbers": [first, first + count - 1], "count": count, "note": note},
    )
    # bulk_create does not return primary keys on every database: read the rows back.
    numbers = [entry.number for entry in entries]
    return list(RegisterEntry.objects.filter(register=locked, number__in=numbers).order_by("number"))


@transaction.atomic
def number_use_reserved(*, entry: RegisterEntry, document: Document, actor: Person, now: datetime) -> RegisterEntry:
    """Give a reserved number to a document (entry USED, ``document.number`` set). Like
    number_allocate, the calling service checked its own policy."""
    locked_register = _lock_register(entry.register)
    locked = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status != EntryStatus.RESERVED:
        raise TransitionNotAllowedError(_("This number is not reserved any more."), details={"status": locked.status})
    _check_document(locked_register, document)
    locked.status = EntryStatus.USED
    locked.document = document
    locked.save(update_fields=["status", "document"])
    _set_number(document, locked.number)
    record(
        action=events.NUMBER_RESERVED_USED,
        actor=actor,
        agency=locked_register.agency_id,
        now=now,
        target=locked,
        data={"register": locked_register.code, "number": locked.number, "document": document.pk},
    )
    entry.status, entry.document = locked.status, document
    return locked


def _is_issued(document: Document) -> bool:
    return document.issued_date is not None or document.versions.filter(kind=VersionKind.ISSUED).exists()


@transaction.atomic
def number_cancel(*, entry: RegisterEntry, reason: str, actor: Person, now: datetime) -> RegisterEntry:
    """Cancel a reserved number, or a used one whose document was not issued, with a reason: the
    register shows it cancelled (never a silent gap). Clerks only."""
    register = entry.register
    require(
        can_manage_registers(actor, register.agency, now),
        _("Only a clerk of this agency may cancel numbers."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for cancelling the number."), details={"field": "reason"})
    locked = RegisterEntry.objects.select_for_update(of=("self",)).select_related("document").get(pk=entry.pk)
    if locked.status == EntryStatus.CANCELLED:
        raise TransitionNotAllowedError(_("This number is already cancelled."))
    document = locked.document
    if locked.status == EntryStatus.USED and document is not None and _is_issued(document):
        raise TransitionNotAllowedError(_("The number of an issued document cannot be cancelled."))
    previous = locked.status
    locked.status = EntryStatus.CANCELLED
    locked.cancelled_reason = reason[:255]
    locked.cancelled_at = now
    locked.cancelled_by = actor
    locked.save(update_fields=["status", "cancelled_reason", "cancelled_at", "cancelled_by"])
    if document is not None and document.number == locked.number:
        Document.objects.filter(pk=document.pk).update(number=None)
    record(
        action=events.NUMBER_CANCELLED,
        actor=actor,
        agency=register.agency_id,
        now=now,
        target=locked,
        data={"register": register.code, "number": locked.number, "was": previous, "reason": reason},
    )
    entry.status, entry.cancelled_reason, entry.cancelled_at = locked.status, locked.cancelled_reason, now
    return locked


@transaction.atomic
def register_close(*, register: Register, actor: Person, now: datetime) -> Register:
    """Close a register (end of year): no number can be taken from it any more. Reserved numbers
    must be used or cancelled first. Clerks only."""
    require(can_manage_registers(actor, register.agency, now), _("Only a clerk of this agency may close a register."))
    locked = _lock_register(register)
    reserved = list(
        RegisterEntry.objects.filter(register=locked, status=EntryStatus.RESERVED).values_list("number", flat=True)
    )
    if reserved:
        raise ConflictError(
            _("Cancel or use the reserved numbers %(numbers)s before closing the register.")
            % {"numbers": ", ".join(f"{number:02d}" for number in reserved)},
            code="register_has_reserved_numbers",
        )
    locked.closed_at = now
    locked.save(update_fields=["closed_at", "updated_at"])
    register.closed_at = now
    record(
        action=events.REGISTER_CLOSED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data={"year": locked.year, "code": locked.code, "last_number": locked.next_number - 1},
    )
    return locked


@transaction.atomic
def register_open(
    *,
    agency: Agency,
    year: int,
    scope: str,
    document_type: DocumentType | None = None,
    advisory_body: str = "",
    actor: Person,
    now: datetime,
) -> Register:
    """A clerk opens a register ahead (to reserve numbers before the first issuance). Clerks only."""
    require(can_manage_registers(actor, agency, now), _("Only a clerk of this agency may open a register."))
    return register_for(
        agency=agency,
        year=year,
        scope=scope,
        document_type=document_type,
        advisory_body=advisory_body,
        actor=actor,
        now=now,
    )
