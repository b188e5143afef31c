"""The verification report: JSON-serialisable facts per signature and a summary text."""

from __future__ import annotations

import json

from cryptography import x509

from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades import verify_pdf
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import crl_der
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import signed_pair


class TestVerifyPdf:
    def test_report_is_json_serialisable_and_names_chain_and_times(self) -> None:
        pki = build_test_pki(NOW)

        report = verify_pdf(pdf=signed_pair().agency, trust_roots=[pki.root.pem], now=NOW, language="en")

        data = json.loads(json.dumps(report.as_dict()))
        person = data["signatures"][0]
        assert [issuer["common_name"] for issuer in person["issuer_chain"]] == [
            pki.intermediate.cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value,
            pki.root.cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value,
        ]
        assert person["signing_time"].endswith("+07:00")
        assert data["verified_at"] == "2026-03-10T09:00:00+07:00"
        assert report.summary.startswith("The document carries 2 digital signatures; all are valid.")
        assert pdfs.DEFAULT_SIGNER_NAME in report.summary

    def test_an_unknown_root_makes_signatures_untrusted(self) -> None:
        other_root = build_test_pki(NOW.replace(year=2020)).root.cert

        report = verify_pdf(pdf=signed_pair().agency, trust_roots=[other_root], now=NOW, language="en")

        assert not report.all_valid
        assert all(not signature.trusted and signature.intact for signature in report.signatures)
        assert all(signature.problems == ["untrusted"] for signature in report.signatures)
        assert "2 of 2 digital signatures are not valid." in report.summary

    def test_a_revoked_certificate_is_reported(self) -> None:
        pki = build_test_pki(NOW)
        signed = sign_pdf(pdf=pdfs.decision_pdf(), signer=signer_for(pki, "revoked"), appearance=None, now=NOW)

        report = verify_pdf(
            pdf=signed,
            trust_roots=[pki.root.der],
            now=NOW,
            crls=[crl_der(pki, issuer="intermediate"), crl_der(pki, issuer="root")],
        )

        signature = report.signatures[0]
        assert signature.revoked
        assert not signature.valid
        assert "revoked" in signature.problems

    def test_a_pdf_without_signatures(self) -> None:
        report = verify_pdf(pdf=pdfs.decision_pdf(pages=1), trust_roots=[], now=NOW, language="en")

        assert report.signature_count == 0
        assert not report.all_valid
        assert report.summary == "The document carries no digital signature."
