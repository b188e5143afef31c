"""The review screens driven end to end on a real draft: the submit form is prefilled from the
circuit proposal and editable; review, sign page, issue page with the number preview."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from vanthu.documents.models import Urgency
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.drafting import outgoing_create
from vanthu.outgoing.tests.factories import document_type
from vanthu.outgoing.tests.factories import pdf_upload
from vanthu.outgoing.tests.test_selectors import make_outgoing
from vanthu.outgoing.tests.test_views import actions_on_page
from vanthu.outgoing.tests.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


@pytest.fixture
def draft(agency: Any, unit: Any, other_agency: Any, officer: Any, agency_leader: Any, now: Any) -> Outgoing:
    return outgoing_create(
        agency=agency,
        document_type=document_type("QĐ"),
        subject="Quyết định phê duyệt kế hoạch năm 2026",
        actor=officer,
        now=now,
        drafting_unit=unit,
        signer=agency_leader,
        urgency=Urgency.NORMAL,
        recipients=[RecipientInput(kind="AGENCY", agency_id=other_agency.pk)],
        main=pdf_upload(),
    )


def formset_data(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "step-TOTAL_FORMS": str(len(rows)),
        "step-INITIAL_FORMS": "0",
        "step-MIN_NUM_FORMS": "0",
        "step-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"step-{index}-{name}"] = value
    return data


class TestSubmitReviewFlow:
    def test_submit_form_is_prefilled_with_the_proposal(
        self, draft: Outgoing, officer: Any, agency_leader: Any
    ) -> None:
        html = client_for(officer).get(reverse("outgoing:submit", args=[draft.pk])).content.decode()
        assert html.count('data-testid="circuit-step"') >= 2
        assert 'value="APPROVAL" selected' in html
        assert f'value="{agency_leader.pk}" selected' in html

    def test_a_circuit_without_approval_is_refused_on_the_form(
        self, draft: Outgoing, officer: Any, unit_leader: Any
    ) -> None:
        data = formset_data(
            [{"kind": StepKind.UNIT_REVIEW, "assignee": unit_leader.pk, "ordinal": 1, "working_days": 1}]
        )
        response = client_for(officer).post(reverse("outgoing:submit", args=[draft.pk]), data)
        assert response.status_code == 422
        assert 'id="form-errors"' in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == OutgoingStatus.DRAFT

    def test_submit_then_review_then_the_signer_sees_the_sign_button(
        self, draft: Outgoing, officer: Any, unit_leader: Any, agency_leader: Any
    ) -> None:
        data = formset_data(
            [
                {"kind": StepKind.UNIT_REVIEW, "assignee": unit_leader.pk, "ordinal": 1, "working_days": 2},
                {"kind": StepKind.APPROVAL, "assignee": agency_leader.pk, "ordinal": 2, "working_days": 1},
            ]
        )
        response = client_for(officer).post(reverse("outgoing:submit", args=[draft.pk]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        draft.refresh_from_db()
        assert draft.status == OutgoingStatus.IN_REVIEW

        reviewer = client_for(unit_leader)
        assert reviewer.get(reverse("outgoing:review", args=[draft.pk])).status_code == 200
        response = reviewer.post(reverse("outgoing:review", args=[draft.pk]), {"comment": "Đồng ý"})
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == OutgoingStatus.AWAITING_SIGNATURE

        signer = client_for(agency_leader)
        detail = signer.get(reverse("outgoing:detail", args=[draft.pk])).content.decode()
        assert "sign" in actions_on_page(detail)
        assert "Đồng ý" in detail
        sign_page = signer.get(reverse("outgoing:sign", args=[draft.pk]))
        assert sign_page.status_code == 200
        assert 'id="sign-no-certificate"' in sign_page.content.decode()


class TestIssuePage:
    def test_shows_the_next_number_of_the_register(self, agency: Any, officer: Any, clerk: Any) -> None:
        make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED)
        signed = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED)
        html = client_for(clerk).get(reverse("outgoing:issue", args=[signed.pk])).content.decode()
        assert '<span class="fs-5 fw-semibold" id="issue-number-preview">02</span>' in html

    def test_is_refused_to_an_officer(self, agency: Any, officer: Any) -> None:
        signed = make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED)
        assert client_for(officer).get(reverse("outgoing:issue", args=[signed.pk])).status_code in (403, 404)
