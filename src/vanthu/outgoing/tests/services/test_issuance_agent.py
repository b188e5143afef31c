# ruff: noqa: F401, F811 - the fixtures of issuance_support are imported, then requested by name
"""Issuance with the seal on the clerk's token (the AGENT method): the key is not on the server, the
test acts as the signing agent (downloads with the one-time token, signs with the agency key and the
session's appearance, uploads with the upload token); an abandoned session then a retry keeps the
number; the issue page hands the session to the agent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from vanthu.core.blobs import blob_read
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import FileRole
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import VersionKind
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import issuance
from vanthu.outgoing.tests.issuance_support import pki
from vanthu.outgoing.tests.issuance_support import recipient_agencies
from vanthu.outgoing.tests.issuance_support import signed_outgoing
from vanthu.outgoing.tests.test_views import client_for
from vanthu.signing import sessions
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import sign_pdf
from vanthu.signing.pades import verify_pdf
from vanthu.signing.services import certificate_register_for_agency
from vanthu.signing.services import signature_image_upload
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests import sessions_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_token_certificate(agency: Any, admin: Any, pki: TestPki, now: datetime) -> Certificate:
    """The agency's seal certificate registered with the public certificate only (the key stays on
    the clerk's token), and the agency's seal image."""
    sessions_support.add_trust_store(pki, now)
    certificate = certificate_register_for_agency(agency=agency, data=pki.agency.pem, actor=admin, now=now)
    signature_image_upload(data=sessions_support.seal_png(), agency=agency, actor=admin, now=now)
    return certificate


def _agent_signs(prepared: sessions.PreparedSignature, pki: TestPki, now: datetime) -> bytes:
    """What the signing agent does: fetch the PDF with the download token, sign it with the agency
    key on the token and the appearance the session asks for."""
    session = prepared.session
    pdf = sessions.signature_document_fetch(session=session, token=prepared.download_token, now=now)
    return sign_pdf(
        pdf=pdf,
        signer=signer_for(pki, "agency"),
        appearance=sessions.appearance_from_data(session.appearance),
        now=now,
        field_name=session.field_name,
    )


def _prepare(outgoing: Outgoing, certificate: Certificate, clerk: Any, now: datetime) -> sessions.PreparedSignature:
    return issuance.outgoing_seal_prepare(
        outgoing=outgoing, certificate=certificate, method=SigningMethod.AGENT, actor=clerk, now=now
    )


def _upload(prepared: sessions.PreparedSignature, signed: bytes, clerk: Any, now: datetime) -> SigningSession:
    return sessions.signature_apply(
        session=prepared.session, actor=clerk, now=now, uploaded_pdf=signed, upload_token=prepared.upload_token
    )


class TestIssuanceWithTheAgent:
    def test_issues_with_the_seal_signed_on_the_token(  # noqa: PLR0913 - the parts of an issuance
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        agency_token_certificate: Certificate,
        recipient_agencies: list[Any],
        pki: TestPki,
        now: datetime,
    ) -> None:
        assert not agency_token_certificate.has_private_key_on_server
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now, recipients=recipient_agencies)

        started = issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now)
        prepared = _prepare(started, agency_token_certificate, clerk, now)
        assert prepared.download_token
        assert prepared.upload_token
        session = _upload(prepared, _agent_signs(prepared, pki, now), clerk, now)
        issued = issuance.outgoing_issue_finish(outgoing=started, session=session, actor=clerk, now=now)

        assert session.status == SigningStatus.COMPLETED
        assert issued.status == OutgoingStatus.ISSUED
        assert issued.document.number_symbol == "01/QĐ-STC"
        version = issued.document.versions.get(kind=VersionKind.ISSUED)
        pdf = blob_read(sha256=str(version.files.get(role=FileRole.MAIN).pdf_id))
        report = verify_pdf(pdf=pdf, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now)
        assert len(report.signatures) == 2
        assert report.all_valid
        assert report.signatures[1].signer.sha256 == pki.agency.fingerprint_sha256
        deliveries = list(Delivery.objects.filter(document=issued.document))
        assert {delivery.recipient_agency_id for delivery in deliveries} == {a.pk for a in recipient_agencies}
        assert {(delivery.status, delivery.kind) for delivery in deliveries} == {
            (DeliveryStatus.ARRIVED, DeliveryKind.ORIGINAL)
        }
        assert {delivery.blob_id for delivery in deliveries} == {version.files.get(role=FileRole.MAIN).pdf_id}

    def test_an_abandoned_session_then_a_retry_keeps_the_number(  # noqa: PLR0913 - the parts of an issuance
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        agency_token_certificate: Certificate,
        pki: TestPki,
        now: datetime,
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)
        started = issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now)
        abandoned = _prepare(started, agency_token_certificate, clerk, now)

        # The clerk closed the agent window; a second click on "issue" starts again.
        again = issuance.outgoing_issue_start(outgoing=started, actor=clerk, now=now)
        retry = _prepare(again, agency_token_certificate, clerk, now)
        session = _upload(retry, _agent_signs(retry, pki, now), clerk, now)
        issued = issuance.outgoing_issue_finish(outgoing=again, session=session, actor=clerk, now=now)

        abandoned.session.refresh_from_db()
        assert abandoned.session.status != SigningStatus.COMPLETED
        assert retry.session.pk != abandoned.session.pk
        assert issued.status == OutgoingStatus.ISSUED
        assert issued.document.number_symbol == "01/QĐ-STC"
        assert issued.register_entry_id == started.register_entry_id
        entries = RegisterEntry.objects.filter(register=issued.register)
        assert [(entry.number, entry.status) for entry in entries] == [(1, EntryStatus.USED)]

    def test_the_abandoned_session_can_no_longer_be_uploaded(  # noqa: PLR0913 - the parts of an issuance
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        agency_token_certificate: Certificate,
        pki: TestPki,
        now: datetime,
    ) -> None:
        started = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )
        abandoned = _prepare(started, agency_token_certificate, clerk, now)
        signed_late = _agent_signs(abandoned, pki, now)
        _prepare(started, agency_token_certificate, clerk, now)

        with pytest.raises(TransitionNotAllowedError):  # the abandoned session was cancelled by the retry
            _upload(abandoned, signed_late, clerk, now)

        abandoned.session.refresh_from_db()
        assert abandoned.session.status == SigningStatus.CANCELLED
        started.refresh_from_db()
        assert started.status == OutgoingStatus.ISSUING
        assert not Delivery.objects.exists()


@pytest.mark.usefixtures("frozen_clock")
class TestIssuePageWithATokenCertificate:
    def test_hands_the_session_to_the_signing_agent(
        self, clerk: Any, officer: Any, agency: Any, agency_token_certificate: Certificate, now: datetime
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)

        response = client_for(clerk).post(
            reverse("outgoing:issue", args=[outgoing.pk]), {"certificate": agency_token_certificate.pk}
        )

        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="sign-agent-button"' in html
        outgoing.refresh_from_db()
        assert outgoing.status == OutgoingStatus.ISSUING
        assert outgoing.sealing_session_id is not None
        session = SigningSession.objects.get(pk=outgoing.sealing_session_id)
        assert session.method == SigningMethod.AGENT
        manifest = reverse("signing_agent:manifest", kwargs={"session_id": session.pk})
        assert f'data-manifest-url="http://testserver{manifest}?token=' in html
        assert reverse("outgoing:issue_finish", args=[outgoing.pk, session.pk]) in html
