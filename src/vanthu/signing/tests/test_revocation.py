"""Revocation: the settings take effect when verifying (soft-fail / hard-fail) and registering a
certificate needs a chain to an active trust anchor and no revocation; the report's summary
gives times the Vietnamese way while its JSON keeps ISO 8601."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.signing import services
from vanthu.signing import verification
from vanthu.signing.certificates import CertificateRevokedError
from vanthu.signing.certificates import CertificateUntrustedError
from vanthu.signing.models import Certificate
from vanthu.signing.models import RevocationSettings
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind
from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades import verify_pdf
from vanthu.signing.pades.verify import PROBLEM_REVOCATION_UNKNOWN
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import crl_der
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import signed_pair
from vanthu.signing.tests.sessions_support import add_trust_store


@lru_cache(maxsize=1)
def _signed_by_revoked() -> bytes:
    pki = build_test_pki(NOW)
    return sign_pdf(pdf=pdfs.decision_pdf(pages=1), signer=signer_for(pki, "revoked"), appearance=None, now=NOW)


def _crls(pki: TestPki) -> list[bytes]:
    return [crl_der(pki, issuer="intermediate"), crl_der(pki, issuer="root")]


class TestVerifyPdfRevocationModes:
    @pytest.mark.parametrize("mode", ["soft-fail", "hard-fail"])
    def test_a_revoked_signer_is_reported_revoked_in_both_modes(self, mode: Any) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(
            pdf=_signed_by_revoked(),
            trust_roots=[pki.root.der],
            now=NOW,
            crls=_crls(pki),
            revocation_mode=mode,
            language="en",
        )

        signature = report.signatures[0]
        assert signature.revoked
        assert not signature.valid
        assert signature.problems == ["revoked"]
        assert "the certificate has been revoked" in signature.summary

    def test_with_crls_a_good_signer_is_valid_in_hard_fail(self) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(
            pdf=signed_pair().agency, trust_roots=[pki.root.der], now=NOW, crls=_crls(pki), revocation_mode="hard-fail"
        )

        assert report.all_valid

    def test_without_any_revocation_answer_hard_fail_reports_the_status_unknown(self) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(
            pdf=signed_pair().agency, trust_roots=[pki.root.der], now=NOW, revocation_mode="hard-fail", language="en"
        )

        assert not report.all_valid
        for signature in report.signatures:
            assert signature.intact
            assert not signature.revoked
            assert not signature.valid
            assert signature.problems == [PROBLEM_REVOCATION_UNKNOWN]
            assert "the revocation status of the certificate is unknown" in signature.summary

    def test_without_any_revocation_answer_soft_fail_accepts(self) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(pdf=signed_pair().agency, trust_roots=[pki.root.der], now=NOW, revocation_mode="soft-fail")

        assert report.all_valid

    def test_hard_fail_still_reports_an_unknown_root_as_untrusted(self) -> None:
        other_root = build_test_pki(NOW.replace(year=2020)).root.der

        report = verify_pdf(pdf=signed_pair().agency, trust_roots=[other_root], now=NOW, revocation_mode="hard-fail")

        assert all(signature.problems == ["untrusted"] for signature in report.signatures)

    def test_an_unknown_mode_is_a_programming_error(self) -> None:
        with pytest.raises(ValueError, match="revocation_mode"):
            verify_pdf(pdf=signed_pair().agency, trust_roots=[], now=NOW, revocation_mode="require")  # type: ignore[arg-type]


class TestSummaryTimes:
    def test_the_summary_reads_hours_and_day_in_vietnam_time_the_json_keeps_iso(self) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(pdf=signed_pair().agency, trust_roots=[pki.root.der], now=NOW, language="en")

        data = report.as_dict()
        assert data["verified_at"] == "2026-03-10T09:00:00+07:00"
        signing_time = data["signatures"][0]["signing_time"]
        assert signing_time.endswith("+07:00")
        hours, day = signing_time[11:16], signing_time[:10]
        day_text = f"{day[8:10]}/{day[5:7]}/{day[0:4]}"
        assert f"at {hours} on {day_text}:" in report.signatures[0].summary
        assert "T0" not in report.summary
        assert "+07:00" not in report.summary


@pytest.mark.django_db
class TestSignatureVerifySettings:
    @pytest.fixture(autouse=True)
    def _trusted_offline(self, superuser: Any) -> None:
        RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})
        add_trust_store(build_test_pki(NOW), NOW)

    def test_when_required_an_unknown_status_makes_the_report_not_valid(self, officer: Any, now: datetime) -> None:
        RevocationSettings.objects.filter(singleton=1).update(is_revocation_check_required=True)

        stored = verification.signature_verify(pdf=signed_pair().agency, actor=officer, now=now)

        assert not stored.all_valid
        assert stored.report["revocation_check_required"] is True
        assert all(
            signature["problems"] == [PROBLEM_REVOCATION_UNKNOWN] for signature in stored.report["report"]["signatures"]
        )

    def test_when_not_required_an_unknown_status_is_accepted(self, officer: Any, now: datetime) -> None:
        stored = verification.signature_verify(pdf=signed_pair().agency, actor=officer, now=now)

        assert stored.all_valid
        assert stored.report["revocation_check_required"] is False


def _refused(action: Callable[[], Any], error: type[Exception]) -> Exception:
    counts = (Certificate.objects.count(), AuditEvent.objects.count())
    with pytest.raises(error) as refused:
        action()
    assert (Certificate.objects.count(), AuditEvent.objects.count()) == counts
    return refused.value


@pytest.mark.django_db
class TestRegistrationNeedsTheTrustStore:
    @pytest.fixture(autouse=True)
    def _offline(self, db: None) -> None:
        RevocationSettings.objects.update_or_create(singleton=1, defaults={"is_online_check_enabled": False})

    def test_without_any_trust_anchor_a_personal_certificate_is_refused(
        self, officer: Any, pki: TestPki, now: datetime
    ) -> None:
        error = _refused(
            lambda: services.certificate_register_for_person(
                person=officer, data=pki.person.pem, actor=officer, now=now
            ),
            CertificateUntrustedError,
        )
        assert error.code == "certificate_untrusted"
        assert error.message

    def test_without_any_trust_anchor_an_agency_certificate_is_refused(
        self, agency: Any, admin: Any, pki: TestPki, now: datetime
    ) -> None:
        _refused(
            lambda: services.certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=admin, now=now),
            CertificateUntrustedError,
        )

    def test_a_disabled_root_does_not_count(self, officer: Any, pki: TestPki, now: datetime) -> None:
        add_trust_store(pki, now)
        TrustAnchor.objects.filter(kind=TrustAnchorKind.ROOT).update(is_active=False)

        _refused(
            lambda: services.certificate_register_for_person(
                person=officer, data=pki.person.pem, actor=officer, now=now
            ),
            CertificateUntrustedError,
        )

    def test_the_intermediate_must_be_in_the_trust_store_too(self, officer: Any, pki: TestPki, now: datetime) -> None:
        add_trust_store(pki, now)
        TrustAnchor.objects.filter(kind=TrustAnchorKind.INTERMEDIATE).update(is_active=False)

        _refused(
            lambda: services.certificate_register_for_person(
                person=officer, data=pki.person.pem, actor=officer, now=now
            ),
            CertificateUntrustedError,
        )

    def test_a_certificate_of_another_pki_is_refused(self, officer: Any, pki: TestPki, now: datetime) -> None:
        add_trust_store(pki, now)
        stranger = build_test_pki(now.replace(year=2025)).person.pem

        _refused(
            lambda: services.certificate_register_for_person(person=officer, data=stranger, actor=officer, now=now),
            CertificateUntrustedError,
        )

    def test_a_revoked_certificate_is_refused_when_a_crl_lists_it(
        self, officer: Any, agency: Any, admin: Any, pki: TestPki, now: datetime
    ) -> None:
        add_trust_store(pki, now)

        error = _refused(
            lambda: services.certificate_register_for_person(
                person=officer, data=pki.revoked.pem, actor=officer, now=now, crls=_crls(pki)
            ),
            CertificateRevokedError,
        )
        assert error.code == "certificate_revoked"
        _refused(
            lambda: services.certificate_register_for_agency(
                agency=agency, data=pki.revoked.pem, actor=admin, now=now, crls=_crls(pki)
            ),
            CertificateRevokedError,
        )

    def test_a_good_certificate_passes_the_crl_and_without_an_answer_is_accepted(
        self, officer: Any, pki: TestPki, now: datetime
    ) -> None:
        add_trust_store(pki, now)

        checked = services.certificate_register_for_person(
            person=officer, data=pki.person.pem, actor=officer, now=now, crls=_crls(pki)
        )
        unchecked = services.certificate_register_for_person(
            person=officer, data=pki.revoked.pem, actor=officer, now=now
        )

        assert checked.person == officer
        assert unchecked.person == officer  # soft-fail: no CRL, no online check

    def test_online_checks_download_the_crls_of_the_trust_anchors_only_when_allowed(
        self, officer: Any, pki: TestPki, now: datetime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        add_trust_store(pki, now)
        TrustAnchor.objects.filter(kind=TrustAnchorKind.INTERMEDIATE).update(
            crl_urls=["http://ca.vanthu-test.invalid/intermediate.crl"]
        )
        asked: list[list[str]] = []

        def download(urls: list[str]) -> list[bytes]:
            asked.append(list(urls))
            return _crls(pki)

        monkeypatch.setattr(services, "crls_download", download)

        services.certificate_register_for_person(person=officer, data=pki.person.pem, actor=officer, now=now)
        assert asked == []  # online checks are off

        RevocationSettings.objects.filter(singleton=1).update(is_online_check_enabled=True)
        _refused(
            lambda: services.certificate_register_for_person(
                person=officer, data=pki.revoked.pem, actor=officer, now=now
            ),
            CertificateRevokedError,
        )
        assert asked == [["http://ca.vanthu-test.invalid/intermediate.crl"]]
