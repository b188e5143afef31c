"""Plain data for the outgoing templates and the API (templates never query in loops).

``appendix_vi`` gives a document's metadata under the tag names of Decree 30 Appendix VI
(CodeNumber, CodeNotation, …): the detail page shows them with their labels, the API returns the
tags themselves."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vanthu.documents.models import Document
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentRecipient
from vanthu.documents.models import DocumentVersion
from vanthu.documents.models import RecipientKind
from vanthu.documents.models import VersionComment
from vanthu.exchange import selectors as exchange_selectors
from vanthu.exchange.models import Delivery
from vanthu.org.models import Person
from vanthu.outgoing import policies
from vanthu.outgoing import selectors
from vanthu.outgoing.lifecycle import ACTION_LABELS
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.lifecycle import actions_from
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.models import ReviewStep
from vanthu.outgoing.models import StepKind
from vanthu.outgoing.models import StepStatus

# The Appendix VI tags shown on the detail page, in order, with their labels.
APPENDIX_VI_LABELS: dict[str, Any] = {
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
    "To": _("Recipients"),
    "Priority": _("Urgency"),
    "IssuedAmount": _("Number of copies"),
    "DueDate": _("Reply deadline"),
}

# Appendix VI priority codes: 0 normal, 1 urgent, 2 very urgent, 3 flash.
PRIORITY_CODES = {"NORMAL": 0, "URGENT": 1, "VERY_URGENT": 2, "FLASH": 3}

# The buttons: action -> (URL name, needs a page of its own, Bootstrap style).
ACTION_BUTTONS: dict[OutgoingAction, tuple[str, str]] = {
    OutgoingAction.SUBMIT: ("outgoing:submit", "primary"),
    OutgoingAction.REVIEW: ("outgoing:review", "primary"),
    OutgoingAction.RETURN_TO_DRAFTER: ("outgoing:return_to_drafter", "outline-warning"),
    OutgoingAction.RETURN_TO_PREVIOUS: ("outgoing:return_to_previous", "outline-warning"),
    OutgoingAction.WITHDRAW: ("outgoing:withdraw", "outline-danger"),
    OutgoingAction.SIGN: ("outgoing:sign", "primary"),
    OutgoingAction.START_ISSUE: ("outgoing:issue", "primary"),
    OutgoingAction.ISSUE: ("outgoing:issue", "primary"),
    OutgoingAction.CANCEL_ISSUE: ("outgoing:cancel_issue", "outline-danger"),
    OutgoingAction.RECALL: ("outgoing:recall", "outline-danger"),
    OutgoingAction.CHANGE_RECIPIENTS: ("outgoing:change_recipients", "outline-secondary"),
}


@dataclass(frozen=True)
class ActionButton:
    action: str
    label: str
    url: str
    style: str


@dataclass(frozen=True)
class QueueRow:
    pk: int
    number_symbol: str
    subject: str
    type_name: str
    urgency: str
    urgency_label: str
    status: str
    status_label: str
    drafter_name: str
    unit_name: str
    created_at: datetime
    issued_date: date | None
    due_at: datetime | None
    is_overdue: bool
    deliveries_total: int
    deliveries_reached: int
    deliveries_problem: int


@dataclass(frozen=True)
class StepLine:
    round: int
    ordinal: int
    kind_label: str
    assignee_name: str
    decided_by_name: str
    status: str
    status_label: str
    due_at: datetime | None
    working_days: int
    decided_at: datetime | None
    comment: str
    is_overdue: bool


@dataclass(frozen=True)
class FileLine:
    pk: int
    name: str
    role: str
    role_label: str
    conversion_status: str
    is_ready: bool
    url: str
    status_url: str
    view_url: str = ""


@dataclass(frozen=True)
class VersionLine:
    number: int
    kind_label: str
    note: str
    created_by_name: str
    created_at: datetime
    is_current: bool
    files: list[FileLine] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)


def _name(person: Person | None) -> str:
    if person is None:
        return ""
    return str(person.full_name or person.username)


def queue_rows(outgoings: Any, *, now: datetime) -> list[QueueRow]:
    """Rows of a queue page from ``selectors.outgoing_queue_for`` (annotated, no further query)."""
    rows = []
    for outgoing in outgoings:
        document = outgoing.document
        due_at = getattr(outgoing, "my_step_due_at", None)
        rows.append(
            QueueRow(
                pk=outgoing.pk,
                number_symbol=document.number_symbol,
                subject=document.subject,
                type_name=document.document_type.name,
                urgency=document.urgency,
                urgency_label=str(document.get_urgency_display()),
                status=outgoing.status,
                status_label=str(outgoing.get_status_display()),
                drafter_name=_name(outgoing.drafter),
                unit_name=outgoing.drafting_unit.name if outgoing.drafting_unit else "",
                created_at=outgoing.created_at,
                issued_date=document.issued_date,
                due_at=due_at,
                is_overdue=due_at is not None and due_at < now,
                deliveries_total=int(getattr(outgoing, "deliveries_total", 0) or 0),
                deliveries_reached=int(getattr(outgoing, "deliveries_reached", 0) or 0),
                deliveries_problem=int(getattr(outgoing, "deliveries_problem", 0) or 0),
            )
        )
    return rows


def action_buttons(*, outgoing: Outgoing, person: Person, now: datetime) -> list[ActionButton]:
    """The buttons of the detail page: lifecycle × policy (``policies.available_actions``), one
    per page (start_issue and issue share the issue page), then the follow-ups."""
    buttons: list[ActionButton] = []
    seen_urls: set[str] = set()
    for action in policies.available_actions(outgoing, person, now):
        target = ACTION_BUTTONS.get(action)
        if target is None:
            continue
        url = reverse(target[0], args=[outgoing.pk])
        if url in seen_urls:
            continue
        seen_urls.add(url)
        label = ACTION_LABELS[action]
        if action in (OutgoingAction.START_ISSUE, OutgoingAction.ISSUE):
            label = (
                _("Number, seal and issue")
                if outgoing.status == OutgoingStatus.SIGNED
                else _("Apply the agency signature and issue")
            )
        buttons.append(ActionButton(action=str(action), label=str(label), url=url, style=target[1]))
    if policies.can_draft_follow_up(person, outgoing, now):
        for kind, label in (("replacement", _("Draft a replacement")), ("correction", _("Draft a correction"))):
            buttons.append(
                ActionButton(
                    action=f"draft_{kind}",
                    label=str(label),
                    url=reverse("outgoing:follow_up", args=[outgoing.pk, kind]),
                    style="outline-secondary",
                )
            )
    if policies.can_manage_issued_outgoing(person, outgoing, now):
        buttons.append(
            ActionButton(
                action="make_copy",
                label=str(_("Make an electronic copy")),
                url=reverse("outgoing:copy", args=[outgoing.pk]),
                style="outline-secondary",
            )
        )
    return buttons


def appendix_vi(document: Document, recipients: list[DocumentRecipient]) -> dict[str, Any]:
    """The metadata of Appendix VI part II under its tag names."""
    return {
        "CodeNumber": document.number_text,
        "CodeNotation": document.symbol,
        "TypeName": document.document_type.name,
        "IssuedDate": document.issued_date.isoformat() if document.issued_date else None,
        "OrganName": document.issuer_name or document.agency.name,
        "OrganId": document.issuer_code or document.agency.code_qcvn102,
        "Subject": document.subject,
        "Language": document.language,
        "PageAmount": document.page_count,
        "Description": document.description,
        "SignerInfo": {"Position": document.signer_title, "FullName": document.signer_name},
        "To": [
            {
                "OrganId": recipient.code or (recipient.agency.code_qcvn102 if recipient.agency else ""),
                "OrganName": recipient.name,
            }
            for recipient in recipients
            if recipient.kind != RecipientKind.UNIT
        ],
        "Priority": PRIORITY_CODES.get(document.urgency, 0),
        "IssuedAmount": document.copies_count,
        "DueDate": document.reply_due_date.isoformat() if document.reply_due_date else None,
    }


def recipients_of(document: Document) -> list[DocumentRecipient]:
    return list(DocumentRecipient.objects.filter(document=document).select_related("agency", "unit"))


def _file_line(file: DocumentFile) -> FileLine:
    return FileLine(
        pk=file.pk,
        name=file.name,
        role=file.role,
        role_label=str(file.get_role_display()),
        conversion_status=file.conversion_status,
        is_ready=file.is_ready,
        url=reverse("documents:file_content", args=[file.pk]),
        status_url=reverse("documents:file_status", args=[file.pk]),
        view_url=reverse("documents:file_view", args=[file.pk]),
    )


def versions_of(document: Document) -> list[VersionLine]:
    """Every version with its files and comments (three queries)."""
    versions = (
        DocumentVersion.objects.filter(document=document)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.order_by("role", "ordinal", "id")),
            Prefetch("comments", queryset=VersionComment.objects.select_related("author").order_by("created_at", "id")),
        )
        .order_by("-number")
    )
    return [
        VersionLine(
            number=version.number,
            kind_label=str(version.get_kind_display()),
            note=version.note,
            created_by_name=_name(version.created_by),
            created_at=version.created_at,
            is_current=version.pk == document.current_version_id,
            files=[_file_line(file) for file in version.files.all()],
            comments=[
                {"author": _name(comment.author), "text": comment.text, "created_at": comment.created_at}
                for comment in version.comments.all()
            ],
        )
        for version in versions
    ]


def steps_lines(*, outgoing: Outgoing, now: datetime) -> list[StepLine]:
    return [
        StepLine(
            round=step.round,
            ordinal=step.ordinal,
            kind_label=str(step.get_kind_display()),
            assignee_name=_name(step.assignee),
            decided_by_name=_name(step.decided_by) if step.decided_by_id != step.assignee_id else "",
            status=step.status,
            status_label=str(step.get_status_display()),
            due_at=step.due_at,
            working_days=step.working_days,
            decided_at=step.decided_at,
            comment=step.comment,
            is_overdue=step.status == StepStatus.ACTIVE and step.due_at is not None and step.due_at < now,
        )
        for step in selectors.steps_of(outgoing=outgoing)
    ]


# Timeline entries that are not lifecycle actions.
HISTORY_LABELS: dict[str, Any] = {
    "create": _("Draft created"),
    "update": _("Draft changed"),
    "new_version": _("New version"),
    "comment": _("Comment"),
    "seal_prepared": _("Agency signature prepared"),
    "signing_prepared": _("Signature prepared"),
    "draft_replacement": _("Replacement drafted"),
    "draft_correction": _("Correction drafted"),
}


def history_label(action: str) -> str:
    if action in OutgoingAction._value2member_map_:
        return str(ACTION_LABELS[OutgoingAction(action)])
    return str(HISTORY_LABELS.get(action, action))


def outgoing_detail(*, outgoing: Outgoing, person: Person, now: datetime) -> dict[str, Any]:
    document = outgoing.document
    recipients = recipients_of(document)
    metadata = appendix_vi(document, recipients)
    signer = metadata["SignerInfo"]
    metadata_lines = []
    for tag, label in APPENDIX_VI_LABELS.items():
        value: Any = metadata[tag]
        if tag == "SignerInfo":
            value = " ".join(part for part in (signer["Position"], signer["FullName"]) if part)
        elif tag == "To":
            value = "; ".join(item["OrganName"] for item in value)
        elif tag == "Priority":
            value = document.get_urgency_display()
        elif tag == "IssuedDate":
            value = document.issued_date
        elif tag == "DueDate":
            value = document.reply_due_date
        metadata_lines.append({"tag": tag, "label": label, "value": value})
    versions = versions_of(document)
    current = next((version for version in versions if version.is_current), versions[0] if versions else None)
    history = list(OutgoingHistory.objects.filter(outgoing=outgoing).order_by("-occurred_at", "-id"))
    status_labels = dict(OutgoingStatus.choices)
    return {
        "outgoing": outgoing,
        "document": document,
        "metadata": metadata_lines,
        "recipients": recipients,
        "current_version": current,
        "versions": versions,
        "steps": steps_lines(outgoing=outgoing, now=now),
        "history": [
            {
                "occurred_at": entry.occurred_at,
                "actor_name": entry.actor_name,
                "action": entry.action,
                "action_label": history_label(entry.action),
                "from_label": status_labels.get(entry.from_status, ""),
                "to_label": status_labels.get(entry.to_status, ""),
                "note": entry.note,
            }
            for entry in history
        ],
        # The recipients' statuses ("Theo dõi gửi"), rendered by exchange/_document_deliveries.html.
        "deliveries": exchange_selectors.deliveries_of_document(document=document, person=person, now=now)
        if outgoing.status in policies.ISSUED_STATUSES
        else [],
        "buttons": action_buttons(outgoing=outgoing, person=person, now=now),
        "may_edit": policies.can_edit_draft(person, outgoing, now),
        "may_comment": policies.can_comment_outgoing(person, outgoing, now),
    }


# --- API ------------------------------------------------------------------------------------


def allowed_actions_bulk(outgoings: list[Outgoing], *, person: Person, now: datetime) -> dict[int, list[str]]:
    """``policies.available_actions`` for a page of documents in two queries (the same rules; a
    test checks that both agree)."""
    ids = policies.acting_ids(person, now)
    clerk_agencies = policies.clerk_agency_ids(person, now)
    active_kinds: dict[int, set[str]] = {}
    steps = ReviewStep.objects.filter(
        outgoing_id__in=[o.pk for o in outgoings], status=StepStatus.ACTIVE, assignee_id__in=ids
    ).values_list("outgoing_id", "kind")
    for outgoing_id, kind in steps:
        active_kinds.setdefault(outgoing_id, set()).add(kind)
    result: dict[int, list[str]] = {}
    for outgoing in outgoings:
        kinds = active_kinds.get(outgoing.pk, set())
        is_drafter = outgoing.drafter_id in ids
        is_clerk = outgoing.agency_id in clerk_agencies
        rules = {
            OutgoingAction.SUBMIT: is_drafter,
            OutgoingAction.WITHDRAW: is_drafter,
            OutgoingAction.REVIEW: bool(kinds - {StepKind.APPROVAL}) and outgoing.status == OutgoingStatus.IN_REVIEW,
            OutgoingAction.RETURN_TO_DRAFTER: bool(kinds),
            OutgoingAction.RETURN_TO_PREVIOUS: bool(kinds),
            OutgoingAction.SIGN: StepKind.APPROVAL in kinds,
            OutgoingAction.START_ISSUE: is_clerk,
            OutgoingAction.ISSUE: is_clerk,
            OutgoingAction.CANCEL_ISSUE: is_clerk,
            OutgoingAction.RECALL: is_clerk,
            OutgoingAction.CHANGE_RECIPIENTS: is_clerk,
        }
        result[outgoing.pk] = [str(action) for action in actions_from(outgoing.status) if rules.get(action, False)]
    return result


def _list_row(outgoing: Outgoing, allowed: list[str]) -> dict[str, Any]:
    document = outgoing.document
    return {
        "id": outgoing.pk,
        "document_id": document.pk,
        "status": outgoing.status,
        "status_label": str(outgoing.get_status_display()),
        "allowed_actions": allowed,
        "number_symbol": document.number_symbol,
        "subject": document.subject,
        "type_name": document.document_type.name,
        "urgency": document.urgency,
        "agency_id": outgoing.agency_id,
        "drafter_id": outgoing.drafter_id,
        "created_at": outgoing.created_at,
        "issued_date": document.issued_date,
    }


def api_list_rows(outgoings: Any, *, person: Person, now: datetime) -> list[dict[str, Any]]:
    page = list(outgoings)
    allowed = allowed_actions_bulk(page, person=person, now=now)
    return [_list_row(outgoing, allowed[outgoing.pk]) for outgoing in page]


def api_detail(*, outgoing: Outgoing, person: Person, now: datetime) -> dict[str, Any]:
    document = outgoing.document
    recipients = recipients_of(document)
    statuses = dict(
        Delivery.objects.filter(document=document, kind="ORIGINAL").values_list("recipient_agency_id", "status")
    )
    current = (
        DocumentVersion.objects.filter(pk=document.current_version_id).first() if document.current_version_id else None
    )
    files = list(DocumentFile.objects.filter(version=current).order_by("role", "ordinal", "id")) if current else []
    allowed = [str(action) for action in policies.available_actions(outgoing, person, now)]
    return {
        **_list_row(outgoing, allowed),
        "metadata": appendix_vi(document, recipients),
        "drafting_unit_id": outgoing.drafting_unit_id,
        "signer_id": document.signer_id,
        "signer_authority": document.signer_authority,
        "reply_to_id": document.reply_to_id,
        "replaces_id": outgoing.replaces_id,
        "corrects_id": outgoing.corrects_id,
        "recipients": [
            {
                "id": r.pk,
                "kind": r.kind,
                "agency_id": r.agency_id,
                "unit_id": r.unit_id,
                "name": r.name,
                "channel": r.channel,
                "address": r.address,
                "delivery_status": statuses.get(r.agency_id) if r.agency_id else None,
            }
            for r in recipients
        ],
        "version": current.number if current else None,
        "files": [
            {
                "id": f.pk,
                "name": f.name,
                "role": f.role,
                "conversion_status": f.conversion_status,
                "is_ready": f.is_ready,
                "url": reverse("documents:file_content", args=[f.pk]),
            }
            for f in files
        ],
        "steps": [
            {
                "round": s.round,
                "ordinal": s.ordinal,
                "kind": s.kind,
                "assignee_id": s.assignee_id,
                "assignee_name": _name(s.assignee),
                "status": s.status,
                "due_at": s.due_at,
                "decided_at": s.decided_at,
                "is_overdue": s.status == StepStatus.ACTIVE and s.due_at is not None and s.due_at < now,
                "comment": s.comment,
            }
            for s in selectors.steps_of(outgoing=outgoing)
        ],
    }
