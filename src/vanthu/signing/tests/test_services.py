"""Signing services: registration of certificates, the trust store, revocation settings and
images — happy paths, every refusal (nothing half-written), audit events, and the permission
matrix (roles × own/other agency, 404 for what the actor may not see)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.core.models import Blob
from vanthu.signing import events
from vanthu.signing import selectors
from vanthu.signing.certificates import CertificateExpiredError
from vanthu.signing.certificates import CertificateFileLockedError
from vanthu.signing.certificates import CertificateIsCaError
from vanthu.signing.certificates import CertificateNotYetValidError
from vanthu.signing.certificates import CertificateUsageError
from vanthu.signing.certificates import KeySecretMissingError
from vanthu.signing.certificates import NotACertificateError
from vanthu.signing.images import ImageColourError
from vanthu.signing.images import ImageTooSmallError
from vanthu.signing.images import ImageTransparencyError
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind
from vanthu.signing.services import DuplicateCertificateError
from vanthu.signing.services import certificate_disable
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.services import revocation_settings_update
from vanthu.signing.services import signature_image_upload
from vanthu.signing.services import trust_anchor_add
from vanthu.signing.services import trust_anchor_disable
from vanthu.signing.services import trust_anchor_update
from vanthu.signing.testing.pki import AGENCY_NAME
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import pkcs12_bytes
from vanthu.signing.tests import pictures

pytestmark = pytest.mark.django_db

SECRETS = {"STC_SEAL": "mat-khau-con-dau"}


def _unchanged(action: Callable[[], Any], error: type[Exception]) -> Exception:
    """Run a refused action; nothing of the signing app nor the audit log may have been written."""
    counts = (Certificate.objects.count(), TrustAnchor.objects.count(), SignatureImage.objects.count())
    audit_count, blob_count = AuditEvent.objects.count(), Blob.objects.count()
    with pytest.raises(error) as refused:
        action()
    assert (Certificate.objects.count(), TrustAnchor.objects.count(), SignatureImage.objects.count()) == counts
    assert AuditEvent.objects.count() == audit_count
    assert Blob.objects.count() == blob_count
    return refused.value


@pytest.mark.usefixtures("trusted_pki")
class TestCertificateRegisterForPerson:
    def test_stores_the_public_certificate_and_its_details(self, officer: Any, pki: TestPki, now: datetime) -> None:
        certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)

        assert certificate.kind == CertificateKind.PERSONAL
        assert certificate.person == officer
        assert certificate.common_name == "Nguyễn Văn Hùng"
        assert certificate.serial == pki.person.serial_hex
        assert certificate.fingerprint_sha256 == pki.person.fingerprint_sha256
        assert bytes(certificate.der) == pki.person.der
        assert certificate.key_usage == ["digitalSignature", "nonRepudiation"]
        assert certificate.not_after == pki.person.cert.not_valid_after_utc
        assert certificate.key_storage == KeyStorage.CLIENT
        assert not certificate.has_private_key_on_server
        assert certificate.registered_at == now

    def test_writes_one_audit_event_in_the_owners_agency(
        self, officer: Any, agency: Any, pki: TestPki, now: datetime
    ) -> None:
        certificate = certificate_register_for_person(person=officer, data=pki.person.der, actor=officer, now=now)

        event = AuditEvent.objects.get(action=events.CERTIFICATE_REGISTERED)
        assert event.actor_id == officer.pk
        assert event.agency_id == agency.pk
        assert event.target_id == str(certificate.pk)
        assert event.data["fingerprint_sha256"] == pki.person.fingerprint_sha256

    @pytest.mark.parametrize(
        ("which", "error"),
        [
            ("expired", CertificateExpiredError),
            ("not_yet_valid", CertificateNotYetValidError),
            ("wrong_usage", CertificateUsageError),
            ("intermediate", CertificateIsCaError),
            ("root", CertificateIsCaError),
        ],
    )
    def test_refuses_a_certificate_that_cannot_sign(
        self, officer: Any, pki: TestPki, now: datetime, which: str, error: type[Exception]
    ) -> None:
        _unchanged(
            lambda: certificate_register_for_person(person=officer, data=pki[which].pem, actor=officer, now=now),  # type: ignore[index]
            error,
        )

    def test_refuses_what_is_not_a_certificate(self, officer: Any, now: datetime) -> None:
        refused = _unchanged(
            lambda: certificate_register_for_person(person=officer, data=pictures.jpeg(), actor=officer, now=now),
            NotACertificateError,
        )
        assert isinstance(refused, ValidationError)

    def test_refuses_a_pkcs12_with_the_private_key(self, officer: Any, pki: TestPki, now: datetime) -> None:
        data = pkcs12_bytes(pki.person.cert, pki.person.key, pki.chain, None)
        _unchanged(
            lambda: certificate_register_for_person(person=officer, data=data, actor=officer, now=now), ValidationError
        )

    def test_refuses_a_duplicate(self, officer: Any, pki: TestPki, now: datetime) -> None:
        certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        _unchanged(
            lambda: certificate_register_for_person(person=officer, data=pki.person.der, actor=officer, now=now),
            DuplicateCertificateError,
        )

    def test_another_person_may_hold_the_same_certificate_record(
        self, officer: Any, clerk: Any, pki: TestPki, now: datetime
    ) -> None:
        """Uniqueness is per owner (a shared token is odd but not the registry's to refuse)."""
        certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        certificate_register_for_person(person=clerk, data=pki.person.pem, actor=clerk, now=now)
        assert Certificate.objects.count() == 2


@pytest.mark.usefixtures("trusted_pki")
class TestCertificateRegisterForAgency:
    def test_stores_a_public_certificate_for_a_token_on_the_clerks_desk(
        self, admin: Any, agency: Any, pki: TestPki, now: datetime
    ) -> None:
        certificate = certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=admin, now=now)
        assert certificate.kind == CertificateKind.AGENCY
        assert certificate.common_name == AGENCY_NAME
        assert certificate.key_storage == KeyStorage.CLIENT
        assert certificate.pkcs12 is None
        assert AuditEvent.objects.filter(action=events.CERTIFICATE_REGISTERED, agency=agency).count() == 1

    @override_settings(VANTHU_SIGNING_KEY_SECRETS=SECRETS)
    def test_keeps_a_pkcs12_key_on_the_server_with_its_password_outside_the_database(
        self, admin: Any, agency: Any, pki: TestPki, now: datetime
    ) -> None:
        data = pkcs12_bytes(pki.agency.cert, pki.agency.key, pki.chain, SECRETS["STC_SEAL"].encode())
        certificate = certificate_register_for_agency(
            agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL"
        )
        assert certificate.key_storage == KeyStorage.SERVER_PKCS12
        assert certificate.has_private_key_on_server
        assert bytes(certificate.pkcs12) == data
        assert certificate.key_secret_name == "STC_SEAL"
        assert SECRETS["STC_SEAL"] not in str(AuditEvent.objects.get().data)

    def test_records_a_pkcs11_key_by_its_labels(self, admin: Any, agency: Any, pki: TestPki, now: datetime) -> None:
        certificate = certificate_register_for_agency(
            agency=agency,
            data=pki.agency.der,
            actor=admin,
            now=now,
            key_secret_name="HSM_PIN",
            pkcs11_token_label="vanthu",
            pkcs11_key_label="stc-seal",
        )
        assert certificate.key_storage == KeyStorage.SERVER_PKCS11
        assert (certificate.pkcs11_token_label, certificate.pkcs11_key_label) == ("vanthu", "stc-seal")

    def test_refuses_pkcs11_without_its_labels(self, admin: Any, agency: Any, pki: TestPki, now: datetime) -> None:
        _unchanged(
            lambda: certificate_register_for_agency(
                agency=agency, data=pki.agency.der, actor=admin, now=now, pkcs11_token_label="vanthu"
            ),
            ValidationError,
        )

    @override_settings(VANTHU_SIGNING_KEY_SECRETS={"STC_SEAL": "sai-mat-khau"})
    def test_refuses_a_pkcs12_that_its_secret_does_not_open(
        self, admin: Any, agency: Any, pki: TestPki, now: datetime
    ) -> None:
        data = pkcs12_bytes(pki.agency.cert, pki.agency.key, pki.chain, b"mat-khau-con-dau")
        _unchanged(
            lambda: certificate_register_for_agency(
                agency=agency, data=data, actor=admin, now=now, key_secret_name="STC_SEAL"
            ),
            CertificateFileLockedError,
        )

    def test_refuses_a_secret_the_server_does_not_have(
        self, admin: Any, agency: Any, pki: TestPki, now: datetime
    ) -> None:
        data = pkcs12_bytes(pki.agency.cert, pki.agency.key, pki.chain, b"x")
        _unchanged(
            lambda: certificate_register_for_agency(
                agency=agency, data=data, actor=admin, now=now, key_secret_name="NOWHERE"
            ),
            KeySecretMissingError,
        )

    @pytest.mark.parametrize(
        ("which", "error"),
        [
            ("expired", CertificateExpiredError),
            ("not_yet_valid", CertificateNotYetValidError),
            ("wrong_usage", CertificateUsageError),
            ("root", CertificateIsCaError),
        ],
    )
    def test_refuses_a_certificate_that_cannot_sign(
        self, admin: Any, agency: Any, pki: TestPki, now: datetime, which: str, error: type[Exception]
    ) -> None:
        _unchanged(
            lambda: certificate_register_for_agency(agency=agency, data=pki[which].der, actor=admin, now=now),  # type: ignore[index]
            error,
        )

    def test_refuses_a_duplicate(self, admin: Any, agency: Any, pki: TestPki, now: datetime) -> None:
        certificate_register_for_agency(agency=agency, data=pki.agency.der, actor=admin, now=now)
        _unchanged(
            lambda: certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=admin, now=now),
            DuplicateCertificateError,
        )


class TestPermissionMatrix:
    @pytest.mark.parametrize(
        ("actor_name", "outcome"),
        [
            ("officer", None),  # themself
            ("admin", None),  # ADMIN of their agency
            ("province_admin", None),  # ADMIN whose scope covers it
            ("superuser", None),
            ("clerk", PermissionDeniedError),  # sees the person, may not act for them
            ("agency_leader", PermissionDeniedError),
            ("other_officer", NotFoundError),  # another agency: does not see the person
            ("outsider", NotFoundError),
        ],
    )
    @pytest.mark.usefixtures("trusted_pki")
    def test_register_personal_certificate(
        self, request: pytest.FixtureRequest, officer: Any, pki: TestPki, now: datetime, actor_name: str, outcome: Any
    ) -> None:
        actor = request.getfixturevalue(actor_name)
        action = lambda: certificate_register_for_person(person=officer, data=pki.person.pem, actor=actor, now=now)  # noqa: E731
        if outcome is None:
            assert action().person == officer
        else:
            _unchanged(action, outcome)

    @pytest.mark.parametrize(
        ("actor_name", "allowed"),
        [
            ("admin", True),
            ("province_admin", True),
            ("superuser", True),
            ("clerk", False),
            ("agency_leader", False),
            ("officer", False),
            ("inspector", False),
            ("other_officer", False),
            ("outsider", False),
        ],
    )
    @pytest.mark.usefixtures("trusted_pki")
    def test_register_agency_certificate(
        self,
        request: pytest.FixtureRequest,
        agency: Any,
        pki: TestPki,
        now: datetime,
        actor_name: str,
        allowed: bool,  # noqa: FBT001
    ) -> None:
        actor = request.getfixturevalue(actor_name)
        action = lambda: certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=actor, now=now)  # noqa: E731
        if allowed:
            assert action().agency == agency
        else:
            _unchanged(action, PermissionDeniedError)

    @pytest.mark.usefixtures("trusted_pki")
    def test_an_admin_of_another_agency_may_not_register_for_this_one(
        self, other_agency: Any, agency: Any, pki: TestPki, now: datetime
    ) -> None:
        from vanthu.org.models import Role
        from vanthu.org.tests.factories import person_with_role

        other_admin = person_with_role(Role.ADMIN, other_agency)
        _unchanged(
            lambda: certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=other_admin, now=now),
            PermissionDeniedError,
        )

    @pytest.mark.parametrize(
        ("actor_name", "outcome"),
        [
            ("officer", None),
            ("admin", None),
            ("superuser", None),
            ("clerk", NotFoundError),  # a CLERK does not see a person's certificate
            ("agency_leader", NotFoundError),
            ("other_officer", NotFoundError),
            ("outsider", NotFoundError),
        ],
    )
    @pytest.mark.usefixtures("trusted_pki")
    def test_disable_personal_certificate(
        self, request: pytest.FixtureRequest, officer: Any, pki: TestPki, now: datetime, actor_name: str, outcome: Any
    ) -> None:
        certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        actor = request.getfixturevalue(actor_name)
        action = lambda: certificate_disable(certificate=certificate, actor=actor, now=now)  # noqa: E731
        if outcome is None:
            assert action().disabled_at == now
        else:
            _unchanged(action, outcome)
            certificate.refresh_from_db()
            assert certificate.disabled_at is None

    @pytest.mark.parametrize(
        ("actor_name", "outcome"),
        [
            ("admin", None),
            ("province_admin", None),
            ("clerk", PermissionDeniedError),  # the registry sees the seal certificate, may not disable it
            ("officer", NotFoundError),
            ("other_officer", NotFoundError),
        ],
    )
    @pytest.mark.usefixtures("trusted_pki")
    def test_disable_agency_certificate(
        self,
        request: pytest.FixtureRequest,
        admin: Any,
        agency: Any,
        pki: TestPki,
        now: datetime,
        actor_name: str,
        outcome: Any,
    ) -> None:
        certificate = certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=admin, now=now)
        actor = request.getfixturevalue(actor_name)
        action = lambda: certificate_disable(certificate=certificate, actor=actor, now=now, reason="Hết hạn dùng")  # noqa: E731
        if outcome is None:
            assert action().disabled_reason == "Hết hạn dùng"
        else:
            _unchanged(action, outcome)

    @pytest.mark.parametrize(
        ("actor_name", "allowed"),
        [
            ("province_admin", True),
            ("superuser", True),
            ("admin", False),  # an agency's ADMIN does not manage the province's trust store
            ("clerk", False),
            ("inspector", False),
            ("outsider", False),
        ],
    )
    def test_trust_store(
        self,
        request: pytest.FixtureRequest,
        pki: TestPki,
        now: datetime,
        actor_name: str,
        allowed: bool,  # noqa: FBT001
    ) -> None:
        actor = request.getfixturevalue(actor_name)
        action = lambda: trust_anchor_add(data=pki.root.pem, actor=actor, now=now)  # noqa: E731
        settings_action = lambda: revocation_settings_update(actor=actor, now=now, is_online_check_enabled=False)  # noqa: E731
        if allowed:
            assert action().kind == TrustAnchorKind.ROOT
            assert not settings_action().is_online_check_enabled
        else:
            _unchanged(action, PermissionDeniedError)
            _unchanged(settings_action, PermissionDeniedError)

    @pytest.mark.parametrize(
        ("actor_name", "outcome"),
        [
            ("officer", None),
            ("admin", PermissionDeniedError),  # a signature is the person's own
            ("clerk", PermissionDeniedError),
            ("other_officer", NotFoundError),
            ("outsider", NotFoundError),
        ],
    )
    def test_upload_signature_image(
        self, request: pytest.FixtureRequest, officer: Any, now: datetime, actor_name: str, outcome: Any
    ) -> None:
        actor = request.getfixturevalue(actor_name)
        action = lambda: signature_image_upload(person=officer, data=pictures.signature_png(), actor=actor, now=now)  # noqa: E731
        if outcome is None:
            assert action().person == officer
        else:
            _unchanged(action, outcome)

    @pytest.mark.parametrize(
        ("actor_name", "allowed"),
        [
            ("admin", True),
            ("province_admin", True),
            ("clerk", False),
            ("agency_leader", False),
            ("other_officer", False),
        ],
    )
    def test_upload_seal_image(
        self,
        request: pytest.FixtureRequest,
        agency: Any,
        now: datetime,
        actor_name: str,
        allowed: bool,  # noqa: FBT001
    ) -> None:
        actor = request.getfixturevalue(actor_name)
        action = lambda: signature_image_upload(agency=agency, data=pictures.seal_png(), actor=actor, now=now)  # noqa: E731
        if allowed:
            assert action().agency == agency
        else:
            _unchanged(action, PermissionDeniedError)


@pytest.mark.usefixtures("trusted_pki")
class TestCertificateDisable:
    def test_marks_revoked_and_writes_the_event(self, officer: Any, pki: TestPki, now: datetime) -> None:
        certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        certificate_disable(certificate=certificate, actor=officer, now=now, revoked=True, reason="Mất token")
        certificate.refresh_from_db()
        assert certificate.revoked_at == now
        assert not certificate.is_active
        event = AuditEvent.objects.get(action=events.CERTIFICATE_DISABLED)
        assert event.data["revoked"] is True
        assert selectors.signing_certificate_for(person=officer, now=now) is None

    def test_refuses_twice(self, officer: Any, pki: TestPki, now: datetime) -> None:
        certificate = certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        certificate_disable(certificate=certificate, actor=officer, now=now)
        _unchanged(lambda: certificate_disable(certificate=certificate, actor=officer, now=now), ConflictError)


class TestTrustStore:
    def test_adds_a_root_and_an_intermediate_with_revocation_addresses(
        self, province_admin: Any, pki: TestPki, now: datetime
    ) -> None:
        root = trust_anchor_add(data=pki.root.pem, actor=province_admin, now=now, name="Ban Cơ yếu (test)")
        intermediate = trust_anchor_add(
            data=pki.intermediate.der,
            actor=province_admin,
            now=now,
            crl_urls=["http://ca.vanthu-test.invalid/intermediate.crl"],
            ocsp_urls=["http://ocsp.vanthu-test.invalid/"],
        )
        assert root.kind == TrustAnchorKind.ROOT
        assert root.name == "Ban Cơ yếu (test)"
        assert intermediate.kind == TrustAnchorKind.INTERMEDIATE
        assert selectors.trust_roots() == [pki.root.der]
        assert selectors.trust_intermediates() == [pki.intermediate.der]
        assert selectors.revocation_urls() == (
            ["http://ca.vanthu-test.invalid/intermediate.crl"],
            ["http://ocsp.vanthu-test.invalid/"],
        )
        assert AuditEvent.objects.filter(action=events.TRUST_ANCHOR_ADDED).count() == 2

    def test_refuses_an_end_entity_certificate(self, province_admin: Any, pki: TestPki, now: datetime) -> None:
        _unchanged(lambda: trust_anchor_add(data=pki.person.pem, actor=province_admin, now=now), ValidationError)

    def test_refuses_a_duplicate(self, province_admin: Any, pki: TestPki, now: datetime) -> None:
        trust_anchor_add(data=pki.root.pem, actor=province_admin, now=now)
        _unchanged(
            lambda: trust_anchor_add(data=pki.root.der, actor=province_admin, now=now), DuplicateCertificateError
        )

    def test_refuses_addresses_that_are_not_http(self, province_admin: Any, pki: TestPki, now: datetime) -> None:
        _unchanged(
            lambda: trust_anchor_add(data=pki.root.pem, actor=province_admin, now=now, crl_urls=["file:///etc/passwd"]),
            ValidationError,
        )

    def test_updates_and_disables(self, province_admin: Any, pki: TestPki, now: datetime) -> None:
        anchor = trust_anchor_add(data=pki.root.pem, actor=province_admin, now=now)
        trust_anchor_update(anchor=anchor, actor=province_admin, now=now, ocsp_urls=["https://ocsp.ca.gov.vn/"])
        trust_anchor_disable(anchor=anchor, actor=province_admin, now=now)
        anchor.refresh_from_db()
        assert anchor.ocsp_urls == ["https://ocsp.ca.gov.vn/"]
        assert not anchor.is_active
        assert selectors.trust_roots() == []
        _unchanged(lambda: trust_anchor_disable(anchor=anchor, actor=province_admin, now=now), ConflictError)

    def test_revocation_settings_default_and_change(self, province_admin: Any, now: datetime) -> None:
        assert selectors.revocation_settings_get().is_online_check_enabled
        revocation_settings_update(actor=province_admin, now=now, is_revocation_check_required=True)
        current = selectors.revocation_settings_get()
        assert current.is_revocation_check_required
        assert current.is_online_check_enabled
        event = AuditEvent.objects.get(action=events.REVOCATION_SETTINGS_UPDATED)
        assert event.data["after"]["is_revocation_check_required"] is True


class TestSignatureImageUpload:
    def test_stores_the_signature_and_replaces_the_current_one(self, officer: Any, agency: Any, now: datetime) -> None:
        first = signature_image_upload(person=officer, data=pictures.signature_png(), actor=officer, now=now)
        second = signature_image_upload(
            person=officer, data=pictures.signature_png(width=600, height=300), actor=officer, now=now
        )
        first.refresh_from_db()
        assert not first.is_current
        assert second.is_current
        assert (second.width_px, second.height_px) == (600, 300)
        assert second.width_mm == Decimal("40.0")
        assert second.blob.content_type == "image/png"
        assert selectors.signature_image_current_for(person=officer) == second
        event = AuditEvent.objects.filter(action=events.SIGNATURE_IMAGE_UPLOADED).latest("seq")
        assert event.agency_id == agency.pk
        assert event.data["sha256"] == second.blob.sha256

    def test_stores_a_seal_at_its_real_size(self, admin: Any, agency: Any, now: datetime) -> None:
        seal = signature_image_upload(
            agency=agency, data=pictures.seal_png(), actor=admin, now=now, width_mm=Decimal(36)
        )
        assert seal.kind == "SEAL"
        assert seal.height_mm == Decimal("36.0")
        assert selectors.signature_image_current_for(agency=agency) == seal

    @pytest.mark.parametrize(
        ("make", "error"),
        [
            (pictures.rgb_png, ImageTransparencyError),
            (lambda: pictures.signature_png(transparent=False), ImageTransparencyError),
            (pictures.huge_png, PayloadTooLargeError),
            (lambda: pictures.signature_png(width=300, height=150), ImageTooSmallError),
            (pictures.jpeg, UnsupportedMediaTypeError),
            (lambda: pictures.signature_png(colour=pictures.RED), ImageColourError),
        ],
    )
    def test_refuses_a_bad_signature_image(
        self, officer: Any, now: datetime, make: Callable[[], bytes], error: type[Exception]
    ) -> None:
        data = make()
        _unchanged(lambda: signature_image_upload(person=officer, data=data, actor=officer, now=now), error)

    def test_refuses_a_blue_seal(self, admin: Any, agency: Any, now: datetime) -> None:
        data = pictures.seal_png(colour=pictures.BLUE)
        _unchanged(lambda: signature_image_upload(agency=agency, data=data, actor=admin, now=now), ImageColourError)

    def test_a_refused_upload_keeps_the_current_image(self, officer: Any, now: datetime) -> None:
        current = signature_image_upload(person=officer, data=pictures.signature_png(), actor=officer, now=now)
        _unchanged(
            lambda: signature_image_upload(person=officer, data=pictures.rgb_png(), actor=officer, now=now),
            ImageTransparencyError,
        )
        assert selectors.signature_image_current_for(person=officer) == current
