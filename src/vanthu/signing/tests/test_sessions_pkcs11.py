"""Server-held keys in a PKCS#11 token: the agency's seal key in SoftHSM2, signed through pyHanko's
PKCS#11 signer, both directly and through a signing session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from vanthu.core.blobs import blob_read
from vanthu.signing import sessions
from vanthu.signing import signers
from vanthu.signing.models import Certificate
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import sign_pdf
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.tests import sessions_support as support
from vanthu.signing.tests import softhsm

pytestmark = pytest.mark.skipif(softhsm.module_path() is None, reason="SoftHSM2 is not installed")


@pytest.fixture
def token(tmp_path_factory: pytest.TempPathFactory, pki: TestPki) -> softhsm.SoftHsmToken:
    return softhsm.token_with_key(
        lambda: Path(tmp_path_factory.mktemp("softhsm")), pki.agency, key_label=f"seal-{pki.day.isoformat()}"
    )


@pytest.fixture
def pkcs11_settings(token: softhsm.SoftHsmToken) -> Iterator[None]:
    with override_settings(
        VANTHU_SIGNING_PKCS11_MODULE=token.module_path, VANTHU_SIGNING_KEY_SECRETS={"STC_HSM_PIN": token.pin}
    ):
        yield


def test_the_pkcs11_signer_signs(token: softhsm.SoftHsmToken, pki: TestPki, now: datetime) -> None:
    with signers.pkcs11_signer(
        module_path=token.module_path,
        token_label=token.token_label,
        key_label=token.key_label,
        pin=token.pin,
        certificate_der=pki.agency.der,
        chain_der=[pki.intermediate.der],
    ) as signer:
        signed = sign_pdf(pdf=support.decision_pdf(), signer=signer, appearance=None, now=now)
    report = support.verify(pki, signed, now)
    assert report.all_valid
    assert report.signatures[0].signer is not None
    assert report.signatures[0].signer.sha256 == pki.agency.fingerprint_sha256


@pytest.mark.parametrize(("token_label", "pin"), [("no-such-token", softhsm.PIN), (softhsm.TOKEN_LABEL, "000000")])
def test_a_wrong_token_or_pin_is_a_clear_refusal(
    token: softhsm.SoftHsmToken, pki: TestPki, token_label: str, pin: str
) -> None:
    with (
        pytest.raises(signers.SigningKeyUnavailableError),
        signers.pkcs11_signer(
            module_path=token.module_path,
            token_label=token_label,
            key_label=token.key_label,
            pin=pin,
            certificate_der=pki.agency.der,
        ),
    ):
        pass


@pytest.mark.django_db
def test_a_session_signs_with_the_hsm_key(
    pkcs11_settings: None,
    token: softhsm.SoftHsmToken,
    agency: Any,
    admin: Any,
    clerk: Any,
    pki: TestPki,
    now: datetime,
) -> None:
    support.add_trust_store(pki, now)
    certificate: Certificate = certificate_register_for_agency(
        agency=agency,
        data=pki.agency.pem,
        actor=admin,
        now=now,
        key_secret_name="STC_HSM_PIN",
        pkcs11_token_label=token.token_label,
        pkcs11_key_label=token.key_label,
    )
    assert certificate.key_storage == KeyStorage.SERVER_PKCS11
    pdf_sha256 = support.store_pdf(now)
    prepared = sessions.signature_prepare(
        pdf_sha256=pdf_sha256,
        method=SigningMethod.SERVER_KEY,
        certificate=certificate,
        appearance=None,
        actor=clerk,
        now=now,
    )
    done = sessions.signature_apply(session=prepared.session, actor=clerk, now=now)
    assert done.status == SigningStatus.COMPLETED
    assert support.verify(pki, blob_read(sha256=done.result_sha256), now).all_valid
