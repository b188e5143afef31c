from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any

from django.db import IntegrityError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.clock import vietnam_date
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.models import fields_too_long
from vanthu.org import policies
from vanthu.org.codes import is_valid_qcvn102
from vanthu.org.grants import grants_changed
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment
from vanthu.org.services.people import role_assignments_close
from vanthu.org.signals import agency_merged

EDITABLE_FIELDS = ("name", "abbreviation", "kind", "code_qcvn102", "code_qd20", "place_name", "valid_from")


def _validate(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(fields.get("name", "")).strip():
        errors["name"] = _("The name is required.")
    abbreviation = str(fields.get("abbreviation", "")).strip()
    if not abbreviation:
        errors["abbreviation"] = _("The abbreviation is required.")
    elif " " in abbreviation:
        errors["abbreviation"] = _("The abbreviation cannot contain spaces.")
    code = str(fields.get("code_qcvn102", ""))
    if not is_valid_qcvn102(code):
        errors["code_qcvn102"] = _("The agency code must look like 000.00.00.H56 (QCVN 102:2016).")
    if fields.get("kind") not in AgencyKind.values:
        errors["kind"] = _("Unknown kind of agency.")
    if not str(fields.get("place_name", "")).strip():
        errors["place_name"] = _("The place name is required.")
    lengths = {key: fields.get(key) for key in ("name", "abbreviation", "place_name", "code_qd20")}
    errors = {**fields_too_long(Agency, lengths), **errors}
    if errors:
        raise ValidationError(_("Some data is not valid."), details={"fields": errors})


def _raise_conflict(error: IntegrityError, agency: Agency) -> None:
    text = str(error).lower()
    if "abbreviation" in text or "agency_abbreviation" in text:
        raise ConflictError(
            _("Another agency under the same parent already uses the abbreviation %(abbreviation)s.")
            % {"abbreviation": agency.abbreviation},
            details={"field": "abbreviation"},
        ) from error
    if "code_qcvn102" in text:
        raise ConflictError(
            _("Another agency already has the code %(code)s.") % {"code": agency.code_qcvn102},
            details={"field": "code_qcvn102"},
        ) from error
    raise ConflictError() from error


def _check_unique(agency: Agency) -> None:
    """Explicit checks give a clear message; the unique constraints remain the real guard."""
    siblings = Agency.objects.filter(parent_id=agency.parent_id, abbreviation=agency.abbreviation).exclude(pk=agency.pk)
    if siblings.exists():
        raise ConflictError(
            _("Another agency under the same parent already uses the abbreviation %(abbreviation)s.")
            % {"abbreviation": agency.abbreviation},
            details={"field": "abbreviation"},
        )
    if Agency.objects.filter(code_qcvn102=agency.code_qcvn102).exclude(pk=agency.pk).exists():
        raise ConflictError(
            _("Another agency already has the code %(code)s.") % {"code": agency.code_qcvn102},
            details={"field": "code_qcvn102"},
        )


@transaction.atomic
def agency_create(*, actor: Person, parent: Agency | None, now: datetime, **fields: Any) -> Agency:
    policies.require(policies.can_create_agency(actor, parent, now), _("You may not create an agency here."))
    fields.setdefault("valid_from", vietnam_date(now))
    if parent is not None:
        parent = Agency.objects.select_for_update().get(pk=parent.pk)
        if parent.valid_to is not None:
            raise ConflictError(_("An agency that no longer exists cannot receive new agencies."))
    _validate(fields)
    agency = Agency(parent=parent, **{key: fields[key] for key in EDITABLE_FIELDS if key in fields})
    agency.abbreviation = agency.abbreviation.strip()
    _check_unique(agency)
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as error:
        _raise_conflict(error, agency)
    agency.path = f"{parent.path if parent else '/'}{agency.pk}/"
    agency.save(update_fields=["path"])
    audit.record(
        action="org.agency.created",
        actor=actor,
        agency=agency,
        target=agency,
        now=now,
        data={"name": agency.name, "code": agency.code_qcvn102, "parent_id": parent.pk if parent else None},
    )
    return agency


def _descendant_ids(agency: Agency) -> set[int]:
    return set(Agency.objects.filter(path__startswith=agency.path).values_list("id", flat=True))


@transaction.atomic
def agency_update(
    *, agency: Agency, actor: Person, now: datetime, parent: Agency | None | str = "unchanged", **fields: Any
) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    policies.require_manage_agency(actor, agency, now)
    before = {key: str(getattr(agency, key)) for key in EDITABLE_FIELDS}
    merged = {**{key: getattr(agency, key) for key in EDITABLE_FIELDS}, **fields}
    _validate(merged)
    for key in EDITABLE_FIELDS:
        setattr(agency, key, merged[key])
    agency.abbreviation = str(agency.abbreviation).strip()
    moved = False
    old_parent_id = agency.parent_id
    if not isinstance(parent, str) and (parent.pk if parent else None) != agency.parent_id:
        if parent is not None and parent.pk in _descendant_ids(agency):
            raise ConflictError(
                _("An agency cannot be placed under itself or one of its own sub-agencies."),
                details={"field": "parent"},
            )
        policies.require(policies.can_create_agency(actor, parent, now), _("You may not move the agency there."))
        if parent is not None:
            parent = Agency.objects.select_for_update().get(pk=parent.pk)
            if parent.valid_to is not None:
                raise ConflictError(
                    _("An agency that no longer exists cannot receive new agencies."), details={"field": "parent"}
                )
        agency.parent = parent
        moved = True
    _check_unique(agency)
    try:
        with transaction.atomic():
            agency.save()
    except IntegrityError as error:
        _raise_conflict(error, agency)
    if moved:
        old_path = agency.path
        new_path = f"{agency.parent.path if agency.parent else '/'}{agency.pk}/"
        for descendant in Agency.objects.select_for_update().filter(path__startswith=old_path):
            descendant.path = new_path + descendant.path[len(old_path) :]
            descendant.save(update_fields=["path"])
        agency.path = new_path
    after = {key: str(getattr(agency, key)) for key in EDITABLE_FIELDS}
    changes: dict[str, list[Any]] = {
        key: [before[key], after[key]] for key in EDITABLE_FIELDS if before[key] != after[key]
    }
    if moved:
        changes["parent_id"] = [old_parent_id, agency.parent_id]
    audit.record(action="org.agency.updated", actor=actor, agency=agency, target=agency, now=now, data=changes)
    return agency


@transaction.atomic
def agency_merge(
    *, predecessor: Agency, successor: Agency, actor: Person, effective_date: date, now: datetime
) -> Agency:
    """The predecessor ceases on the day before ``effective_date``; future work goes to the
    successor, whose domain apps move their open work on ``agency_merged``."""
    locked = {a.pk: a for a in Agency.objects.select_for_update().filter(pk__in=[predecessor.pk, successor.pk])}
    predecessor, successor = locked[predecessor.pk], locked[successor.pk]
    policies.require_manage_agency(actor, predecessor, now)
    policies.require_manage_agency(actor, successor, now)
    if predecessor.pk == successor.pk:
        raise ValidationError(_("An agency cannot be merged into itself."))
    if predecessor.valid_to is not None:
        raise ConflictError(_("This agency has already ceased to exist."))
    if successor.valid_to is not None:
        raise ConflictError(_("The successor agency no longer exists; choose an agency that does."))
    if successor.pk in _descendant_ids(predecessor):
        raise ConflictError(_("An agency cannot be merged into one of its own sub-agencies."))
    if predecessor.children.filter(valid_to__isnull=True).exists():
        raise ConflictError(_("Merge or move this agency's sub-agencies first."))
    last_day = date.fromordinal(effective_date.toordinal() - 1)
    if last_day < predecessor.valid_from:
        raise ValidationError(_("The merge date cannot be before the agency began."))
    if effective_date < successor.valid_from:
        raise ValidationError(_("The successor agency does not exist yet on the merge date."))
    predecessor.valid_to = last_day
    predecessor.successor = successor
    predecessor.save(update_fields=["valid_to", "successor", "updated_at"])
    # People's roles in the old body end; delegations inside it end with them.
    ended_roles = role_assignments_close(assignments=RoleAssignment.objects.filter(agency=predecessor), now=now)
    Delegation.objects.filter(agency=predecessor, ends_at__gt=now, revoked_at__isnull=True).update(revoked_at=now)
    data = {
        "successor_id": successor.pk,
        "successor": successor.name,
        "effective_date": effective_date.isoformat(),
        "roles_ended": ended_roles,
    }
    audit.record(action="org.agency.merged", actor=actor, agency=predecessor, target=predecessor, now=now, data=data)
    audit.record(
        action="org.agency.received_merge",
        actor=actor,
        agency=successor,
        target=successor,
        now=now,
        data={"predecessor_id": predecessor.pk, "predecessor": predecessor.name},
    )
    agency_merged.send(sender=Agency, predecessor=predecessor, successor=successor, actor=actor, now=now)
    grants_changed()
    return predecessor


@transaction.atomic
def agency_delete(*, agency: Agency, actor: Person, now: datetime) -> None:
    """Only an agency created by mistake, with no history at all, may be deleted."""
    from vanthu.audit.models import AuditEvent

    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    policies.require_manage_agency(actor, agency, now)
    has_history = (
        agency.children.exists()
        or agency.predecessors.exists()
        or agency.units.exists()
        or agency.role_assignments.exists()
        or AuditEvent.objects.filter(agency=agency).exclude(action="org.agency.created").exists()
    )
    if has_history:
        raise ConflictError(
            _("This agency has history and cannot be deleted; record its end date or merge it instead.")
        )
    # Its creation event stays in the chain; the deletion is recorded in the parent's chain.
    audit.record(
        action="org.agency.deleted",
        actor=actor,
        agency=agency.parent,
        target=agency,
        now=now,
        data={"name": agency.name, "code": agency.code_qcvn102},
    )
    try:
        with transaction.atomic():
            agency.delete()
    except (IntegrityError, ProtectedError) as error:
        raise ConflictError(
            _("This agency has history and cannot be deleted; record its end date or merge it instead.")
        ) from error
