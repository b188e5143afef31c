"""Signing selectors and policies: visibility (predicate and queryset agree), 404, and the
certificate a person or agency signs with."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from vanthu.core.errors import NotFoundError
from vanthu.signing import policies
from vanthu.signing import selectors
from vanthu.signing.models import Certificate
from vanthu.signing.models import KeyStorage
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.testing.pki import TestPki

pytestmark = pytest.mark.django_db

VIEWERS = [
    "officer",
    "clerk",
    "agency_leader",
    "unit_leader",
    "admin",
    "province_admin",
    "inspector",
    "other_officer",
    "outsider",
    "superuser",
]


@pytest.fixture
def certificates(
    officer: Any, admin: Any, agency: Any, other_officer: Any, trusted_pki: TestPki, now: datetime
) -> list[Any]:
    pki = trusted_pki
    return [
        certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now),
        certificate_register_for_person(person=other_officer, data=pki.other_person.pem, actor=other_officer, now=now),
        certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=admin, now=now),
    ]


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_predicate_and_queryset_agree(
    request: pytest.FixtureRequest, certificates: list[Certificate], now: datetime, viewer_name: str
) -> None:
    viewer = request.getfixturevalue(viewer_name)
    listed = set(selectors.certificate_list_for(viewer=viewer, now=now).values_list("pk", flat=True))
    for certificate in certificates:
        assert (certificate.pk in listed) == policies.can_view_certificate(viewer, certificate, now), certificate


def test_who_sees_what(request: pytest.FixtureRequest, certificates: list[Certificate], now: datetime) -> None:
    personal, other_personal, seal = certificates
    expected = {
        "officer": {personal.pk},
        "clerk": {seal.pk},
        "agency_leader": set(),
        "admin": {personal.pk, seal.pk},
        "province_admin": {personal.pk, other_personal.pk, seal.pk},
        "other_officer": {other_personal.pk},
        "outsider": set(),
        "superuser": {personal.pk, other_personal.pk, seal.pk},
    }
    for name, pks in expected.items():
        viewer = request.getfixturevalue(name)
        assert set(selectors.certificate_list_for(viewer=viewer, now=now).values_list("pk", flat=True)) == pks, name


def test_get_for_answers_404_for_an_invisible_certificate(
    other_officer: Any, officer: Any, certificates: list[Certificate], now: datetime
) -> None:
    assert selectors.certificate_get_for(viewer=officer, pk=certificates[0].pk, now=now) == certificates[0]
    with pytest.raises(NotFoundError):
        selectors.certificate_get_for(viewer=other_officer, pk=certificates[0].pk, now=now)


class TestSigningCertificateFor:
    def test_gives_the_usable_one_of_a_person_and_an_agency(
        self, officer: Any, agency: Any, certificates: list[Certificate], now: datetime
    ) -> None:
        assert selectors.signing_certificate_for(person=officer, now=now) == certificates[0]
        assert selectors.signing_certificate_for(agency=agency, now=now) == certificates[2]

    def test_none_once_expired(self, officer: Any, certificates: list[Certificate], now: datetime) -> None:
        later = certificates[0].not_after + timedelta(seconds=1)
        assert selectors.signing_certificate_for(person=officer, now=later) is None

    def test_server_key_only(self, agency: Any, certificates: list[Certificate], now: datetime) -> None:
        assert certificates[2].key_storage == KeyStorage.CLIENT
        assert selectors.signing_certificate_for(agency=agency, now=now, server_key_only=True) is None

    def test_asks_for_exactly_one_owner(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(ValueError, match="either"):
            selectors.signing_certificate_for(person=officer, agency=agency, now=now)
