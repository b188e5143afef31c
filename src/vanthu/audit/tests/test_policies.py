"""Who reads the audit log: the predicate and the queryset agree on every person × event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction

from vanthu.audit import policies
from vanthu.audit import services as audit
from vanthu.core.tests import api_helpers
from vanthu.org.models import Role
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import PersonFactory
from vanthu.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

PEOPLE = [*api_helpers.PEOPLE, "superuser", "other_admin", "merged_admin", "admin_delegate"]


@pytest.fixture
def other_admin(other_agency: Any) -> Any:
    return person_with_role(Role.ADMIN, other_agency)


@pytest.fixture
def old_agency(province: Any, agency: Any) -> Any:
    """A department merged into ``agency``: its events belong to the successor's scope."""
    from datetime import date

    return AgencyFactory(parent=province, name="Sở Cũ", valid_to=date(2025, 2, 28), successor=agency)


@pytest.fixture
def merged_admin(old_agency: Any, agency: Any) -> Any:
    """An ADMIN of the successor: reads the merged predecessor's history too."""
    return person_with_role(Role.ADMIN, agency)


@pytest.fixture
def admin_delegate(admin: Any, agency: Any, now: Any) -> Any:
    """An officer acting as the agency's ADMIN by delegation."""
    delegate = PersonFactory()
    DelegationFactory(
        delegator=admin,
        delegate=delegate,
        agency=agency,
        role=Role.ADMIN,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    return delegate


@pytest.fixture
def events(province: Any, agency: Any, other_agency: Any, old_agency: Any, now: Any) -> dict[str, Any]:
    child = AgencyFactory(parent=agency, name="Chi cục Thử")
    with transaction.atomic():
        return {
            "province": audit.record(action="test.province", actor=None, agency=province, now=now),
            "own": audit.record(action="test.own", actor=None, agency=agency, now=now),
            "own_child": audit.record(action="test.child", actor=None, agency=child, now=now),
            "other": audit.record(action="test.other", actor=None, agency=other_agency, now=now),
            "merged": audit.record(action="test.merged", actor=None, agency=old_agency, now=now),
            "unattached": audit.record(action="accounts.login.failed", actor=None, agency=None, now=now),
        }


EXPECTED = {
    "superuser": {"province", "own", "own_child", "other", "merged", "unattached"},
    "province_admin": {"province", "own", "own_child", "other", "merged", "unattached"},
    "inspector": {"province", "own", "own_child", "other", "merged", "unattached"},
    "admin": {"own", "own_child", "merged"},
    "merged_admin": {"own", "own_child", "merged"},
    "admin_delegate": {"own", "own_child", "merged"},
    "other_admin": {"other"},
}


@pytest.mark.parametrize("person_name", PEOPLE)
def test_predicate_and_queryset_agree(
    request: pytest.FixtureRequest, person_name: str, events: dict[str, Any], now: Any
) -> None:
    person = request.getfixturevalue(person_name)

    by_queryset = set(policies.audit_events_visible_to(person, now).values_list("pk", flat=True))
    by_predicate = {event.pk for event in events.values() if policies.can_view_audit_event(person, event, now)}

    assert by_queryset == by_predicate
    assert by_queryset == {events[name].pk for name in EXPECTED.get(person_name, set())}
    assert policies.can_view_audit(person, now) == (person_name in EXPECTED)


def test_a_delegation_that_has_ended_gives_no_audit_access(
    admin_delegate: Any, events: dict[str, Any], now: Any
) -> None:
    later = now + timedelta(days=2)

    assert not policies.can_view_audit(admin_delegate, later)
    assert not policies.audit_events_visible_to(admin_delegate, later).exists()


def test_an_inactive_superuser_reads_nothing(events: dict[str, Any], now: Any) -> None:
    person = PersonFactory(is_superuser=True, is_active=False)

    assert not policies.can_view_audit(person, now)
    assert not policies.can_view_audit_event(person, events["own"], now)
