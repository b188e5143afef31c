from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.models import fields_too_long
from vanthu.org import policies
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Unit


def _check(agency: Agency, name: str, abbreviation: str, exclude_pk: int | None = None) -> None:
    if not name.strip() or not abbreviation.strip():
        raise ValidationError(_("The unit needs a name and an abbreviation."))
    errors = fields_too_long(Unit, {"name": name.strip(), "abbreviation": abbreviation.strip()})
    if errors:
        raise ValidationError(details={"fields": errors})
    same_abbreviation = Unit.objects.filter(agency=agency, abbreviation=abbreviation.strip())
    if exclude_pk is not None:
        same_abbreviation = same_abbreviation.exclude(pk=exclude_pk)
    if same_abbreviation.exists():
        raise ConflictError(
            _("This agency already has a unit with the abbreviation %(abbreviation)s.")
            % {"abbreviation": abbreviation},
            details={"field": "abbreviation"},
        )


@transaction.atomic
def unit_create(*, agency: Agency, name: str, abbreviation: str, actor: Person, now: datetime) -> Unit:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    policies.require_manage_agency(actor, agency, now)
    if agency.valid_to is not None:
        raise ConflictError(_("An agency that no longer exists cannot receive new units."))
    _check(agency, name, abbreviation)
    try:
        with transaction.atomic():
            unit = Unit.objects.create(agency=agency, name=name.strip(), abbreviation=abbreviation.strip())
    except IntegrityError as error:
        raise ConflictError(_("This agency already has a unit with this abbreviation.")) from error
    audit.record(
        action="org.unit.created",
        actor=actor,
        agency=agency,
        target=unit,
        now=now,
        data={"name": unit.name, "abbreviation": unit.abbreviation},
    )
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    actor: Person,
    now: datetime,
    name: str | None = None,
    abbreviation: str | None = None,
    is_active: bool | None = None,
) -> Unit:
    unit = Unit.objects.select_for_update().select_related("agency").get(pk=unit.pk)
    policies.require_manage_agency(actor, unit.agency, now)
    before = {"name": unit.name, "abbreviation": unit.abbreviation, "is_active": unit.is_active}
    new_name = unit.name if name is None else name
    new_abbreviation = unit.abbreviation if abbreviation is None else abbreviation
    _check(unit.agency, new_name, new_abbreviation, exclude_pk=unit.pk)
    unit.name, unit.abbreviation = new_name.strip(), new_abbreviation.strip()
    if is_active is not None:
        unit.is_active = is_active
    unit.save()
    after = {"name": unit.name, "abbreviation": unit.abbreviation, "is_active": unit.is_active}
    audit.record(
        action="org.unit.updated",
        actor=actor,
        agency=unit.agency,
        target=unit,
        now=now,
        data={key: [before[key], after[key]] for key in before if before[key] != after[key]},
    )
    return unit
