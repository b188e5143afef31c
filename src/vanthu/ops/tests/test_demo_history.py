"""The demo's year of history: the statistics read only audit events, so the events of the twelve
months before ``now`` must be there for every department, in the shapes the services write, and
tell the story (electronic signing rises, two communes lag on paper, late handling drops), on rows
the application works on (gap-free registers, a verifiable chain, few open documents), once."""

from __future__ import annotations

from collections import Counter
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings

from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.core.clock import vietnam_date
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentText
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.policies import documents_visible_to
from vanthu.exchange.models import Delivery
from vanthu.incoming.models import Incoming
from vanthu.incoming.selectors import incoming_queue_for
from vanthu.incoming.services.handling import completion_facts
from vanthu.ops.demo import demo_history_load
from vanthu.ops.scale.history import HistoryReport
from vanthu.org.demo import DEMO_PASSWORD
from vanthu.org.demo import DemoLoader
from vanthu.org.demo import demo_load
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Person
from vanthu.outgoing.models import Outgoing
from vanthu.signing.demo import SEAL_SECRET_NAME

# Loading the demo province and its year takes tens of seconds: each test checks a whole story.
pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 10:00 on a Friday in Vietnam
TODAY = vietnam_date(NOW)
# The twelve whole months before the current one (Vietnam time).
MONTHS = [f"{2025 + (10 + index) // 12}-{(10 + index) % 12 + 1:02d}" for index in range(12)]
ISSUED = "outgoing.document.issued"
PAPER = "outgoing.document.paper_registered"
REGISTERED = "incoming.document.registered"
DIRECTED = "incoming.document.directed"
COMPLETED = "incoming.document.completed"


@pytest.fixture
def history(db: None) -> HistoryReport:
    """The demo province's organisation (without its live documents) and its history."""
    DemoLoader(now=NOW, with_passwords=False).load()
    report = demo_history_load(now=NOW)
    assert report is not None
    return report


def _month(moment: datetime) -> str:
    return vietnam_date(moment).strftime("%Y-%m")


def _agency(abbreviation: str) -> Agency:
    return Agency.objects.get(abbreviation=abbreviation, valid_to__isnull=True, parent__isnull=False)


def _electronic_rates(agency_ids: set[int]) -> dict[str, float]:
    """Per month: documents issued electronically among all those signed (electronically or on paper)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for action, moment in AuditEvent.objects.filter(action__in=[ISSUED, PAPER], agency_id__in=agency_ids).values_list(
        "action", "occurred_at"
    ):
        counts[_month(moment)][action] += 1
    return {month: count[ISSUED] / (count[ISSUED] + count[PAPER]) for month, count in counts.items()}


def _late_share(months: list[str]) -> float:
    late = total = 0
    for data, moment in AuditEvent.objects.filter(action=COMPLETED).values_list("data", "occurred_at"):
        if _month(moment) in months:
            total += 1
            late += bool(data["late"])
    return late / total


class TestDemoHistory:
    def test_has_twelve_months_for_every_department_told_in_the_events_the_statistics_read(
        self, history: HistoryReport
    ) -> None:
        self.every_department_issues_and_registers_in_each_of_the_twelve_months(history)
        self.events_carry_the_fields_the_statistics_read(history)
        self.tells_the_story_of_the_year(history)

    def test_writes_rows_the_application_works_on_closed_but_a_few_and_only_once(self, history: HistoryReport) -> None:
        self.closes_its_documents_but_a_few_within_or_past_their_deadline(history)
        self.writes_rows_the_application_works_on_and_only_once(history)

    def every_department_issues_and_registers_in_each_of_the_twelve_months(self, history: HistoryReport) -> None:
        departments = Agency.objects.filter(kind=AgencyKind.DEPARTMENT, valid_to__isnull=True)
        assert departments.count() >= 10
        # Completions of the first month are those of its first weeks' arrivals: from the second on.
        for action, expected in ((ISSUED, MONTHS), (REGISTERED, MONTHS), (COMPLETED, MONTHS[1:])):
            months: dict[int, set[str]] = defaultdict(set)
            for agency_id, moment in AuditEvent.objects.filter(action=action).values_list("agency_id", "occurred_at"):
                months[agency_id].add(_month(moment))
            for department in departments:
                assert set(expected) <= months[department.pk], (action, department.abbreviation)
        assert 1500 <= history.documents <= 4000
        assert Document.objects.count() == history.documents
        assert history.documents == Outgoing.objects.count() + Incoming.objects.count()
        # Nothing dated after now; nothing before the twelve months (and the current one).
        assert not AuditEvent.objects.filter(occurred_at__gt=NOW).exists()
        assert not Document.objects.filter(created_at__lt=datetime(2025, 10, 1, tzinfo=UTC)).exists()

    def events_carry_the_fields_the_statistics_read(self, history: HistoryReport) -> None:
        issued = list(AuditEvent.objects.filter(action=ISSUED))
        deliveries = Counter(Delivery.objects.values_list("document_id", flat=True))
        for event in issued:
            assert event.target_type == "outgoing.outgoing"
            assert event.data["delivery_kind"] == "ORIGINAL"
            assert event.data["delivery_count"] == deliveries[event.data["document_id"]]
            assert isinstance(event.data["number_symbol"], str)
        papers = list(AuditEvent.objects.filter(action=PAPER))
        assert papers
        paper_outgoing = {row.pk: row for row in Outgoing.objects.filter(is_paper=True).select_related("document")}
        for event in papers:
            outgoing = paper_outgoing[int(event.target_id)]
            assert event.data["document_id"] == outgoing.document_id
            assert event.data["number_symbol"] == outgoing.document.number_symbol
            assert event.data["issued_date"] == outgoing.document.issued_date.isoformat()  # type: ignore[union-attr]
            assert event.data["register_id"] == outgoing.register_id
            assert isinstance(event.data["scanned"], bool)
            assert event.data["scanned"] == (outgoing.document.current_version_id is not None)
            assert isinstance(event.data["recipients"], int)
        incomings = {row.pk: row for row in Incoming.objects.all()}
        sources = Counter()
        for event in AuditEvent.objects.filter(action=REGISTERED):
            incoming = incomings[int(event.target_id)]
            assert event.data["source"] == incoming.source
            assert event.data["document"] == incoming.document_id
            assert event.data["register"] == "DEN"
            assert event.data["year"] == vietnam_date(event.occurred_at).year
            sources[event.data["source"]] += 1
        assert {"INTERNAL", "ELECTRONIC", "PAPER"} <= set(sources)
        for event in AuditEvent.objects.filter(action=DIRECTED):
            incoming = incomings[int(event.target_id)]
            assert event.data["due_date"] == incoming.due_date.isoformat()  # type: ignore[union-attr]
            assert isinstance(event.data["due_working_days"], int)
            assert isinstance(event.data["urgent"], bool)
            assert event.data["assignments"]
        completed = list(AuditEvent.objects.filter(action=COMPLETED))
        for event in completed:
            incoming = incomings[int(event.target_id)]
            assert event.data["from"] == "IN_PROGRESS"
            assert event.data["assignments_closed"] >= 1
            facts = completion_facts(incoming, event.occurred_at)
            assert {key: event.data[key] for key in facts} == facts, event.target_id
        assert 0 < sum(event.data["late"] for event in completed) < len(completed)

    def tells_the_story_of_the_year(self, history: HistoryReport) -> None:
        everyone = set(Agency.objects.filter(valid_to__isnull=True).values_list("pk", flat=True))
        overall = _electronic_rates(everyone)
        assert overall[MONTHS[0]] < overall[MONTHS[-1]]
        provincial = set(
            Agency.objects.filter(kind=AgencyKind.DEPARTMENT, valid_to__isnull=True).values_list("pk", flat=True)
        )
        departments = _electronic_rates(provincial)
        assert departments[MONTHS[0]] < 0.92
        assert departments[MONTHS[-1]] >= 0.97
        lagging, other = _agency("HL"), _agency("TS")
        lagging_rates = _electronic_rates({lagging.pk})
        assert all(rate < 0.7 for rate in lagging_rates.values()), lagging_rates
        signed = AuditEvent.objects.filter(agency=lagging, action__in=[ISSUED, PAPER])
        assert signed.filter(action=ISSUED).count() / signed.count() < 0.7
        communes = _electronic_rates({other.pk})
        assert communes[MONTHS[-1]] >= 0.9
        # Late handling drops over the year.
        assert _late_share(MONTHS[:3]) > _late_share(MONTHS[-3:]) * 2
        # Paper arrivals from outside drop too.
        paper = Counter(
            _month(moment)
            for moment, data in AuditEvent.objects.filter(action=REGISTERED).values_list("occurred_at", "data")
            if data["source"] == "PAPER"
        )
        assert paper[MONTHS[0]] > paper[MONTHS[-1]]

    def closes_its_documents_but_a_few_within_or_past_their_deadline(self, history: HistoryReport) -> None:
        assert set(Outgoing.objects.values_list("status", flat=True)) == {"ISSUED"}
        open_ones = Incoming.objects.exclude(status="DONE")
        assert set(open_ones.values_list("status", flat=True)) <= {"DIRECTED", "IN_PROGRESS"}
        assert 5 <= open_ones.count() <= 40
        assert history.still_open == open_ones.count()
        assert open_ones.filter(due_date__lt=TODAY).exists()
        assert open_ones.filter(due_date__gte=TODAY).exists()
        # The lagging commune's officer finds at most a couple of them in the queue to handle.
        officer = Person.objects.get(username="chuyenvien.hl")
        queue = list(incoming_queue_for(person=officer, now=NOW, queue="to_handle"))
        assert len(queue) <= 2  # noqa: PLR2004

    def writes_rows_the_application_works_on_and_only_once(self, history: HistoryReport) -> None:
        report = audit_verify()
        assert report.ok, report.breaks
        assert report.events == AuditEvent.objects.count()
        for register in Register.objects.all():
            numbers = list(
                RegisterEntry.objects.filter(register=register, status=EntryStatus.USED)
                .order_by("number")
                .values_list("number", flat=True)
            )
            assert numbers == list(range(1, register.next_number)), register
        issued = Outgoing.objects.select_related("document", "register_entry")
        assert all(outgoing.document.number == outgoing.register_entry.number for outgoing in issued)  # type: ignore[union-attr]
        # Each year has its own registers: 2025 and 2026.
        assert set(Register.objects.values_list("year", flat=True)) == {2025, 2026}
        assert DocumentText.objects.count() == Document.objects.count()
        # A department's officer sees the documents of their agency among the documents they may see.
        officer = Person.objects.get(username="chuyenvien.qlns.stc")
        handled = Incoming.objects.filter(assignments__person=officer).values_list("document_id", flat=True)
        assert handled
        visible = set(documents_visible_to(officer, NOW).values_list("pk", flat=True))
        assert set(handled) <= visible
        assert not visible & set(Document.objects.filter(agency=_agency("HL")).values_list("pk", flat=True))

        counts = (Document.objects.count(), AuditEvent.objects.count(), RegisterEntry.objects.count())
        assert demo_history_load(now=NOW + timedelta(days=1)) is None
        assert counts == (Document.objects.count(), AuditEvent.objects.count(), RegisterEntry.objects.count())


@pytest.fixture
def _demo_secret() -> Iterator[None]:
    with override_settings(VANTHU_SIGNING_KEY_SECRETS={SEAL_SECRET_NAME: DEMO_PASSWORD}, VANTHU_DEMO_HISTORY=True):
        yield


@pytest.mark.usefixtures("_demo_secret")
def test_the_demo_loads_its_history_after_its_live_documents_and_once(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        demo_load(now=NOW, with_passwords=False)

    # The live documents are there (the history came after them) and keep the first numbers of
    # this year's registers; the history's numbers of this year follow them.
    finance = _agency("STC")
    assert Outgoing.objects.filter(agency=finance, status="DRAFT").exists()
    register = Register.objects.get(agency=finance, year=TODAY.year, code="DI")
    live = RegisterEntry.objects.filter(register=register, allocated_at__gte=NOW - timedelta(days=2))
    live_numbers = sorted(live.values_list("number", flat=True))
    assert live_numbers == list(range(1, len(live_numbers) + 1))
    history_numbers = RegisterEntry.objects.filter(register=register, allocated_at__lt=NOW - timedelta(days=2))
    assert history_numbers.exists()
    assert min(history_numbers.values_list("number", flat=True)) == len(live_numbers) + 1
    assert AuditEvent.objects.filter(action="ops.demo.history_loaded").count() == 1
    assert AuditEvent.objects.filter(action=PAPER, occurred_at__lt=datetime(2026, 1, 1, tzinfo=UTC)).exists()
    report = audit_verify()
    assert report.ok, report.breaks

    counts = (Document.objects.count(), AuditEvent.objects.count(), RegisterEntry.objects.count())
    with django_capture_on_commit_callbacks(execute=False):
        demo_load(now=NOW, with_passwords=False)
    assert counts == (Document.objects.count(), AuditEvent.objects.count(), RegisterEntry.objects.count())
