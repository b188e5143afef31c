"""Documents signed on paper: the number from the same stream as electronic ones, origin PAPER,
created ISSUED, no deliveries, the scan kept; refusals."""

from __future__ import annotations

import io
from datetime import date
from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import UnsupportedMediaTypeError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import Origin
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import VersionKind
from vanthu.documents.uploads import Upload
from vanthu.exchange.models import Delivery
from vanthu.outgoing import events
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import issuance
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.paper import outgoing_register_paper
from vanthu.outgoing.tests.issuance_support import annex_pdf
from vanthu.outgoing.tests.issuance_support import decision_type
from vanthu.outgoing.tests.issuance_support import signed_outgoing

pytestmark = pytest.mark.django_db


def _register(clerk: Any, agency: Any, now: datetime, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "agency": agency,
        "document_type": decision_type(),
        "subject": "Về việc khen thưởng",
        "signer_name": "Trần Văn Giám Đốc",
        "signer_position": "Giám đốc",
        "signer_authority": "",
        "issued_date": date(2026, 3, 9),
        "scanned": None,
        "recipients": [],
        "actor": clerk,
        "now": now,
    }
    fields.update(overrides)
    return outgoing_register_paper(**fields)


class TestOutgoingRegisterPaper:
    def test_takes_the_next_number_of_the_same_stream(
        self, clerk: Any, officer: Any, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )

        outgoing = _register(
            clerk,
            agency,
            now,
            scanned=Upload(name="scan.pdf", content=io.BytesIO(annex_pdf())),
            recipients=[RecipientInput(kind=RecipientKind.AGENCY, agency_id=other_agency.pk)],
        )

        assert outgoing.status == OutgoingStatus.ISSUED
        assert outgoing.is_paper
        assert outgoing.document.origin == Origin.PAPER
        assert outgoing.document.number_symbol == "02/QĐ-STC"
        assert outgoing.document.issued_date == date(2026, 3, 9)
        assert outgoing.document.versions.get().kind == VersionKind.ISSUED
        assert outgoing.document.recipients.count() == 1
        assert not Delivery.objects.exists()
        assert AuditEvent.objects.filter(action=events.OUTGOING_PAPER_REGISTERED).count() == 1

    def test_refuses_an_officer(self, officer: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(PermissionDeniedError):
            _register(officer, agency, now)

    def test_refuses_a_scan_that_is_not_a_pdf(self, clerk: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(UnsupportedMediaTypeError):
            _register(clerk, agency, now, scanned=Upload(name="scan.pdf", content=io.BytesIO(b"PK\x03\x04 word")))

    def test_refuses_a_date_in_the_future(self, clerk: Any, agency: Any, now: datetime) -> None:
        with pytest.raises(ValidationError):
            _register(clerk, agency, now, issued_date=date(2026, 3, 11))
