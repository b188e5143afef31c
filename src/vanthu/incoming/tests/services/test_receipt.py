"""Receipt: arrivals through the exchange (in bulk), electronic and paper receipt, verification."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanthu.core.errors import PermissionDeniedError
from vanthu.documents.models import Channel
from vanthu.documents.models import Direction
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Origin
from vanthu.documents.models import VersionKind
from vanthu.documents.uploads import Upload
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryStatus
from vanthu.exchange.tests.factories import issued_document
from vanthu.exchange.tests.factories import pdf_bytes
from vanthu.exchange.tests.factories import stored_pdf
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceKind
from vanthu.incoming.services.receipt import incoming_receive_deliveries
from vanthu.incoming.services.receipt import incoming_receive_electronic
from vanthu.incoming.services.receipt import incoming_verify
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import recall_sent
from vanthu.incoming.tests.factories import sender_clerk
from vanthu.org.tests.factories import AgencyFactory


class TestReceiveDeliveries:
    def test_an_arrival_becomes_the_recipients_own_document_sharing_the_senders_file(
        self, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now, number=7)
        document = incoming.document
        source = incoming.delivery.document  # type: ignore[union-attr]
        assert incoming.status == IncomingStatus.ARRIVED
        assert incoming.source == IncomingSource.INTERNAL
        assert incoming.agency_id == agency.pk
        assert (document.direction, document.agency_id, document.origin) == (
            Direction.INCOMING,
            agency.pk,
            Origin.BORN_DIGITAL,
        )
        assert document.pk != source.pk
        for field in ("number", "symbol", "subject", "identifier", "issuer_name", "urgency", "document_type_id"):
            assert getattr(document, field) == getattr(source, field), field
        version = document.current_version
        assert version is not None
        assert version.kind == VersionKind.RECEIVED
        main = DocumentFile.objects.get(version=version)
        assert main.source_id == main.pdf_id == incoming.delivery.blob_id  # type: ignore[union-attr]
        assert list(incoming.trace.values_list("kind", flat=True)) == [TraceKind.RECEIVED]

    def test_two_hundred_deliveries_take_as_many_queries_as_two(
        self, province: Any, other_agency: Any, now: datetime
    ) -> None:
        clerk = sender_clerk(other_agency)
        document = issued_document(agency=other_agency, created_by=clerk)
        blob = stored_pdf(now)
        recipients = [AgencyFactory(parent=province) for _ in range(204)]

        def deliveries(agencies: list[Any]) -> list[Delivery]:
            return Delivery.objects.bulk_create(
                [
                    Delivery(
                        document=document,
                        sender_agency=other_agency,
                        recipient_agency=recipient,
                        recipient_name=recipient.name,
                        channel=Channel.INTERNAL,
                        blob=blob,
                        status=DeliveryStatus.ARRIVED,
                        status_at=now,
                        sent_at=now,
                        sent_by=clerk,
                    )
                    for recipient in agencies
                ]
            )

        warm, few, many = deliveries(recipients[:2]), deliveries(recipients[2:4]), deliveries(recipients[4:])
        incoming_receive_deliveries(deliveries=warm, now=now)  # opens the audit chain once
        # Django assumes SQLite's old limit of 999 parameters a query and splits bulk inserts into
        # small batches; SQLite since 3.32 takes 32766 (PostgreSQL 65535).
        if connection.vendor == "sqlite":
            connection.features.__dict__["max_query_params"] = 32766
        try:
            with CaptureQueriesContext(connection) as small:
                incoming_receive_deliveries(deliveries=few, now=now)
            with CaptureQueriesContext(connection) as large:
                created = incoming_receive_deliveries(deliveries=many, now=now)
        finally:
            connection.features.__dict__.pop("max_query_params", None)
        assert len(created) == 200
        assert Incoming.objects.filter(delivery__in=many, status=IncomingStatus.ARRIVED).count() == 200
        assert len(large.captured_queries) == len(small.captured_queries)
        assert (
            len(large.captured_queries) <= 20
        )  # 14, and the searchable text: documents, files, recipients, the incoming source (2), the upsert

    def test_a_recall_marks_the_item_it_recalls(self, agency: Any, other_agency: Any, now: datetime) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        recall = recall_sent(incoming, now=now, reason="Sai số liệu")
        incoming.refresh_from_db()
        assert incoming.recall_requested_at == now
        assert incoming.status == IncomingStatus.ARRIVED
        assert incoming.trace.filter(data__recall_delivery=recall.pk, kind=TraceKind.RECALL_REQUESTED).exists()


class TestReceiveElectronic:
    def test_the_clerk_uploads_a_document_received_by_other_means(self, agency: Any, clerk: Any, now: datetime) -> None:
        incoming = incoming_receive_electronic(
            agency=agency,
            main=Upload(name="cong-van.pdf", content=io.BytesIO(pdf_bytes())),
            actor=clerk,
            now=now,
            document_type=DocumentType.objects.get(code="CONG_VAN", agency=None),
            subject="Về việc báo cáo quý I",
            symbol="12/BC-UBND",
            issuer_name="UBND tỉnh Nghệ An",
        )
        assert (incoming.status, incoming.source, incoming.received_by_id) == (
            IncomingStatus.ARRIVED,
            IncomingSource.ELECTRONIC,
            clerk.pk,
        )
        assert incoming.document.issuer_name == "UBND tỉnh Nghệ An"
        assert DocumentFile.objects.filter(version=incoming.document.current_version).count() == 1

    def test_an_officer_may_not_receive(self, agency: Any, officer: Any, now: datetime) -> None:
        with pytest.raises(PermissionDeniedError):
            incoming_receive_electronic(
                agency=agency,
                main=Upload(name="a.pdf", content=io.BytesIO(pdf_bytes())),
                actor=officer,
                now=now,
                document_type=DocumentType.objects.get(code="CONG_VAN", agency=None),
                subject="Về việc",
            )
        assert not Incoming.objects.exists()


class TestVerify:
    def test_the_report_of_an_unsigned_arrival_is_kept_with_it(
        self, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        incoming = arrived(sender=other_agency, recipient=agency, now=now)
        incoming_verify(incoming=incoming, now=now)
        incoming.refresh_from_db()
        assert incoming.verified_at == now
        assert incoming.verification is not None
        assert incoming.verification["pdf_sha256"] == incoming.delivery.blob_id  # type: ignore[union-attr]
        assert incoming.verification["report"]["signature_count"] == 0
        assert incoming.verification["report"]["all_valid"] is False
        assert incoming.trace.filter(kind=TraceKind.VERIFIED).count() == 1

    def test_each_arrival_is_verified_after_commit(
        self, agency: Any, other_agency: Any, now: datetime, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            incoming = arrived(sender=other_agency, recipient=agency, now=now)
        incoming.refresh_from_db()
        assert incoming.verified_at is not None
        assert incoming.verification is not None
