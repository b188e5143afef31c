"""Review circuits: submitting (checks, rounds, deadlines), the full circuit unit review → format
check → two parallel opinions → approval, sending back to the drafter or the previous step,
delegation, templates and proposals; one audit event per service."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest

from vanthu.audit.models import AuditEvent
from vanthu.core.errors import ConflictError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import FileRole
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import VersionComment
from vanthu.notify.models import Notification
from vanthu.org.models import Role
from vanthu.org.tests.factories import DelegationFactory
from vanthu.org.tests.factories import UnitFactory
from vanthu.org.tests.factories import person_with_role
from vanthu.outgoing import events
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus
from vanthu.outgoing.services import outgoing_act
from vanthu.outgoing.services.drafting import RecipientInput
from vanthu.outgoing.services.drafting import outgoing_create
from vanthu.outgoing.services.review import StepInput
from vanthu.outgoing.services.review import TemplateStepInput
from vanthu.outgoing.services.review import circuit_proposal
from vanthu.outgoing.services.review import circuit_template_save
from vanthu.outgoing.services.review import outgoing_review
from vanthu.outgoing.services.review import outgoing_send_back
from vanthu.outgoing.services.review import outgoing_submit
from vanthu.outgoing.tests.factories import document_type
from vanthu.outgoing.tests.factories import pdf_upload

pytestmark = pytest.mark.django_db

# NOW is Tuesday 10 March 2026, 09:00 in Vietnam.
END_OF_WEDNESDAY = datetime(2026, 3, 11, 16, 59, 59, 999999, tzinfo=UTC)
END_OF_FRIDAY = datetime(2026, 3, 13, 16, 59, 59, 999999, tzinfo=UTC)


@pytest.fixture
def draft(officer: Any, agency: Any, other_agency: Any, agency_leader: Any, now: datetime) -> Outgoing:
    return outgoing_create(
        agency=agency,
        document_type=document_type("QĐ"),
        subject="Về việc phê duyệt dự toán ngân sách năm 2026",
        actor=officer,
        now=now,
        signer=agency_leader,
        main=pdf_upload(),
        recipients=[RecipientInput(kind=RecipientKind.AGENCY, agency_id=other_agency.pk)],
    )


@pytest.fixture
def opinion_leaders(agency: Any) -> list[Any]:
    return [
        person_with_role(Role.UNIT_LEADER, agency, UnitFactory(agency=agency, name=name, abbreviation=code))
        for name, code in (("Phòng Pháp chế", "PC"), ("Phòng Đầu tư", "ĐT"))
    ]


@pytest.fixture
def circuit(unit_leader: Any, clerk: Any, agency_leader: Any, opinion_leaders: list[Any]) -> list[StepInput]:
    return [
        StepInput(kind=StepKind.UNIT_REVIEW, assignee_id=unit_leader.pk, ordinal=1),
        StepInput(kind=StepKind.FORMAT_CHECK, assignee_id=clerk.pk, ordinal=2, working_days=3),
        StepInput(kind=StepKind.OPINION, assignee_id=opinion_leaders[0].pk, ordinal=3, working_days=2),
        StepInput(kind=StepKind.OPINION, assignee_id=opinion_leaders[1].pk, ordinal=3, working_days=2),
        StepInput(kind=StepKind.APPROVAL, assignee_id=agency_leader.pk, ordinal=4),
    ]


def _active(outgoing: Outgoing) -> list[tuple[str, int]]:
    return sorted(
        ReviewStep.objects.filter(outgoing=outgoing, status=StepStatus.ACTIVE).values_list("kind", "assignee_id")
    )


def _count(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


class TestOutgoingSubmit:
    def test_starts_the_first_step_with_its_deadline(
        self, draft: Outgoing, officer: Any, unit_leader: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        assert (outgoing.status, outgoing.submitted_at) == (OutgoingStatus.IN_REVIEW, now)
        first = ReviewStep.objects.get(outgoing=draft, status=StepStatus.ACTIVE)
        assert (first.assignee, first.round, first.activated_at, first.due_at) == (
            unit_leader,
            1,
            now,
            END_OF_WEDNESDAY,
        )
        waiting = ReviewStep.objects.filter(outgoing=draft, status=StepStatus.WAITING).order_by("ordinal", "id")
        assert [(step.working_days, step.due_at) for step in waiting] == [
            (step.working_days, None) for step in sorted(circuit[1:], key=lambda item: (item.ordinal, item.kind))
        ]  # a waiting step keeps its allowance; its deadline is set when it starts
        assert Notification.objects.filter(recipient=unit_leader).count() == 1
        assert _count(events.OUTGOING_SUBMITTED) == 1

    def test_goes_straight_to_the_signer_when_the_circuit_is_the_approval(
        self, draft: Outgoing, officer: Any, agency_leader: Any, now: datetime
    ) -> None:
        steps = [StepInput(kind=StepKind.APPROVAL, assignee_id=agency_leader.pk, ordinal=1)]
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=steps)
        assert outgoing.status == OutgoingStatus.AWAITING_SIGNATURE
        assert outgoing.history.last().action == "submit_to_signer"  # type: ignore[union-attr]

    def test_sets_the_signer_from_the_approval_step_when_none_was_chosen(
        self, officer: Any, agency: Any, other_agency: Any, agency_leader: Any, now: datetime
    ) -> None:
        draft = outgoing_create(
            agency=agency,
            document_type=document_type("QĐ"),
            subject="Về việc",
            actor=officer,
            now=now,
            main=pdf_upload(),
            recipients=[RecipientInput(kind=RecipientKind.AGENCY, agency_id=other_agency.pk)],
        )
        steps = [StepInput(kind=StepKind.APPROVAL, assignee_id=agency_leader.pk, ordinal=1)]
        outgoing_submit(outgoing=draft, actor=officer, now=now, steps=steps)
        draft.document.refresh_from_db()
        assert (draft.document.signer, draft.document.signer_name) == (agency_leader, "Trần Văn Giám Đốc")

    def test_refuses_a_draft_without_a_ready_main_pdf(
        self, draft: Outgoing, officer: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        DocumentFile.objects.filter(version__document=draft.document, role=FileRole.MAIN).update(pdf=None)
        with pytest.raises(ConflictError) as refused:
            outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        assert refused.value.code == "main_file_not_ready"
        draft.refresh_from_db()
        assert draft.status == OutgoingStatus.DRAFT
        assert not ReviewStep.objects.exists()

    def test_refuses_a_draft_without_recipients(
        self, draft: Outgoing, officer: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        draft.document.recipients.all().delete()
        with pytest.raises(ValidationError) as refused:
            outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        assert refused.value.details == {"field": "recipients"}

    @pytest.mark.parametrize(
        "shape",
        [
            [],
            [(StepKind.UNIT_REVIEW, "unit_leader", 1)],
            [(StepKind.APPROVAL, "agency_leader", 1), (StepKind.UNIT_REVIEW, "unit_leader", 2)],
            [(StepKind.UNIT_REVIEW, "unit_leader", 1), (StepKind.APPROVAL, "agency_leader", 1)],
            [(StepKind.APPROVAL, "unit_leader", 1)],  # not the document's signer
            [(StepKind.UNIT_REVIEW, "other_officer", 1), (StepKind.APPROVAL, "agency_leader", 2)],
            [(StepKind.APPROVAL, "agency_leader", 1), (StepKind.APPROVAL, "agency_leader", 2)],
            [("LUNCH", "unit_leader", 1), (StepKind.APPROVAL, "agency_leader", 2)],
        ],
    )
    def test_refuses_a_bad_circuit(
        self, draft: Outgoing, officer: Any, request: pytest.FixtureRequest, now: datetime, shape: list[Any]
    ) -> None:
        steps = [
            StepInput(kind=kind, assignee_id=request.getfixturevalue(who).pk, ordinal=ordinal)
            for kind, who, ordinal in shape
        ]
        with pytest.raises(ValidationError):
            outgoing_submit(outgoing=draft, actor=officer, now=now, steps=steps)
        assert not ReviewStep.objects.exists()

    def test_only_the_drafter_submits(
        self, draft: Outgoing, unit_leader: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        with pytest.raises(PermissionDeniedError):
            outgoing_submit(outgoing=draft, actor=unit_leader, now=now, steps=circuit)


class TestFullCircuit:
    def test_unit_review_format_check_parallel_opinions_then_the_signer(
        self,
        draft: Outgoing,
        officer: Any,
        unit_leader: Any,
        clerk: Any,
        agency_leader: Any,
        opinion_leaders: list[Any],
        circuit: list[StepInput],
        now: datetime,
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        outgoing = outgoing_review(outgoing=outgoing, actor=unit_leader, now=now, comment="Đồng ý nội dung")
        assert _active(outgoing) == [(StepKind.FORMAT_CHECK, clerk.pk)]
        format_check = ReviewStep.objects.get(kind=StepKind.FORMAT_CHECK)
        assert format_check.due_at == END_OF_FRIDAY  # 3 working days from Tuesday

        outgoing = outgoing_review(outgoing=outgoing, actor=clerk, now=now)
        assert _active(outgoing) == sorted((StepKind.OPINION, leader.pk) for leader in opinion_leaders)

        outgoing = outgoing_review(outgoing=outgoing, actor=opinion_leaders[1], now=now, comment="Không ý kiến")
        assert outgoing.status == OutgoingStatus.IN_REVIEW
        assert _active(outgoing) == [(StepKind.OPINION, opinion_leaders[0].pk)]

        outgoing = outgoing_review(outgoing=outgoing, actor=opinion_leaders[0], now=now)
        assert outgoing.status == OutgoingStatus.AWAITING_SIGNATURE
        assert _active(outgoing) == [(StepKind.APPROVAL, agency_leader.pk)]
        assert list(outgoing.history.values_list("action", flat=True)) == [
            "create",
            "submit",
            "review",
            "review",
            "review",
            "reach_signer",
        ]
        assert _count(events.OUTGOING_REVIEWED) == 4
        assert sorted(VersionComment.objects.values_list("text", flat=True)) == ["Không ý kiến", "Đồng ý nội dung"]
        assert Notification.objects.filter(recipient=agency_leader).count() == 1

    def test_the_signer_cannot_review_and_a_reviewer_cannot_act_twice(
        self,
        draft: Outgoing,
        officer: Any,
        unit_leader: Any,
        agency_leader: Any,
        circuit: list[StepInput],
        now: datetime,
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        with pytest.raises(PermissionDeniedError):
            outgoing_review(outgoing=outgoing, actor=agency_leader, now=now)
        outgoing_review(outgoing=outgoing, actor=unit_leader, now=now)
        with pytest.raises(PermissionDeniedError):
            outgoing_review(outgoing=outgoing, actor=unit_leader, now=now)


class TestDelegation:
    def test_the_unit_leaders_delegate_reviews_in_their_place(
        self,
        draft: Outgoing,
        officer: Any,
        unit_leader: Any,
        clerk: Any,
        agency: Any,
        unit: Any,
        circuit: list[StepInput],
        now: datetime,
    ) -> None:
        deputy = person_with_role(Role.OFFICER, agency, unit, full_name="Mai Thị Cấp Phó")
        DelegationFactory(delegator=unit_leader, delegate=deputy, agency=agency, unit=unit, role=Role.UNIT_LEADER)
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        outgoing = outgoing_review(outgoing=outgoing, actor=deputy, now=now)
        step = ReviewStep.objects.get(kind=StepKind.UNIT_REVIEW)
        assert (step.status, step.assignee, step.decided_by) == (StepStatus.DONE, unit_leader, deputy)
        assert _active(outgoing) == [(StepKind.FORMAT_CHECK, clerk.pk)]


class TestOutgoingSendBack:
    def test_back_to_the_drafter_ends_the_round_and_a_new_submission_opens_the_next(
        self, draft: Outgoing, officer: Any, unit_leader: Any, clerk: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        outgoing = outgoing_review(outgoing=outgoing, actor=unit_leader, now=now)
        outgoing = outgoing_send_back(outgoing=outgoing, actor=clerk, now=now, reason="Sai thể thức phần nơi nhận")
        assert outgoing.status == OutgoingStatus.DRAFT
        statuses = dict(ReviewStep.objects.values_list("kind", "status").filter(ordinal__lte=2))
        assert statuses == {StepKind.UNIT_REVIEW: StepStatus.DONE, StepKind.FORMAT_CHECK: StepStatus.SENT_BACK}
        assert set(ReviewStep.objects.filter(ordinal__gt=2).values_list("status", flat=True)) == {StepStatus.CANCELLED}
        assert ReviewStep.objects.get(kind=StepKind.FORMAT_CHECK).comment == "Sai thể thức phần nơi nhận"
        assert VersionComment.objects.get().text == "Sai thể thức phần nơi nhận"
        assert outgoing.history.last().note == "Sai thể thức phần nơi nhận"  # type: ignore[union-attr]
        assert Notification.objects.filter(recipient=officer).count() == 1
        assert _count(events.OUTGOING_SENT_BACK) == 1

        outgoing = outgoing_submit(outgoing=outgoing, actor=officer, now=now, steps=circuit)
        assert set(ReviewStep.objects.filter(status=StepStatus.ACTIVE).values_list("round", flat=True)) == {2}

    def test_back_to_the_previous_step_runs_it_again_then_this_one(
        self, draft: Outgoing, officer: Any, unit_leader: Any, clerk: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        outgoing = outgoing_review(outgoing=outgoing, actor=unit_leader, now=now)
        later = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)  # Thursday
        outgoing = outgoing_send_back(
            outgoing=outgoing, actor=clerk, now=later, reason="Xin trưởng phòng xem lại số liệu", to_previous=True
        )
        assert outgoing.status == OutgoingStatus.IN_REVIEW
        assert outgoing.history.last().action == "return_to_previous"  # type: ignore[union-attr]
        again = ReviewStep.objects.get(kind=StepKind.UNIT_REVIEW, status=StepStatus.ACTIVE)
        assert (again.round, again.activated_at, again.due_at) == (1, later, END_OF_FRIDAY)
        outgoing = outgoing_review(outgoing=outgoing, actor=unit_leader, now=later)
        assert _active(outgoing) == [(StepKind.FORMAT_CHECK, clerk.pk)]
        format_check = ReviewStep.objects.get(kind=StepKind.FORMAT_CHECK, status=StepStatus.ACTIVE)
        assert format_check.due_at == datetime(2026, 3, 17, 16, 59, 59, 999999, tzinfo=UTC)  # 3 working days on

    def test_back_to_previous_from_the_first_step_goes_to_the_drafter(
        self, draft: Outgoing, officer: Any, unit_leader: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        outgoing = outgoing_send_back(
            outgoing=outgoing, actor=unit_leader, now=now, reason="Viết lại", to_previous=True
        )
        assert outgoing.status == OutgoingStatus.DRAFT

    def test_the_signer_sends_back_to_the_drafter(
        self, draft: Outgoing, officer: Any, agency_leader: Any, now: datetime
    ) -> None:
        steps = [StepInput(kind=StepKind.APPROVAL, assignee_id=agency_leader.pk, ordinal=1)]
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=steps)
        outgoing = outgoing_send_back(outgoing=outgoing, actor=agency_leader, now=now, reason="Chưa đủ căn cứ")
        assert outgoing.status == OutgoingStatus.DRAFT

    def test_needs_a_reason_and_a_step(
        self, draft: Outgoing, officer: Any, unit_leader: Any, clerk: Any, circuit: list[StepInput], now: datetime
    ) -> None:
        outgoing = outgoing_submit(outgoing=draft, actor=officer, now=now, steps=circuit)
        with pytest.raises(ValidationError):
            outgoing_send_back(outgoing=outgoing, actor=unit_leader, now=now, reason="  ")
        with pytest.raises(PermissionDeniedError):
            outgoing_send_back(outgoing=outgoing, actor=clerk, now=now, reason="Chưa đến lượt")
        assert _count(events.OUTGOING_SENT_BACK) == 0


class TestCircuitTemplates:
    def test_the_built_in_proposal_is_unit_head_office_signer(
        self, draft: Outgoing, unit_leader: Any, clerk: Any, agency_leader: Any, now: datetime
    ) -> None:
        assert circuit_proposal(outgoing=draft, now=now) == [
            StepInput(kind=StepKind.UNIT_REVIEW, assignee_id=unit_leader.pk, ordinal=1),
            StepInput(kind=StepKind.FORMAT_CHECK, assignee_id=clerk.pk, ordinal=2),
            StepInput(kind=StepKind.APPROVAL, assignee_id=agency_leader.pk, ordinal=3),
        ]

    def test_a_template_for_the_type_is_preferred_and_fills_the_empty_persons(
        self,
        draft: Outgoing,
        admin: Any,
        agency: Any,
        unit_leader: Any,
        agency_leader: Any,
        opinion_leaders: list[Any],
        now: datetime,
    ) -> None:
        circuit_template_save(
            agency=agency,
            name="Chung",
            document_type=None,
            steps=[TemplateStepInput(kind=StepKind.APPROVAL, ordinal=1)],
            actor=admin,
            now=now,
        )
        template = circuit_template_save(
            agency=agency,
            name="Quyết định",
            document_type=document_type("QĐ"),
            steps=[
                TemplateStepInput(kind=StepKind.UNIT_REVIEW, ordinal=1),
                TemplateStepInput(kind=StepKind.OPINION, ordinal=2, assignee_id=opinion_leaders[0].pk, working_days=2),
                TemplateStepInput(kind=StepKind.APPROVAL, ordinal=3),
            ],
            actor=admin,
            now=now,
        )
        assert template.steps.count() == 3
        assert circuit_proposal(outgoing=draft, now=now) == [
            StepInput(kind=StepKind.UNIT_REVIEW, assignee_id=unit_leader.pk, ordinal=1),
            StepInput(kind=StepKind.OPINION, assignee_id=opinion_leaders[0].pk, ordinal=2, working_days=2),
            StepInput(kind=StepKind.APPROVAL, assignee_id=agency_leader.pk, ordinal=3),
        ]
        assert AuditEvent.objects.filter(action=events.CIRCUIT_TEMPLATE_SAVED).count() == 2

    def test_submitting_without_steps_uses_the_proposal(
        self, draft: Outgoing, officer: Any, unit_leader: Any, clerk: Any, now: datetime
    ) -> None:
        outgoing_submit(outgoing=draft, actor=officer, now=now)
        assert _active(draft) == [(StepKind.UNIT_REVIEW, unit_leader.pk)]

    @pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("agency_leader", True), ("clerk", False)])
    def test_who_may_save_a_template(
        self,
        role: str,
        allowed: bool,
        request: pytest.FixtureRequest,
        agency: Any,
        now: datetime,  # noqa: FBT001
    ) -> None:
        def save() -> Any:
            return circuit_template_save(
                agency=agency,
                name="Mẫu",
                document_type=None,
                steps=[TemplateStepInput(kind=StepKind.APPROVAL, ordinal=1)],
                actor=request.getfixturevalue(role),
                now=now,
            )

        if allowed:
            assert save().name == "Mẫu"
        else:
            with pytest.raises(PermissionDeniedError):
                save()


class TestOutgoingAct:
    def test_dispatches_submit_review_and_send_back(
        self, draft: Outgoing, officer: Any, unit_leader: Any, clerk: Any, agency_leader: Any, now: datetime
    ) -> None:
        steps = [
            {"kind": "UNIT_REVIEW", "assignee_id": unit_leader.pk, "ordinal": 1},
            {"kind": "FORMAT_CHECK", "assignee_id": clerk.pk, "ordinal": 2, "working_days": 2},
            {"kind": "APPROVAL", "assignee_id": agency_leader.pk, "ordinal": 3},
        ]
        outgoing = outgoing_act(outgoing=draft, action="submit", actor=officer, now=now, payload={"steps": steps})
        outgoing = outgoing_act(outgoing=outgoing, action="review", actor=unit_leader, now=now, payload={})
        outgoing = outgoing_act(
            outgoing=outgoing, action="return_to_drafter", actor=clerk, now=now, payload={"reason": "Sửa"}
        )
        assert outgoing.status == OutgoingStatus.DRAFT

    def test_lists_the_missing_fields(self, draft: Outgoing, officer: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as refused:
            outgoing_act(outgoing=draft, action="withdraw", actor=officer, now=now, payload={})
        assert refused.value.details == {"missing": ["reason"]}

    def test_refuses_bad_steps(self, draft: Outgoing, officer: Any, now: datetime) -> None:
        with pytest.raises(ValidationError) as refused:
            outgoing_act(
                outgoing=draft, action="submit", actor=officer, now=now, payload={"steps": [{"kind": "APPROVAL"}]}
            )
        assert refused.value.details == {"field": "assignee_id", "index": 0}

    @pytest.mark.parametrize("action", ["fly", "sign", "reach_signer", ""])
    def test_an_unknown_action_is_a_404(self, draft: Outgoing, officer: Any, now: datetime, action: str) -> None:
        from vanthu.core.errors import NotFoundError

        with pytest.raises(NotFoundError) as refused:
            outgoing_act(outgoing=draft, action=action, actor=officer, now=now, payload={})
        assert refused.value.code == "unknown_action"
