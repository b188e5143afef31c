"""The synthetic province's organisation: the provincial People's Committee, its bodies, the
communes and wards, their units, titles and people with their roles — planned in memory with ids
from the writer, then written as rows."""

# ruff: noqa: PLR2004, S311 - the shares and chances of synthetic data, drawn from a seeded generator

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime

from vanthu.core.text import fold
from vanthu.ops.scale import vocabulary as words
from vanthu.ops.scale.writer import BulkWriter
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit

BODIES_SHARE = 43 / 209  # provincial bodies among the agencies below the provincial committee
REFORM_DATE = date(2025, 7, 1)
HISTORY_START = date(2015, 1, 1)
COMMUNE_GROUP = 50  # level-2 part of the communes' illustrative codes: 000.<nn>.50.H56, then 51, …
PROVINCE_WEIGHT = 20.0
BIG_AGENCY = 4  # from this size an agency has two deputies,
LARGEST_AGENCY = 8  # from this one three;
TWO_CLERKS = 5  # and from this one two clerks.


@dataclass(eq=False)
class PersonPlan:
    id: int
    username: str
    full_name: str
    role: str
    agency_id: int
    unit_id: int | None
    position: str


@dataclass(eq=False)
class UnitPlan:
    id: int
    agency_id: int
    name: str
    abbreviation: str
    slug: str
    leader: PersonPlan | None = None
    officers: list[PersonPlan] = field(default_factory=list)


@dataclass(eq=False)
class AgencyPlan:
    id: int
    name: str
    abbreviation: str
    kind: str
    code: str
    parent_id: int | None
    path: str
    weight: float
    slug: str
    valid_from: date
    units: list[UnitPlan] = field(default_factory=list)
    leaders: list[PersonPlan] = field(default_factory=list)
    clerks: list[PersonPlan] = field(default_factory=list)
    others: list[PersonPlan] = field(default_factory=list)

    @property
    def is_local(self) -> bool:
        return self.kind in ("COMMUNE", "WARD")

    @property
    def head_title(self) -> tuple[str, str]:
        """The head's and the deputies' titles."""
        if self.kind in ("PROVINCE", "COMMUNE", "WARD"):
            return "Chủ tịch", "Phó Chủ tịch"
        if self.abbreviation == "VPUBND":
            return "Chánh Văn phòng", "Phó Giám đốc"
        if self.abbreviation == "TTr":
            return "Chánh Thanh tra", "Phó Giám đốc"
        return "Giám đốc", "Phó Giám đốc"


@dataclass(eq=False)
class Province:
    agencies: list[AgencyPlan]
    people: list[PersonPlan]
    positions: dict[str, int]

    @property
    def root(self) -> AgencyPlan:
        return self.agencies[0]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(text))


class _Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def next(self) -> str:
        rng = self.rng
        family = rng.choice(words.FAMILY_NAMES)
        if rng.random() < 0.5:
            return f"{family} {rng.choice(words.MIDDLE_NAMES_MALE)} {rng.choice(words.GIVEN_NAMES_MALE)}"
        return f"{family} {rng.choice(words.MIDDLE_NAMES_FEMALE)} {rng.choice(words.GIVEN_NAMES_FEMALE)}"


def _agency_specs(count: int) -> list[tuple[str, str, str, float, str]]:
    """(name, abbreviation, kind, weight, place) of the agencies below the provincial committee."""
    below = max(count - 1, 0)
    bodies = min(len(words.PROVINCIAL_BODIES), max(1 if below >= 2 else 0, round(below * BODIES_SHARE)))
    communes = below - bodies
    specs = [
        (name, abbreviation, kind, float(size), words.PLACE)
        for name, abbreviation, kind, size in words.PROVINCIAL_BODIES[:bodies]
    ]
    places = words.COMMUNE_PLACES
    wards = max(1, round(communes * words.WARD_COUNT / len(places))) if communes else 0
    for index in range(communes):
        place = places[index % len(places)]
        if index >= len(places):
            place = f"{place} {index // len(places) + 1}"
        is_ward = index < wards
        name = f"{'Phường' if is_ward else 'Xã'} {place}"
        abbreviation = ("P" if is_ward else "X") + "".join(part[0] for part in fold(place).upper().split())
        specs.append((name, abbreviation, "WARD" if is_ward else "COMMUNE", 1.5 if is_ward else 1.0, place))
    return specs


def _unique(value: str, used: set[str]) -> str:
    """``value``, or ``value2``, ``value3``… if already taken; marked as taken."""
    candidate, suffix = value, 2
    while candidate in used:
        candidate, suffix = f"{value}{suffix}", suffix + 1
    used.add(candidate)
    return candidate


def _plan_agencies(writer: BulkWriter, count: int) -> list[AgencyPlan]:
    """The provincial committee first, then its bodies and the communes and wards below it."""
    agency_table = writer.tables[Agency]
    root_id = agency_table.allocate()
    root = AgencyPlan(
        id=root_id,
        name=words.PROVINCE_NAME,
        abbreviation=words.PROVINCE_ABBREVIATION,
        kind="PROVINCE",
        code=words.PROVINCE_CODE,
        parent_id=None,
        path=f"/{root_id}/",
        weight=PROVINCE_WEIGHT,
        slug="ubnd",
        valid_from=HISTORY_START,
    )
    plans = [root]
    used_abbreviations = {root.abbreviation}
    used_slugs = {root.slug}
    body_number = 0
    commune_number = 0
    for name, wanted, kind, weight, _place in _agency_specs(count):
        abbreviation = _unique(wanted, used_abbreviations)
        slug = _unique(_slug(abbreviation), used_slugs)
        if kind in ("COMMUNE", "WARD"):
            commune_number += 1
            group, level3 = divmod(commune_number - 1, 99)
            code = f"000.{level3 + 1:02d}.{COMMUNE_GROUP + group:02d}.H56"
            valid_from = REFORM_DATE
        else:
            body_number += 1
            code = f"000.00.{body_number:02d}.H56"
            valid_from = HISTORY_START
        agency_id = agency_table.allocate()
        plans.append(
            AgencyPlan(
                id=agency_id,
                name=name,
                abbreviation=abbreviation,
                kind=kind,
                code=code,
                parent_id=root_id,
                path=f"/{root_id}/{agency_id}/",
                weight=weight,
                slug=slug,
                valid_from=valid_from,
            )
        )
    return plans


def _plan_units(rng: random.Random, writer: BulkWriter, plans: list[AgencyPlan]) -> None:
    unit_table = writer.tables[Unit]
    for plan in plans:
        if plan.kind == "PROVINCE":
            specs = words.PROVINCE_UNITS
        elif plan.is_local:
            specs = words.COMMUNE_UNITS
        else:
            extra = rng.sample(words.SPECIALISED_UNITS, k=min(len(words.SPECIALISED_UNITS), 1 + int(plan.weight // 2)))
            specs = [*words.COMMON_UNITS, *extra]
        plan.units = [
            UnitPlan(
                id=unit_table.allocate(),
                agency_id=plan.id,
                name=name,
                abbreviation=abbreviation,
                slug=_slug(abbreviation),
            )
            for name, abbreviation in specs
        ]


class _Staff:
    """Hands out people with unique usernames, ids and random names."""

    def __init__(self, rng: random.Random, writer: BulkWriter):
        self.names = _Names(rng)
        self.table = writer.tables[Person]
        self.usernames: set[str] = set()
        self.everyone: list[PersonPlan] = []

    def person(self, username: str, role: str, agency: AgencyPlan, unit: UnitPlan | None, position: str) -> PersonPlan:
        plan = PersonPlan(
            id=self.table.allocate(),
            username=_unique(username, self.usernames),
            full_name=self.names.next(),
            role=role,
            agency_id=agency.id,
            unit_id=unit.id if unit is not None else None,
            position=position,
        )
        self.everyone.append(plan)
        return plan


def _plan_posts(staff: _Staff, plan: AgencyPlan) -> None:
    """The posts every agency has: head and deputies, clerks, archivist or one-stop officer, and
    a leader for each unit."""
    person = staff.person
    head, deputy = plan.head_title
    prefix = _slug(head)
    plan.leaders.append(person(f"{prefix}.{plan.slug}", Role.AGENCY_LEADER, plan, None, head))
    deputies = 1 if plan.is_local else 1 + int(plan.weight >= BIG_AGENCY) + int(plan.weight >= LARGEST_AGENCY)
    for number in range(1, deputies + 1):
        plan.leaders.append(person(f"pho{prefix}{number}.{plan.slug}", Role.AGENCY_LEADER, plan, None, deputy))
    plan.clerks.append(person(f"vanthu.{plan.slug}", Role.CLERK, plan, None, "Văn thư"))
    if plan.weight >= TWO_CLERKS:
        plan.clerks.append(person(f"vanthu2.{plan.slug}", Role.CLERK, plan, None, "Văn thư"))
    if not plan.is_local:
        plan.others.append(person(f"luutru.{plan.slug}", Role.ARCHIVIST, plan, None, "Lưu trữ viên"))
    else:
        plan.others.append(
            person(f"motcua.{plan.slug}", Role.ONESTOP_OFFICER, plan, plan.units[-1], "Công chức một cửa")
        )
    for unit in plan.units:
        unit.leader = person(f"truongphong.{unit.slug}.{plan.slug}", Role.UNIT_LEADER, plan, unit, "Trưởng phòng")


def plan_province(*, rng: random.Random, writer: BulkWriter, agencies: int, people: int) -> Province:
    """Agencies (ids from the writer), units, people and their roles, in memory: the posts every
    agency has, then officers shared out by the agencies' sizes over their units."""
    plans = _plan_agencies(writer, agencies)
    _plan_units(rng, writer, plans)
    staff = _Staff(rng, writer)
    for plan in plans:
        _plan_posts(staff, plan)
    root = plans[0]
    root.others.append(staff.person("quantri", Role.ADMIN, root, None, "Quản trị hệ thống"))
    # The inspector of Sở KH&CN (which monitors the document system) oversees the whole province:
    # the role is held at the provincial committee, as in the demo (statistics, audit trail).
    inspector_home = next((plan for plan in plans if plan.abbreviation == "SKHCN"), root)
    root.others.append(staff.person(f"giamsat.{inspector_home.slug}", Role.INSPECTOR, root, None, "Thanh tra viên"))
    remaining = max(people - len(staff.everyone), 0)
    total_weight = sum(plan.weight for plan in plans)
    shares = [int(remaining * plan.weight / total_weight) for plan in plans]
    for index in range(remaining - sum(shares)):
        shares[index % len(plans)] += 1
    for plan, share in zip(plans, shares, strict=True):
        for number in range(share):
            unit = plan.units[number % len(plan.units)]
            unit.officers.append(
                staff.person(
                    f"cv{len(unit.officers) + 1}.{unit.slug}.{plan.slug}", Role.OFFICER, plan, unit, "Chuyên viên"
                )
            )
    return Province(agencies=plans, people=staff.everyone, positions={})


def write_province(*, province: Province, writer: BulkWriter, password_hash: str, now: datetime, year: int) -> None:
    position_table = writer.tables[Position]
    positions: dict[str, int] = {} if writer.dry_run else dict(Position.objects.values_list("name", "id"))
    for name, rank in words.POSITIONS:
        if name in positions:
            continue
        position_id = position_table.allocate()
        positions[name] = position_id
        writer.add(position_table, (position_id, name, rank, now, now))
    province.positions = positions
    agency_table = writer.tables[Agency]
    for plan in province.agencies:
        writer.add(
            agency_table,
            (
                plan.id,
                plan.name,
                fold(plan.name),
                plan.abbreviation,
                plan.kind,
                plan.parent_id,
                plan.path,
                plan.code,
                "",
                words.PLACE,
                plan.valid_from,
                None,
                None,
                now,
                now,
            ),
        )
    unit_table = writer.tables[Unit]
    for plan in province.agencies:
        for unit in plan.units:
            writer.add(unit_table, (unit.id, unit.agency_id, unit.name, unit.abbreviation, True, now, now))
    person_table = writer.tables[Person]
    role_table = writer.tables[RoleAssignment]
    joined = datetime(year - 1, 12, 31, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam
    for person in province.people:
        is_admin = person.role == Role.ADMIN
        writer.add(
            person_table,
            (
                person.id,
                password_hash,
                None,
                False,
                person.username,
                "",
                person.full_name,
                fold(person.full_name),
                "",
                True,
                is_admin,
                joined,
            ),
        )
        writer.add(
            role_table,
            (
                role_table.allocate(),
                person.id,
                person.agency_id,
                person.unit_id,
                person.role,
                positions[person.position],
                joined,
                None,
                now,
                now,
            ),
        )


AGENCY_FIELDS = (
    "id",
    "name",
    "name_folded",
    "abbreviation",
    "kind",
    "parent",
    "path",
    "code_qcvn102",
    "code_qd20",
    "place_name",
    "valid_from",
    "valid_to",
    "successor",
    "created_at",
    "updated_at",
)
UNIT_FIELDS = ("id", "agency", "name", "abbreviation", "is_active", "created_at", "updated_at")
POSITION_FIELDS = ("id", "name", "rank", "created_at", "updated_at")
PERSON_FIELDS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "email",
    "full_name",
    "full_name_folded",
    "phone",
    "is_active",
    "is_staff",
    "date_joined",
)
ROLE_FIELDS = (
    "id",
    "person",
    "agency",
    "unit",
    "role",
    "position",
    "valid_from",
    "valid_to",
    "created_at",
    "updated_at",
)
