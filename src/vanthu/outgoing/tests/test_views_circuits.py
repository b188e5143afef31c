"""The review circuit templates screen: a leader saves a template for Quyết định and drafts of that
type are proposed its circuit; the form's refusals; who may open it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from vanthu.audit.models import AuditEvent
from vanthu.outgoing import events
from vanthu.outgoing.models import CircuitTemplate
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.services.review import circuit_proposal
from vanthu.outgoing.tests.factories import OutgoingFactory
from vanthu.outgoing.tests.factories import document_type
from vanthu.outgoing.tests.test_views import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

URL = "outgoing:circuits"


def _post_data(name: str, type_pk: Any, steps: list[tuple[int, str, Any, int]], **extra: Any) -> dict[str, Any]:
    """The form's fields: the header and the step formset (ordinal, kind, person or "", days)."""
    data: dict[str, Any] = {
        "name": name,
        "document_type": type_pk,
        "step-TOTAL_FORMS": str(len(steps)),
        "step-INITIAL_FORMS": "0",
        "step-MIN_NUM_FORMS": "0",
        "step-MAX_NUM_FORMS": "30",
        **extra,
    }
    for index, (ordinal, kind, assignee, days) in enumerate(steps):
        data[f"step-{index}-ordinal"] = ordinal
        data[f"step-{index}-kind"] = kind
        data[f"step-{index}-assignee"] = assignee
        data[f"step-{index}-working_days"] = days
    return data


def _draft(agency: Any, drafter: Any, unit: Any, code: str) -> Any:
    return OutgoingFactory(
        agency=agency, drafter=drafter, drafting_unit=unit, document__document_type=document_type(code)
    )


class TestCircuitTemplatesPage:
    def test_a_leader_saves_a_template_that_drafts_of_its_type_are_proposed(  # noqa: PLR0913 - the roles of a circuit
        self, agency_leader: Any, unit_leader: Any, clerk: Any, officer: Any, agency: Any, unit: Any, now: datetime
    ) -> None:
        decision = document_type("QĐ")
        client = client_for(agency_leader)
        assert client.get(reverse(URL)).status_code == 200

        response = client.post(
            reverse(URL),
            _post_data(
                "Quyết định của Sở",
                decision.pk,
                [
                    (1, StepKind.UNIT_REVIEW, "", 2),
                    (2, StepKind.FORMAT_CHECK, clerk.pk, 3),
                    (3, StepKind.APPROVAL, agency_leader.pk, 1),
                ],
            ),
        )

        assert response.status_code == 302
        template = CircuitTemplate.objects.get(agency=agency)
        assert (template.name, template.document_type_id) == ("Quyết định của Sở", decision.pk)
        assert AuditEvent.objects.filter(action=events.CIRCUIT_TEMPLATE_SAVED).count() == 1
        proposal = circuit_proposal(outgoing=_draft(agency, officer, unit, "QĐ"), now=now)
        assert [(s.ordinal, s.kind, s.assignee_id, s.working_days) for s in proposal] == [
            (1, StepKind.UNIT_REVIEW, unit_leader.pk, 2),
            (2, StepKind.FORMAT_CHECK, clerk.pk, 3),
            (3, StepKind.APPROVAL, agency_leader.pk, 1),
        ]
        other = circuit_proposal(outgoing=_draft(agency, officer, unit, "CONG_VAN"), now=now)
        assert [s.working_days for s in other if s.kind == StepKind.FORMAT_CHECK] == [1]
        page = client.get(response["Location"]).content.decode()
        assert f'id="circuit-template-{template.pk}"' in page
        assert "Quyết định của Sở" in page

    def test_saving_the_same_name_and_type_replaces_the_steps(
        self, agency_leader: Any, clerk: Any, agency: Any
    ) -> None:
        client = client_for(agency_leader)
        first = [(1, StepKind.FORMAT_CHECK, clerk.pk, 3), (2, StepKind.APPROVAL, "", 1)]
        client.post(reverse(URL), _post_data("Chung", "", first))

        client.post(reverse(URL), _post_data("Chung", "", [(1, StepKind.APPROVAL, agency_leader.pk, 2)]))

        template = CircuitTemplate.objects.get(agency=agency)
        assert template.document_type_id is None
        assert [(s.kind, s.assignee_id, s.working_days) for s in template.steps.all()] == [
            (StepKind.APPROVAL, agency_leader.pk, 2)
        ]
        edit = client.get(reverse(URL), {"template": template.pk}).content.decode()
        assert 'value="Chung"' in edit

    def test_a_circuit_without_approval_last_stays_on_the_form(self, agency_leader: Any, clerk: Any) -> None:
        response = client_for(agency_leader).post(
            reverse(URL),
            _post_data("Sai", "", [(1, StepKind.APPROVAL, "", 1), (2, StepKind.FORMAT_CHECK, clerk.pk, 1)]),
        )

        assert response.status_code == 422
        html = response.content.decode()
        assert 'id="form-errors"' in html
        assert 'value="Sai"' in html
        assert not CircuitTemplate.objects.exists()

    def test_a_person_outside_the_agency_is_refused_on_the_form(self, agency_leader: Any, other_officer: Any) -> None:
        response = client_for(agency_leader).post(
            reverse(URL), _post_data("Ngoài", "", [(1, StepKind.APPROVAL, other_officer.pk, 1)])
        )

        assert response.status_code == 422
        assert not CircuitTemplate.objects.exists()

    def test_an_admin_of_the_agency_may_set_circuits(self, admin: Any, agency_leader: Any) -> None:
        response = client_for(admin).post(
            reverse(URL), _post_data("Chung", "", [(1, StepKind.APPROVAL, agency_leader.pk, 1)])
        )

        assert response.status_code == 302
        assert CircuitTemplate.objects.count() == 1

    def test_an_officer_is_refused(self, officer: Any, agency_leader: Any) -> None:
        client = client_for(officer)

        assert client.get(reverse(URL)).status_code == 403
        response = client.post(reverse(URL), _post_data("Chung", "", [(1, StepKind.APPROVAL, agency_leader.pk, 1)]))
        assert response.status_code == 403
        assert not CircuitTemplate.objects.exists()

    def test_the_queues_page_links_it_for_leaders_and_admins_only(
        self, agency_leader: Any, admin: Any, officer: Any, clerk: Any
    ) -> None:
        for person, shown in ((agency_leader, True), (admin, True), (officer, False), (clerk, False)):
            html = client_for(person).get(reverse("outgoing:queues")).content.decode()
            assert ('id="outgoing-circuits"' in html) is shown
