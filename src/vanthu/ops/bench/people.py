"""Who acts in the benchmarks: ordinary people, never only an administrator.

A seed-scale report (``--accounts report.json``: its ``accounts`` name, for the biggest department
and for a ward, the agency and a person per role) gives the cast. Without one (or for a role it does
not name) the cast comes from the database itself, so any installation works: the department with
the most documents and the ward with the most, and in each a CLERK and an AGENCY_LEADER, the
OFFICER and the UNIT_LEADER with the most assignments (the heaviest ordinary inbox)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.db.models import Q

from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.ops.bench.registry import Cast
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.outgoing.models import Outgoing

ROLE_KEYS = {
    Role.OFFICER: "officer",
    Role.CLERK: "clerk",
    Role.UNIT_LEADER: "unit_leader",
    Role.AGENCY_LEADER: "agency_leader",
}


class CastError(Exception):
    """The database holds no agency or no person in a role the benchmarks need."""


def _busiest_agency(kinds: tuple[str, ...]) -> Agency | None:
    """The current agency of ``kinds`` with the most incoming and outgoing documents."""
    totals: dict[int, int] = {}
    for model in (Incoming, Outgoing):
        rows = (
            model.objects.filter(agency__kind__in=kinds, agency__valid_to__isnull=True)
            .values("agency_id")
            .annotate(total=Count("id"))
            .order_by("-total", "agency_id")[:20]
        )
        for row in rows:
            totals[row["agency_id"]] = totals.get(row["agency_id"], 0) + int(row["total"])
    if not totals:
        return None
    chosen = min(totals, key=lambda agency_id: (-totals[agency_id], agency_id))
    return Agency.objects.get(pk=chosen)


def _holders(agency: Agency, role: str, now: datetime) -> list[int]:
    return list(
        RoleAssignment.objects.filter(agency=agency, role=role, valid_from__lte=now, person__is_active=True)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .order_by("person_id")
        .values_list("person_id", flat=True)
    )


def _most_assigned(person_ids: list[int], *, by_unit: bool, agency: Agency) -> int | None:
    if not person_ids:
        return None
    if by_unit:
        units = dict(
            RoleAssignment.objects.filter(
                agency=agency, role=Role.UNIT_LEADER, person_id__in=person_ids, unit__isnull=False
            ).values_list("unit_id", "person_id")
        )
        unit_row = (
            Assignment.objects.filter(unit_id__in=list(units))
            .values("unit_id")
            .annotate(total=Count("id"))
            .order_by("-total", "unit_id")
            .first()
        )
        return units[unit_row["unit_id"]] if unit_row else person_ids[0]
    row = (
        Assignment.objects.filter(person_id__in=person_ids)
        .values("person_id")
        .annotate(total=Count("id"))
        .order_by("-total", "person_id")
        .first()
    )
    return int(row["person_id"]) if row else person_ids[0]


def _agency_cast(agency: Agency, prefix: str, now: datetime, people: dict[str, Any]) -> None:
    for role, key in ROLE_KEYS.items():
        holders = _holders(agency, role, now)
        if role in (Role.OFFICER, Role.UNIT_LEADER):
            chosen = _most_assigned(holders, by_unit=role == Role.UNIT_LEADER, agency=agency)
        else:
            chosen = holders[0] if holders else None
        if chosen is not None:
            people[f"{prefix}{key}"] = Person.objects.get(pk=chosen)


def _named(report: Path) -> dict[str, dict[str, Any]]:
    """``{"department"|"ward": {ROLE: username, "agency_id": id}}`` from a seed-scale report (its
    ``accounts``), or an empty mapping."""
    data = json.loads(report.read_text(encoding="utf-8"))
    accounts = data.get("accounts", {}) if isinstance(data, dict) else {}
    return {place: value for place, value in accounts.items() if isinstance(value, dict)}


def _from_report(report: Path, people: dict[str, Any], agencies: dict[str, Any], notes: dict[str, str]) -> None:
    for place, named in _named(report).items():
        prefix = "" if place == "department" else f"{place}."
        agency = Agency.objects.filter(pk=int(named.get("agency_id") or 0)).first()
        if agency is not None:
            agencies[place] = agency
        for role, key in ROLE_KEYS.items():
            person = Person.objects.filter(username=named.get(str(role)) or "").first()
            if person is not None:
                people[f"{prefix}{key}"] = person
                notes[f"{prefix}{key}"] = "named by the seed report"


def _province_inspector(now: datetime) -> Person | None:
    """An INSPECTOR of the root agency (statistics of the whole province), if there is one."""
    row = (
        RoleAssignment.objects.filter(
            role=Role.INSPECTOR, agency__parent__isnull=True, valid_from__lte=now, person__is_active=True
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=now))
        .order_by("person_id")
        .first()
    )
    return row.person if row is not None else None


def cast_load(*, now: datetime, report: Path | None = None) -> Cast:
    """The people of the benchmarks (see the module's text); CastError when a role is missing."""
    people: dict[str, Any] = {}
    agencies: dict[str, Any] = {}
    notes: dict[str, str] = {}
    if report is not None:
        _from_report(report, people, agencies, notes)
    if "department" not in agencies:
        department = _busiest_agency((AgencyKind.DEPARTMENT, AgencyKind.PROVINCE_BODY, AgencyKind.PROVINCE))
        if department is None:
            raise CastError("No department has documents: seed the database first (vanthu seed-scale).")
        agencies["department"] = department
    if "ward" not in agencies:
        ward = _busiest_agency((AgencyKind.WARD, AgencyKind.COMMUNE))
        if ward is not None:
            agencies["ward"] = ward
    for place, agency in agencies.items():
        discovered: dict[str, Any] = {}
        _agency_cast(agency, "" if place == "department" else f"{place}.", now, discovered)
        for key, person in discovered.items():
            people.setdefault(key, person)
    inspector = _province_inspector(now)
    if inspector is not None:
        people.setdefault("inspector", inspector)
    missing = [key for key in ROLE_KEYS.values() if key not in people]
    if missing:
        raise CastError(f"{agencies['department'].name} has nobody in the role(s): {', '.join(missing)}")
    return Cast(people=people, agencies=agencies, notes=notes)
