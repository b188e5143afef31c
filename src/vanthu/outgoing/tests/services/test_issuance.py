# ruff: noqa: F401, F811 - the fixtures of issuance_support are imported, then requested by name
"""Numbering and issuance: the number bound when issuance starts (01, 02, restart on 1 January), a
second click, a failed seal and its retry, cancelling, the issued PDF (both signatures, number and
date on page 1, in pyHanko and poppler), deliveries, the signal, audit, and who may issue."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.blobs import blob_read
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import FileRole
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import VersionKind
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.org.models import Role
from vanthu.org.tests.factories import person_with_role
from vanthu.outgoing import events
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import issuance
from vanthu.outgoing.signals import document_issued
from vanthu.outgoing.tests.issuance_support import key_secrets
from vanthu.outgoing.tests.issuance_support import pki
from vanthu.outgoing.tests.issuance_support import recipient_agencies
from vanthu.outgoing.tests.issuance_support import seal_certificate
from vanthu.outgoing.tests.issuance_support import signed_outgoing
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import verify_pdf
from vanthu.signing.sessions import signature_apply
from vanthu.signing.tests.pades_helpers import HAS_POPPLER
from vanthu.signing.tests.pades_helpers import pdfsig

pytestmark = pytest.mark.django_db


def _issued_pdf(outgoing: Any) -> bytes:
    version = outgoing.document.versions.get(kind=VersionKind.ISSUED)
    return blob_read(sha256=str(version.files.get(role=FileRole.MAIN).pdf_id))


class TestOutgoingIssueStart:
    def test_numbers_01_then_02_in_the_general_register(
        self, clerk: Any, officer: Any, agency: Any, now: datetime
    ) -> None:
        first = signed_outgoing(agency=agency, drafter=officer, now=now)
        second = signed_outgoing(agency=agency, drafter=officer, now=now)

        first = issuance.outgoing_issue_start(outgoing=first, actor=clerk, now=now)
        second = issuance.outgoing_issue_start(outgoing=second, actor=clerk, now=now)

        assert first.status == second.status == OutgoingStatus.ISSUING
        assert (first.document.number_symbol, second.document.number_symbol) == ("01/QĐ-STC", "02/QĐ-STC")
        assert first.document.issued_date.isoformat() == "2026-03-10"
        assert first.register.scope == RegisterScope.OUTGOING
        assert first.register_entry.status == EntryStatus.USED
        assert first.register_entry.document_id == first.document_id

    def test_restarts_at_01_on_1_january_vietnam_time(self, clerk: Any, officer: Any, agency: Any) -> None:
        late_december = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 23:30 on 31 December in Vietnam
        new_year = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 January 2027 in Vietnam
        old = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=late_december), actor=clerk, now=late_december
        )
        issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=late_december), actor=clerk, now=late_december
        )

        new = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=new_year), actor=clerk, now=new_year
        )

        assert old.register.year == 2026
        assert (new.register.year, new.document.number) == (2027, 1)
        assert new.document.issued_date.isoformat() == "2027-01-01"

    def test_uses_the_type_register_when_the_agency_keeps_one(
        self, clerk: Any, officer: Any, agency: Any, now: datetime
    ) -> None:
        general = signed_outgoing(agency=agency, drafter=officer, now=now)
        issuance.outgoing_issue_start(outgoing=general, actor=clerk, now=now)
        decision = general.document.document_type
        Register.objects.create(
            agency=agency,
            year=2025,
            scope=RegisterScope.OUTGOING_TYPE,
            code="DI-QĐ",
            name="Sổ quyết định",
            document_type=decision,
        )

        typed = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )

        assert typed.register.scope == RegisterScope.OUTGOING_TYPE
        assert (typed.register.year, typed.document.number) == (2026, 1)

    def test_a_second_click_does_not_burn_a_number(self, clerk: Any, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)
        issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now)

        again = issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now + timedelta(seconds=1))

        assert again.document.number == 1
        assert RegisterEntry.objects.count() == 1
        assert AuditEvent.objects.filter(action=events.OUTGOING_ISSUE_STARTED).count() == 1

    def test_a_reserved_number_is_used(self, clerk: Any, officer: Any, agency: Any, now: datetime) -> None:
        from vanthu.documents.services import numbering

        register = numbering.register_for(agency=agency, year=2026, scope=RegisterScope.OUTGOING, actor=clerk, now=now)
        (reserved,) = numbering.number_reserve(register=register, count=1, actor=clerk, now=now, note="Cho Quyết định")
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)

        outgoing = issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now, reserved_entry=reserved)

        assert outgoing.register_entry_id == reserved.pk
        assert outgoing.document.number == reserved.number
        reserved.refresh_from_db()
        assert reserved.status == EntryStatus.USED

    def test_writes_the_history_and_one_audit_event(self, clerk: Any, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )

        (event,) = AuditEvent.objects.filter(action=events.OUTGOING_ISSUE_STARTED)
        assert event.data["number"] == 1
        assert event.actor_id == clerk.pk
        row = OutgoingHistory.objects.get(outgoing=outgoing, action="start_issue")
        assert (row.from_status, row.to_status) == ("SIGNED", "ISSUING")
        assert "01/QĐ-STC" in row.note

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.ADMIN, Role.ARCHIVIST])
    def test_refuses_every_role_but_the_clerk(self, role: str, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)
        person = person_with_role(role, agency)

        with pytest.raises((PermissionDeniedError, NotFoundError)):
            issuance.outgoing_issue_start(outgoing=outgoing, actor=person, now=now)
        assert not RegisterEntry.objects.exists()

    def test_refuses_the_clerk_of_another_agency(
        self, officer: Any, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)

        with pytest.raises(NotFoundError):
            issuance.outgoing_issue_start(outgoing=outgoing, actor=person_with_role(Role.CLERK, other_agency), now=now)

    def test_refuses_a_document_not_signed(self, clerk: Any, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)
        outgoing.__class__.objects.filter(pk=outgoing.pk).update(status=OutgoingStatus.AWAITING_SIGNATURE)

        with pytest.raises((TransitionNotAllowedError, NotFoundError, PermissionDeniedError)):
            issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now)
        assert not RegisterEntry.objects.exists()


class TestOutgoingIssue:
    def test_issues_to_three_agencies_with_both_signatures(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        recipient_agencies: list[Any],
        seal_certificate: Any,
        pki: Any,
        now: datetime,
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now, recipients=recipient_agencies)
        received: list[Any] = []

        def receiver(sender: Any, outgoing: Any, now: datetime, **kwargs: Any) -> None:
            received.append(outgoing.pk)

        document_issued.connect(receiver)
        try:
            outgoing = issuance.outgoing_issue(outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now)
        finally:
            document_issued.disconnect(receiver)

        assert outgoing.status == OutgoingStatus.ISSUED
        assert (outgoing.issued_at, outgoing.issued_by_id) == (now, clerk.pk)
        assert received == [outgoing.pk]
        deliveries = list(Delivery.objects.filter(document=outgoing.document))
        assert {delivery.recipient_agency_id for delivery in deliveries} == {a.pk for a in recipient_agencies}
        assert {(delivery.status, delivery.kind) for delivery in deliveries} == {
            (DeliveryStatus.ARRIVED, DeliveryKind.ORIGINAL)
        }
        pdf = _issued_pdf(outgoing)
        assert {delivery.blob_id for delivery in deliveries} == {
            outgoing.document.current_version.files.get(role=FileRole.MAIN).pdf_id
        }
        report = verify_pdf(pdf=pdf, trust_roots=[pki.root.der], other_certs=[pki.intermediate.der], now=now)
        assert len(report.signatures) == 2
        assert report.all_valid
        assert report.signatures[1].signer.sha256 == pki.agency.fingerprint_sha256
        assert outgoing.document.page_count == 2
        assert AuditEvent.objects.filter(action=events.OUTGOING_ISSUED, actor_id=clerk.pk).count() == 1

    @pytest.mark.skipif(not HAS_POPPLER, reason="poppler-utils and NSS tools are needed")
    def test_the_issued_pdf_shows_number_and_date_and_validates_in_pdfsig(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        seal_certificate: Any,
        pki: Any,
        now: datetime,
        tmp_path: Path,
    ) -> None:
        outgoing = issuance.outgoing_issue(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now),
            certificate=seal_certificate,
            actor=clerk,
            now=now,
        )
        pdf = _issued_pdf(outgoing)

        output = pdfsig(pdf, pki=pki, directory=tmp_path)
        assert output.count("Signature is Valid.") == 2
        (tmp_path / "issued.pdf").write_bytes(pdf)
        text = subprocess.run(  # noqa: S603
            [shutil.which("pdftotext") or "pdftotext", "-f", "1", "-l", "1", str(tmp_path / "issued.pdf"), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
        assert "01/QĐ-STC" in text
        assert "ngày 10 tháng 3 năm 2026" in text

    def test_signs_each_annex_with_the_number_line(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        seal_certificate: Any,
        pki: Any,
        now: datetime,
    ) -> None:
        outgoing = issuance.outgoing_issue(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now, with_annex=True),
            certificate=seal_certificate,
            actor=clerk,
            now=now,
        )

        version = outgoing.document.versions.get(kind=VersionKind.ISSUED)
        annex = version.files.get(role=FileRole.ANNEX)
        report = verify_pdf(
            pdf=blob_read(sha256=str(annex.pdf_id)),
            trust_roots=[pki.root.der],
            other_certs=[pki.intermediate.der],
            now=now,
        )
        assert len(report.signatures) == 1
        assert report.all_valid
        assert report.signatures[0].signer.sha256 == pki.agency.fingerprint_sha256

    def test_a_failed_seal_keeps_the_number_and_the_retry_reuses_it(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)
        with (
            mock.patch("vanthu.signing.sessions.sign_pdf", side_effect=ValidationError("HSM down")),
            pytest.raises(ValidationError),
        ):
            issuance.outgoing_issue(outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now)
        outgoing.refresh_from_db()
        assert outgoing.status == OutgoingStatus.ISSUING
        assert outgoing.document.number == 1

        outgoing = issuance.outgoing_issue(
            outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now + timedelta(minutes=1)
        )

        assert outgoing.status == OutgoingStatus.ISSUED
        assert outgoing.document.number == 1
        assert list(RegisterEntry.objects.values_list("number", "status")) == [(1, EntryStatus.USED)]

    def test_an_abandoned_seal_session_is_replaced_by_a_new_one(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        outgoing = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )
        first = issuance.outgoing_seal_prepare(
            outgoing=outgoing, certificate=seal_certificate, method=SigningMethod.SERVER_KEY, actor=clerk, now=now
        )
        second = issuance.outgoing_seal_prepare(
            outgoing=outgoing, certificate=seal_certificate, method=SigningMethod.SERVER_KEY, actor=clerk, now=now
        )
        first.session.refresh_from_db()
        assert first.session.status == SigningStatus.CANCELLED
        stale = signature_apply(session=second.session, actor=clerk, now=now)

        with pytest.raises(issuance.IssuanceError):
            issuance.outgoing_issue_finish(outgoing=outgoing, session=first.session, actor=clerk, now=now)
        outgoing = issuance.outgoing_issue_finish(outgoing=outgoing, session=stale, actor=clerk, now=now)

        assert outgoing.status == OutgoingStatus.ISSUED
        assert outgoing.document.number == 1

    def test_finish_refuses_a_session_not_yet_signed(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        outgoing = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )
        prepared = issuance.outgoing_seal_prepare(
            outgoing=outgoing, certificate=seal_certificate, method=SigningMethod.SERVER_KEY, actor=clerk, now=now
        )

        with pytest.raises(issuance.IssuanceError):
            issuance.outgoing_issue_finish(outgoing=outgoing, session=prepared.session, actor=clerk, now=now)
        outgoing.refresh_from_db()
        assert outgoing.status == OutgoingStatus.ISSUING

    def test_seal_prepare_refuses_a_document_not_being_issued(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now)

        with pytest.raises(TransitionNotAllowedError):
            issuance.outgoing_seal_prepare(
                outgoing=outgoing, certificate=seal_certificate, method=SigningMethod.SERVER_KEY, actor=clerk, now=now
            )
        assert not SigningSession.objects.exists()

    def test_a_second_click_after_issuance_changes_nothing(  # noqa: PLR0913
        self,
        clerk: Any,
        officer: Any,
        agency: Any,
        recipient_agencies: list[Any],
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=now, recipients=recipient_agencies)
        issuance.outgoing_issue(outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now)

        again = issuance.outgoing_issue(outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now)

        assert again.status == OutgoingStatus.ISSUED
        assert RegisterEntry.objects.count() == 1
        assert Delivery.objects.count() == 3


class TestOutgoingIssueCancel:
    def test_marks_the_number_cancelled_with_the_reason(
        self, clerk: Any, officer: Any, agency: Any, now: datetime
    ) -> None:
        outgoing = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )

        outgoing = issuance.outgoing_issue_cancel(outgoing=outgoing, reason="Sai trích yếu", actor=clerk, now=now)

        assert outgoing.status == OutgoingStatus.SIGNED
        assert outgoing.register_entry is None
        outgoing.document.refresh_from_db()
        assert outgoing.document.number is None
        entry = RegisterEntry.objects.get()
        assert (entry.number, entry.status, entry.cancelled_reason) == (1, EntryStatus.CANCELLED, "Sai trích yếu")
        assert AuditEvent.objects.filter(action=events.OUTGOING_ISSUE_CANCELLED).count() == 1

        again = issuance.outgoing_issue_start(outgoing=outgoing, actor=clerk, now=now)
        assert again.document.number == 2

    def test_refuses_without_a_reason(self, clerk: Any, officer: Any, agency: Any, now: datetime) -> None:
        outgoing = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )

        with pytest.raises(ValidationError):
            issuance.outgoing_issue_cancel(outgoing=outgoing, reason="  ", actor=clerk, now=now)
        assert RegisterEntry.objects.get().status == EntryStatus.USED


class TestDuplicateWarning:
    def test_warns_in_the_history_when_the_number_is_already_used_by_the_issuer(
        self, clerk: Any, officer: Any, agency: Any, now: datetime
    ) -> None:
        from vanthu.outgoing.services.paper import outgoing_register_paper  # a paper one numbered elsewhere
        from vanthu.outgoing.tests.issuance_support import decision_type

        outgoing_register_paper(
            agency=agency,
            document_type=decision_type(),
            subject="Giấy",
            signer_name="A",
            signer_position="",
            signer_authority="",
            issued_date=now.date(),
            scanned=None,
            recipients=[],
            actor=clerk,
            now=now,
        )
        register = RegisterEntry.objects.get().register
        Register.objects.filter(pk=register.pk).update(next_number=1)  # a register set back by hand
        RegisterEntry.objects.filter(register=register).update(number=99)

        outgoing = issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )
        from vanthu.documents.models import Document

        Document.objects.filter(number=99).update(number=1)

        assert [d.pk for d in issuance.outgoing_duplicates(outgoing=outgoing)] != []
        assert outgoing.status == OutgoingStatus.ISSUING
