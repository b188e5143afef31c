"""Creating and changing a Document's metadata (Decree 30 Appendix VI part II).

These services do not check who acts: they are called by the services of the app that owns the
document's workflow (outgoing, incoming, …), which check their own policies first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit.services import record
from vanthu.core.clock import vietnam_year
from vanthu.core.errors import ValidationError
from vanthu.documents import events
from vanthu.documents.errors import SecretDocumentError
from vanthu.documents.models import Direction
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Secrecy
from vanthu.documents.services.text import document_text_refresh
from vanthu.org.models import Agency
from vanthu.org.models import Person

# Fields a caller may set through **metadata (by name, or by attname for foreign keys: signer_id).
_PROTECTED = {
    "id",
    "direction",
    "agency",
    "document_type",
    "subject",
    "created_by",
    "current_version",
    "created_at",
    "updated_at",
}
_EDITABLE = {"document_type", "subject"}  # document_update also takes these two

# Appendix VI tag names of the fields whose length is checked, for the error details.
_TAGS = {
    "subject": "Subject",
    "symbol": "CodeNotation",
    "issuer_name": "OrganName",
    "issuer_code": "OrganId",
    "place_name": "PlaceOfIssue",
    "signer_position": "Position",
    "signer_name": "FullName",
    "circulation_note": "Priority",
    "language": "Language",
    "description": "Description",
    "identifier": "DocCode",
}


def _field_names() -> dict[str, tuple[str, str]]:
    """Metadata key -> (attribute to set, field name); ``reply_to`` and ``reply_to_id`` both work."""
    names: dict[str, tuple[str, str]] = {}
    for field in Document._meta.concrete_fields:
        if field.name in _PROTECTED:
            continue
        names[field.name] = (field.name, field.name)
        names[field.attname] = (field.attname, field.name)
    return names


def _apply_metadata(document: Document, metadata: dict[str, Any]) -> list[str]:
    names = _field_names()
    changed: list[str] = []
    for key, value in metadata.items():
        if key not in names:
            raise TypeError(f"unknown Document field: {key}")
        attribute, name = names[key]
        setattr(document, attribute, value.strip() if isinstance(value, str) else value)
        changed.append(name)
    return changed


def _check(document: Document) -> None:
    if document.secrecy != Secrecy.NORMAL:
        raise SecretDocumentError(details={"secrecy": document.secrecy})
    if not (document.subject or "").strip():
        raise ValidationError(_("The summary (trích yếu) must not be empty."), details={"field": "Subject"})
    for field in Document._meta.concrete_fields:
        if isinstance(field, models.CharField) and field.max_length:
            value = getattr(document, field.attname) or ""
            if len(value) > field.max_length:
                raise ValidationError(
                    _("%(field)s is too long: at most %(limit)s characters.")
                    % {"field": str(field.verbose_name).capitalize(), "limit": field.max_length},
                    details={"field": _TAGS.get(field.name, field.name), "max_length": field.max_length},
                )
    document_type = DocumentType.objects.filter(pk=document.document_type_id).first()
    usable = document_type is not None and document_type.is_active
    if not usable or document_type is None or document_type.agency_id not in (None, document.agency_id):
        raise ValidationError(_("This document type cannot be used by this agency."), details={"field": "type"})
    unit = document.drafting_unit if document.drafting_unit_id is not None else None
    if unit is not None and unit.agency_id != document.agency_id:
        raise ValidationError(_("The drafting unit must belong to the agency."), details={"field": "drafting_unit"})
    if document.copies_count is not None and document.copies_count < 1:
        raise ValidationError(_("The number of copies must be at least 1."), details={"field": "copies_count"})


def document_identifier_for(document: Document, *, year: int | None = None) -> str:
    """The document identifier (mã định danh văn bản, Appendix VI DocCode, at most 25 characters):
    the issuing agency's QCVN 102 code, the year, and the document's own key in base 36 (6 characters):
    ``000.00.00.H56.2026.00002S``. Unique because the key is."""
    if document.pk is None:
        raise ValueError("the document must be saved first")
    key = _base36(document.pk).rjust(6, "0")
    return f"{document.agency.code_qcvn102}.{year or vietnam_year(document.created_at)}.{key}"


def _base36(value: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        value, remainder = divmod(value, 36)
        text = digits[remainder] + text
        if value == 0:
            return text


def _metadata_for_audit(document: Document, fields: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in fields:
        field = Document._meta.get_field(name)
        data[name] = getattr(document, field.attname)  # type: ignore[union-attr]
    return data


@transaction.atomic
def document_create(
    *,
    direction: str,
    agency: Agency,
    document_type: DocumentType,
    subject: str,
    actor: Person,
    now: datetime,
    **metadata: Any,
) -> Document:
    """A new Document. ``metadata`` is any other Document field (symbol, urgency, signer_*,
    drafting_unit, reply_to, reply_due_date, copies_count, circulation_note, issuer_name/issuer_code,
    place_name, language, description, origin, …). An outgoing document's issuer defaults to the
    agency itself and it receives its identifier (mã định danh) at once. Secret documents are refused."""
    if direction not in Direction.values:
        raise ValidationError(_("Unknown direction."), details={"direction": direction})
    document = Document(
        direction=direction,
        agency=agency,
        document_type=document_type,
        subject=(subject or "").strip(),
        created_by=actor,
        place_name=agency.place_name,
    )
    if direction == Direction.OUTGOING:
        document.issuer_name = agency.name
        document.issuer_code = agency.code_qcvn102
    changed = _apply_metadata(document, metadata)
    _check(document)
    document.save()
    if direction == Direction.OUTGOING and not document.identifier:
        document.identifier = document_identifier_for(document, year=vietnam_year(now))
        Document.objects.filter(pk=document.pk).update(identifier=document.identifier)
    record(
        action=events.DOCUMENT_CREATED,
        actor=actor,
        agency=agency,
        now=now,
        target=document,
        data={
            "direction": direction,
            "type": document_type.code,
            "subject": document.subject,
            "identifier": document.identifier,
            **_metadata_for_audit(document, changed),
        },
    )
    document_text_refresh(document_ids=[document.pk], now=now)
    return document


@transaction.atomic
def document_update(*, document: Document, actor: Person, now: datetime, **metadata: Any) -> Document:
    """Change metadata (the same fields as document_create, plus ``subject`` and ``document_type``),
    with the same checks. The row is locked for the change."""
    locked = Document.objects.select_for_update().get(pk=document.pk)
    changed: list[str] = []
    for key in _EDITABLE:
        if key in metadata:
            value = metadata.pop(key)
            setattr(locked, key, value.strip() if isinstance(value, str) else value)
            changed.append(key)
    changed += _apply_metadata(locked, metadata)
    _check(locked)
    locked.save()
    record(
        action=events.DOCUMENT_UPDATED,
        actor=actor,
        agency=locked.agency_id,
        now=now,
        target=locked,
        data=_metadata_for_audit(locked, sorted(set(changed))),
    )
    document_text_refresh(document_ids=[locked.pk], now=now)
    # Keep the caller's instance in step with the stored row.
    for field in Document._meta.concrete_fields:
        setattr(document, field.attname, getattr(locked, field.attname))
    return locked
