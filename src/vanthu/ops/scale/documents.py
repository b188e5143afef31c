"""The documents of the synthetic year and their whole history, as the services would have written
them: outgoing drafts reviewed, signed, numbered and issued; deliveries fanning out to the
recipients of the province, each becoming an incoming document there that is registered, directed,
assigned, handled and completed (or refused, or still on the way at ``now``); paper documents
received and scanned; the audit events of every step, hash-chained per agency.

Planning is in memory (a few hundred bytes per document), then rows are written in the order the
documents were issued or received; audit events wait in a heap and are chained in time order per
agency once no earlier event can come."""

# ruff: noqa: PLR2004, S311 - the shares and chances of synthetic data, drawn from a seeded generator

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from json.encoder import encode_basestring as _string
from typing import Any

from django.utils.translation import gettext as _

from vanthu.audit.chain import link_hash
from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import TraceEntry
from vanthu.ops.scale import vocabulary as words
from vanthu.ops.scale.files import PdfSet
from vanthu.ops.scale.province import AgencyPlan
from vanthu.ops.scale.province import PersonPlan
from vanthu.ops.scale.province import Province
from vanthu.ops.scale.province import UnitPlan
from vanthu.ops.scale.timeline import Timeline
from vanthu.ops.scale.writer import BulkWriter
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import ReviewStep

# An outgoing document's drafting starts at most this long before its issuance: audit events older
# than the document being written minus this margin can be chained (nothing earlier can come).
CHAIN_LAG = timedelta(days=45)
GENESIS = "0" * 64
ISSUE_START_BEFORE = timedelta(minutes=4)
URGENCIES = [("NORMAL", 85), ("URGENT", 10), ("VERY_URGENT", 4), ("FLASH", 1)]
EXTERNAL_PER_OUTGOING = 1.4  # paper and other-electronic arrivals for each outgoing document
PAPER_SHARE_OF_EXTERNAL = 0.8


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _base36(value: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        value, remainder = divmod(value, 36)
        text = digits[remainder] + text
        if value == 0:
            return text


@dataclass(eq=False)
class IncomingPlan:
    agency: AgencyPlan
    received_at: datetime
    source: str  # INTERNAL, PAPER, ELECTRONIC
    clerk: PersonPlan
    leader: PersonPlan
    lead_unit: UnitPlan | None  # None: directed to ``lead_person`` in person (no unit, no assignment step)
    lead_person: PersonPlan
    cooperate_unit: UnitPlan | None
    working_days: int
    registered_at: datetime | None = None
    refused_at: datetime | None = None
    directed_at: datetime | None = None
    assigned_at: datetime | None = None
    progress_at: datetime | None = None
    completed_at: datetime | None = None
    due_date: date | None = None
    arrival_number: int | None = None
    register_id: int | None = None
    refused_reason: str = ""
    # Outside documents (paper or other electronic) carry their own metadata.
    external: dict[str, Any] | None = None


@dataclass(eq=False)
class OutgoingPlan:
    agency: AgencyPlan
    unit: UnitPlan | None  # the drafting unit; None: drafted for the agency itself (no unit)
    drafter: PersonPlan
    reviewer: PersonPlan
    signer: PersonPlan
    signer_is_head: bool
    clerk: PersonPlan
    type_code: str
    subject: str
    urgency: str
    pdf: int
    created_at: datetime
    submitted_at: datetime | None = None
    reviewed_at: datetime | None = None
    signed_at: datetime | None = None
    issued_at: datetime | None = None
    recipients: list[IncomingPlan] = field(default_factory=list)
    number: int | None = None
    register_id: int | None = None
    is_paper: bool = False  # signed on paper and registered (written by a subclass that plans such documents)

    @property
    def status(self) -> str:
        if self.issued_at is not None:
            return "ISSUED"
        if self.signed_at is not None:
            return "SIGNED"
        if self.reviewed_at is not None:
            return "AWAITING_SIGNATURE"
        if self.submitted_at is not None:
            return "IN_REVIEW"
        return "DRAFT"

    @property
    def key(self) -> datetime:
        return self.issued_at or self.signed_at or self.reviewed_at or self.submitted_at or self.created_at


# An audit event waiting to be chained: (occurred_at, order, agency_id, actor, action, target_type,
# target_id, target_label, data); tuples compare in C, by time then by the order of writing.
_PendingEvent = tuple[datetime, int, int, PersonPlan | None, str, str, int | None, str, dict[str, Any]]
_UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def compact_json(value: Any) -> str:
    """JSON as the audit chain hashes it: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_content(  # noqa: PLR0913 - one argument per field of the hashed content
    *,
    chain: str,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_name: str,
    agency_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    data_json: str,
) -> bytes:
    """``audit.chain.canonical`` for the events made here (JSON-native data without floats, no
    client address), assembled from its parts in the order of the sorted keys: the same bytes
    (tested), with the event's data serialised once for the hash and for its column."""
    text = (
        '{"action":'
        + _string(action)
        + ',"actor_id":'
        + ("null" if actor_id is None else str(actor_id))
        + ',"actor_name":'
        + _string(actor_name)
        + ',"agency_id":'
        + ("null" if agency_id is None else str(agency_id))
        + ',"chain":'
        + _string(chain)
        + ',"client_address":null,"data":'
        + data_json
        + ',"occurred_at":"'
        + occurred_at.astimezone(UTC).strftime(_UTC_FORMAT)
        + '","seq":'
        + str(seq)
        + ',"target_id":'
        + _string(target_id)
        + ',"target_label":'
        + _string(target_label)
        + ',"target_type":'
        + _string(target_type)
        + "}"
    )
    return text.encode()


@dataclass
class DocumentTypeInfo:
    id: int
    code: str
    name: str
    abbreviation: str


class DocumentGenerator:
    """Plans ``documents`` documents (outgoing + incoming rows) of ``province`` between the start of
    ``year`` and ``now``, and writes them with ``writer``."""

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
        year: int,
        start: datetime,
        progress: Callable[[int], None] | None = None,
    ):
        self.rng = rng
        self.writer = writer
        self.province = province
        self.timeline = timeline
        self.types = types
        self.pdfs = pdfs
        self.now = now
        self.year = year
        self.start = start
        self.progress = progress or (lambda count: None)
        self.people = {person.id: person for person in province.people}
        agencies = province.agencies
        self.root = agencies[0]
        self.bodies = [agency for agency in agencies[1:] if not agency.is_local]
        self.locals = [agency for agency in agencies[1:] if agency.is_local]
        weights = [
            30.0 if agency is self.root else agency.weight * (1.5 if agency.is_local else 3.0) for agency in agencies
        ]
        self.sender_weights = _cumulative(weights)
        self.type_weights = _cumulative([float(weight) for _code, weight in words.OUTGOING_TYPES])
        self.urgency_weights = _cumulative([float(weight) for _code, weight in URGENCIES])
        self.pending: list[_PendingEvent] = []
        self.order = 0
        self.chains: dict[int, tuple[int, str]] = {}
        self.registers: dict[tuple[int, str, int], int] = {}
        self.register_years: dict[int, int] = {}
        self._opened: dict[int, tuple[AgencyPlan, str, datetime, PersonPlan]] = {}
        self._counts: dict[int, int] = {}  # the last number taken in each register
        self.events_written = 0

    # --- planning ---------------------------------------------------------------------------------

    def _moment(self) -> datetime:
        span = (self.now - self.start).total_seconds()
        moment = self.start + timedelta(seconds=self.rng.random() * span)
        day = self.timeline.add(self.timeline.local_date(moment), 0)
        return self.timeline.moment(self.rng, day) + timedelta(seconds=self.rng.randint(0, 59))

    def _cut(self, moment: datetime | None) -> datetime | None:
        return moment if moment is not None and moment <= self.now else None

    def _handlers(self, agency: AgencyPlan) -> tuple[UnitPlan, PersonPlan, UnitPlan | None]:
        rng = self.rng
        staffed = [unit for unit in agency.units if unit.officers] or agency.units
        lead = rng.choice(staffed)
        person = rng.choice(lead.officers) if lead.officers else lead.leader
        assert person is not None  # noqa: S101 - every unit has a leader
        others = [unit for unit in agency.units if unit is not lead]
        cooperate = rng.choice(others) if others and rng.random() < 0.3 else None
        return lead, person, cooperate

    def _incoming(self, agency: AgencyPlan, received_at: datetime, source: str) -> IncomingPlan:
        rng = self.rng
        lead, person, cooperate = self._handlers(agency)
        plan = IncomingPlan(
            agency=agency,
            received_at=received_at,
            source=source,
            clerk=rng.choice(agency.clerks),
            leader=rng.choice(agency.leaders),
            lead_unit=lead,
            lead_person=person,
            cooperate_unit=cooperate,
            working_days=rng.choice((5, 7, 10, 10, 15, 20)),
        )
        timeline = self.timeline
        draw = rng.random()
        registered = timeline.later(rng, received_at, 0, 1 if draw < 0.9 else (4 if draw < 0.985 else 25))
        if rng.random() < 0.012:
            plan.refused_at = self._cut(registered)
            return plan
        plan.registered_at = self._cut(registered)
        if plan.registered_at is None:
            return plan
        draw = rng.random()
        directed = timeline.later(rng, registered, 0, 2 if draw < 0.9 else (6 if draw < 0.97 else 20))
        plan.directed_at = self._cut(directed)
        if plan.directed_at is None:
            return plan
        plan.due_date = timeline.add(timeline.local_date(directed), plan.working_days)
        plan.assigned_at = self._cut(timeline.later(rng, directed, 0, 1))
        if plan.assigned_at is None:
            return plan
        if rng.random() < 0.04:
            return plan  # directed, nobody reported yet
        progress = timeline.later(rng, plan.assigned_at, 1, max(2, plan.working_days // 2))
        plan.progress_at = self._cut(progress)
        if plan.progress_at is None or rng.random() < 0.03:
            return plan  # stalled in handling: overdue once the deadline passes
        if rng.random() < 0.82:
            remaining = max(1, plan.working_days - plan.working_days // 2)
            completed = timeline.later(rng, progress, 0, remaining)
        else:
            completed = timeline.later(rng, progress, plan.working_days // 2 + 1, plan.working_days + 12)
        plan.completed_at = self._cut(completed)
        return plan

    def _recipients(self, sender: AgencyPlan) -> list[AgencyPlan]:
        rng = self.rng
        upward = [self.root, *self.bodies]
        if sender.is_local:
            count = 1 if rng.random() < 0.6 else rng.randint(2, 3)
            pool = [agency for agency in upward if agency is not sender]
            return rng.sample(pool, k=min(count, len(pool)))
        draw = rng.random()
        if draw < 0.35:
            pool = [agency for agency in upward if agency is not sender]
            if rng.random() < 0.3:
                pool = [*pool, *self.locals]
            return rng.sample(pool, k=min(rng.randint(1, 3), len(pool)))
        count = rng.randint(5, 20) if draw < 0.85 else rng.randint(20, 60)
        bodies = [agency for agency in upward if agency is not sender]
        from_bodies = min(len(bodies), count // 4)
        from_locals = min(len(self.locals), count - from_bodies)
        return rng.sample(bodies, k=from_bodies) + rng.sample(self.locals, k=from_locals)

    def _subject(self, type_code: str) -> str:
        rng = self.rng
        place = rng.choice(words.COMMUNE_PLACES) if rng.random() < 0.4 else "tỉnh Thanh Hóa"
        topic = rng.choice(words.TOPICS).format(year=self.year, place=place)
        return rng.choice(words.SUBJECT_TEMPLATES[type_code]).format(topic=topic)[:500]

    def _outgoing(self) -> OutgoingPlan:
        rng = self.rng
        agency = self.province.agencies[_pick(rng, self.sender_weights)]
        staffed = [unit for unit in agency.units if unit.officers] or agency.units
        unit = rng.choice(staffed)
        drafter = rng.choice(unit.officers) if unit.officers else unit.leader
        assert drafter is not None  # noqa: S101 - every unit has a leader
        assert unit.leader is not None  # noqa: S101
        signer_is_head = rng.random() < 0.4
        signer = agency.leaders[0] if signer_is_head or len(agency.leaders) == 1 else rng.choice(agency.leaders[1:])
        type_code = words.OUTGOING_TYPES[_pick(rng, self.type_weights)][0]
        plan = OutgoingPlan(
            agency=agency,
            unit=unit,
            drafter=drafter,
            reviewer=unit.leader,
            signer=signer,
            signer_is_head=signer_is_head or len(agency.leaders) == 1,
            clerk=rng.choice(agency.clerks),
            type_code=type_code,
            subject=self._subject(type_code),
            urgency=URGENCIES[_pick(rng, self.urgency_weights)][0],
            pdf=rng.randrange(len(self.pdfs.issued)),
            created_at=self._moment(),
        )
        timeline = self.timeline
        plan.submitted_at = self._cut(timeline.later(rng, plan.created_at, 0, 1))
        if plan.submitted_at is not None:
            plan.reviewed_at = self._cut(timeline.later(rng, plan.submitted_at, 0, 2))
        if plan.reviewed_at is not None:
            plan.signed_at = self._cut(timeline.later(rng, plan.reviewed_at, 0, 2))
        if plan.signed_at is not None:
            issued = timeline.later(rng, plan.signed_at, 0, 1)
            plan.issued_at = self._cut(issued)
        return plan

    def _external(self) -> IncomingPlan:
        rng = self.rng
        agency = self.province.agencies[_pick(rng, self.sender_weights)]
        received = self._moment()
        is_paper = rng.random() < PAPER_SHARE_OF_EXTERNAL
        plan = self._incoming(agency, received, "PAPER" if is_paper else "ELECTRONIC")
        issuer, code = rng.choice(words.PAPER_ISSUERS)
        type_code = words.OUTGOING_TYPES[_pick(rng, self.type_weights)][0]
        info = self.types[type_code]
        abbreviation = "".join(part[0] for part in issuer.split() if part[0].isupper())
        issued = self.timeline.add(self.timeline.local_date(received), 0) - timedelta(days=rng.randint(1, 6))
        plan.external = {
            "type": type_code,
            "number": rng.randint(1, 2500),
            "symbol": f"{info.abbreviation}-{abbreviation}" if info.abbreviation else f"{abbreviation}-VP",
            "issued_date": issued,
            "issuer_name": issuer,
            "issuer_code": code,
            "subject": self._subject(type_code),
            "urgency": URGENCIES[_pick(rng, self.urgency_weights)][0],
            "pdf": rng.randrange(len(self.pdfs.scans)) if is_paper else rng.randrange(len(self.pdfs.issued)),
        }
        return plan

    def plan(self, documents: int) -> list[OutgoingPlan | IncomingPlan]:
        """Outgoing documents with their recipients' incoming ones, and outside arrivals, until
        ``documents`` rows of documents; sorted by the moment they are written (issuance, arrival)."""
        rng = self.rng
        items: list[OutgoingPlan | IncomingPlan] = []
        count = 0
        while count < documents:
            outgoing = self._outgoing()
            items.append(outgoing)
            count += 1
            if outgoing.issued_at is not None:
                recipients = self._recipients(outgoing.agency)[: documents - count]
                outgoing.recipients = [self._incoming(agency, outgoing.issued_at, "INTERNAL") for agency in recipients]
                count += len(outgoing.recipients)
            arrivals = int(EXTERNAL_PER_OUTGOING) + (rng.random() < EXTERNAL_PER_OUTGOING % 1)
            for _index in range(min(arrivals, documents - count)):
                items.append(self._external())
                count += 1
        items.sort(key=lambda item: item.key if isinstance(item, OutgoingPlan) else item.received_at)
        self._number(items)
        return items

    def _register(self, agency: AgencyPlan, scope: str, opened_at: datetime, clerk: PersonPlan) -> int:
        """The register of the agency, scope and year (in Vietnam time) of ``opened_at``: opened on first use."""
        year = self.timeline.local_date(opened_at).year
        key = (agency.id, scope, year)
        register_id = self.registers.get(key)
        if register_id is None:
            register_id = self.writer.tables[Register].allocate()
            self.registers[key] = register_id
            self.register_years[register_id] = year
            self._opened[register_id] = (agency, scope, opened_at, clerk)
        return register_id

    def _year_of(self, register_id: int | None) -> int:
        return self.register_years.get(register_id, self.year) if register_id is not None else self.year

    def _number(self, items: list[OutgoingPlan | IncomingPlan]) -> None:
        """Numbers of the outgoing register in issuance order and arrival numbers in registration
        order, per agency: consecutive from 01, without gaps."""
        arrivals: list[IncomingPlan] = []
        for item in items:
            if isinstance(item, OutgoingPlan):
                if item.issued_at is not None:
                    started = item.issued_at - ISSUE_START_BEFORE
                    item.register_id = self._register(item.agency, "OUTGOING", started, item.clerk)
                    item.number = self._counts[item.register_id] = self._counts.get(item.register_id, 0) + 1
                arrivals.extend(plan for plan in item.recipients if plan.registered_at is not None)
            elif item.registered_at is not None:
                arrivals.append(item)
        arrivals.sort(key=lambda plan: plan.registered_at or self.now)
        for plan in arrivals:
            assert plan.registered_at is not None  # noqa: S101 - filtered above
            plan.register_id = self._register(plan.agency, "INCOMING", plan.registered_at, plan.clerk)
            plan.arrival_number = self._counts[plan.register_id] = self._counts.get(plan.register_id, 0) + 1

    # --- audit ------------------------------------------------------------------------------------

    def _event(  # noqa: PLR0913 - the fields of an audit event
        self,
        moment: datetime,
        agency_id: int,
        actor: PersonPlan | None,
        action: str,
        target_type: str = "",
        target_id: int | None = None,
        target_label: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.order += 1
        heapq.heappush(
            self.pending,
            (moment, self.order, agency_id, actor, action, target_type, target_id, target_label[:255], data or {}),
        )

    def _chain_events(self, before: datetime | None) -> None:
        table = self.writer.tables[AuditEvent]
        pending = self.pending
        chains = self.chains
        while pending and (before is None or pending[0][0] < before):
            occurred_at, _order, agency_id, actor, action, target_type, target, target_label, data = heapq.heappop(
                pending
            )
            chain = f"agency:{agency_id}"
            seq, previous = chains.get(agency_id, (0, GENESIS))
            seq += 1
            actor_id = actor.id if actor is not None else None
            actor_name = actor.full_name[:150] if actor is not None else ""
            target_id = "" if target is None else str(target)
            data_json = compact_json(data)
            content = canonical_content(
                chain=chain,
                seq=seq,
                occurred_at=occurred_at,
                actor_id=actor_id,
                actor_name=actor_name,
                agency_id=agency_id,
                action=action,
                target_type=target_type,
                target_id=target_id,
                target_label=target_label,
                data_json=data_json,
            )
            digest = link_hash(previous, content)
            self.writer.add(
                table,
                (
                    table.allocate(),
                    chain,
                    seq,
                    previous,
                    digest,
                    occurred_at,
                    actor_id,
                    actor_name,
                    agency_id,
                    action,
                    target_type,
                    target_id,
                    target_label,
                    data_json,
                    None,
                ),
            )
            chains[agency_id] = (seq, digest)
            self.events_written += 1

    # --- writing ----------------------------------------------------------------------------------

    def write(self, items: list[OutgoingPlan | IncomingPlan]) -> None:
        self._write_registers()
        for item in items:
            if isinstance(item, OutgoingPlan):
                self._write_outgoing(item)
                written = 1 + len(item.recipients)
                key = item.key
            else:
                self._write_external(item)
                written = 1
                key = item.received_at
            self._chain_events(before=key - CHAIN_LAG)
            self.progress(written)
        self._chain_events(before=None)
        self._write_heads()

    def _write_heads(self) -> None:
        """The head of each chain (the last event's sequence number and hash)."""
        heads = self.writer.tables[AuditChainHead]
        for agency_id, (seq, digest) in sorted(self.chains.items()):
            self.writer.add(heads, (f"agency:{agency_id}", seq, digest))

    def _write_registers(self) -> None:
        table = self.writer.tables[Register]
        for register_id, (agency, scope, opened_at, clerk) in sorted(self._opened.items()):
            code, name = ("DI", "Sổ văn bản đi") if scope == "OUTGOING" else ("DEN", "Sổ văn bản đến")
            last = self._counts[register_id]
            year = self.register_years[register_id]
            self.writer.add(
                table,
                (register_id, agency.id, year, scope, code, name, None, "", last + 1, None, opened_at, opened_at),
            )
            self._event(
                opened_at,
                agency.id,
                clerk,
                "documents.register.opened",
                "documents.register",
                register_id,
                f"{name} {year}",
                {"year": year, "scope": scope, "code": code},
            )

    def _document_label(self, number: int | None, symbol: str, subject: str) -> str:
        number_symbol = symbol if number is None else (f"{number:02d}/{symbol}" if symbol else f"{number:02d}")
        return f"{number_symbol or '—'} {subject[:60]}"

    def _write_outgoing(self, plan: OutgoingPlan) -> None:  # noqa: PLR0915 - one document's whole history
        writer, tables = self.writer, self.writer.tables
        agency, info = plan.agency, self.types[plan.type_code]
        document_id = tables[Document].allocate()
        outgoing_id = tables[Outgoing].allocate()
        unit_id = plan.unit.id if plan.unit is not None else None
        if info.abbreviation:
            symbol = f"{info.abbreviation}-{agency.abbreviation}"
        elif plan.unit is not None:
            symbol = f"{agency.abbreviation}-{plan.unit.abbreviation}"
        else:  # a công văn drafted for the agency itself: the agency alone
            symbol = agency.abbreviation
        status = plan.status
        head_title, deputy_title = agency.head_title
        authority = "" if plan.signer_is_head else "KT"
        if plan.signer_is_head and agency.kind in ("PROVINCE", "COMMUNE", "WARD"):
            authority = "TM"
        position = head_title if plan.signer_is_head else deputy_title
        issued_date = self.timeline.local_date(plan.issued_at) if plan.issued_at else None
        pages = self.pdfs.pages[plan.pdf]
        identifier = f"{agency.code}.{self._year_of(plan.register_id)}.{_base36(document_id).rjust(6, '0')}"
        versions: list[tuple[int, int, str, str, PersonPlan, datetime, str]] = []
        version_table, file_table = tables[DocumentVersion], tables[DocumentFile]
        versions.append(
            (version_table.allocate(), 1, "DRAFT", "", plan.drafter, plan.created_at, self.pdfs.drafts[plan.pdf])
        )
        if plan.signed_at is not None:
            versions.append(
                (version_table.allocate(), 2, "SIGNED", "", plan.signer, plan.signed_at, self.pdfs.signed[plan.pdf])
            )
        if plan.issued_at is not None:
            note = _("Issued with the agency signature.")
            versions.append(
                (version_table.allocate(), 3, "ISSUED", note, plan.clerk, plan.issued_at, self.pdfs.issued[plan.pdf])
            )
        label_before = self._document_label(None, symbol, plan.subject)
        label = self._document_label(plan.number, symbol, plan.subject)
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
                position,
                plan.signer.full_name[:50],
                plan.signer.id,
                plan.urgency,
                "NORMAL",
                "",
                pages if plan.issued_at else None,
                None,
                None,
                "Tiếng Việt",
                "",
                identifier,
                "BORN_DIGITAL",
                unit_id,
                None,
                versions[-1][0],
                plan.drafter.id,
                plan.created_at,
                plan.issued_at or plan.key,
            ),
        )
        number_symbol = f"{plan.number:02d}/{symbol}" if plan.number is not None else symbol
        for version_id, number, kind, note, author, moment, sha256 in versions:
            writer.add(version_table, (version_id, document_id, number, kind, note, author.id, moment))
            name = f"{number_symbol}.pdf".replace("/", "_") if kind == "ISSUED" else f"du-thao-{document_id}.pdf"
            writer.add(
                file_table,
                (
                    file_table.allocate(),
                    version_id,
                    "MAIN",
                    0,
                    name,
                    sha256,
                    sha256,
                    "NOT_NEEDED",
                    100,
                    "",
                    pages,
                    "",
                    moment,
                ),
            )
        recipient_table = tables[DocumentRecipient]
        for ordinal, incoming in enumerate(plan.recipients, start=1):
            recipient = incoming.agency
            writer.add(
                recipient_table,
                (
                    recipient_table.allocate(),
                    document_id,
                    ordinal,
                    "AGENCY",
                    recipient.id,
                    None,
                    recipient.name,
                    recipient.code,
                    "INTERNAL",
                    "",
                    False,
                ),
            )
        if plan.unit is not None:
            writer.add(
                recipient_table,
                (
                    recipient_table.allocate(),
                    document_id,
                    len(plan.recipients) + 1,
                    "UNIT",
                    None,
                    plan.unit.id,
                    plan.unit.name,
                    "",
                    "NONE",
                    "",
                    False,
                ),
            )
        entry_id = tables[RegisterEntry].allocate() if plan.number is not None else None
        started = plan.issued_at - ISSUE_START_BEFORE if plan.issued_at is not None else None
        if entry_id is not None:
            writer.add(
                tables[RegisterEntry],
                (
                    entry_id,
                    plan.register_id,
                    plan.number,
                    "USED",
                    document_id,
                    plan.clerk.id,
                    started,
                    "",
                    "",
                    None,
                    None,
                ),
            )
        writer.add(
            tables[Outgoing],
            (
                outgoing_id,
                document_id,
                agency.id,
                status,
                plan.drafter.id,
                unit_id,
                plan.register_id,
                entry_id,
                False,
                plan.submitted_at,
                plan.signed_at,
                None,
                started,
                None,
                plan.issued_at,
                plan.clerk.id if plan.issued_at else None,
                None,
                "",
                None,
                None,
                plan.created_at,
            ),
        )
        self._review(plan, outgoing_id)
        self._outgoing_history(plan, outgoing_id, label_before, label, document_id, entry_id, number_symbol, identifier)
        if plan.issued_at is not None:
            self._deliver(plan, outgoing_id, document_id, symbol, identifier, issued_date, pages, label)

    def _review(self, plan: OutgoingPlan, outgoing_id: int) -> None:
        if plan.submitted_at is None:
            return
        table = self.writer.tables[ReviewStep]
        timeline = self.timeline
        review_due = timeline.at(timeline.add(timeline.local_date(plan.submitted_at), 1), 17 * 60)
        reviewed = plan.reviewed_at
        self.writer.add(
            table,
            (
                table.allocate(),
                outgoing_id,
                1,
                1,
                "UNIT_REVIEW",
                plan.reviewer.id,
                "DONE" if reviewed else "ACTIVE",
                1,
                review_due,
                plan.submitted_at,
                reviewed,
                plan.reviewer.id if reviewed else None,
                "",
            ),
        )
        approval_due = timeline.at(timeline.add(timeline.local_date(reviewed), 2), 17 * 60) if reviewed else None
        signed = plan.signed_at
        self.writer.add(
            table,
            (
                table.allocate(),
                outgoing_id,
                1,
                2,
                "APPROVAL",
                plan.signer.id,
                "DONE" if signed else ("ACTIVE" if reviewed else "WAITING"),
                2,
                approval_due,
                reviewed,
                signed,
                plan.signer.id if signed else None,
                "",
            ),
        )

    def _outgoing_history(  # noqa: PLR0913 - the facts the timeline tells
        self,
        plan: OutgoingPlan,
        outgoing_id: int,
        label_before: str,
        label: str,
        document_id: int,
        entry_id: int | None,
        number_symbol: str,
        identifier: str,
    ) -> None:
        table = self.writer.tables[OutgoingHistory]
        agency_id = plan.agency.id
        rows: list[tuple[datetime, PersonPlan, str, str, str, str]] = [
            (plan.created_at, plan.drafter, "create", "", "DRAFT", "")
        ]
        self._event(
            plan.created_at,
            agency_id,
            plan.drafter,
            "outgoing.document.created",
            "outgoing.outgoing",
            outgoing_id,
            label_before,
            {
                "document_id": document_id,
                "document_type": plan.type_code,
                "recipients": len(plan.recipients) + (1 if plan.unit is not None else 0),
                "notices": [],
                "reply_to": None,
            },
        )
        steps = [[1, "UNIT_REVIEW", plan.reviewer.id, 1], [2, "APPROVAL", plan.signer.id, 2]]
        if plan.submitted_at is not None:
            rows.append((plan.submitted_at, plan.drafter, "submit", "DRAFT", "IN_REVIEW", ""))
            self._event(
                plan.submitted_at,
                agency_id,
                plan.drafter,
                "outgoing.document.submitted",
                "outgoing.outgoing",
                outgoing_id,
                label_before,
                {"round": 1, "steps": steps},
            )
        if plan.reviewed_at is not None:
            rows.append((plan.reviewed_at, plan.reviewer, "reach_signer", "IN_REVIEW", "AWAITING_SIGNATURE", ""))
            self._event(
                plan.reviewed_at,
                agency_id,
                plan.reviewer,
                "outgoing.document.reviewed",
                "outgoing.outgoing",
                outgoing_id,
                label_before,
                {"kind": "UNIT_REVIEW", "assignee_id": plan.reviewer.id, "round": 1, "ordinal": 1, "comment": ""},
            )
        if plan.signed_at is not None:
            rows.append((plan.signed_at, plan.signer, "sign", "AWAITING_SIGNATURE", "SIGNED", ""))
            self._event(
                plan.signed_at,
                agency_id,
                plan.signer,
                "outgoing.document.signed",
                "outgoing.outgoing",
                outgoing_id,
                label_before,
                {"version": 2, "on_behalf_of": None},
            )
        if plan.issued_at is not None:
            started = plan.issued_at - ISSUE_START_BEFORE
            note = _("Number %(number_symbol)s, register “%(register)s”.") % {
                "number_symbol": number_symbol,
                "register": "Sổ văn bản đi",
            }
            rows.append((started, plan.clerk, "start_issue", "SIGNED", "ISSUING", note))
            rows.append(
                (plan.issued_at, plan.clerk, "issue", "ISSUING", "ISSUED", _("Issued with the agency signature."))
            )
            self._event(
                started,
                agency_id,
                plan.clerk,
                "documents.number.allocated",
                "documents.registerentry",
                entry_id,
                f"Sổ văn bản đi {self._year_of(plan.register_id)} #{plan.number:02d}",
                {
                    "register": "DI",
                    "year": self._year_of(plan.register_id),
                    "number": plan.number,
                    "document": document_id,
                },
            )
            assert plan.issued_at is not None  # noqa: S101
            self._event(
                started,
                agency_id,
                plan.clerk,
                "outgoing.document.issue_started",
                "outgoing.outgoing",
                outgoing_id,
                label,
                {
                    "document_id": document_id,
                    "number": plan.number,
                    "symbol": number_symbol.split("/", 1)[-1],
                    "issued_date": self.timeline.local_date(plan.issued_at).isoformat(),
                    "register_id": plan.register_id,
                    "register_entry_id": entry_id,
                    "reserved": False,
                    "duplicate_document_ids": [],
                },
            )
        for moment, actor, action, source, target, note in rows:
            self.writer.add(
                table,
                (table.allocate(), outgoing_id, moment, actor.id, actor.full_name[:150], action, source, target, note),
            )

    def _deliver(  # noqa: PLR0913, PLR0915 - the issuance's fan-out
        self,
        plan: OutgoingPlan,
        outgoing_id: int,
        document_id: int,
        symbol: str,
        identifier: str,
        issued_date: date | None,
        pages: int,
        label: str,
    ) -> None:
        writer, tables = self.writer, self.writer.tables
        issued_at = plan.issued_at
        assert issued_at is not None  # noqa: S101 - only issued documents are delivered
        sender = plan.agency
        blob = self.pdfs.issued[plan.pdf]
        clerk = plan.clerk
        delivery_table, event_table = tables[Delivery], tables[DeliveryEvent]
        deliveries: list[tuple[int, IncomingPlan]] = []
        for incoming in plan.recipients:
            deliveries.append((delivery_table.allocate(), incoming))
        count = len(deliveries)
        self._event(
            issued_at,
            sender.id,
            clerk,
            "exchange.deliveries.sent",
            "documents.document",
            document_id,
            label,
            {
                "document": document_id,
                "kind": "ORIGINAL",
                "count": count,
                "channels": {"INTERNAL": count} if count else {},
                "recipient_agency_ids": sorted(incoming.agency.id for incoming in plan.recipients),
                "external_recipients": [],
            },
        )
        arrived: dict[str, int] = {}
        metadata = {
            "document_type": self.types[plan.type_code].id,
            "number": plan.number,
            "symbol": symbol,
            "issued_date": issued_date,
            "subject": plan.subject,
            "issuer_name": sender.name,
            "issuer_code": sender.code,
            "signer_authority": "" if plan.signer_is_head else "KT",
            "urgency": plan.urgency,
            "identifier": identifier,
            "pages": pages,
        }
        if plan.signer_is_head and sender.kind in ("PROVINCE", "COMMUNE", "WARD"):
            metadata["signer_authority"] = "TM"
        head_title, deputy_title = sender.head_title
        metadata["signer_position"] = head_title if plan.signer_is_head else deputy_title
        metadata["signer_name"] = plan.signer.full_name[:50]
        for delivery_id, incoming in deliveries:
            incoming_id = self._write_incoming(incoming, metadata, blob, delivery_id, document_id, clerk)
            arrived[str(incoming.agency.id)] = incoming_id
            statuses = self._delivery_statuses(incoming, clerk)
            final_status, final_at, _actor = statuses[-1]
            writer.add(
                delivery_table,
                (
                    delivery_id,
                    document_id,
                    "ORIGINAL",
                    sender.id,
                    incoming.agency.id,
                    incoming.agency.name[:200],
                    incoming.agency.code,
                    "INTERNAL",
                    "",
                    blob,
                    None,
                    final_status,
                    final_at,
                    issued_at,
                    clerk.id,
                    None,
                    "",
                ),
            )
            for status, moment, actor in statuses:
                note = incoming.refused_reason if status == "02" else ""
                writer.add(
                    event_table,
                    (event_table.allocate(), delivery_id, status, moment, actor.id, actor.full_name[:150], note),
                )
            previous = "01"
            for status, moment, actor in statuses[1:]:
                self._event(
                    moment,
                    incoming.agency.id,
                    actor,
                    "exchange.delivery.status_reported",
                    "exchange.delivery",
                    delivery_id,
                    f"{document_id} → {incoming.agency.name[:200]} ({status})",
                    {
                        "document": document_id,
                        "previous": previous,
                        "status": status,
                        "note": incoming.refused_reason if status == "02" else "",
                    },
                )
                previous = status
        if deliveries:
            self._event(
                issued_at,
                sender.id,
                None,
                "incoming.document.arrived",
                data={
                    "document": document_id,
                    "arrived": arrived,
                    "recall_requested": [],
                },
            )
        self._event(
            issued_at,
            sender.id,
            clerk,
            "outgoing.document.issued",
            "outgoing.outgoing",
            outgoing_id,
            label,
            {
                "document_id": document_id,
                "number_symbol": f"{plan.number:02d}/{symbol}",
                "issued_sha256": blob,
                "seal_session_id": None,
                "annexes_signed": False,
                "delivery_kind": "ORIGINAL",
                "delivery_count": count,
            },
        )

    def _delivery_statuses(
        self, incoming: IncomingPlan, sender_clerk: PersonPlan
    ) -> list[tuple[str, datetime, PersonPlan]]:
        """The edXML statuses the sender sees, in order: 01 at issuance, then what the recipient did."""
        statuses: list[tuple[str, datetime, PersonPlan]] = []
        if incoming.refused_at is not None:
            statuses.append(("02", incoming.refused_at, incoming.clerk))
        if incoming.registered_at is not None:
            statuses.append(("03", incoming.registered_at, incoming.clerk))
        if incoming.directed_at is not None:
            statuses.append(("04", incoming.directed_at, incoming.leader))
        if incoming.progress_at is not None:
            statuses.append(("05", incoming.progress_at, incoming.lead_person))
        if incoming.completed_at is not None:
            statuses.append(("06", incoming.completed_at, incoming.lead_person))
        return [("01", incoming.received_at, sender_clerk), *statuses]

    def _write_external(self, plan: IncomingPlan) -> None:
        external = plan.external
        assert external is not None  # noqa: S101 - outside arrivals carry their metadata
        metadata = {
            "document_type": self.types[external["type"]].id,
            "number": external["number"],
            "symbol": external["symbol"],
            "issued_date": external["issued_date"],
            "subject": external["subject"],
            "issuer_name": external["issuer_name"],
            "issuer_code": external["issuer_code"],
            "signer_authority": "",
            "signer_position": "",
            "signer_name": "",
            "urgency": external["urgency"],
            "identifier": "",
            "pages": 1 if plan.source == "PAPER" else self.pdfs.pages[external["pdf"]],
        }
        blob = self.pdfs.scans[external["pdf"]] if plan.source == "PAPER" else self.pdfs.issued[external["pdf"]]
        self._write_incoming(plan, metadata, blob, None, None, plan.clerk)

    def _write_incoming(  # noqa: PLR0912, PLR0913, PLR0915 - one arrival's whole handling
        self,
        plan: IncomingPlan,
        metadata: dict[str, Any],
        blob: str,
        delivery_id: int | None,
        source_document_id: int | None,
        sent_by: PersonPlan,
    ) -> int:
        writer, tables = self.writer, self.writer.tables
        agency = plan.agency
        document_id = tables[Document].allocate()
        incoming_id = tables[Incoming].allocate()
        version_id = tables[DocumentVersion].allocate()
        is_internal = plan.source == "INTERNAL"
        origin = "DIGITISED" if plan.source == "PAPER" else "BORN_DIGITAL"
        creator = sent_by if is_internal else plan.clerk
        last_change = (
            plan.completed_at or plan.progress_at or plan.assigned_at or plan.directed_at or plan.registered_at
        )
        writer.add(
            tables[Document],
            (
                document_id,
                "INCOMING",
                agency.id,
                metadata["document_type"],
                metadata["number"],
                metadata["symbol"],
                metadata["issued_date"],
                words.PLACE if is_internal else "",
                metadata["subject"],
                metadata["issuer_name"],
                metadata["issuer_code"],
                metadata["signer_authority"],
                metadata["signer_position"],
                metadata["signer_name"],
                None,
                metadata["urgency"],
                "NORMAL",
                "",
                metadata["pages"],
                None,
                None,
                "Tiếng Việt",
                "",
                metadata["identifier"],
                origin,
                None,
                None,
                version_id,
                creator.id,
                plan.received_at,
                last_change or plan.received_at,
            ),
        )
        number_symbol = f"{metadata['number']:02d}/{metadata['symbol']}"
        document_label = f"{number_symbol} {metadata['subject'][:60]}"
        note = (_("Received from %(sender)s") % {"sender": metadata["issuer_name"]})[:500]
        writer.add(
            tables[DocumentVersion], (version_id, document_id, 1, "RECEIVED", note, creator.id, plan.received_at)
        )
        writer.add(
            tables[DocumentFile],
            (
                tables[DocumentFile].allocate(),
                version_id,
                "MAIN",
                1,
                f"{number_symbol}.pdf".replace("/", "_")[:255],
                blob,
                blob,
                "NOT_NEEDED" if is_internal else "DONE",
                100,
                "",
                metadata["pages"],
                "",
                plan.received_at,
            ),
        )
        status = "ARRIVED"
        if plan.refused_at is not None:
            status = "REFUSED"
        elif plan.completed_at is not None:
            status = "DONE"
        elif plan.progress_at is not None:
            status = "IN_PROGRESS"
        elif plan.directed_at is not None:
            status = "DIRECTED"
        elif plan.registered_at is not None:
            status = "REGISTERED"
        entry_id = tables[RegisterEntry].allocate() if plan.arrival_number is not None else None
        refused_reason = ""
        if plan.refused_at is not None:
            refused_reason = plan.refused_reason = self.rng.choice(words.REFUSAL_REASONS)
        instruction = ""
        if plan.directed_at is not None:
            to_whom = plan.lead_unit.name if plan.lead_unit is not None else f"đồng chí {plan.lead_person.full_name}"
            instruction = self.rng.choice(words.INSTRUCTIONS).format(unit=to_whom)
        result = self.rng.choice(words.RESULTS) if plan.completed_at is not None else ""
        writer.add(
            tables[Incoming],
            (
                incoming_id,
                document_id,
                agency.id,
                status,
                plan.source,
                delivery_id,
                plan.received_at,
                None if is_internal else plan.clerk.id,
                None,
                None,
                refused_reason,
                plan.register_id,
                entry_id,
                plan.arrival_number,
                plan.registered_at,
                plan.clerk.id if plan.registered_at else None,
                plan.directed_at,
                plan.leader.id if plan.directed_at else None,
                instruction,
                plan.due_date,
                plan.completed_at,
                plan.lead_person.id if plan.completed_at else None,
                result,
                None,
                None,
                plan.received_at,
            ),
        )
        trace = tables[TraceEntry]
        target = "incoming.incoming"

        def label() -> str:
            return f"{plan.arrival_number or '—'} {document_label}"

        if is_internal:
            writer.add(
                trace,
                (
                    trace.allocate(),
                    incoming_id,
                    None,
                    "RECEIVED",
                    plan.received_at,
                    None,
                    "",
                    "",
                    "ARRIVED",
                    _("Arrived from %(sender)s.") % {"sender": metadata["issuer_name"]},
                    _dumps({"delivery": delivery_id, "kind": "ORIGINAL", "related": None}),
                ),
            )
        else:
            text = (
                _("Received on paper and scanned.")
                if plan.source == "PAPER"
                else _("Received electronically by other means.")
            )
            writer.add(
                trace,
                (
                    trace.allocate(),
                    incoming_id,
                    None,
                    "RECEIVED",
                    plan.received_at,
                    plan.clerk.id,
                    plan.clerk.full_name,
                    "",
                    "ARRIVED",
                    text,
                    None,
                ),
            )
            self._event(
                plan.received_at,
                agency.id,
                plan.clerk,
                "incoming.document.received",
                target,
                incoming_id,
                f"— {document_label}",
                {"document": document_id, "source": plan.source},
            )
        if plan.refused_at is not None:
            writer.add(
                trace,
                (
                    trace.allocate(),
                    incoming_id,
                    None,
                    "REFUSED",
                    plan.refused_at,
                    plan.clerk.id,
                    plan.clerk.full_name,
                    "ARRIVED",
                    "REFUSED",
                    refused_reason,
                    None,
                ),
            )
            self._event(
                plan.refused_at,
                agency.id,
                plan.clerk,
                "incoming.document.refused",
                target,
                incoming_id,
                label(),
                {"document": document_id, "reason": refused_reason},
            )
            return incoming_id
        if plan.registered_at is None:
            return incoming_id
        assert plan.arrival_number is not None  # noqa: S101 - registered means numbered
        year = self._year_of(plan.register_id)
        writer.add(
            tables[RegisterEntry],
            (
                entry_id,
                plan.register_id,
                plan.arrival_number,
                "USED",
                document_id,
                plan.clerk.id,
                plan.registered_at,
                "",
                "",
                None,
                None,
            ),
        )
        self._event(
            plan.registered_at,
            agency.id,
            plan.clerk,
            "documents.number.allocated",
            "documents.registerentry",
            entry_id,
            f"Sổ văn bản đến {year} #{plan.arrival_number:02d}",
            {"register": "DEN", "year": year, "number": plan.arrival_number, "document": document_id},
        )
        writer.add(
            trace,
            (
                trace.allocate(),
                incoming_id,
                None,
                "REGISTERED",
                plan.registered_at,
                plan.clerk.id,
                plan.clerk.full_name,
                "ARRIVED",
                "REGISTERED",
                _("Registered with arrival number %(number)s.") % {"number": f"{plan.arrival_number:02d}"},
                _dumps({"arrival_number": plan.arrival_number, "year": year, "duplicates": []}),
            ),
        )
        self._event(
            plan.registered_at,
            agency.id,
            plan.clerk,
            "incoming.document.registered",
            target,
            incoming_id,
            label(),
            {
                "document": document_id,
                "source": plan.source,
                "arrival_number": plan.arrival_number,
                "register": "DEN",
                "year": year,
                "duplicates": [],
                "changed": [],
            },
        )
        if plan.directed_at is None:
            return incoming_id
        assignment_table = tables[Assignment]
        due = plan.due_date
        completed = plan.completed_at
        closed = "DONE" if completed else "OPEN"
        lead_id = assignment_table.allocate()
        # Directed to a unit (whose head then assigns a person), or to a person directly.
        lead_unit_id = plan.lead_unit.id if plan.lead_unit is not None else None
        lead_person_id = None if plan.lead_unit is not None else plan.lead_person.id
        described = [
            {
                "id": lead_id,
                "role": "LEAD",
                "unit": lead_unit_id,
                "person": lead_person_id,
                "due_date": due.isoformat() if due else None,
            }
        ]
        writer.add(
            assignment_table,
            (
                lead_id,
                incoming_id,
                None,
                "LEAD",
                lead_unit_id,
                lead_person_id,
                closed,
                due,
                instruction,
                plan.leader.id,
                plan.directed_at,
                completed,
                None,
            ),
        )
        if plan.cooperate_unit is not None:
            cooperate_id = assignment_table.allocate()
            described.append(
                {
                    "id": cooperate_id,
                    "role": "COOPERATE",
                    "unit": plan.cooperate_unit.id,
                    "person": None,
                    "due_date": due.isoformat() if due else None,
                }
            )
            writer.add(
                assignment_table,
                (
                    cooperate_id,
                    incoming_id,
                    None,
                    "COOPERATE",
                    plan.cooperate_unit.id,
                    None,
                    closed,
                    due,
                    instruction,
                    plan.leader.id,
                    plan.directed_at,
                    completed,
                    None,
                ),
            )
        urgent = metadata["urgency"] != "NORMAL"
        data = {
            "assignments": described,
            "due_date": due.isoformat() if due else None,
            "due_working_days": plan.working_days,
            "urgent": urgent,
        }
        writer.add(
            trace,
            (
                trace.allocate(),
                incoming_id,
                None,
                "DIRECTED",
                plan.directed_at,
                plan.leader.id,
                plan.leader.full_name,
                "REGISTERED",
                "DIRECTED",
                instruction,
                _dumps(data),
            ),
        )
        self._event(
            plan.directed_at, agency.id, plan.leader, "incoming.document.directed", target, incoming_id, label(), data
        )
        if plan.lead_unit is not None:
            if plan.assigned_at is None:
                return incoming_id
            child_id = self._write_assigned(plan, plan.lead_unit, incoming_id, lead_id, closed, label())
        else:
            child_id = lead_id  # directed to the person: their own assignment is the one they act on
        handler = plan.lead_person
        if plan.progress_at is not None:
            writer.add(
                trace,
                (
                    trace.allocate(),
                    incoming_id,
                    child_id,
                    "PROGRESS",
                    plan.progress_at,
                    handler.id,
                    handler.full_name,
                    "DIRECTED",
                    "IN_PROGRESS",
                    self.rng.choice(words.PROGRESS_NOTES),
                    None,
                ),
            )
            self._event(
                plan.progress_at,
                agency.id,
                handler,
                "incoming.document.reported",
                target,
                incoming_id,
                label(),
                {"kind": "PROGRESS", "assignment": child_id, "from": "DIRECTED", "to": "IN_PROGRESS"},
            )
        if completed is not None:
            writer.add(
                trace,
                (
                    trace.allocate(),
                    incoming_id,
                    child_id,
                    "COMPLETED",
                    completed,
                    handler.id,
                    handler.full_name,
                    "IN_PROGRESS",
                    "DONE",
                    result,
                    None,
                ),
            )
            self._event(
                completed,
                agency.id,
                handler,
                "incoming.document.completed",
                target,
                incoming_id,
                label(),
                {
                    "from": "IN_PROGRESS",
                    "assignments_closed": (2 if plan.lead_unit is not None else 1)
                    + (1 if plan.cooperate_unit is not None else 0),
                    **self._completion_facts(plan, document_id, completed),
                },
            )
        return incoming_id

    def _completion_facts(self, plan: IncomingPlan, document_id: int, completed: datetime) -> dict[str, Any]:
        """What ``incoming.services.handling.completion_facts`` writes: the deadline, whether the
        completion day (Vietnam time) was after it, the working days from registration to completion."""
        timeline = self.timeline
        day = timeline.local_date(completed)
        start = timeline.local_date(plan.registered_at or plan.received_at)
        due = plan.due_date
        return {
            "document": document_id,
            "due_date": due.isoformat() if due else None,
            "late": bool(due and day > due),
            "working_days": max(0, timeline.working_days_between(start, day)),
        }

    def _write_assigned(  # noqa: PLR0913 - the facts of one assignment step
        self,
        plan: IncomingPlan,
        lead_unit: UnitPlan,
        incoming_id: int,
        lead_id: int,
        closed: str,
        label: str,
    ) -> int:
        """The lead unit's head assigns the person who handles it: the child assignment, its trace and event."""
        assert plan.assigned_at is not None  # noqa: S101 - called for assigned documents
        writer, tables = self.writer, self.writer.tables
        assignment_table, trace = tables[Assignment], tables[TraceEntry]
        due, completed = plan.due_date, plan.completed_at
        unit_leader = lead_unit.leader
        assert unit_leader is not None  # noqa: S101 - every unit has a leader
        child_id = assignment_table.allocate()
        writer.add(
            assignment_table,
            (
                child_id,
                incoming_id,
                lead_id,
                "LEAD",
                lead_unit.id,
                plan.lead_person.id,
                closed,
                due,
                "",
                unit_leader.id,
                plan.assigned_at,
                completed,
                None,
            ),
        )
        data = {
            "parent": lead_id,
            "role": "LEAD",
            "unit": lead_unit.id,
            "person": plan.lead_person.id,
            "due_date": due.isoformat() if due else None,
        }
        writer.add(
            trace,
            (
                trace.allocate(),
                incoming_id,
                child_id,
                "ASSIGNED",
                plan.assigned_at,
                unit_leader.id,
                unit_leader.full_name,
                "DIRECTED",
                "DIRECTED",
                "",
                _dumps(data),
            ),
        )
        self._event(
            plan.assigned_at,
            plan.agency.id,
            unit_leader,
            "incoming.document.assigned",
            "incoming.incoming",
            incoming_id,
            label,
            data,
        )
        return child_id


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    cumulative = []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    import bisect

    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


DOCUMENT_FIELDS = (
    "id",
    "direction",
    "agency",
    "document_type",
    "number",
    "symbol",
    "issued_date",
    "place_name",
    "subject",
    "issuer_name",
    "issuer_code",
    "signer_authority",
    "signer_position",
    "signer_name",
    "signer",
    "urgency",
    "secrecy",
    "circulation_note",
    "page_count",
    "copies_count",
    "reply_due_date",
    "language",
    "description",
    "identifier",
    "origin",
    "drafting_unit",
    "reply_to",
    "current_version",
    "created_by",
    "created_at",
    "updated_at",
)
VERSION_FIELDS = ("id", "document", "number", "kind", "note", "created_by", "created_at")
FILE_FIELDS = (
    "id",
    "version",
    "role",
    "ordinal",
    "name",
    "source",
    "pdf",
    "conversion_status",
    "conversion_progress",
    "conversion_error",
    "page_count",
    "text",
    "created_at",
)
RECIPIENT_FIELDS = (
    "id",
    "document",
    "ordinal",
    "kind",
    "agency",
    "unit",
    "name",
    "code",
    "channel",
    "address",
    "is_for_information",
)
REGISTER_FIELDS = (
    "id",
    "agency",
    "year",
    "scope",
    "code",
    "name",
    "document_type",
    "advisory_body",
    "next_number",
    "closed_at",
    "created_at",
    "updated_at",
)
ENTRY_FIELDS = (
    "id",
    "register",
    "number",
    "status",
    "document",
    "allocated_by",
    "allocated_at",
    "note",
    "cancelled_reason",
    "cancelled_at",
    "cancelled_by",
)
OUTGOING_FIELDS = (
    "id",
    "document",
    "agency",
    "status",
    "drafter",
    "drafting_unit",
    "register",
    "register_entry",
    "is_paper",
    "submitted_at",
    "signed_at",
    "signing_session_id",
    "issuing_started_at",
    "sealing_session_id",
    "issued_at",
    "issued_by",
    "recalled_at",
    "recall_reason",
    "replaces",
    "corrects",
    "created_at",
)
STEP_FIELDS = (
    "id",
    "outgoing",
    "round",
    "ordinal",
    "kind",
    "assignee",
    "status",
    "working_days",
    "due_at",
    "activated_at",
    "decided_at",
    "decided_by",
    "comment",
)
HISTORY_FIELDS = ("id", "outgoing", "occurred_at", "actor", "actor_name", "action", "from_status", "to_status", "note")
DELIVERY_FIELDS = (
    "id",
    "document",
    "kind",
    "sender_agency",
    "recipient_agency",
    "recipient_name",
    "recipient_code",
    "channel",
    "address",
    "blob",
    "related",
    "status",
    "status_at",
    "sent_at",
    "sent_by",
    "envelope_count",
    "note",
)
DELIVERY_EVENT_FIELDS = ("id", "delivery", "status", "occurred_at", "actor", "actor_name", "note")
INCOMING_FIELDS = (
    "id",
    "document",
    "agency",
    "status",
    "source",
    "delivery",
    "received_at",
    "received_by",
    "verification",
    "verified_at",
    "refused_reason",
    "register",
    "register_entry",
    "arrival_number",
    "arrival_at",
    "registered_by",
    "directed_at",
    "directed_by",
    "instruction",
    "due_date",
    "completed_at",
    "completed_by",
    "result",
    "recall_requested_at",
    "recalled_at",
    "created_at",
)
ASSIGNMENT_FIELDS = (
    "id",
    "incoming",
    "parent",
    "role",
    "unit",
    "person",
    "status",
    "due_date",
    "instruction",
    "assigned_by",
    "assigned_at",
    "completed_at",
    "reminded_on",
)
TRACE_FIELDS = (
    "id",
    "incoming",
    "assignment",
    "kind",
    "occurred_at",
    "actor",
    "actor_name",
    "from_status",
    "to_status",
    "text",
    "data",
)
AUDIT_FIELDS = (
    "id",
    "chain",
    "seq",
    "prev_hash",
    "hash",
    "occurred_at",
    "actor",
    "actor_name",
    "agency",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "data",
    "client_address",
)
HEAD_FIELDS = ("chain", "seq", "hash")
