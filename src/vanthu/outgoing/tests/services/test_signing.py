"""Approval by the signer: the personal signature applied through the signing agent on the draft's
main PDF; the SIGNED version, the closed approval step; wrong or unfinished sessions refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.documents.models import FileRole
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import Urgency
from vanthu.documents.models import VersionKind
from vanthu.notify.models import Notification
from vanthu.outgoing import events
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepStatus
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.drafting import outgoing_create
from vanthu.outgoing.services.review import StepInput
from vanthu.outgoing.services.review import outgoing_submit
from vanthu.outgoing.services.signing import outgoing_sign_finish
from vanthu.outgoing.services.signing import outgoing_sign_prepare
from vanthu.outgoing.tests.factories import document_type
from vanthu.outgoing.tests.factories import pdf_upload
from vanthu.signing import sessions
from vanthu.signing.models import Certificate
from vanthu.signing.models import SigningMethod
from vanthu.signing.pades import sign_pdf
from vanthu.signing.services import certificate_register_for_person
from vanthu.signing.services import signature_image_upload
from vanthu.signing.testing.pdfs import signature_png
from vanthu.signing.testing.pki import TestPki
from vanthu.signing.testing.pki import build_test_pki
from vanthu.signing.testing.pki import signer_for
from vanthu.signing.tests import sessions_support as support

pytestmark = pytest.mark.django_db

SIGNER_NAME = "Trần Văn Giám Đốc"


@pytest.fixture
def pki(now: datetime) -> TestPki:
    return build_test_pki(now)


@pytest.fixture
def certificate(agency_leader: Any, pki: TestPki, now: datetime) -> Certificate:
    support.add_trust_store(pki, now)
    signature_image_upload(person=agency_leader, data=signature_png(), actor=agency_leader, now=now)
    return certificate_register_for_person(person=agency_leader, data=pki.person.pem, actor=agency_leader, now=now)


def _awaiting_signature(
    officer: Any, agency: Any, signer: Any, recipient: Any, now: datetime, **fields: Any
) -> Outgoing:
    draft = outgoing_create(
        agency=agency,
        document_type=document_type("QĐ"),
        subject="Về việc phê duyệt dự toán ngân sách năm 2026",
        actor=officer,
        now=now,
        signer=signer,
        signer_authority="",
        signer_position="GIÁM ĐỐC",
        main=pdf_upload(signer_name=SIGNER_NAME, signer_title="GIÁM ĐỐC"),
        annexes=[pdf_upload("phu-luc.pdf")],
        recipients=[RecipientInput(kind=RecipientKind.AGENCY, agency_id=recipient.pk)],
        **fields,
    )
    steps = [StepInput(kind="APPROVAL", assignee_id=signer.pk, ordinal=1)]
    return outgoing_submit(outgoing=draft, actor=officer, now=now, steps=steps)


@pytest.fixture
def awaiting(officer: Any, agency: Any, agency_leader: Any, other_agency: Any, now: datetime) -> Outgoing:
    return _awaiting_signature(officer, agency, agency_leader, other_agency, now)


def _agent_signs(prepared: Any, signer: Any, pki: TestPki, now: datetime) -> Any:
    """What the signing agent does: download once, sign with the token's key, upload once."""
    session = prepared.session
    pdf = sessions.signature_document_fetch(session=session, token=prepared.download_token, now=now)
    signed = sign_pdf(
        pdf=pdf,
        signer=signer_for(pki, "person"),  # type: ignore[arg-type]
        appearance=sessions.appearance_from_data(session.appearance),
        now=now,
        field_name=session.field_name,
    )
    return sessions.signature_apply(
        session=session, actor=signer, now=now, uploaded_pdf=signed, upload_token=prepared.upload_token
    )


def _main_sha256(outgoing: Outgoing) -> str:
    outgoing.document.refresh_from_db()
    version = outgoing.document.current_version
    assert version is not None
    return str(version.files.get(role=FileRole.MAIN).pdf_id)


class TestOutgoingSign:
    def test_the_signer_signs_with_the_agent_and_the_draft_becomes_signed(
        self, awaiting: Outgoing, agency_leader: Any, certificate: Certificate, pki: TestPki, now: datetime
    ) -> None:
        original_sha256 = _main_sha256(awaiting)
        original = blob_read(sha256=original_sha256)
        prepared = outgoing_sign_prepare(
            outgoing=awaiting, certificate=certificate, method=SigningMethod.AGENT, actor=agency_leader, now=now
        )
        awaiting.refresh_from_db()
        assert awaiting.signing_session_id == prepared.session.pk
        appearance = sessions.appearance_from_data(prepared.session.appearance)
        assert (appearance.name, appearance.title) == (SIGNER_NAME, "GIÁM ĐỐC")  # type: ignore[union-attr]

        session = _agent_signs(prepared, agency_leader, pki, now)
        outgoing = outgoing_sign_finish(outgoing=awaiting, session=session, actor=agency_leader, now=now)

        assert (outgoing.status, outgoing.signed_at) == (OutgoingStatus.SIGNED, now)
        version = outgoing.document.current_version
        assert version is not None
        assert version.kind == VersionKind.SIGNED
        assert version.files.get(role=FileRole.MAIN).pdf_id == session.result_sha256
        assert version.files.filter(role=FileRole.ANNEX).count() == 1
        report = support.verify(pki, blob_read(sha256=session.result_sha256), now)
        assert report.signature_count == 1
        assert report.all_valid
        assert blob_read(sha256=original_sha256) == original
        step = ReviewStep.objects.get(outgoing=outgoing)
        assert (step.status, step.decided_by) == (StepStatus.DONE, agency_leader)
        assert outgoing.history.last().action == "sign"  # type: ignore[union-attr]
        [event] = AuditEvent.objects.filter(action=events.OUTGOING_SIGNED)
        assert (event.data["sha256_before"], event.data["sha256_after"]) == (original_sha256, session.result_sha256)
        assert AuditEvent.objects.filter(action=events.OUTGOING_SIGNING_PREPARED).count() == 1

    def test_refuses_a_session_that_is_not_the_drafts(
        self, awaiting: Outgoing, agency_leader: Any, certificate: Certificate, pki: TestPki, now: datetime
    ) -> None:
        first = outgoing_sign_prepare(
            outgoing=awaiting, certificate=certificate, method=SigningMethod.AGENT, actor=agency_leader, now=now
        )
        stray = sessions.signature_prepare(
            pdf_sha256=_main_sha256(awaiting),
            method=SigningMethod.AGENT,
            certificate=certificate,
            appearance=None,
            actor=agency_leader,
            now=now,
        )
        stray_session = _agent_signs(stray, agency_leader, pki, now)
        with pytest.raises(ConflictError) as refused:
            outgoing_sign_finish(outgoing=awaiting, session=stray_session, actor=agency_leader, now=now)
        assert refused.value.code == "wrong_session"
        with pytest.raises(ConflictError) as unfinished:
            outgoing_sign_finish(outgoing=awaiting, session=first.session, actor=agency_leader, now=now)
        assert unfinished.value.code == "signature_not_finished"
        awaiting.refresh_from_db()
        assert awaiting.status == OutgoingStatus.AWAITING_SIGNATURE
        assert not AuditEvent.objects.filter(action=events.OUTGOING_SIGNED).exists()

    def test_only_the_signer_prepares(
        self, awaiting: Outgoing, officer: Any, certificate: Certificate, now: datetime
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            outgoing_sign_prepare(
                outgoing=awaiting, certificate=certificate, method=SigningMethod.AGENT, actor=officer, now=now
            )

    def test_an_urgent_document_tells_the_clerks_at_once(
        self,
        officer: Any,
        agency: Any,
        agency_leader: Any,
        other_agency: Any,
        clerk: Any,
        certificate: Certificate,
        pki: TestPki,
        now: datetime,
    ) -> None:
        urgent = _awaiting_signature(officer, agency, agency_leader, other_agency, now, urgency=Urgency.FLASH)
        prepared = outgoing_sign_prepare(
            outgoing=urgent, certificate=certificate, method=SigningMethod.AGENT, actor=agency_leader, now=now
        )
        outgoing_sign_finish(
            outgoing=urgent, session=_agent_signs(prepared, agency_leader, pki, now), actor=agency_leader, now=now
        )
        assert Notification.objects.filter(recipient=clerk, kind="outgoing.signed").count() == 1
