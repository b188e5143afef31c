"""Reading certificate files and deciding whether a certificate may sign (pure)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from django.test import override_settings

from vanthu.signing.certificates import CertificateExpiredError
from vanthu.signing.certificates import CertificateFileLockedError
from vanthu.signing.certificates import CertificateIsCaError
from vanthu.signing.certificates import CertificateNotYetValidError
from vanthu.signing.certificates import CertificateUsageError
from vanthu.signing.certificates import KeySecretMissingError
from vanthu.signing.certificates import NotACertificateError
from vanthu.signing.certificates import certificate_parse
from vanthu.signing.certificates import certificate_pem
from vanthu.signing.certificates import check_signing_usable
from vanthu.signing.certificates import key_secret
from vanthu.signing.testing.pki import PERSON_NAME
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import pkcs12_bytes

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
PKI = build_test_pki(NOW)


class TestCertificateParse:
    def test_reads_pem_with_subject_issuer_serial_validity_and_usage(self) -> None:
        parsed = certificate_parse(PKI.person.pem)
        info = parsed.info
        assert info.common_name == PERSON_NAME
        assert "CN=Nguyễn Văn Hùng" in info.subject
        assert info.issuer_common_name == PKI.intermediate.cert.subject.rfc4514_string().split("CN=")[1].split(",")[0]
        assert info.serial == PKI.person.serial_hex
        assert info.not_before == PKI.person.cert.not_valid_before_utc
        assert info.key_usage == ["digitalSignature", "nonRepudiation"]
        assert "1.3.6.1.5.5.7.3.4" in info.extended_key_usage  # emailProtection
        assert info.fingerprint_sha256 == PKI.person.fingerprint_sha256
        assert not info.is_ca
        assert not parsed.has_private_key

    def test_reads_der(self) -> None:
        assert certificate_parse(PKI.agency.der).info.der == PKI.agency.der

    def test_reads_a_pem_chain_keeping_the_rest(self) -> None:
        parsed = certificate_parse(PKI.person.pem + PKI.intermediate.pem)
        assert parsed.info.common_name == PERSON_NAME
        assert len(parsed.chain) == 1

    def test_reads_pkcs12_with_its_key_and_chain(self) -> None:
        data = pkcs12_bytes(PKI.agency.cert, PKI.agency.key, PKI.chain, b"mat-khau")
        parsed = certificate_parse(data, password="mat-khau")  # noqa: S106
        assert parsed.has_private_key
        assert len(parsed.chain) == 2

    def test_refuses_pkcs12_with_a_wrong_password(self) -> None:
        data = pkcs12_bytes(PKI.agency.cert, PKI.agency.key, PKI.chain, b"mat-khau")
        with pytest.raises(CertificateFileLockedError):
            certificate_parse(data, password="sai")  # noqa: S106

    @pytest.mark.parametrize(
        "data", [b"", b"hello", b"%PDF-1.7\n", b"-----BEGIN CERTIFICATE-----\nxx\n", b"\x30\x03\x02\x01\x05"]
    )
    def test_refuses_what_is_not_a_certificate(self, data: bytes) -> None:
        with pytest.raises(NotACertificateError):
            certificate_parse(data)

    def test_refuses_a_pem_with_a_private_key(self) -> None:
        with pytest.raises(NotACertificateError):
            certificate_parse(PKI.person.pem + PKI.person.key_pem)

    def test_pem_round_trip(self) -> None:
        assert certificate_pem(PKI.person.der) == PKI.person.pem


class TestCheckSigningUsable:
    def test_accepts_the_personal_and_agency_certificates(self) -> None:
        check_signing_usable(certificate_parse(PKI.person.der).info, NOW)
        check_signing_usable(certificate_parse(PKI.agency.der).info, NOW)

    def test_refuses_an_expired_one(self) -> None:
        with pytest.raises(CertificateExpiredError):
            check_signing_usable(certificate_parse(PKI.expired.der).info, NOW)

    def test_refuses_one_not_yet_valid(self) -> None:
        with pytest.raises(CertificateNotYetValidError):
            check_signing_usable(certificate_parse(PKI.not_yet_valid.der).info, NOW)

    def test_refuses_a_key_encipherment_only_one(self) -> None:
        with pytest.raises(CertificateUsageError):
            check_signing_usable(certificate_parse(PKI.wrong_usage.der).info, NOW)

    def test_refuses_a_time_stamping_only_one(self) -> None:
        with pytest.raises(CertificateUsageError):
            check_signing_usable(certificate_parse(PKI.tsa.der).info, NOW)

    def test_refuses_a_ca_certificate(self) -> None:
        with pytest.raises(CertificateIsCaError):
            check_signing_usable(certificate_parse(PKI.intermediate.der).info, NOW)


class TestKeySecret:
    @override_settings(VANTHU_SIGNING_KEY_SECRETS={"STC_SEAL": "bi-mat"})
    def test_reads_the_setting(self) -> None:
        assert key_secret("STC_SEAL") == "bi-mat"

    def test_the_settings_read_the_secrets_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from vanthu.config import env

        monkeypatch.setenv("VANTHU_SIGNING_KEY_SECRET_HSM_PIN", "1234")
        assert env.get_prefixed("VANTHU_SIGNING_KEY_SECRET_")["HSM_PIN"] == "1234"

    def test_refuses_an_unknown_or_badly_named_secret(self) -> None:
        with pytest.raises(KeySecretMissingError):
            key_secret("NOT_CONFIGURED_ANYWHERE")
        with pytest.raises(KeySecretMissingError):
            key_secret("../etc")
