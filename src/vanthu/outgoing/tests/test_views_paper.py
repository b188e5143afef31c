"""The screen that registers a document signed on paper: a clerk registers one (the next number of
the same register as electronic documents), an officer is refused, a scan that is not a PDF is
refused on the form with nothing lost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vanthu.documents.models import Origin
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import issuance
from vanthu.outgoing.tests.issuance_support import annex_pdf
from vanthu.outgoing.tests.issuance_support import decision_type
from vanthu.outgoing.tests.issuance_support import signed_outgoing
from vanthu.outgoing.tests.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

URL = "outgoing:register_paper"


def _data(agency: Any, other_agency: Any, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "agency": agency.pk,
        "document_type": decision_type().pk,
        "subject": "Về việc khen thưởng tập thể năm 2025",
        "signer_authority": "KT",
        "signer_position": "Phó Giám đốc",
        "signer_name": "Trần Văn Phó",
        "issued_date": "2026-03-09",
        "recipient_agencies": [other_agency.pk],
        "external_recipients": "Công ty A; POST; 12 Lê Lợi",
    }
    data.update(overrides)
    return data


class TestRegisterPaperPage:
    def test_the_queues_page_offers_it_to_clerks_only(self, clerk: Any, officer: Any) -> None:
        for person, shown in ((clerk, True), (officer, False)):
            html = client_for(person).get(reverse("outgoing:queues")).content.decode()
            assert ('id="outgoing-register-paper"' in html) is shown

    def test_a_clerk_registers_one_with_the_next_number_of_the_stream(
        self, clerk: Any, officer: Any, agency: Any, other_agency: Any, now: datetime
    ) -> None:
        issuance.outgoing_issue_start(
            outgoing=signed_outgoing(agency=agency, drafter=officer, now=now), actor=clerk, now=now
        )
        client = client_for(clerk)
        assert client.get(reverse(URL)).status_code == 200

        scan = SimpleUploadedFile("scan.pdf", annex_pdf(), content_type="application/pdf")
        response = client.post(reverse(URL), {**_data(agency, other_agency), "scanned": scan})

        outgoing = Outgoing.objects.get(is_paper=True)
        assert response.status_code == 302
        assert response["Location"] == reverse("outgoing:detail", args=[outgoing.pk])
        assert outgoing.status == OutgoingStatus.ISSUED
        document = outgoing.document
        assert document.number_symbol == "02/QĐ-STC"
        assert document.origin == Origin.PAPER
        assert (document.signer_authority, document.signer_name) == ("KT", "Trần Văn Phó")
        assert document.issued_date.isoformat() == "2026-03-09"
        assert sorted(r.kind for r in document.recipients.all()) == ["AGENCY", "EXTERNAL"]
        detail = client.get(response["Location"]).content.decode()
        assert "02/QĐ-STC" in detail

    def test_an_officer_is_refused(self, officer: Any, agency: Any, other_agency: Any) -> None:
        client = client_for(officer)

        assert client.get(reverse(URL)).status_code == 403
        assert client.post(reverse(URL), _data(agency, other_agency)).status_code == 403
        assert not Outgoing.objects.exists()

    def test_a_scan_that_is_not_a_pdf_is_refused_on_the_form(self, clerk: Any, agency: Any, other_agency: Any) -> None:
        scan = SimpleUploadedFile("scan.pdf", b"PK\x03\x04 a zip, not a PDF", content_type="application/pdf")

        response = client_for(clerk).post(reverse(URL), {**_data(agency, other_agency), "scanned": scan})

        assert response.status_code == 415
        html = response.content.decode()
        assert 'id="id_scanned_error"' in html
        assert "Về việc khen thưởng tập thể năm 2025" in html
        assert "Trần Văn Phó" in html
        assert not Outgoing.objects.exists()

    def test_missing_fields_stay_on_the_form(self, clerk: Any, agency: Any, other_agency: Any) -> None:
        response = client_for(clerk).post(reverse(URL), _data(agency, other_agency, signer_name=" ", subject=""))

        assert response.status_code == 422
        html = response.content.decode()
        assert 'id="id_signer_name_error"' in html
        assert 'id="id_subject_error"' in html
        assert "Phó Giám đốc" in html
        assert not Outgoing.objects.exists()
