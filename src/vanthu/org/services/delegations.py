from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.org import policies
from vanthu.org.grants import grants_changed
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit


@transaction.atomic
def delegation_create(
    *,
    delegator: Person,
    delegate: Person,
    agency: Agency,
    role: str,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    actor: Person,
    now: datetime,
    unit: Unit | None = None,
) -> Delegation:
    # Lock the delegator: two overlapping delegations of one role cannot be created at once.
    delegator = Person.objects.select_for_update().get(pk=delegator.pk)
    policies.require(
        policies.can_delegate(actor, delegator=delegator, agency=agency, role=role, now=now),
        _("Only the holder of the role or an administrator of the agency may delegate it."),
    )
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The delegation must end after it starts.")
    if ends_at <= now:
        errors["ends_at"] = _("The delegation would end in the past.")
    if delegate.pk == delegator.pk:
        errors["delegate"] = _("A person cannot delegate to themself.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the delegation.")
    if errors:
        raise ValidationError(_("The delegation is not valid."), details={"fields": errors})
    if not delegate.is_active:
        raise ConflictError(_("The delegate's account is deactivated."))
    # The delegator must hold the role for the whole period (a role may have a planned end).
    holds_role = RoleAssignment.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=ends_at),
        person=delegator,
        agency=agency,
        unit=unit,
        role=role,
        valid_from__lte=starts_at,
    ).exists()
    if not holds_role:
        raise ConflictError(_("The delegator does not hold this role in this agency."))
    overlapping = Delegation.objects.filter(
        delegator=delegator,
        agency=agency,
        unit=unit,
        role=role,
        revoked_at__isnull=True,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if overlapping.exists():
        raise ConflictError(_("This role is already delegated for part of this period."))
    delegation = Delegation.objects.create(
        delegator=delegator,
        delegate=delegate,
        agency=agency,
        unit=unit,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
    )
    audit.record(
        action="org.delegation.created",
        actor=actor,
        agency=agency,
        target=delegation,
        now=now,
        data={
            "delegator_id": delegator.pk,
            "delegate_id": delegate.pk,
            "role": role,
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "reason": reason,
        },
    )
    grants_changed()
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, actor: Person, now: datetime) -> Delegation:
    delegation = Delegation.objects.select_for_update().select_related("agency", "delegator").get(pk=delegation.pk)
    policies.require(
        policies.can_delegate(
            actor, delegator=delegation.delegator, agency=delegation.agency, role=delegation.role, now=now
        ),
    )
    if delegation.revoked_at is not None or delegation.ends_at <= now:
        raise ConflictError(_("This delegation has already ended."))
    delegation.revoked_at = now
    delegation.save(update_fields=["revoked_at", "updated_at"])
    audit.record(action="org.delegation.revoked", actor=actor, agency=delegation.agency, target=delegation, now=now)
    grants_changed()
    return delegation
