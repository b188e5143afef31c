"""Plain data for the incoming templates and the API (templates never query in loops).

``appendix_vi`` gives a document's metadata under the tag names of Decree 30 Appendix VI part
II.II (incoming: CodeNumber, CodeNotation, …, ArrivalDate, ArrivalNumber, ToPlaces,
TraceHeaderList, DueDate): the detail page shows them with their labels, the API returns the tags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanthu.core import clock
from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import Urgency
from vanthu.incoming import policies
from vanthu.incoming import selectors
from vanthu.incoming.lifecycle import ACTION_LABELS
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import AssignmentStatus
from vanthu.incoming.models import ExtensionStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.models import TraceKind
from vanthu.org.models import Person

APPENDIX_VI_LABELS: dict[str, Any] = {
    "ArrivalNumber": _("Arrival number"),
    "ArrivalDate": _("Arrival date"),
    "CodeNumber": _("Number"),
    "CodeNotation": _("Symbol"),
    "TypeName": _("Document type"),
    "IssuedDate": _("Issue date"),
    "OrganName": _("Issuing body"),
    "OrganId": _("Issuing body code"),
    "Subject": _("Summary"),
    "Language": _("Language"),
    "PageAmount": _("Page count"),
    "Description": _("Notes"),
    "SignerInfo": _("Signer"),
    "Priority": _("Urgency"),
    "ToPlaces": _("Receiving units or persons"),
    "DueDate": _("Handling deadline"),
}

PRIORITY_CODES = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}

# Action -> Bootstrap style of its button (every action has a form page at incoming:act).
ACTION_STYLES: dict[IncomingAction, str] = {
    IncomingAction.REGISTER: "primary",
    IncomingAction.REFUSE: "outline-danger",
    IncomingAction.DIRECT: "primary",
    IncomingAction.ASSIGN: "primary",
    IncomingAction.REPORT: "outline-primary",
    IncomingAction.COMPLETE: "success",
    IncomingAction.REOPEN: "outline-warning",
    IncomingAction.ACCEPT_RECALL: "danger",
    IncomingAction.REFUSE_RECALL: "outline-secondary",
}
# "start" is the first progress report: the report button covers it.
BUTTON_ACTIONS = tuple(ACTION_STYLES)
HANDLING_STATUSES = (IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ActionButton:
    action: str
    label: str
    url: str
    style: str


@dataclass(frozen=True)
class QueueRow:
    pk: int
    arrival_number: int | None
    received_at: datetime
    number_symbol: str
    subject: str
    type_name: str
    issuer_name: str
    urgency: str
    urgency_label: str
    source: str
    source_label: str
    status: str
    status_label: str
    due_date: date | None
    is_overdue: bool
    recall_pending: bool


@dataclass(frozen=True)
class AssignmentLine:
    pk: int
    parent_id: int | None
    role: str
    role_label: str
    target: str
    status: str
    status_label: str
    due_date: date | None
    is_overdue: bool
    instruction: str
    assigned_by_name: str
    assigned_at: datetime


@dataclass(frozen=True)
class TraceLine:
    kind: str
    kind_label: str
    occurred_at: datetime
    actor_name: str
    from_label: str
    to_label: str
    text: str


def _name(person: Person | None) -> str:
    if person is None:
        return ""
    return str(person.full_name or person.username)


def is_overdue(due_date: date | None, *, status: str, now: datetime) -> bool:
    return due_date is not None and status in HANDLING_STATUSES and due_date < clock.vietnam_date(now)


def queue_rows(incomings: Any, *, now: datetime) -> list[QueueRow]:
    """Rows of a queue page from ``selectors.incoming_queue_for`` (no further query)."""
    rows = []
    for incoming in incomings:
        document = incoming.document
        rows.append(
            QueueRow(
                pk=incoming.pk,
                arrival_number=incoming.arrival_number,
                received_at=incoming.received_at,
                number_symbol=document.number_symbol,
                subject=document.subject,
                type_name=document.document_type.name,
                issuer_name=document.issuer_name,
                urgency=document.urgency,
                urgency_label=str(document.get_urgency_display()),
                source=incoming.source,
                source_label=str(incoming.get_source_display()),
                status=incoming.status,
                status_label=str(incoming.get_status_display()),
                due_date=incoming.due_date,
                is_overdue=is_overdue(incoming.due_date, status=incoming.status, now=now),
                recall_pending=incoming.recall_requested_at is not None and incoming.status != IncomingStatus.RECALLED,
            )
        )
    return rows


def _assignment_target(assignment: Assignment) -> str:
    parts = [assignment.unit.name if assignment.unit else "", _name(assignment.person)]
    return " · ".join(part for part in parts if part)


def assignment_lines(assignments: list[Assignment], *, now: datetime) -> list[AssignmentLine]:
    today = clock.vietnam_date(now)
    return [
        AssignmentLine(
            pk=a.pk,
            parent_id=a.parent_id,
            role=a.role,
            role_label=str(a.get_role_display()),
            target=_assignment_target(a),
            status=a.status,
            status_label=str(a.get_status_display()),
            due_date=a.due_date,
            is_overdue=a.status == AssignmentStatus.OPEN and a.due_date is not None and a.due_date < today,
            instruction=a.instruction,
            assigned_by_name=_name(a.assigned_by),
            assigned_at=a.assigned_at,
        )
        for a in assignments
    ]


def trace_lines(entries: list[TraceEntry]) -> list[TraceLine]:
    status_labels = dict(IncomingStatus.choices)
    kind_labels = dict(TraceKind.choices)
    return [
        TraceLine(
            kind=entry.kind,
            kind_label=str(kind_labels.get(entry.kind, entry.kind)),
            occurred_at=entry.occurred_at,
            actor_name=entry.actor_name,
            from_label=str(status_labels.get(entry.from_status, "")),
            to_label=str(status_labels.get(entry.to_status, "")),
            text=entry.text,
        )
        for entry in entries
    ]


def to_places(assignments: list[Assignment]) -> str:
    """App. VI ToPlaces: the receiving units and persons, with their role."""
    return "; ".join(
        f"{_assignment_target(a)} ({a.get_role_display()})"
        for a in assignments
        if a.status != AssignmentStatus.CANCELLED
    )


def trace_header_list(entries: list[TraceEntry]) -> list[dict[str, Any]]:
    """App. VI TraceHeaderList: instructions, directions and handling status, oldest first."""
    return [
        {
            "Kind": entry.kind,
            "At": entry.occurred_at.isoformat(),
            "By": entry.actor_name,
            "FromStatus": entry.from_status,
            "ToStatus": entry.to_status,
            "Text": entry.text,
        }
        for entry in entries
    ]


def appendix_vi(
    incoming: Incoming, document: Document, assignments: list[Assignment], trace: list[TraceEntry]
) -> dict[str, Any]:
    """The incoming metadata of Appendix VI part II.II under its tag names."""
    return {
        "ArrivalNumber": incoming.arrival_number,
        "ArrivalDate": clock.vietnam_date(incoming.arrival_at).isoformat() if incoming.arrival_at else None,
        "CodeNumber": document.number_text,
        "CodeNotation": document.symbol,
        "TypeName": document.document_type.name,
        "IssuedDate": document.issued_date.isoformat() if document.issued_date else None,
        "OrganName": document.issuer_name,
        "OrganId": document.issuer_code,
        "Subject": document.subject,
        "Language": document.language,
        "PageAmount": document.page_count,
        "Description": document.description,
        "SignerInfo": {"Position": document.signer_position, "FullName": document.signer_name},
        "Priority": PRIORITY_CODES.get(Urgency(document.urgency), 0) if document.urgency in Urgency.values else 0,
        "ToPlaces": to_places(assignments),
        "TraceHeaderList": trace_header_list(trace),
        "DueDate": incoming.due_date.isoformat() if incoming.due_date else None,
    }


def action_buttons(*, incoming: Incoming, person: Person, now: datetime) -> list[ActionButton]:
    """The buttons of the detail page: lifecycle × policy (``policies.available_actions``), then the
    extension request and the reply (an outgoing draft linked to this document)."""
    buttons = []
    for action in policies.available_actions(incoming, person, now):
        if action not in ACTION_STYLES:
            continue
        buttons.append(
            ActionButton(
                action=str(action),
                label=str(ACTION_LABELS[action]),
                url=reverse("incoming:act", args=[incoming.pk, str(action)]),
                style=ACTION_STYLES[action],
            )
        )
    if incoming.status in HANDLING_STATUSES and policies.can_request_extension(person, incoming, now):
        buttons.append(
            ActionButton(
                action="request_extension",
                label=str(_("Ask for more time")),
                url=reverse("incoming:extension_request", args=[incoming.pk]),
                style="outline-secondary",
            )
        )
    if incoming.status in HANDLING_STATUSES and policies.can_report(person, incoming, now):
        try:
            reply_url = reverse("outgoing:reply", args=[incoming.document_id])
        except NoReverseMatch:  # pragma: no cover - outgoing is always installed
            reply_url = ""
        if reply_url:
            buttons.append(
                ActionButton(action="reply", label=str(_("Draft a reply")), url=reply_url, style="outline-primary")
            )
    return buttons


def _file_line(file: DocumentFile) -> dict[str, Any]:
    return {
        "pk": file.pk,
        "name": file.name,
        "role": file.role,
        "role_label": str(file.get_role_display()),
        "conversion_status": file.conversion_status,
        "is_ready": file.is_ready,
        "url": reverse("documents:file_content", args=[file.pk]),
        "status_url": reverse("documents:file_status", args=[file.pk]),
        "view_url": reverse("documents:file_view", args=[file.pk]),
    }


def files_of(document: Document) -> list[DocumentFile]:
    if document.current_version_id is None:
        return []
    return list(DocumentFile.objects.filter(version_id=document.current_version_id).order_by("role", "ordinal", "id"))


def _signer_name(signature: dict[str, Any]) -> str:
    signer = signature.get("signer_name") or signature.get("signer") or signature.get("subject") or ""
    if isinstance(signer, dict):  # signing.pades.verify.CertificateInfo as a dict
        return str(signer.get("common_name") or signer.get("subject") or "")
    return str(signer)


def _moment_text(value: Any) -> str:
    """A signing time as read in Vietnam ("09:00 10/03/2026"); a value that is no time, as it is."""
    if not value:
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%H:%M %d/%m/%Y")
    return clock.vietnam_time(moment).strftime("%H:%M %d/%m/%Y")


def verification_lines(report: Any) -> list[dict[str, Any]]:
    """The stored signature report as lines (whatever its exact shape: a dict with ``signatures``,
    or a list of signatures)."""
    if not report:
        return []
    if isinstance(report, dict) and isinstance(report.get("report"), dict):
        report = report["report"]  # as stored by incoming_verify: {"format", "verified_at", "report"}
    signatures = report.get("signatures", []) if isinstance(report, dict) else report
    lines = []
    for signature in signatures if isinstance(signatures, list) else []:
        if not isinstance(signature, dict):
            continue
        lines.append(
            {
                "signer": _signer_name(signature),
                "signed_at": _moment_text(signature.get("signed_at") or signature.get("signing_time")),
                "valid": bool(signature.get("valid", signature.get("intact", False))),
                "summary": str(signature.get("summary") or signature.get("status") or ""),
            }
        )
    return lines


def metadata_lines(metadata: dict[str, Any], document: Document, incoming: Incoming) -> list[dict[str, Any]]:
    lines = []
    for tag, label in APPENDIX_VI_LABELS.items():
        value: Any = metadata[tag]
        if tag == "SignerInfo":
            value = " ".join(part for part in (value["Position"], value["FullName"]) if part)
        elif tag == "Priority":
            value = document.get_urgency_display()
        elif tag == "IssuedDate":
            value = document.issued_date
        elif tag == "DueDate":
            value = incoming.due_date
        elif tag == "ArrivalDate":
            value = incoming.arrival_at
        lines.append({"tag": tag, "label": label, "value": value})
    return lines


def incoming_detail(*, incoming: Incoming, person: Person, now: datetime) -> dict[str, Any]:
    document = incoming.document
    assignments = selectors.assignments_of(incoming=incoming)
    trace = selectors.trace_of(incoming=incoming)
    metadata = appendix_vi(incoming, document, assignments, trace)
    extensions = selectors.extension_requests_of(incoming=incoming)
    may_decide = policies.can_decide_extension(person, incoming, now)
    return {
        "incoming": incoming,
        "document": document,
        "metadata": metadata_lines(metadata, document, incoming),
        "files": [_file_line(file) for file in files_of(document)],
        "verification": verification_lines(incoming.verification),
        "verification_raw": incoming.verification,
        "trace": trace_lines(trace),
        "assignments": assignment_lines(assignments, now=now),
        "extensions": [
            {
                "pk": request.pk,
                "requested_by_name": _name(request.requested_by),
                "requested_at": request.requested_at,
                "requested_due_date": request.requested_due_date,
                "reason": request.reason,
                "status": request.status,
                "status_label": str(request.get_status_display()),
                "decided_by_name": _name(request.decided_by),
                "decision_note": request.decision_note,
                "may_decide": may_decide and request.status == ExtensionStatus.PENDING,
            }
            for request in extensions
        ],
        "is_overdue": is_overdue(incoming.due_date, status=incoming.status, now=now),
        "recall_pending": incoming.recall_requested_at is not None and incoming.status != IncomingStatus.RECALLED,
        "buttons": action_buttons(incoming=incoming, person=person, now=now),
    }


# --- API ------------------------------------------------------------------------------------


def _list_row(incoming: Incoming, allowed: list[str], *, now: datetime) -> dict[str, Any]:
    document = incoming.document
    return {
        "id": incoming.pk,
        "document_id": document.pk,
        "agency_id": incoming.agency_id,
        "status": incoming.status,
        "status_label": str(incoming.get_status_display()),
        "source": incoming.source,
        "allowed_actions": allowed,
        "arrival_number": incoming.arrival_number,
        "received_at": incoming.received_at,
        "number_symbol": document.number_symbol,
        "subject": document.subject,
        "type_name": document.document_type.name,
        "issuer_name": document.issuer_name,
        "urgency": document.urgency,
        "due_date": incoming.due_date,
        "is_overdue": is_overdue(incoming.due_date, status=incoming.status, now=now),
        "recall_requested_at": incoming.recall_requested_at,
    }


def api_list_rows(incomings: Any, *, person: Person, now: datetime) -> list[dict[str, Any]]:
    return [
        _list_row(incoming, [str(a) for a in policies.available_actions(incoming, person, now)], now=now)
        for incoming in incomings
    ]


def api_detail(*, incoming: Incoming, person: Person, now: datetime) -> dict[str, Any]:
    document = incoming.document
    assignments = selectors.assignments_of(incoming=incoming)
    trace = selectors.trace_of(incoming=incoming)
    allowed = [str(action) for action in policies.available_actions(incoming, person, now)]
    return {
        **_list_row(incoming, allowed, now=now),
        "metadata": appendix_vi(incoming, document, assignments, trace),
        "instruction": incoming.instruction,
        "result": incoming.result,
        "refused_reason": incoming.refused_reason,
        "verification": incoming.verification,
        "assignments": [
            {
                "id": a.pk,
                "parent_id": a.parent_id,
                "role": a.role,
                "unit_id": a.unit_id,
                "person_id": a.person_id,
                "status": a.status,
                "due_date": a.due_date,
                "instruction": a.instruction,
            }
            for a in assignments
        ],
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "role": f.role,
                "conversion_status": f.conversion_status,
                "is_ready": f.is_ready,
                "url": reverse("documents:file_content", args=[f.pk]),
            }
            for f in files_of(document)
        ],
    }
