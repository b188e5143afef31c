from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime

import factory

from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit

EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


class AgencyFactory(factory.django.DjangoModelFactory):
    """Agencies built directly (no service): the path is set after insert."""

    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    abbreviation = factory.Sequence(lambda n: f"STN{n}")
    kind = AgencyKind.DEPARTMENT
    parent = None
    # Valid QCVN 102 codes of a level-1 body no fixture uses (Z99), unique for 9801 agencies.
    code_qcvn102 = factory.Sequence(lambda n: f"000.{n // 99 % 99 + 1:02d}.{n % 99 + 1:02d}.Z99")
    place_name = "Thanh Hóa"
    valid_from = date(2020, 1, 1)

    @factory.post_generation
    def set_path(obj: Agency, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.path = f"{obj.parent.path if obj.parent else '/'}{obj.pk}/"
            obj.save(update_fields=["path"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Phòng {n}")
    abbreviation = factory.Sequence(lambda n: f"P{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Chuyên viên bậc {n}")
    rank = 100


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@thanhhoa.gov.vn")
    password = factory.django.Password("mat-khau-dai-123")


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.OFFICER
    valid_from = EPOCH


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    delegator = factory.SubFactory(PersonFactory)
    delegate = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.AGENCY_LEADER
    starts_at = EPOCH
    ends_at = datetime(2030, 1, 1, tzinfo=UTC)
    reason = "Đi công tác"


def person_with_role(role: str, agency: Agency, unit: Unit | None = None, **person_fields: object) -> Person:
    person = PersonFactory(**person_fields)
    RoleAssignmentFactory(person=person, agency=agency, unit=unit, role=role)
    return person
