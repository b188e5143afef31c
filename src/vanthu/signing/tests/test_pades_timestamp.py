"""PAdES B-T: the signature gets an RFC 3161 timestamp from a TSA over HTTP (here a local one on
127.0.0.1 signing with the test PKI's TSA certificate)."""

from __future__ import annotations

import socket

import pytest
from pyhanko.sign.timestamps import HTTPTimeStamper

from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades import verify_pdf
from vanthu.signing.pades.errors import SigningFailedError
from vanthu.signing.testing import pdfs
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.testing.tsa import LocalTimeStampAuthority
from vanthu.signing.tests.pades_helpers import HAS_POPPLER
from vanthu.signing.tests.pades_helpers import NOW
from vanthu.signing.tests.pades_helpers import pdfsig
from vanthu.signing.tests.pades_helpers import person_appearance


class TestTimestampedSignature:
    def test_validates_with_its_timestamp(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        pki = build_test_pki(NOW)
        with LocalTimeStampAuthority.for_pki(pki, fixed_time=NOW) as tsa:
            signed = sign_pdf(
                pdf=pdfs.decision_pdf(),
                signer=signer_for(pki, "person"),
                appearance=person_appearance(),
                now=NOW,
                timestamper=tsa.timestamper(),
            )
            assert tsa.requests == 1

        report = verify_pdf(pdf=signed, trust_roots=[pki.root.cert], now=NOW)

        signature = report.signatures[0]
        assert signature.valid
        assert signature.timestamp == "2026-03-10T09:00:00+07:00"
        assert signature.timestamp_valid is True
        if HAS_POPPLER:
            assert "Signature is Valid." in pdfsig(signed, pki=pki, directory=tmp_path)

    def test_refuses_to_sign_when_the_tsa_does_not_answer(self) -> None:
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        timestamper = HTTPTimeStamper(f"http://127.0.0.1:{port}/tsa", timeout=2)

        with pytest.raises(SigningFailedError) as refused:
            sign_pdf(
                pdf=pdfs.decision_pdf(),
                signer=signer_for(build_test_pki(NOW), "person"),
                appearance=None,
                now=NOW,
                timestamper=timestamper,
            )

        assert refused.value.code == "timestamp_failed"
