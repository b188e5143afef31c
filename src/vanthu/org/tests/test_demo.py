from __future__ import annotations

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.org.demo import DEMO_PASSWORD
from vanthu.org.demo import demo_load
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(now):
    return demo_load(now=now, with_passwords=True)


class TestDemoProvince:
    """One load per test: loading the province takes seconds, so each test checks a whole story."""

    def test_is_a_living_province_with_history_people_and_a_verifiable_trail(self, demo, now):
        province = Agency.objects.get(code_qcvn102="000.00.00.H56")
        assert province.name == "Ủy ban nhân dân tỉnh Thanh Hóa"
        assert province.parent is None
        # departments and communes
        assert Agency.objects.filter(kind=AgencyKind.DEPARTMENT).count() >= 10
        assert Agency.objects.filter(kind__in=[AgencyKind.DEPARTMENT, AgencyKind.PROVINCE_BODY]).count() >= 15
        active_communes = Agency.objects.filter(kind__in=[AgencyKind.COMMUNE, AgencyKind.WARD], valid_to__isnull=True)
        assert active_communes.count() >= 10
        # historical districts merged into successors
        district = Agency.objects.get(code_qcvn102="000.00.20.H56")
        assert district.kind == AgencyKind.DISTRICT
        assert district.valid_to is not None
        assert district.valid_to.isoformat() == "2025-06-30"
        assert district.successor is not None
        assert district.successor.name == "Phường Hạc Thành"
        assert AuditEvent.objects.filter(action="org.agency.merged", agency=district).exists()
        # people in every role, Vietnamese names
        held = set(RoleAssignment.objects.filter(valid_to__isnull=True).values_list("role", flat=True))
        assert held == set(Role.values)
        assert Person.objects.filter(full_name__contains="Nguyễn").exists()
        # the printed accounts sign in with the printed password
        usernames = {account.username for account in demo.accounts}
        assert {"quantri", "vanthu.stc", "giamdoc.stc", "chuyenvien.qlns.stc", "giamsat.skhcn"} <= usernames
        assert Person.objects.get(username="vanthu.stc").check_password(DEMO_PASSWORD)
        # a verifiable audit trail
        report = audit_verify()
        assert report.ok, report.breaks
        assert report.events > 100
        # loading again creates nothing
        counts = (
            Agency.objects.count(),
            Person.objects.count(),
            RoleAssignment.objects.count(),
            AuditEvent.objects.count(),
        )
        again = demo_load(now=now, with_passwords=True)
        assert (again.created_agencies, again.created_people) == (0, 0)
        assert counts == (
            Agency.objects.count(),
            Person.objects.count(),
            RoleAssignment.objects.count(),
            AuditEvent.objects.count(),
        )

    def test_without_demo_mode_sets_no_password(self, now):
        demo_load(now=now, with_passwords=False)
        assert not Person.objects.get(username="vanthu.stc").has_usable_password()
