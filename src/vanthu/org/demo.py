"""Loading the demo province, idempotently: running it twice changes nothing the second time.

Everything goes through the org services (so the demo has a real, verifiable audit trail),
acted by a system account that cannot sign in."""

from __future__ import annotations

import random
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from vanthu.core.clock import VIETNAM
from vanthu.core.text import fold
from vanthu.notify.services import notification_send
from vanthu.org import demo_data as data
from vanthu.org import services
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit
from vanthu.org.signals import demo_province_loaded

SYSTEM_USERNAME = "he-thong"
DEMO_PASSWORD = "ThanhHoa@2026"  # noqa: S105 - demo only, set only when VANTHU_DEMO is on
DOMAIN = "thanhhoa.gov.vn"


@dataclass
class DemoAccount:
    username: str
    full_name: str
    description: str


@dataclass
class DemoResult:
    created_agencies: int = 0
    created_people: int = 0
    accounts: list[DemoAccount] = field(default_factory=list)


class _Names:
    def __init__(self) -> None:
        self.random = random.Random(56)  # noqa: S311 - deterministic demo names, not security

    def next(self) -> str:
        if self.random.choice((True, False)):
            parts = (data.FAMILY_NAMES, data.MIDDLE_NAMES_MALE, data.GIVEN_NAMES_MALE)
        else:
            parts = (data.FAMILY_NAMES, data.MIDDLE_NAMES_FEMALE, data.GIVEN_NAMES_FEMALE)
        return " ".join(self.random.choice(part) for part in parts)


def _slug(abbreviation: str) -> str:
    return fold(abbreviation).replace(" ", "").lower()


class DemoLoader:
    def __init__(self, *, now: datetime, with_passwords: bool) -> None:
        self.now = now
        self.with_passwords = with_passwords
        self.password_hash = make_password(DEMO_PASSWORD) if with_passwords else None
        self.names = _Names()
        self.result = DemoResult()
        self.system = self._system_account()
        self.positions: dict[str, Position] = {}
        self.roles_since = datetime(2025, 7, 1, tzinfo=VIETNAM)

    def _system_account(self) -> Person:
        system, _created = Person.objects.get_or_create(
            username=SYSTEM_USERNAME,
            defaults={"full_name": "Hệ thống (dữ liệu mẫu)", "is_superuser": True, "is_staff": False},
        )
        if _created:
            system.set_unusable_password()
            system.save(update_fields=["password"])
        return system

    # --- agencies -------------------------------------------------------------------------

    def agency(
        self, *, name: str, abbreviation: str, kind: str, code: str, parent: Agency | None, valid_from: object = None
    ) -> Agency:
        existing = Agency.objects.filter(code_qcvn102=code).first()
        if existing is not None:
            return existing
        self.result.created_agencies += 1
        fields: dict[str, object] = {
            "name": name,
            "abbreviation": abbreviation,
            "kind": kind,
            "code_qcvn102": code,
            "place_name": data.PLACE,
        }
        if valid_from is not None:
            fields["valid_from"] = valid_from
        return services.agency_create(actor=self.system, parent=parent, now=self.now, **fields)

    def unit(self, agency: Agency, name: str, abbreviation: str) -> Unit:
        existing = Unit.objects.filter(agency=agency, abbreviation=abbreviation).first()
        if existing is not None:
            return existing
        return services.unit_create(
            agency=agency, name=name, abbreviation=abbreviation, actor=self.system, now=self.now
        )

    # --- people ---------------------------------------------------------------------------

    def person(
        self,
        *,
        username: str,
        agency: Agency,
        role: str,
        position: str,
        unit: Unit | None = None,
        full_name: str | None = None,
        staff: bool = False,
        valid_from: datetime | None = None,
        describe: str | None = None,
    ) -> Person:
        person = Person.objects.filter(username=username).first()
        if person is None:
            name = full_name or self.names.next()
            person = services.person_create(
                agency=agency,
                username=username,
                full_name=name,
                email=f"{username}@{DOMAIN}",
                phone=f"09{random.Random(username).randrange(10**7, 10**8)}",  # noqa: S311
                actor=self.system,
                now=self.now,
            )
            if self.password_hash or staff:
                Person.objects.filter(pk=person.pk).update(
                    password=self.password_hash or person.password, is_staff=staff
                )
            self.result.created_people += 1
        if not RoleAssignment.objects.filter(person=person, agency=agency, unit=unit, role=role).exists():
            services.role_assign(
                person=person,
                agency=agency,
                unit=unit,
                role=role,
                position=self.positions[position],
                valid_from=valid_from or self.roles_since,
                actor=self.system,
                now=self.now,
            )
        if describe:
            self.result.accounts.append(DemoAccount(username, person.full_name, describe))
        return person

    # --- the province ---------------------------------------------------------------------

    def load(self) -> DemoResult:
        for name, rank in data.POSITIONS:
            self.positions[name], _created = Position.objects.get_or_create(name=name, defaults={"rank": rank})
        name, abbreviation, code = data.PROVINCE
        province = self.agency(
            name=name, abbreviation=abbreviation, kind="PROVINCE", code=code, parent=None, valid_from=data.HISTORY_START
        )
        self._staff(data.PROVINCE_STAFF, province, showcase=True)
        agencies = {}
        for name, abbreviation, kind, level2 in data.PROVINCIAL_AGENCIES:
            agency = self.agency(
                name=name,
                abbreviation=abbreviation,
                kind=kind,
                code=f"000.00.{level2}.H56",
                parent=province,
                valid_from=data.HISTORY_START,
            )
            agencies[abbreviation] = agency
            units = [
                self.unit(agency, n, a) for n, a in data.DEPARTMENT_UNITS + data.SPECIAL_UNITS.get(abbreviation, [])
            ]
            self._department_people(agency, units)
        communes = {}
        for name, abbreviation, kind, level3 in data.COMMUNES:
            commune = self.agency(
                name=name,
                abbreviation=abbreviation,
                kind=kind,
                code=f"000.{level3}.{data.COMMUNE_GROUP}.H56",
                parent=province,
                valid_from=data.LOCAL_GOVERNMENT_REFORM,
            )
            communes[abbreviation] = commune
            units = [self.unit(commune, n, a) for n, a in data.COMMUNE_UNITS]
            self._staff(data.COMMUNE_STAFF, commune, units=units, showcase=abbreviation == "HT")
        self._history(province, communes)
        self._delegation(agencies["STC"])
        self._welcome()
        return self.result

    def _staff(
        self,
        rows: list[data.DemoStaff],
        agency: Agency,
        *,
        showcase: bool,
        units: list[Unit] | None = None,
        unit: Unit | None = None,
    ) -> None:
        """The people of ``rows`` in ``agency`` (in ``unit``, or in the unit a row names)."""
        for row in rows:
            self.person(
                username=row.username.format(
                    agency=_slug(agency.abbreviation), unit=_slug(unit.abbreviation) if unit else ""
                ),
                agency=agency,
                unit=units[row.unit] if units and row.unit is not None else unit,
                role=row.role,
                position=data.TITLES_IN_AGENCY.get((agency.abbreviation, row.position), row.position),
                full_name=row.full_name if showcase else None,
                describe=row.describe if showcase else None,
                staff=row.staff,
            )

    def _department_people(self, agency: Agency, units: list[Unit]) -> None:
        showcase = agency.abbreviation == "STC"
        self._staff(data.DEPARTMENT_STAFF, agency, showcase=showcase)
        for index, unit in enumerate(units):
            first_special_unit = index == len(data.DEPARTMENT_UNITS)
            self._staff(data.UNIT_STAFF, agency, unit=unit, showcase=showcase and first_special_unit)
        if agency.abbreviation == "SKHCN":
            # An inspector of Sở KH&CN who oversees the whole province.
            province = agency.parent
            assert province is not None  # noqa: S101 - the demo tree
            self.person(
                username="giamsat.skhcn",
                agency=agency,
                unit=units[-1],
                role=Role.OFFICER,
                position="Thanh tra viên",
                full_name="Ngô Thị Bích Ngọc",
            )
            self.person(
                username="giamsat.skhcn",
                agency=province,
                role=Role.INSPECTOR,
                position="Thanh tra viên",
                describe="INSPECTOR — Sở KH&CN, giám sát toàn tỉnh",
            )

    def _history(self, province: Agency, communes: dict[str, Agency]) -> None:
        history_start = datetime(2020, 1, 1, tzinfo=VIETNAM)
        for name, abbreviation, kind, code, successor_abbr, wards in data.HISTORICAL_DISTRICTS:
            district = self.agency(
                name=name,
                abbreviation=abbreviation,
                kind=kind,
                code=code,
                parent=province,
                valid_from=data.HISTORY_START,
            )
            successor = communes[successor_abbr]
            for ward_name, ward_abbr, ward_code in wards:
                ward = self.agency(
                    name=ward_name,
                    abbreviation=ward_abbr,
                    kind="WARD",
                    code=ward_code,
                    parent=district,
                    valid_from=data.HISTORY_START,
                )
                if not RoleAssignment.objects.filter(agency=ward).exists() and ward.valid_to is None:
                    self.person(
                        username=f"vanthu.{_slug(ward_abbr)}.cu",
                        agency=ward,
                        role=Role.CLERK,
                        position="Văn thư",
                        valid_from=history_start,
                    )
                if ward.valid_to is None:
                    services.agency_merge(
                        predecessor=ward,
                        successor=successor,
                        actor=self.system,
                        effective_date=data.LOCAL_GOVERNMENT_REFORM,
                        now=self.now,
                    )
            district.refresh_from_db()
            if district.valid_to is None:
                services.agency_merge(
                    predecessor=district,
                    successor=successor,
                    actor=self.system,
                    effective_date=data.LOCAL_GOVERNMENT_REFORM,
                    now=self.now,
                )

    def _delegation(self, finance: Agency) -> None:
        director = Person.objects.get(username="giamdoc.stc")
        deputy = Person.objects.get(username="phogiamdoc.stc")
        if Delegation.objects.filter(delegator=director, delegate=deputy).exists():
            return
        services.delegation_create(
            delegator=director,
            delegate=deputy,
            agency=finance,
            role=Role.AGENCY_LEADER,
            starts_at=self.now - timedelta(days=1),
            ends_at=self.now + timedelta(days=6),
            reason="Giám đốc đi công tác tại Hà Nội",
            actor=director,
            now=self.now,
        )

    def _welcome(self) -> None:
        usernames = [account.username for account in self.result.accounts]
        recipients = Person.objects.filter(username__in=usernames).exclude(notifications__kind="demo.welcome")
        notification_send(
            recipients=recipients,
            now=self.now,
            kind="demo.welcome",
            title="Chào mừng đến với Vanthu — tỉnh Thanh Hóa (dữ liệu mẫu)",
            body="Đây là tỉnh mẫu: các sở, phường, xã, cán bộ và lịch sử sáp nhập năm 2025.",
            url="/",
        )


def demo_load(*, now: datetime, with_passwords: bool) -> DemoResult:
    with transaction.atomic():
        result = DemoLoader(now=now, with_passwords=with_passwords).load()
        demo_province_loaded.send(sender=DemoLoader, now=now, with_passwords=with_passwords)
        return result
