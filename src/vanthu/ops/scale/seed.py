"""``province_seed``: a province-scale synthetic Thanh Hóa in an empty database, in one transaction.

The rows are those the services write (see ``documents``): the application's pages, queues,
registers and ``vanthu audit verify`` work on them. PostgreSQL gets COPY in batches from a sending
thread, the secondary indexes and unique constraints of the big tables dropped for the load and
built again after it, the session's foreign-key triggers off while loading (as pg_restore does;
the generator keeps every reference whole and the tests check it), then VACUUM and ANALYZE; SQLite
gets ``executemany`` in the same transaction.

Generated: agencies, units, titles, people and their roles; outgoing documents through review,
signature, numbering and issuance (with their review steps, history, versions and files, and
recipients); a delivery per recipient in the province, each an incoming document there through
registration, direction, assignment, progress and completion (or refusal, or still on the way at
``now``), with the delivery's status events; paper and other electronic arrivals; the registers
and their entries; the audit events of each of these steps (their main events, not every event a
service writes: e.g. not the documents app's own "document created" and "file added") chained per
agency. Not generated: signing sessions and certificates (signed versions carry no real
signature, ``signing_session_id`` stays empty), the signature verification report of arrivals
(``Incoming.verification`` empty, as before the verification task runs), notifications, search
text, records and dossiers (later issues)."""

from __future__ import annotations

import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import DatabaseError
from django.db import connection
from django.db import transaction
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.core.clock import VIETNAM
from vanthu.core.errors import ConflictError
from vanthu.core.errors import ValidationError
from vanthu.core.selectors import calendar_load
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentType
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.services.text import text_reindex
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import TraceEntry
from vanthu.ops.scale import documents as generated
from vanthu.ops.scale import province as organisation
from vanthu.ops.scale.documents import DocumentGenerator
from vanthu.ops.scale.documents import DocumentTypeInfo
from vanthu.ops.scale.documents import IncomingPlan
from vanthu.ops.scale.documents import OutgoingPlan
from vanthu.ops.scale.files import pdfs_store
from vanthu.ops.scale.province import AgencyPlan
from vanthu.ops.scale.province import Province
from vanthu.ops.scale.timeline import Timeline
from vanthu.ops.scale.writer import BulkWriter
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import ReviewStep

MIN_AGENCIES = 3  # the provincial committee, a body and a commune
PASSWORD = "ThanhHoa@2026"  # noqa: S105 - the one known password of the synthetic people

TABLES: list[tuple[type[Any], tuple[str, ...]]] = [
    (Position, organisation.POSITION_FIELDS),
    (Agency, organisation.AGENCY_FIELDS),
    (Unit, organisation.UNIT_FIELDS),
    (Person, organisation.PERSON_FIELDS),
    (RoleAssignment, organisation.ROLE_FIELDS),
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
    (AuditChainHead, generated.HEAD_FIELDS),
]


@dataclass
class SeedReport:
    documents: int
    seed: int
    year: int
    now: datetime
    elapsed_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    database_bytes: int | None = None
    content_hash: str = ""
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "seed": self.seed,
            "year": self.year,
            "now": self.now.isoformat(),
            "elapsed_seconds": round(self.elapsed_seconds, 1),
            "rows": self.rows,
            "database_bytes": self.database_bytes,
            "content_hash": self.content_hash,
            "password": PASSWORD,
            "accounts": self.accounts,
            "statuses": self.statuses,
        }


def refuse_unless_empty() -> None:
    """The province goes into an empty (freshly migrated) database only."""
    if Document.objects.exists() or Agency.objects.exists() or Person.objects.exists():
        raise ConflictError(
            _("The database already holds agencies, people or documents: seed-scale fills an empty database only."),
            code="database_not_empty",
        )


def _period(year: int, now: datetime) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=VIETNAM).astimezone(UTC)
    end = datetime(year, 12, 31, 23, 59, tzinfo=VIETNAM).astimezone(UTC)
    if now <= start + timedelta(days=7):
        raise ValidationError(
            _("The year %(year)s has not started a week before now: choose an earlier year or a later --now.")
            % {"year": year},
            details={"year": year},
        )
    return start, min(now, end)


def _prepare_postgresql() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            # As pg_restore does: no per-row foreign-key triggers while loading rows made whole.
            cursor.execute("SET LOCAL session_replication_role = replica")


# The tables that receive millions of rows: their secondary indexes and unique constraints are
# dropped for the load and built again after it (one sort each instead of millions of inserts).
BULK_MODELS = [
    Document,
    DocumentVersion,
    DocumentFile,
    DocumentRecipient,
    RegisterEntry,
    Outgoing,
    OutgoingHistory,
    ReviewStep,
    Delivery,
    DeliveryEvent,
    Incoming,
    Assignment,
    TraceEntry,
    AuditEvent,
]


def _drop_indexes() -> list[str]:
    """Drop the secondary indexes and unique constraints of BULK_MODELS; return the statements
    that build them again (primary keys, checks and foreign keys stay)."""
    quote = connection.ops.quote_name
    rebuild: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for model in BULK_MODELS:
            table = model._meta.db_table
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                rebuild.append(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {quote(name)}")
                rebuild.append(definition)
    return rebuild


def _build_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _analyze() -> None:
    """Statistics for the planner; on PostgreSQL outside a transaction also VACUUM, which sets the
    visibility map and the hint bits of the loaded pages (else the first reads, e.g. a benchmark's
    first run, write every page back, and index-only scans cannot skip the heap)."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


# Measured on PostgreSQL: 1.19 GB for 100,000 documents with their history; WAL and index builds
# need room beside it while loading.
BYTES_PER_DOCUMENT = 12_000
HEADROOM = 2.0


@dataclass(frozen=True)
class DiskCheck:
    path: str
    free_bytes: int
    needed_bytes: int

    @property
    def ok(self) -> bool:
        return self.free_bytes >= self.needed_bytes


def disk_check(*, documents: int) -> DiskCheck | None:
    """Free space where the database keeps its files (PostgreSQL's data directory when it is on
    this machine, the SQLite file's folder) against what ``documents`` need; None when unknown."""
    path: str | None = None
    if connection.vendor == "postgresql":
        try:
            with connection.cursor() as cursor:
                cursor.execute("SHOW data_directory")
                row = cursor.fetchone()
                path = str(row[0]) if row else None
        except DatabaseError:  # not allowed to read the setting
            path = None
    elif connection.vendor == "sqlite":
        path = os.path.dirname(os.path.abspath(str(connection.settings_dict["NAME"])))
    if not path or not os.path.isdir(path):
        return None
    free = shutil.disk_usage(path).free
    return DiskCheck(path=path, free_bytes=free, needed_bytes=int(documents * BYTES_PER_DOCUMENT * HEADROOM))


def database_bytes() -> int | None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            row = cursor.fetchone()
            return int(row[0]) if row else None
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and os.path.exists(name):
        return sum(os.path.getsize(path) for path in (name, f"{name}-wal") if os.path.exists(path))
    return None


def _accounts(province: Province, items: list[OutgoingPlan | IncomingPlan]) -> dict[str, dict[str, Any]]:
    """An OFFICER (the one with the most documents to lead still open), their UNIT_LEADER, a CLERK and the head
    (AGENCY_LEADER) of the biggest department and of a ward."""
    leads: Counter[int] = Counter()
    open_leads: Counter[int] = Counter()
    for item in items:
        arrivals = item.recipients if isinstance(item, OutgoingPlan) else [item]
        for arrival in arrivals:
            if arrival.assigned_at is not None:
                leads[arrival.lead_person.id] += 1
                if arrival.completed_at is None:
                    open_leads[arrival.lead_person.id] += 1
    departments = [agency for agency in province.agencies if agency.kind == "DEPARTMENT"]
    wards = [agency for agency in province.agencies if agency.kind in ("WARD", "COMMUNE")]
    chosen: dict[str, AgencyPlan] = {}
    if departments:
        chosen["department"] = max(departments, key=lambda agency: (agency.weight, -agency.id))
    if wards:
        chosen["ward"] = wards[0]
    accounts: dict[str, dict[str, Any]] = {}
    for key, agency in chosen.items():
        officers = [officer for unit in agency.units for officer in unit.officers]
        officer = (
            max(officers, key=lambda person: (open_leads[person.id], leads[person.id], -person.id))
            if officers
            else None
        )
        unit = next((unit for unit in agency.units if officer in unit.officers), agency.units[0])
        accounts[key] = {
            "agency_id": agency.id,
            "agency": agency.name,
            "OFFICER": officer.username if officer else None,
            "CLERK": agency.clerks[0].username,
            "UNIT_LEADER": unit.leader.username if unit.leader else None,
            "AGENCY_LEADER": agency.leaders[0].username,
        }
    return accounts


def _statuses() -> dict[str, dict[str, int]]:
    outgoing = Outgoing.objects.order_by().values("status").annotate(count=Count("id"))
    incoming = Incoming.objects.order_by().values("status").annotate(count=Count("id"))
    return {
        "outgoing": {row["status"]: row["count"] for row in outgoing},
        "incoming": {row["status"]: row["count"] for row in incoming},
    }


def province_seed(  # noqa: PLR0913, PLR0915 - the options of the command; one phase after another
    *,
    documents: int,
    seed: int,
    agencies: int,
    people: int,
    year: int,
    now: datetime,
    content_hash: bool = False,
    dry_run: bool = False,
    search_text: bool = True,
    progress: Callable[[int], None] | None = None,
    phase: Callable[[str], None] | None = None,
) -> SeedReport:
    """Generate the province and ``documents`` documents (outgoing and incoming rows together)."""
    started = time.monotonic()
    tell = phase or (lambda message: None)
    if documents < 1 or agencies < MIN_AGENCIES or people < 1:
        raise ValidationError(_("Ask for at least 1 document, 3 agencies and 1 person."))
    start, end = _period(year, now)
    report = SeedReport(documents=documents, seed=seed, year=year, now=now)
    with translation.override(settings.LANGUAGE_CODE):
        if not dry_run:
            refuse_unless_empty()
        with transaction.atomic():
            connection.ensure_connection()
            rebuild: list[str] = []
            if connection.vendor == "postgresql" and not dry_run:
                _prepare_postgresql()
                rebuild = _drop_indexes()
            writer = BulkWriter(connection, dry_run=dry_run, hashing=content_hash)
            for model, names in TABLES:
                writer.table(model, names)
            tell(_("Storing the PDF files"))
            pdfs = pdfs_store(now=now)
            for index, sha256 in enumerate(pdfs.all()):
                writer.substitutions[sha256] = f"blob-{index}"
            types = {
                row.code: DocumentTypeInfo(row.pk, row.code, row.name, row.abbreviation)
                for row in DocumentType.objects.filter(agency__isnull=True)
            }
            rng = random.Random(seed)  # noqa: S311 - synthetic data, repeatable from its seed
            tell(_("Planning the province"))
            province = organisation.plan_province(rng=rng, writer=writer, agencies=agencies, people=people)
            password_hash = make_password(PASSWORD, salt=f"seedscale{seed}")
            organisation.write_province(
                province=province, writer=writer, password_hash=password_hash, now=now, year=year
            )
            first = date(year, 1, 1) - timedelta(days=40)
            timeline = Timeline(calendar_load(years=range(year - 1, year + 3)), first, Timeline.local_date(end))
            generator = DocumentGenerator(
                rng=rng,
                writer=writer,
                province=province,
                timeline=timeline,
                types=types,
                pdfs=pdfs,
                now=end,
                year=year,
                start=start,
                progress=progress,
            )
            tell(_("Planning the documents"))
            items = generator.plan(documents)
            tell(_("Writing the documents and their history"))
            generator.write(items)
            writer.finish()
            if rebuild:
                tell(_("Building the indexes"))
                _build_indexes(rebuild)
            report.accounts = _accounts(province, items)
            report.rows = writer.counts()
            report.content_hash = writer.content_hash() if writer.hashing else ""
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run and search_text:
            # The searchable text as the services keep it (documents.services.text), with the text of
            # the shared PDFs (read once each), a batch per transaction; the database indexes it
            # itself (generated tsvectors / FTS5 triggers).
            tell(_("Indexing the text for search"))
            text_reindex(now=now, extract_missing=True, batch=2000)
        if not dry_run:
            tell(_("Analysing the tables"))
            _analyze()
            report.statuses = _statuses()
            report.database_bytes = database_bytes()
    report.elapsed_seconds = time.monotonic() - started
    return report
