"""A year of history for an existing province (the demo's): the documents of the twelve months
before ``now`` and their whole handling, written as seed-scale writes them (rows and hash-chained
audit events, see ``documents``), so the statistics, which read only the audit events, draw real
curves the first time they are opened.

The story it tells, month by month: the departments and the provincial bodies sign more and more
electronically (about 85 % to 100 %), the communes and wards catch up (about 55 % to 95 %) except two
lagging communes still signing most of their documents on paper; what is signed on paper is
registered on paper (``outgoing.document.paper_registered``) and reaches its recipients in the
province on paper, scanned there; documents from outside the province arrive electronically or on
paper, less and less on paper; every arrival is registered, directed and completed, late less and
less often. Only a few arrivals of the last weeks are still open (some within their deadline, a
few overdue): the current queues are not flooded.

Unlike ``province_seed`` it writes into a database that already holds the province, its people and
live documents: ids follow the largest ones, each chain goes on from its head, a register of a year
that is already open goes on from its next number (gap-free: history numbers follow the live ones
of that register), registers of other years are opened as the services open them."""

# ruff: noqa: PLR2004, S311 - the shares and chances of synthetic data, drawn from a seeded generator

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.core.selectors import calendar_load
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import TraceEntry
from vanthu.ops.scale import documents as generated
from vanthu.ops.scale import vocabulary as words
from vanthu.ops.scale.documents import DocumentGenerator
from vanthu.ops.scale.documents import DocumentTypeInfo
from vanthu.ops.scale.documents import IncomingPlan
from vanthu.ops.scale.documents import OutgoingPlan
from vanthu.ops.scale.documents import _pick
from vanthu.ops.scale.files import PdfSet
from vanthu.ops.scale.files import pdfs_store_light
from vanthu.ops.scale.province import AgencyPlan
from vanthu.ops.scale.province import PersonPlan
from vanthu.ops.scale.province import Province
from vanthu.ops.scale.province import UnitPlan
from vanthu.ops.scale.timeline import Timeline
from vanthu.ops.scale.writer import BulkWriter
from vanthu.org.models import Agency
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import ReviewStep

MONTHS = 12
SEED = 2026
# No step of the history later than this before ``now`` (the live demo documents are today's).
CUTOFF = timedelta(hours=2)
LAST_ISSUE_BEFORE = timedelta(days=2)
SETTLING_IN = timedelta(days=14)  # a new agency issues its first documents after this
PROVINCIAL_KINDS = ("PROVINCE", "PROVINCE_BODY", "DEPARTMENT", "PUBLIC_SERVICE_UNIT")
LOCAL_KINDS = ("COMMUNE", "WARD")

# The tables written (the province's own tables are already there).
TABLES: list[tuple[type[Any], tuple[str, ...]]] = [
    (Register, generated.REGISTER_FIELDS),
    (Document, generated.DOCUMENT_FIELDS),
    (DocumentVersion, generated.VERSION_FIELDS),
    (DocumentFile, generated.FILE_FIELDS),
    (DocumentRecipient, generated.RECIPIENT_FIELDS),
    (RegisterEntry, generated.ENTRY_FIELDS),
    (Outgoing, generated.OUTGOING_FIELDS),
    (ReviewStep, generated.STEP_FIELDS),
    (OutgoingHistory, generated.HISTORY_FIELDS),
    (Delivery, generated.DELIVERY_FIELDS),
    (DeliveryEvent, generated.DELIVERY_EVENT_FIELDS),
    (Incoming, generated.INCOMING_FIELDS),
    (Assignment, generated.ASSIGNMENT_FIELDS),
    (TraceEntry, generated.TRACE_FIELDS),
    (AuditEvent, generated.AUDIT_FIELDS),
]


@dataclass(frozen=True)
class Profile:
    """How one agency behaves over the year: documents it signs a month, its electronic share at the
    start and at the end of the year, its share of late handling at the start and at the end."""

    outgoing_per_month: int
    electronic_from: float
    electronic_to: float
    late_from: float
    late_to: float
    outside_per_month: float  # arrivals from outside the province


@dataclass
class HistoryReport:
    documents: int = 0
    outgoing: int = 0
    incoming: int = 0
    still_open: int = 0
    events: int = 0
    files: list[str] = field(default_factory=list)  # the SHA-256 of the shared PDF files the documents hold


def _local(moment: datetime) -> date:
    return Timeline.local_date(moment)


# --- the province as it is in the database --------------------------------------------------------


def province_from_database(agencies: Iterable[Agency]) -> Province:
    """The plans (ids, names, units, leaders, clerks, officers) of ``agencies``, the root first."""
    chosen = sorted(agencies, key=lambda agency: (agency.parent_id is not None, agency.pk))
    ids = [agency.pk for agency in chosen]
    people: dict[int, PersonPlan] = {}
    units: dict[int, UnitPlan] = {}
    plans: dict[int, AgencyPlan] = {}
    for agency in chosen:
        plans[agency.pk] = AgencyPlan(
            id=agency.pk,
            name=agency.name,
            abbreviation=agency.abbreviation,
            kind=agency.kind,
            code=agency.code_qcvn102,
            parent_id=agency.parent_id,
            path="",
            weight=1.0,
            slug=agency.abbreviation,
            valid_from=agency.valid_from,
        )
    for unit in Unit.objects.filter(agency_id__in=ids, is_active=True).order_by("id"):
        plan = UnitPlan(id=unit.pk, agency_id=unit.agency_id, name=unit.name, abbreviation=unit.abbreviation, slug="")
        units[unit.pk] = plan
        plans[unit.agency_id].units.append(plan)
    roles = (
        RoleAssignment.objects.filter(agency_id__in=ids, valid_to__isnull=True)
        .select_related("person", "position")
        .order_by("position__rank", "id")
    )
    for role in roles:
        person = PersonPlan(
            id=role.person_id,
            username=role.person.username,
            full_name=role.person.full_name,
            role=role.role,
            agency_id=role.agency_id,
            unit_id=role.unit_id,
            position=role.position.name if role.position else "",
        )
        people.setdefault(person.id, person)
        holder = plans[role.agency_id]
        # Nothing is written for an agency before all its people held their roles.
        holder.valid_from = max(holder.valid_from, Timeline.local_date(role.valid_from))
        unit_plan = units.get(role.unit_id) if role.unit_id else None
        if role.role == Role.AGENCY_LEADER:
            holder.leaders.append(person)
        elif role.role == Role.CLERK:
            holder.clerks.append(person)
        elif role.role == Role.UNIT_LEADER and unit_plan is not None and unit_plan.leader is None:
            unit_plan.leader = person
        elif role.role == Role.OFFICER and unit_plan is not None:
            unit_plan.officers.append(person)
    return Province(agencies=list(plans.values()), people=list(people.values()), positions={})


# --- the generator -------------------------------------------------------------------------------


class HistoryGenerator(DocumentGenerator):
    """Plans the twelve months before ``now`` of ``province`` after the profile of each agency."""

    def __init__(  # noqa: PLR0913 - the knobs of the generator
        self,
        *,
        rng: random.Random,
        writer: BulkWriter,
        province: Province,
        timeline: Timeline,
        types: dict[str, DocumentTypeInfo],
        pdfs: PdfSet,
        now: datetime,
        start: datetime,
        profiles: dict[int, Profile],
        overdue_agencies: set[int],
    ):
        super().__init__(
            rng=rng,
            writer=writer,
            province=province,
            timeline=timeline,
            types=types,
            pdfs=pdfs,
            now=now - CUTOFF,
            year=_local(now).year,
            start=start,
        )
        self.today = _local(now)
        self.profiles = profiles
        self.overdue_agencies = overdue_agencies
        self.departments = [agency for agency in province.agencies if agency.kind in PROVINCIAL_KINDS[1:]]
        self.locals = [agency for agency in province.agencies if agency.kind in LOCAL_KINDS]
        self.existing: dict[int, int] = {}  # register id -> its next number before the history
        self.paper_sources: dict[int, OutgoingPlan] = {}  # id(arrival) -> the paper outgoing it is
        self._paper_recipients: dict[int, list[AgencyPlan]] = {}  # id(outgoing plan) -> its recipients
        self.heads: dict[str, tuple[int, str]] = {}
        self.year_share = 0.0  # how far into the year the month being planned is (0 to 1)
        for head in AuditChainHead.objects.filter(chain__in=[f"agency:{agency.id}" for agency in province.agencies]):
            self.chains[int(head.chain.split(":", 1)[1])] = (head.seq, head.hash)

    # --- moments ---------------------------------------------------------------------------------

    def _earlier(self, moment: datetime, low: int, high: int) -> datetime:
        """A moment ``low``-``high`` working days before ``moment`` (0: earlier the same day)."""
        rng, timeline = self.rng, self.timeline
        count = rng.randint(low, high)
        if count == 0:
            return moment - timedelta(minutes=rng.randint(3, 150), seconds=rng.randint(0, 59))
        index = timeline.index_of[_local(moment)]
        return timeline.moment(rng, timeline.days[index - count]) + timedelta(seconds=rng.randint(0, 59))

    def _step(self, moment: datetime, low: int, high: int) -> datetime:
        """A moment ``low``-``high`` working days after ``moment``, minutes after it near the cut-off."""
        later = self.timeline.later(self.rng, moment, low, high)
        if later < self.now:
            return later
        return moment + timedelta(minutes=self.rng.randint(3, 20), seconds=self.rng.randint(0, 59))

    def _day_moment(self, first: date, last: date) -> datetime:
        """A moment in office hours of a working day from ``first`` to ``last``."""
        timeline = self.timeline
        day = timeline.add(first + timedelta(days=self.rng.randint(0, max((last - first).days, 0))), 0)
        index = timeline.index_of[last]
        latest = timeline.days[index] if timeline.days[index] == last else timeline.days[index - 1]
        return timeline.moment(self.rng, min(day, latest)) + timedelta(seconds=self.rng.randint(0, 59))

    # --- planning --------------------------------------------------------------------------------

    def months(self) -> list[tuple[date, date]]:
        """The calendar months (Vietnam time) of the history: the twelve before this one, then this
        one up to the day before yesterday."""
        months: list[tuple[date, date]] = []
        year, month = self.today.year, self.today.month
        for back in range(MONTHS, -1, -1):
            index = year * 12 + month - 1 - back
            first = date(index // 12, index % 12 + 1, 1)
            following = date((index + 1) // 12, (index + 1) % 12 + 1, 1)
            last = min(following - timedelta(days=1), _local(self.now - LAST_ISSUE_BEFORE))
            if last >= first:
                months.append((first, last))
        return months

    def plan_history(self) -> list[OutgoingPlan | IncomingPlan]:
        items: list[OutgoingPlan | IncomingPlan] = []
        months = self.months()
        full = MONTHS
        for index, (month_first, last) in enumerate(months):
            progress = self.year_share = min(index / full, 1.0)
            for agency in self.province.agencies:
                # Not before the agency and its people's roles existed (and drafts had time to be written).
                first = max(month_first, agency.valid_from + SETTLING_IN)
                if first > last:
                    continue
                share_of_month = ((last - first).days + 1) / 30.0
                profile = self.profiles[agency.id]
                count = max(1, round((profile.outgoing_per_month + self.rng.choice((-1, 0, 0, 1))) * share_of_month))
                rate = profile.electronic_from + (profile.electronic_to - profile.electronic_from) * progress
                electronic = round(count * rate)
                flags = [True] * electronic + [False] * (count - electronic)
                self.rng.shuffle(flags)
                for is_electronic in flags:
                    moment = self._day_moment(first, last)
                    items.extend(self._outgoing_in(agency, moment, is_electronic=is_electronic))
                outside = profile.outside_per_month * share_of_month
                arrivals = max(1, int(outside) + (self.rng.random() < outside % 1))
                paper_share = 0.6 - 0.35 * progress
                for _index in range(arrivals):
                    source = "PAPER" if self.rng.random() < paper_share else "ELECTRONIC"
                    items.append(self._outside(agency, self._day_moment(first, last), source, self._late_of(agency)))
        self._leave_open(items)
        items.sort(key=lambda item: item.key if isinstance(item, OutgoingPlan) else item.received_at)
        self._number(items)
        for item in items:
            if isinstance(item, IncomingPlan) and item.external is not None and id(item) in self.paper_sources:
                item.external["number"] = self.paper_sources[id(item)].number
        return items

    def _staff(self, agency: AgencyPlan) -> tuple[UnitPlan | None, PersonPlan, PersonPlan]:
        """The drafting unit, the drafter and the reviewer of an outgoing document of ``agency``."""
        rng = self.rng
        staffed = [unit for unit in agency.units if unit.officers and unit.leader is not None]
        if staffed:
            unit = rng.choice(staffed)
            assert unit.leader is not None  # noqa: S101 - filtered above
            return unit, rng.choice(unit.officers), unit.leader
        reviewer = agency.leaders[-1]
        with_officers = [unit for unit in agency.units if unit.officers]
        if with_officers:  # a commune: its officer drafts, the chairman reviews and signs
            unit = rng.choice(with_officers)
            return unit, rng.choice(unit.officers), reviewer
        return None, rng.choice(agency.clerks), reviewer  # the provincial committee: drafted for it

    def _type_code(self) -> str:
        return words.OUTGOING_TYPES[_pick(self.rng, self.type_weights)][0]

    def _subject_in(self, type_code: str, year: int) -> str:
        rng = self.rng
        place = rng.choice(words.COMMUNE_PLACES) if rng.random() < 0.4 else "tỉnh Thanh Hóa"
        topic = rng.choice(words.TOPICS).format(year=year, place=place)
        return rng.choice(words.SUBJECT_TEMPLATES[type_code]).format(topic=topic)[:500]

    def _outgoing_in(
        self, agency: AgencyPlan, issued_at: datetime, *, is_electronic: bool
    ) -> list[OutgoingPlan | IncomingPlan]:
        rng = self.rng
        unit, drafter, reviewer = self._staff(agency)
        signer_is_head = rng.random() < 0.45 or len(agency.leaders) == 1
        signer = agency.leaders[0] if signer_is_head else rng.choice(agency.leaders[1:])
        type_code = self._type_code()
        plan = OutgoingPlan(
            agency=agency,
            unit=unit,
            drafter=drafter,
            reviewer=reviewer,
            signer=signer,
            signer_is_head=signer_is_head,
            clerk=rng.choice(agency.clerks),
            type_code=type_code,
            subject=self._subject_in(type_code, _local(issued_at).year),
            urgency=generated.URGENCIES[_pick(rng, self.urgency_weights)][0],
            pdf=rng.randrange(len(self.pdfs.issued)),
            created_at=issued_at,
            is_paper=not is_electronic,
        )
        plan.issued_at = issued_at
        recipients = self._recipients_of(agency, _local(issued_at))
        if is_electronic:
            plan.signed_at = self._earlier(issued_at, 0, 1)
            plan.reviewed_at = self._earlier(plan.signed_at, 0, 2)
            plan.submitted_at = self._earlier(plan.reviewed_at, 0, 1)
            plan.created_at = self._earlier(plan.submitted_at, 0, 2)
            plan.recipients = [
                self._arrival(recipient, issued_at, "INTERNAL", self._late_of(recipient)) for recipient in recipients
            ]
            return [plan]
        # Signed on paper: registered by the clerk, posted, scanned on arrival by each recipient.
        arrivals: list[IncomingPlan] = []
        for recipient in recipients:
            received = self.timeline.later(rng, issued_at, 1, 3)
            if received >= self.now:
                continue  # still in the post
            arrival = self._arrival(recipient, received, "PAPER", self._late_of(recipient))
            info = self.types[type_code]
            arrival.external = {
                "type": type_code,
                "number": None,  # known once the register numbered the outgoing document
                "symbol": f"{info.abbreviation}-{agency.abbreviation}" if info.abbreviation else agency.abbreviation,
                "issued_date": _local(issued_at),
                "issuer_name": agency.name,
                "issuer_code": agency.code,
                "subject": plan.subject,
                "urgency": plan.urgency,
                "pdf": rng.randrange(len(self.pdfs.scans)),
            }
            self.paper_sources[id(arrival)] = plan
            arrivals.append(arrival)
        self._paper_recipients[id(plan)] = recipients
        return [plan, *arrivals]

    def _late_of(self, agency: AgencyPlan) -> float:
        """The share of late handling of ``agency`` in the month being planned."""
        profile = self.profiles[agency.id]
        return profile.late_from + (profile.late_to - profile.late_from) * self.year_share

    def _recipients_of(self, sender: AgencyPlan, day: date) -> list[AgencyPlan]:
        """Agencies of the province that existed on ``day``: upwards to the provincial committee,
        across to departments, downwards to communes."""
        return [agency for agency in self._recipients_drawn(sender, day) if agency.valid_from <= day]

    def _recipients_drawn(self, sender: AgencyPlan, day: date) -> list[AgencyPlan]:
        rng, root = self.rng, self.root
        others = [agency for agency in self.departments if agency is not sender and agency.valid_from <= day]
        local = [agency for agency in self.locals if agency.valid_from <= day]
        draw = rng.random()
        if sender is root:
            if draw < 0.2:
                return rng.sample(local, k=min(len(local), rng.randint(3, 6)))
            return rng.sample(others, k=min(len(others), rng.randint(1, 4)))
        if sender.kind in LOCAL_KINDS:
            return [root] if draw < 0.7 or not others else [rng.choice(others)]
        if draw < 0.5:
            return [root]
        if draw < 0.75:
            return [root, rng.choice(others)] if others else [root]
        if draw < 0.9 and others:
            return [rng.choice(others)]
        return rng.sample(local, k=min(len(local), rng.randint(2, 4)))

    def _handlers_of(self, agency: AgencyPlan) -> tuple[UnitPlan | None, PersonPlan, UnitPlan | None]:
        """Directed to a unit whose head assigns an officer; in a commune or the provincial committee
        (no unit heads), to a person directly."""
        rng = self.rng
        staffed = [unit for unit in agency.units if unit.officers and unit.leader is not None]
        if staffed:
            lead = rng.choice(staffed)
            others = [unit for unit in staffed if unit is not lead]
            cooperate = rng.choice(others) if others and rng.random() < 0.25 else None
            return lead, rng.choice(lead.officers), cooperate
        officers = [officer for unit in agency.units for officer in unit.officers]
        return None, rng.choice(officers) if officers else agency.leaders[-1], None

    def _arrival(self, agency: AgencyPlan, received_at: datetime, source: str, late: float) -> IncomingPlan:
        """An arrival registered, directed (assigned), reported on and completed on time or late; the
        completion may fall after the cut-off (``_leave_open`` decides)."""
        rng, timeline = self.rng, self.timeline
        lead_unit, person, cooperate = self._handlers_of(agency)
        plan = IncomingPlan(
            agency=agency,
            received_at=received_at,
            source=source,
            clerk=rng.choice(agency.clerks),
            leader=agency.leaders[0] if rng.random() < 0.6 else rng.choice(agency.leaders),
            lead_unit=lead_unit,
            lead_person=person,
            cooperate_unit=cooperate,
            working_days=rng.choice((5, 7, 10, 10, 15)),
        )
        plan.registered_at = self._step(received_at, 0, 0 if rng.random() < 0.7 else 1)
        plan.directed_at = self._step(plan.registered_at, 0, 1 if rng.random() < 0.8 else 2)
        directed_day = _local(plan.directed_at)
        plan.due_date = timeline.add(directed_day, plan.working_days)
        handled_from = plan.directed_at
        if lead_unit is not None:
            plan.assigned_at = handled_from = self._step(plan.directed_at, 0, 1)
        if rng.random() < late:
            day = timeline.add(directed_day, plan.working_days + rng.randint(1, 6))
        else:
            day = timeline.add(directed_day, rng.randint(1, plan.working_days))
        completed = timeline.moment(rng, day) + timedelta(seconds=rng.randint(0, 59))
        if completed <= handled_from + timedelta(minutes=30):
            completed = handled_from + timedelta(minutes=rng.randint(30, 90))
        gap = completed - handled_from
        plan.progress_at = handled_from + gap * rng.uniform(0.25, 0.75)
        plan.completed_at = completed
        return plan

    def _leave_open(self, items: list[OutgoingPlan | IncomingPlan]) -> None:
        """What would be completed after the cut-off: one recent arrival per agency now and then stays
        open within its deadline, and in a few agencies one older one stays open, overdue; the others
        are completed before the cut-off (on time or late, as their completion day says)."""
        by_agency: dict[int, list[IncomingPlan]] = defaultdict(list)
        for item in items:
            arrivals = item.recipients if isinstance(item, OutgoingPlan) else [item]
            for arrival in arrivals:
                by_agency[arrival.agency.id].append(arrival)
        for agency_id, arrivals in by_agency.items():
            arrivals.sort(key=lambda arrival: arrival.received_at)
            keep: set[int] = set()
            pending = [arrival for arrival in arrivals if (arrival.completed_at or self.now) >= self.now]
            within = [arrival for arrival in pending if arrival.due_date and arrival.due_date >= self.today]
            if within and self.rng.random() < 0.5:
                keep.add(id(within[-1]))
            if agency_id in self.overdue_agencies:
                overdue = [
                    arrival
                    for arrival in arrivals
                    if arrival.due_date is not None
                    and arrival.due_date < self.today - timedelta(days=3)
                    and arrival.received_at > self.now - timedelta(days=45)
                ]
                if overdue:
                    keep.add(id(self.rng.choice(overdue)))
            for arrival in arrivals:
                if id(arrival) in keep:
                    arrival.completed_at = None
                    if arrival.progress_at is not None and arrival.progress_at >= self.now:
                        arrival.progress_at = None
                elif arrival.completed_at is not None and arrival.completed_at >= self.now:
                    started = arrival.assigned_at or arrival.directed_at or arrival.received_at
                    span = max((self.now - started).total_seconds(), 60.0)
                    arrival.progress_at = started + timedelta(seconds=span * self.rng.uniform(0.2, 0.5))
                    arrival.completed_at = started + timedelta(seconds=span * self.rng.uniform(0.6, 0.95))

    def _outside(self, agency: AgencyPlan, received_at: datetime, source: str, late: float) -> IncomingPlan:
        """A document from outside the province: a ministry's, the party's, a company's."""
        rng = self.rng
        plan = self._arrival(agency, received_at, source, late)
        issuer, code = rng.choice(words.PAPER_ISSUERS)
        type_code = self._type_code()
        info = self.types[type_code]
        abbreviation = "".join(part[0] for part in issuer.split() if part[0].isupper())
        plan.external = {
            "type": type_code,
            "number": rng.randint(1, 2500),
            "symbol": f"{info.abbreviation}-{abbreviation}" if info.abbreviation else f"{abbreviation}-VP",
            "issued_date": _local(received_at) - timedelta(days=rng.randint(1, 6)),
            "issuer_name": issuer,
            "issuer_code": code,
            "subject": self._subject_in(type_code, _local(received_at).year),
            "urgency": generated.URGENCIES[_pick(rng, self.urgency_weights)][0],
            "pdf": rng.randrange(len(self.pdfs.scans)) if source == "PAPER" else rng.randrange(len(self.pdfs.issued)),
        }
        return plan

    # --- registers and chains that already exist -------------------------------------------------

    def _register(self, agency: AgencyPlan, scope: str, opened_at: datetime, clerk: PersonPlan) -> int:
        year = _local(opened_at).year
        key = (agency.id, scope, year)
        if key not in self.registers:
            code = "DI" if scope == "OUTGOING" else "DEN"
            register = Register.objects.filter(agency_id=agency.id, year=year, code=code).first()
            if register is not None:
                self.registers[key] = register.pk
                self.register_years[register.pk] = year
                self.existing[register.pk] = register.next_number
                self._counts[register.pk] = register.next_number - 1
        return super()._register(agency, scope, opened_at, clerk)

    def _write_heads(self) -> None:
        self.heads = {f"agency:{agency_id}": head for agency_id, head in self.chains.items()}

    def finish(self) -> None:
        """After the writer's last rows: the next number of the registers that were open, the chain heads."""
        for register_id in self.existing:
            Register.objects.filter(pk=register_id).update(next_number=self._counts[register_id] + 1)
        for chain, (seq, digest) in self.heads.items():
            AuditChainHead.objects.update_or_create(chain=chain, defaults={"seq": seq, "hash": digest})

    # --- documents signed on paper ---------------------------------------------------------------

    def _write_outgoing(self, plan: OutgoingPlan) -> None:
        if plan.is_paper:
            self._write_paper(plan)
        else:
            super()._write_outgoing(plan)

    def _write_paper(self, plan: OutgoingPlan) -> None:  # noqa: PLR0915 - one register line's rows
        """As ``outgoing.services.paper.outgoing_register_paper`` writes it: an ISSUED outgoing
        document of origin PAPER numbered in the register, its recipients, its scan (most of the time)."""
        writer, tables = self.writer, self.writer.tables
        agency, info, clerk = plan.agency, self.types[plan.type_code], plan.clerk
        issued_at = plan.issued_at
        assert issued_at is not None  # noqa: S101 - planned issued
        assert plan.number is not None  # noqa: S101 - numbered when planned
        document_id = tables[Document].allocate()
        outgoing_id = tables[Outgoing].allocate()
        entry_id = tables[RegisterEntry].allocate()
        symbol = f"{info.abbreviation}-{agency.abbreviation}" if info.abbreviation else agency.abbreviation
        number_symbol = f"{plan.number:02d}/{symbol}"
        issued_date = _local(issued_at)
        year = self._year_of(plan.register_id)
        scanned = self.rng.random() < 0.6
        version_id = tables[DocumentVersion].allocate() if scanned else None
        head_title, deputy_title = agency.head_title
        authority = ("TM" if agency.kind in ("PROVINCE", "COMMUNE", "WARD") else "") if plan.signer_is_head else "KT"
        writer.add(
            tables[Document],
            (
                document_id,
                "OUTGOING",
                agency.id,
                info.id,
                plan.number,
                symbol,
                issued_date,
                words.PLACE,
                plan.subject,
                agency.name,
                agency.code,
                authority,
                head_title if plan.signer_is_head else deputy_title,
                plan.signer.full_name[:50],
                None,
                "NORMAL",
                "NORMAL",
                "",
                1 if scanned else None,
                None,
                None,
                "Tiếng Việt",
                "",
                f"{agency.code}.{year}.{generated._base36(document_id).rjust(6, '0')}",
                "PAPER",
                None,
                None,
                version_id,
                clerk.id,
                issued_at,
                issued_at,
            ),
        )
        if version_id is not None:
            note = _("Scan of the paper original.")
            writer.add(tables[DocumentVersion], (version_id, document_id, 1, "ISSUED", note, clerk.id, issued_at))
            sha256 = self.pdfs.scans[plan.pdf % len(self.pdfs.scans)]
            name = f"{number_symbol}.pdf".replace("/", "_")
            writer.add(
                tables[DocumentFile],
                (
                    tables[DocumentFile].allocate(),
                    version_id,
                    "MAIN",
                    0,
                    name,
                    sha256,
                    sha256,
                    "NOT_NEEDED",
                    100,
                    "",
                    1,
                    "",
                    issued_at,
                ),
            )
        recipients = self._paper_recipients.get(id(plan), [])
        for ordinal, recipient in enumerate(recipients, start=1):
            writer.add(
                tables[DocumentRecipient],
                (
                    tables[DocumentRecipient].allocate(),
                    document_id,
                    ordinal,
                    "AGENCY",
                    recipient.id,
                    None,
                    recipient.name,
                    recipient.code,
                    "POST",
                    "",
                    False,
                ),
            )
        writer.add(
            tables[RegisterEntry],
            (entry_id, plan.register_id, plan.number, "USED", document_id, clerk.id, issued_at, "", "", None, None),
        )
        writer.add(
            tables[Outgoing],
            (
                outgoing_id,
                document_id,
                agency.id,
                "ISSUED",
                clerk.id,
                None,
                plan.register_id,
                entry_id,
                True,
                None,
                None,
                None,
                None,
                None,
                issued_at,
                clerk.id,
                None,
                "",
                None,
                None,
                issued_at,
            ),
        )
        note = _("Signed on paper, number %(number_symbol)s.") % {"number_symbol": number_symbol}
        writer.add(
            tables[OutgoingHistory],
            (
                tables[OutgoingHistory].allocate(),
                outgoing_id,
                issued_at,
                clerk.id,
                clerk.full_name[:150],
                "paper_registered",
                "",
                "ISSUED",
                note,
            ),
        )
        label = f"{number_symbol} {plan.subject[:60]}"
        self._event(
            issued_at,
            agency.id,
            clerk,
            "documents.number.allocated",
            "documents.registerentry",
            entry_id,
            f"Sổ văn bản đi {year} #{plan.number:02d}",
            {"register": "DI", "year": year, "number": plan.number, "document": document_id},
        )
        self._event(
            issued_at,
            agency.id,
            clerk,
            "outgoing.document.paper_registered",
            "outgoing.outgoing",
            outgoing_id,
            label,
            {
                "document_id": document_id,
                "number_symbol": number_symbol,
                "issued_date": issued_date.isoformat(),
                "register_id": plan.register_id,
                "scanned": scanned,
                "recipients": len(recipients),
            },
        )


# --- the demo's story -----------------------------------------------------------------------------

LAGGING = {"HL": (0.2, 0.35), "HH": (0.35, 0.55)}  # the communes still signing on paper: from, to
SHOWCASE_MORE = {"STC": 2, "SKHCN": 1, "HT": 1}


def demo_profiles(province: Province, rng: random.Random) -> dict[int, Profile]:
    profiles: dict[int, Profile] = {}
    for agency in province.agencies:
        extra = SHOWCASE_MORE.get(agency.abbreviation, 0) if agency.parent_id is not None else 0
        if agency.kind == "PROVINCE":
            profile = Profile(7, 0.9, 1.0, 0.3, 0.04, 2.0)
        elif agency.kind in LOCAL_KINDS and agency.abbreviation in LAGGING:
            start, end = LAGGING[agency.abbreviation]
            profile = Profile(3, start, end, 0.45, 0.3, 1.0)
        elif agency.kind in LOCAL_KINDS:
            profile = Profile(3 + extra, rng.uniform(0.5, 0.6), 0.95, 0.4, 0.08, 1.0)
        else:
            outgoing = (4 if agency.abbreviation == "VPUBND" else 3) + extra
            profile = Profile(outgoing, rng.uniform(0.8, 0.88), 1.0, 0.35, 0.05, 1.5)
        profiles[agency.id] = profile
    return profiles


def history_write(
    *, agencies: Iterable[Agency], now: datetime, seed: int = SEED, profiles: dict[int, Profile] | None = None
) -> HistoryReport:
    """Write the year before ``now`` of ``agencies`` (the root first) in the caller's transaction."""
    rng = random.Random(seed)
    province = province_from_database(agencies)
    usable = [agency for agency in province.agencies if agency.leaders and agency.clerks]
    province.agencies = usable
    profiles = profiles or demo_profiles(province, rng)
    today = _local(now)
    first = today - timedelta(days=(MONTHS + 3) * 31)  # room before the first month for drafting
    timeline = Timeline(calendar_load(years=range(first.year - 1, today.year + 3)), first, today)
    writer = BulkWriter(connection)
    for model, names in TABLES:
        writer.table(model, names)
    types = {
        row.code: DocumentTypeInfo(row.pk, row.code, row.name, row.abbreviation)
        for row in DocumentType.objects.filter(agency__isnull=True)
    }
    pdfs = pdfs_store_light(now=now)
    overdue = {agency.id for agency in usable if agency.abbreviation in LAGGING or rng.random() < 0.25}
    generator = HistoryGenerator(
        rng=rng,
        writer=writer,
        province=province,
        timeline=timeline,
        types=types,
        pdfs=pdfs,
        now=now,
        start=now - timedelta(days=400),
        profiles=profiles,
        overdue_agencies=overdue,
    )
    with translation.override(settings.LANGUAGE_CODE):  # the notes are written in the registry's language
        items = generator.plan_history()
        generator.write(items)
        writer.finish()
        generator.finish()
    report = HistoryReport(events=generator.events_written, files=pdfs.all())
    for item in items:
        if isinstance(item, OutgoingPlan):
            report.outgoing += 1
            report.incoming += len(item.recipients)
            report.still_open += sum(arrival.completed_at is None for arrival in item.recipients)
        else:
            report.incoming += 1
            report.still_open += item.completed_at is None
    report.documents = report.outgoing + report.incoming
    return report
