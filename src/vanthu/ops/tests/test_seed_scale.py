"""``vanthu seed-scale``: a small province seeded on the test database (SQLite, and PostgreSQL when
VANTHU_TEST_DATABASE_URL is set) must be one the application works on: audit chains intact,
registers without gaps, every arrival backed by its delivery, queues filtered by the real policy,
the same content for the same seed, and an occupied database refused."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanthu.audit.chain import canonical
from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.core.errors import ConflictError
from vanthu.core.working_days import WorkingCalendar
from vanthu.documents.models import Document
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.exchange.models import Delivery
from vanthu.incoming import policies as incoming_policies
from vanthu.incoming import selectors as incoming_selectors
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.incoming.services.handling import completion_facts
from vanthu.incoming.services.registration import incoming_register
from vanthu.ops.scale.documents import canonical_content
from vanthu.ops.scale.documents import compact_json
from vanthu.ops.scale.seed import PASSWORD
from vanthu.ops.scale.seed import TABLES
from vanthu.ops.scale.seed import SeedReport
from vanthu.ops.scale.seed import province_seed
from vanthu.ops.scale.timeline import Timeline
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.outgoing.models import Outgoing

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # 10:00 on a Friday in Vietnam
SMALL = {"documents": 400, "seed": 7, "agencies": 12, "people": 300, "year": 2026, "now": NOW}

# What the sender sees of each state of the recipient's incoming document.
DELIVERY_STATUS_OF = {
    "ARRIVED": "01",
    "REFUSED": "02",
    "REGISTERED": "03",
    "DIRECTED": "04",
    "IN_PROGRESS": "05",
    "DONE": "06",
}


@pytest.fixture
def seeded(db: None) -> SeedReport:
    return province_seed(**SMALL)  # type: ignore[arg-type]


class TestSeedScale:
    def test_writes_the_documents_asked_for_outgoing_and_incoming_together(self, seeded: SeedReport) -> None:
        assert Document.objects.count() == 400
        assert Outgoing.objects.count() + Incoming.objects.count() == 400
        assert seeded.rows["documents_document"] == 400

    def test_every_audit_chain_verifies(self, seeded: SeedReport) -> None:
        report = audit_verify()

        assert report.ok, report.breaks
        assert report.events == AuditEvent.objects.count() > 400
        assert AuditChainHead.objects.count() == report.chains

    def test_register_numbers_are_consecutive_without_gaps(self, seeded: SeedReport) -> None:
        registers = list(Register.objects.all())
        assert {register.code for register in registers} == {"DI", "DEN"}
        for register in registers:
            numbers = list(
                RegisterEntry.objects.filter(register=register, status=EntryStatus.USED)
                .order_by("number")
                .values_list("number", flat=True)
            )
            assert numbers == list(range(1, register.next_number)), register
        issued = Outgoing.objects.filter(status="ISSUED").select_related("document", "register_entry")
        assert all(outgoing.document.number == outgoing.register_entry.number for outgoing in issued)
        registered = Incoming.objects.exclude(arrival_number=None).select_related("register_entry")
        assert all(incoming.arrival_number == incoming.register_entry.number for incoming in registered)

    def test_arrival_numbers_follow_the_order_of_registration(self, seeded: SeedReport) -> None:
        by_register: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        for register_id, number, moment in Incoming.objects.exclude(arrival_number=None).values_list(
            "register_id", "arrival_number", "arrival_at"
        ):
            by_register[register_id].append((number, moment))
        for rows in by_register.values():
            moments = [moment for _number, moment in sorted(rows)]
            assert moments == sorted(moments)

    def test_every_arrival_from_the_province_has_its_delivery(self, seeded: SeedReport) -> None:
        internal = Incoming.objects.filter(source="INTERNAL").select_related("delivery__document__outgoing")
        assert internal.exists()
        for incoming in internal:
            delivery = incoming.delivery
            assert delivery is not None
            assert delivery.recipient_agency_id == incoming.agency_id
            assert delivery.document.outgoing.status == "ISSUED"
            assert delivery.status == DELIVERY_STATUS_OF[incoming.status]
        assert Delivery.objects.count() == internal.count()
        assert not Incoming.objects.exclude(source="INTERNAL").exclude(delivery=None).exists()

    def test_has_every_state_some_overdue_and_some_on_paper(self, db: None) -> None:
        province_seed(**{**SMALL, "documents": 3000, "agencies": 30, "people": 1000})  # type: ignore[arg-type]
        statuses = set(Incoming.objects.values_list("status", flat=True))
        today = NOW.date()

        assert {"ARRIVED", "REGISTERED", "DIRECTED", "IN_PROGRESS", "DONE", "REFUSED"} <= statuses
        assert Incoming.objects.filter(source="PAPER", document__origin="DIGITISED").exists()
        assert Incoming.objects.filter(status__in=["DIRECTED", "IN_PROGRESS"], due_date__lt=today).exists()
        assert Outgoing.objects.filter(status="ISSUED").count() > Outgoing.objects.exclude(status="ISSUED").count()

    def test_registration_and_completion_events_carry_what_the_statistics_count(self, seeded: SeedReport) -> None:
        """The shapes ``incoming.services`` write: the source of a registration; the deadline, the
        lateness and the working days of a completion, as ``handling.completion_facts`` computes them."""
        registered = AuditEvent.objects.filter(action="incoming.document.registered")
        sources = dict(Incoming.objects.values_list("pk", "source"))
        assert registered.exists()
        for event in registered:
            assert event.data["source"] == sources[int(event.target_id)]
        completed = AuditEvent.objects.filter(action="incoming.document.completed")
        assert completed.exists()
        rows = {row.pk: row for row in Incoming.objects.filter(status="DONE")}
        late = 0
        for event in completed:
            incoming = rows[int(event.target_id)]
            facts = completion_facts(incoming, event.occurred_at)
            assert {key: event.data[key] for key in facts} == facts, event.target_id
            assert incoming.due_date is not None
            assert event.data["due_date"] == incoming.due_date.isoformat()
            late += event.data["late"]
        assert 0 < late < completed.count()

    def test_an_officer_sees_in_the_queue_only_what_policy_allows(self, seeded: SeedReport) -> None:
        officer = Person.objects.get(username=seeded.accounts["department"]["OFFICER"])
        queue = list(incoming_selectors.incoming_queue_for(person=officer, now=NOW, queue="to_handle"))
        assigned = set(
            Assignment.objects.filter(person=officer, status__in=["OPEN", "DONE"]).values_list("incoming_id", flat=True)
        )

        assert queue
        assert {incoming.pk for incoming in queue} <= assigned
        assert all(incoming_policies.can_view_incoming(officer, incoming, NOW) for incoming in queue)
        assert set(incoming_policies.incoming_visible_to(officer, NOW).values_list("pk", flat=True)) == assigned

    def test_an_officer_of_a_ward_sees_nothing_of_the_department(self, seeded: SeedReport) -> None:
        officer = Person.objects.get(username=seeded.accounts["ward"]["OFFICER"])
        department = seeded.accounts["department"]["agency_id"]

        visible = incoming_policies.incoming_visible_to(officer, NOW)

        assert not visible.filter(agency_id=department).exists()

    def test_names_an_account_of_each_role_with_the_known_password(self, seeded: SeedReport) -> None:
        for place in ("department", "ward"):
            accounts = seeded.accounts[place]
            for role in (Role.OFFICER, Role.CLERK, Role.UNIT_LEADER, Role.AGENCY_LEADER):
                person = Person.objects.get(username=accounts[role])
                assert RoleAssignment.objects.filter(person=person, role=role, agency_id=accounts["agency_id"]).exists()
            assert Person.objects.get(username=accounts["CLERK"]).check_password(PASSWORD)

    def test_the_same_seed_writes_the_same_content(self, seeded: SeedReport, db: None) -> None:
        again = province_seed(**SMALL, dry_run=True, content_hash=True)  # type: ignore[arg-type]
        other = province_seed(**{**SMALL, "seed": 8}, dry_run=True, content_hash=True)  # type: ignore[arg-type]
        written = province_seed(**SMALL, dry_run=True, content_hash=True)  # type: ignore[arg-type]

        assert again.content_hash == written.content_hash
        assert other.content_hash != again.content_hash
        assert Document.objects.count() == 400  # dry runs write nothing

    def test_the_content_hash_of_a_real_run_is_the_dry_runs(self, db: None) -> None:
        dry = province_seed(**SMALL, dry_run=True, content_hash=True)  # type: ignore[arg-type]
        real = province_seed(**SMALL, content_hash=True)  # type: ignore[arg-type]

        assert real.content_hash == dry.content_hash

    def test_refuses_a_database_that_holds_documents(self, seeded: SeedReport) -> None:
        with pytest.raises(ConflictError):
            province_seed(**SMALL)  # type: ignore[arg-type]
        assert Document.objects.count() == 400


def client_for(person: Person) -> Client:
    """A session past the second factor (leaders and clerks need it)."""
    client = Client()
    client.force_login(person)
    device = TOTPDevice.objects.create(user=person, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


class TestTheApplicationOnSeededData:
    @pytest.fixture(autouse=True)
    def _clock(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("vanthu.core.clock.now", lambda: NOW)

    def test_a_clerk_registers_an_arrival_with_the_next_number_of_the_register(self, seeded: SeedReport) -> None:
        incoming = Incoming.objects.filter(status="ARRIVED", source="INTERNAL").order_by("pk").first()
        assert incoming is not None
        clerk = Person.objects.filter(roles__agency_id=incoming.agency_id, roles__role=Role.CLERK).first()
        assert clerk is not None
        register = Register.objects.get(agency_id=incoming.agency_id, code="DEN")

        registered = incoming_register(incoming=incoming, actor=clerk, now=NOW + timedelta(minutes=5))

        assert registered.arrival_number == register.next_number
        assert Delivery.objects.get(pk=incoming.delivery_id).status == "03"
        assert audit_verify().ok

    def test_pages_open_for_the_named_accounts(self, seeded: SeedReport) -> None:
        accounts = seeded.accounts["department"]
        officer = Person.objects.get(username=accounts["OFFICER"])
        clerk = Person.objects.get(username=accounts["CLERK"])
        handled = Assignment.objects.filter(person=officer).values_list("incoming_id", flat=True).first()
        issued = Outgoing.objects.filter(agency_id=accounts["agency_id"], status="ISSUED").values_list("pk", flat=True)
        officer_client, clerk_client = client_for(officer), client_for(clerk)

        pages = [
            (officer_client, "/"),
            (officer_client, reverse("incoming:queues")),
            (officer_client, reverse("incoming:detail", args=[handled])),
            (clerk_client, reverse("incoming:register")),
            (clerk_client, reverse("outgoing:queues")),
            (clerk_client, reverse("outgoing:detail", args=[issued.first()])),
            (clerk_client, reverse("outgoing:register")),
        ]

        for client, url in pages:
            assert client.get(url).status_code == 200, url

    def test_every_seeded_document_is_searchable_by_who_may_see_it(self, seeded: SeedReport) -> None:
        from vanthu.documents.models import Document
        from vanthu.documents.models import DocumentText
        from vanthu.search.selectors import search_documents

        assert DocumentText.objects.count() == Document.objects.count()
        officer = Person.objects.get(username=seeded.accounts["department"]["OFFICER"])
        handled = Incoming.objects.filter(assignments__person=officer).select_related("document").first()
        assert handled is not None

        page = search_documents(person=officer, text=f'"{handled.document.subject}"', now=NOW)

        assert handled.document_id in [document.pk for document in page.results]


class TestGeneratedRows:
    @pytest.mark.parametrize(("model", "names"), TABLES, ids=[model.__name__ for model, _names in TABLES])
    def test_name_every_column_of_their_table(self, model: Any, names: tuple[str, ...]) -> None:
        assert sorted(names) == sorted(field.name for field in model._meta.concrete_fields)

    def test_hash_audit_events_as_the_audit_chain_does(self) -> None:
        fields: dict[str, Any] = {
            "chain": "agency:3",
            "seq": 12,
            "occurred_at": datetime(2026, 3, 2, 1, 30, 5, tzinfo=UTC),
            "actor_id": 7,
            "actor_name": "Nguyễn Thị Hà",
            "agency_id": 3,
            "action": "incoming.document.directed",
            "target_type": "incoming.incoming",
            "target_id": "91",
            "target_label": '12 05/QĐ-STC Về việc "triển khai"\ncông tác',
            "data": {"assignments": [{"id": 4, "role": "LEAD", "unit": 2, "person": None}], "urgent": False},
        }

        data = fields.pop("data")

        assert canonical_content(**fields, data_json=compact_json(data)) == canonical(
            **fields, data=data, client_address=None
        )


class TestTimeline:
    def test_adds_working_days_as_the_calendar_does(self) -> None:
        calendar = WorkingCalendar()
        timeline = Timeline(calendar, date(2025, 12, 1), date(2026, 12, 31))
        day = date(2026, 1, 1)
        while day <= date(2026, 12, 31):
            for count in (0, 1, 2, 5, 20):
                assert timeline.add(day, count) == calendar.add_working_days(day, count), (day, count)
            day += timedelta(days=1)

    def test_counts_working_days_between_as_the_calendar_does(self) -> None:
        calendar = WorkingCalendar()
        timeline = Timeline(calendar, date(2025, 12, 1), date(2026, 12, 31))
        start = date(2026, 1, 1)
        while start <= date(2026, 12, 31):
            for span in (0, 1, 3, 9, 40):
                end = start + timedelta(days=span)
                assert timeline.working_days_between(start, end) == calendar.working_days_between(start, end)
                assert timeline.working_days_between(end, start) == calendar.working_days_between(end, start)
            start += timedelta(days=1)

    def test_places_moments_in_office_hours_in_vietnam(self) -> None:
        moment = Timeline.at(date(2026, 3, 2), 7 * 60 + 30)

        assert moment == datetime(2026, 3, 2, 0, 30, tzinfo=UTC)
        assert Timeline.local_date(moment) == date(2026, 3, 2)


class TestCommand:
    def test_prints_the_report_as_its_last_line(self, db: None) -> None:
        out = io.StringIO()

        call_command(
            "seed_scale",
            "--documents=150",
            "--agencies=12",
            "--people=200",
            "--year=2026",
            f"--now={NOW.isoformat()}",
            "--no-migrate",
            "--verbosity=0",
            stdout=out,
        )

        last = out.getvalue().strip().splitlines()[-1]
        assert last.startswith("SEED-SCALE-REPORT ")
        report = json.loads(last.removeprefix("SEED-SCALE-REPORT "))
        assert report["documents"] == 150
        assert report["rows"]["documents_document"] == 150
        assert report["accounts"]["department"]["OFFICER"]
        assert report["password"] == PASSWORD

    def test_refuses_an_occupied_database_with_a_message(self, seeded: SeedReport) -> None:
        with pytest.raises(CommandError):
            call_command("seed_scale", "--documents=10", f"--now={NOW.isoformat()}", "--no-migrate", "--verbosity=0")


@pytest.mark.heavy
class TestProvinceScale:
    def test_twenty_thousand_documents_of_the_whole_province(self, db: None) -> None:
        report = province_seed(documents=20_000, seed=42, agencies=210, people=20_000, year=2026, now=NOW)

        verification = audit_verify()
        assert verification.ok, verification.breaks
        assert report.rows["org_agency"] == 210
        assert report.rows["org_person"] == 20_000
        gaps = (
            RegisterEntry.objects.values("register_id")
            .annotate(count=Count("id"))
            .filter(count__gt=0)
            .values_list("register_id", "count")
        )
        next_numbers = dict(Register.objects.values_list("id", "next_number"))
        assert all(next_numbers[register_id] == count + 1 for register_id, count in gaps)
