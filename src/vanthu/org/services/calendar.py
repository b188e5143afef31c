"""Administrators' corrections to the working-day calendar (make-up Saturdays, extra days off)."""

from __future__ import annotations

from datetime import date
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from vanthu.audit import services as audit
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.core.models import CalendarOverride
from vanthu.org import policies
from vanthu.org.models import Person


def _require_province_admin(actor: Person, now: datetime) -> None:
    from vanthu.org.models import Agency

    root_ids = set(Agency.objects.filter(parent__isnull=True).values_list("id", flat=True))
    scope = policies.admin_scope(actor, now)
    policies.require(
        scope is None or bool(root_ids and root_ids <= scope),
        _("Only a province administrator may change the working-day calendar."),
    )


@transaction.atomic
def calendar_override_set(*, day_date: date, kind: str, reason: str, actor: Person, now: datetime) -> CalendarOverride:
    _require_province_admin(actor, now)
    if kind not in CalendarOverride.Kind.values:
        raise ValidationError(_("Unknown kind of calendar day."), details={"kind": kind})
    if not reason.strip():
        raise ValidationError(_("Give a reason (e.g. the Government's announcement)."))
    if CalendarOverride.objects.filter(day_date=day_date).exists():
        raise ConflictError(_("This day already has an override."))
    override = CalendarOverride.objects.create(day_date=day_date, kind=kind, reason=reason.strip())
    audit.record(
        action="core.calendar.override_set",
        actor=actor,
        agency=None,
        target=override,
        now=now,
        data={"day_date": day_date.isoformat(), "kind": kind, "reason": reason},
    )
    return override


@transaction.atomic
def calendar_override_remove(*, day_date: date, actor: Person, now: datetime) -> None:
    _require_province_admin(actor, now)
    override = CalendarOverride.objects.select_for_update().filter(day_date=day_date).first()
    if override is None:
        raise NotFoundError()
    audit.record(
        action="core.calendar.override_removed",
        actor=actor,
        agency=None,
        target=override,
        now=now,
        data={"day_date": day_date.isoformat(), "kind": override.kind},
    )
    override.delete()
