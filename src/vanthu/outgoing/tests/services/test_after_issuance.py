# ruff: noqa: F401, F811 - the fixtures of issuance_support are imported, then requested by name
"""After issuance: recall (status 13 to every recipient, final), change of recipients, replacement
(the old one REPLACED, REPLACEMENT deliveries) and correction (a Công văn, CORRECTION deliveries)."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import VersionKind
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus
from vanthu.org.tests.factories import AgencyFactory
from vanthu.outgoing import events
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import after_issuance
from vanthu.outgoing.services import issuance
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.tests.issuance_support import key_secrets
from vanthu.outgoing.tests.issuance_support import pki
from vanthu.outgoing.tests.issuance_support import recipient_agencies
from vanthu.outgoing.tests.issuance_support import seal_certificate
from vanthu.outgoing.tests.issuance_support import signed_outgoing

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(
    clerk: Any, officer: Any, agency: Any, recipient_agencies: list[Any], seal_certificate: Any, now: datetime
) -> Outgoing:
    outgoing = signed_outgoing(agency=agency, drafter=officer, now=now, recipients=recipient_agencies)
    return issuance.outgoing_issue(outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=now)


class TestOutgoingRecall:
    def test_sends_status_13_to_every_recipient_and_is_final(self, issued: Outgoing, clerk: Any, now: datetime) -> None:
        later = now + timedelta(hours=1)

        outgoing = after_issuance.outgoing_recall(outgoing=issued, reason="Ban hành nhầm", actor=clerk, now=later)

        assert outgoing.status == OutgoingStatus.RECALLED
        assert (outgoing.recalled_at, outgoing.recall_reason) == (later, "Ban hành nhầm")
        recalls = Delivery.objects.filter(document=outgoing.document, kind=DeliveryKind.RECALL)
        assert recalls.count() == 3
        assert set(recalls.values_list("status", flat=True)) == {DeliveryStatus.RECALL_REQUESTED}
        assert AuditEvent.objects.filter(action=events.OUTGOING_RECALLED).count() == 1
        with pytest.raises((TransitionNotAllowedError, PermissionDeniedError)):
            after_issuance.outgoing_recall(outgoing=outgoing, reason="Lần nữa", actor=clerk, now=later)

    def test_refuses_without_a_reason(self, issued: Outgoing, clerk: Any, now: datetime) -> None:
        with pytest.raises(ValidationError):
            after_issuance.outgoing_recall(outgoing=issued, reason="", actor=clerk, now=now)
        issued.refresh_from_db()
        assert issued.status == OutgoingStatus.ISSUED

    def test_refuses_the_drafter(self, issued: Outgoing, officer: Any, now: datetime) -> None:
        with pytest.raises(PermissionDeniedError):
            after_issuance.outgoing_recall(outgoing=issued, reason="Sai", actor=officer, now=now)


class TestOutgoingChangeRecipients:
    def test_a_new_recipient_receives_the_issued_pdf(
        self, issued: Outgoing, clerk: Any, province: Any, now: datetime
    ) -> None:
        newcomer = AgencyFactory(name="Sở Giáo dục", abbreviation="SGD", parent=province)

        outgoing = after_issuance.outgoing_change_recipients(
            outgoing=issued,
            add=[RecipientInput(kind=RecipientKind.AGENCY, agency_id=newcomer.pk)],
            remove_ids=[],
            reason="Bổ sung nơi nhận",
            actor=clerk,
            now=now,
        )

        assert outgoing.status == OutgoingStatus.ISSUED
        delivery = Delivery.objects.get(recipient_agency=newcomer)
        assert (delivery.kind, delivery.status) == (DeliveryKind.RECIPIENTS_CHANGE, DeliveryStatus.ARRIVED)
        original = Delivery.objects.filter(document=outgoing.document, kind=DeliveryKind.ORIGINAL).first()
        assert original is not None
        assert delivery.blob_id == original.blob_id
        assert outgoing.document.recipients.count() == 4
        assert AuditEvent.objects.filter(action=events.OUTGOING_RECIPIENTS_CHANGED).count() == 1

    def test_a_removed_recipient_is_asked_to_give_it_back(self, issued: Outgoing, clerk: Any, now: datetime) -> None:
        recipients = list(issued.document.recipients.filter(agency__isnull=False).order_by("ordinal"))
        removed, kept = recipients[0], recipients[1:]

        outgoing = after_issuance.outgoing_change_recipients(
            outgoing=issued, add=[], remove_ids=[removed.pk], reason="Gửi nhầm nơi nhận", actor=clerk, now=now
        )

        recalls = Delivery.objects.filter(document=outgoing.document, kind=DeliveryKind.RECALL)
        assert [(d.recipient_agency_id, d.status) for d in recalls] == [
            (removed.agency_id, DeliveryStatus.RECALL_REQUESTED)
        ]
        assert not recalls.filter(recipient_agency_id__in=[line.agency_id for line in kept]).exists()
        assert outgoing.document.recipients.filter(pk=removed.pk).count() == 0
        assert outgoing.status == OutgoingStatus.ISSUED

    def test_refuses_a_recipient_of_another_document(self, issued: Outgoing, clerk: Any, now: datetime) -> None:
        with pytest.raises(ValidationError):
            after_issuance.outgoing_change_recipients(
                outgoing=issued, add=[], remove_ids=[999999], reason="Bớt", actor=clerk, now=now
            )


class TestOutgoingDraftFollowUp:
    def test_issuing_a_replacement_replaces_the_old_one(  # noqa: PLR0913
        self,
        issued: Outgoing,
        clerk: Any,
        officer: Any,
        seal_certificate: Any,
        now: datetime,
    ) -> None:
        draft = after_issuance.outgoing_draft_follow_up(outgoing=issued, kind="replacement", actor=officer, now=now)
        assert (draft.status, draft.replaces_id) == (OutgoingStatus.DRAFT, issued.pk)
        assert draft.document.document_type_id == issued.document.document_type_id
        assert draft.document.recipients.count() == 3
        # the draft goes through review and signature (outflow); here it is signed directly
        signed = signed_outgoing(agency=issued.agency, drafter=officer, now=now)
        Outgoing.objects.filter(pk=signed.pk).update(replaces=issued)
        signed.document.recipients.all().delete()
        for recipient in draft.document.recipients.all():
            recipient.pk = None
            recipient.document = signed.document
            recipient.save()

        replacement = issuance.outgoing_issue(outgoing=signed, certificate=seal_certificate, actor=clerk, now=now)

        issued.refresh_from_db()
        assert issued.status == OutgoingStatus.REPLACED
        kinds = set(Delivery.objects.filter(document=replacement.document).values_list("kind", flat=True))
        assert kinds == {DeliveryKind.REPLACEMENT}
        assert AuditEvent.objects.filter(action=events.OUTGOING_REPLACED).count() == 1

    def test_a_correction_is_a_cong_van_linked_to_the_issued_one(
        self, issued: Outgoing, clerk: Any, now: datetime
    ) -> None:
        draft = after_issuance.outgoing_draft_follow_up(outgoing=issued, kind="correction", actor=clerk, now=now)

        assert draft.corrects_id == issued.pk
        assert draft.document.document_type.code == "CONG_VAN"
        assert draft.document.subject.startswith("V/v đính chính Quyết định số 01/QĐ-STC")
        assert issued.document.versions.filter(kind=VersionKind.ISSUED).count() == 1
