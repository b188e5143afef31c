"""The six queues: each shows the right documents to each role, filters, counts, bounded queries."""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest

from vanthu.core.errors import NotFoundError
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import Urgency
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryStatus
from vanthu.org.grants import grants_cached
from vanthu.outgoing import selectors
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus
from vanthu.outgoing.tests.factories import CREATED_AT
from vanthu.outgoing.tests.factories import DocumentFactory
from vanthu.outgoing.tests.factories import OutgoingFactory
from vanthu.outgoing.tests.factories import ReviewStepFactory

pytestmark = pytest.mark.django_db

# The grants of the person (own roles, delegations received, merged agencies), then one list query.
MAX_QUEUE_QUERIES = 6
NUMBERED = (OutgoingStatus.ISSUING, OutgoingStatus.ISSUED, OutgoingStatus.RECALLED, OutgoingStatus.REPLACED)


def make_outgoing(*, agency: Any, drafter: Any, status: str = OutgoingStatus.DRAFT, **fields: Any) -> Outgoing:
    """A document in any status; numbered statuses get their register entry (the model requires it)."""
    if status not in NUMBERED:
        built: Outgoing = OutgoingFactory(agency=agency, drafter=drafter, status=status, **fields)
        return built
    register, _created = Register.objects.get_or_create(
        agency=agency, year=2026, code="DI", defaults={"scope": RegisterScope.OUTGOING, "name": "Sổ văn bản đi"}
    )
    number = register.next_number
    document = DocumentFactory(
        agency=agency,
        created_by=drafter,
        number=number,
        issued_date=date(2026, 3, 2),
        drafting_unit=fields.get("drafting_unit"),
    )
    entry = RegisterEntry.objects.create(
        register=register,
        number=number,
        status=EntryStatus.USED,
        document=document,
        allocated_by=drafter,
        allocated_at=CREATED_AT,
    )
    register.next_number = number + 1
    register.save(update_fields=["next_number"])
    outgoing: Outgoing = OutgoingFactory(
        agency=agency,
        drafter=drafter,
        status=status,
        document=document,
        register=register,
        register_entry=entry,
        **fields,
    )
    return outgoing


def in_review(*, agency: Any, drafter: Any, assignee: Any, kind: str = StepKind.UNIT_REVIEW, **fields: Any) -> Outgoing:
    status = OutgoingStatus.AWAITING_SIGNATURE if kind == StepKind.APPROVAL else OutgoingStatus.IN_REVIEW
    outgoing = make_outgoing(agency=agency, drafter=drafter, status=status, **fields)
    ReviewStepFactory(outgoing=outgoing, kind=kind, assignee=assignee, status=StepStatus.ACTIVE)
    return outgoing


def pks(queryset: Any) -> set[int]:
    return {outgoing.pk for outgoing in queryset}


@pytest.fixture
def documents(
    agency: Any, unit: Any, officer: Any, unit_leader: Any, agency_leader: Any, other_officer: Any
) -> dict[str, Outgoing]:
    return {
        "draft": make_outgoing(agency=agency, drafter=officer, drafting_unit=unit),
        "review": in_review(agency=agency, drafter=officer, assignee=unit_leader, drafting_unit=unit),
        "sign": in_review(agency=agency, drafter=officer, assignee=agency_leader, kind=StepKind.APPROVAL),
        "signed": make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.SIGNED),
        "issued": make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.ISSUED),
        "recalled": make_outgoing(agency=agency, drafter=officer, status=OutgoingStatus.RECALLED),
        "elsewhere": make_outgoing(agency=other_officer.roles.first().agency, drafter=other_officer),
    }


class TestOutgoingQueueFor:
    def test_mine_holds_the_drafts_of_the_drafter_only(
        self, documents: Any, officer: Any, unit_leader: Any, now: Any
    ) -> None:
        assert pks(selectors.outgoing_queue_for(person=officer, queue="mine", now=now)) == {documents["draft"].pk}
        assert pks(selectors.outgoing_queue_for(person=unit_leader, queue="mine", now=now)) == set()

    def test_opinions_hold_my_active_review_steps(
        self, documents: Any, unit_leader: Any, officer: Any, now: Any
    ) -> None:
        assert pks(selectors.outgoing_queue_for(person=unit_leader, queue="opinions", now=now)) == {
            documents["review"].pk
        }
        assert pks(selectors.outgoing_queue_for(person=officer, queue="opinions", now=now)) == set()

    def test_to_sign_holds_my_active_approval_steps(
        self, documents: Any, agency_leader: Any, unit_leader: Any, now: Any
    ) -> None:
        assert pks(selectors.outgoing_queue_for(person=agency_leader, queue="to_sign", now=now)) == {
            documents["sign"].pk
        }
        assert pks(selectors.outgoing_queue_for(person=unit_leader, queue="to_sign", now=now)) == set()

    def test_to_issue_holds_signed_documents_of_my_registry(
        self, documents: Any, clerk: Any, officer: Any, now: Any
    ) -> None:
        assert pks(selectors.outgoing_queue_for(person=clerk, queue="to_issue", now=now)) == {documents["signed"].pk}
        assert pks(selectors.outgoing_queue_for(person=officer, queue="to_issue", now=now)) == set()

    def test_issued_holds_issued_recalled_and_replaced_for_every_member(
        self, documents: Any, archivist: Any, other_officer: Any, now: Any
    ) -> None:
        expected = {documents["issued"].pk, documents["recalled"].pk}
        assert pks(selectors.outgoing_queue_for(person=archivist, queue="issued", now=now)) == expected
        assert pks(selectors.outgoing_queue_for(person=other_officer, queue="issued", now=now)) == set()

    def test_tracking_counts_each_recipients_status(
        self, documents: Any, clerk: Any, other_agency: Any, province: Any, now: Any
    ) -> None:
        issued = documents["issued"]
        for recipient, code in ((other_agency, DeliveryStatus.ARRIVED), (province, DeliveryStatus.REFUSED)):
            Delivery.objects.create(
                document=issued.document,
                sender_agency=issued.agency,
                recipient_agency=recipient,
                recipient_name=recipient.name,
                channel="INTERNAL",
                status=code,
                status_at=now,
                sent_at=now,
                sent_by=clerk,
            )
        rows = {o.pk: o for o in selectors.outgoing_queue_for(person=clerk, queue="tracking", now=now)}
        assert set(rows) == {issued.pk, documents["recalled"].pk}
        assert (
            rows[issued.pk].deliveries_total,
            rows[issued.pk].deliveries_reached,
            rows[issued.pk].deliveries_problem,
        ) == (2, 1, 1)

    def test_refuses_an_unknown_queue(self, officer: Any, now: Any) -> None:
        with pytest.raises(NotFoundError):
            selectors.outgoing_queue_for(person=officer, queue="everything", now=now)

    def test_nobody_without_a_role_sees_anything(self, documents: Any, outsider: Any, superuser: Any, now: Any) -> None:
        for person in (outsider, superuser):
            for queue in selectors.Queue:
                assert not selectors.outgoing_queue_for(person=person, queue=queue, now=now).exists()

    def test_filters_by_text_number_urgency_and_date(self, documents: Any, archivist: Any, now: Any) -> None:
        issued = documents["issued"]
        issued.document.urgency = Urgency.FLASH
        issued.document.save(update_fields=["urgency"])

        def run(**filters: Any) -> set[int]:
            return pks(
                selectors.outgoing_queue_for(
                    person=archivist, queue="issued", now=now, filters=selectors.QueueFilters(**filters)
                )
            )

        assert run(text=issued.document.subject[-6:]) == {issued.pk}
        assert run(text=f"{issued.document.number:02d}/{issued.document.symbol}") == {issued.pk}
        assert run(urgency=Urgency.FLASH) == {issued.pk}
        assert run(date_from=date(2026, 3, 3)) == set()
        assert run(date_to=date(2026, 3, 2), document_type_id=issued.document.document_type_id) == {
            issued.pk,
            documents["recalled"].pk,
        }

    def test_marks_my_step_deadline(self, documents: Any, unit_leader: Any, now: Any) -> None:
        step = documents["review"].steps.get()
        step.due_at = now - timedelta(hours=1)
        step.save(update_fields=["due_at"])
        [row] = selectors.outgoing_queue_for(person=unit_leader, queue="opinions", now=now)
        assert row.my_step_due_at == now - timedelta(hours=1)

    @pytest.mark.parametrize("queue", list(selectors.Queue))
    def test_reads_one_or_thirty_rows_in_the_same_number_of_queries(
        self, queue: str, agency: Any, officer: Any, clerk: Any, now: Any, django_assert_max_num_queries: Any
    ) -> None:
        status = {"mine": OutgoingStatus.DRAFT, "to_issue": OutgoingStatus.SIGNED}.get(queue, OutgoingStatus.ISSUED)
        person = clerk if queue in ("to_issue", "tracking", "issued") else officer

        def read() -> int:
            with grants_cached(), django_assert_max_num_queries(MAX_QUEUE_QUERIES):
                return len(
                    [
                        o.document.document_type.name
                        for o in selectors.outgoing_queue_for(person=person, queue=queue, now=now)
                    ]
                )

        make_outgoing(agency=agency, drafter=officer, status=status)
        read()
        for _ in range(29):
            make_outgoing(agency=agency, drafter=officer, status=status)
        read()


class TestQueueCounts:
    def test_counts_every_queue_of_the_person(
        self, documents: Any, clerk: Any, officer: Any, agency_leader: Any, now: Any
    ) -> None:
        assert selectors.queue_counts(person=officer, now=now) == {
            "mine": 1,
            "opinions": 0,
            "to_sign": 0,
            "to_issue": 0,
            "issued": 2,
            "tracking": 2,
        }
        assert selectors.queue_counts(person=clerk, now=now)["to_issue"] == 1
        assert selectors.queue_counts(person=agency_leader, now=now)["to_sign"] == 1


class TestOutgoingGetFor:
    def test_is_a_404_for_someone_who_may_not_see_it(
        self, documents: Any, other_officer: Any, officer: Any, now: Any
    ) -> None:
        with pytest.raises(NotFoundError):
            selectors.outgoing_get_for(person=other_officer, pk=documents["draft"].pk, now=now)
        assert selectors.outgoing_get_for(person=officer, pk=documents["draft"].pk, now=now) == documents["draft"]
