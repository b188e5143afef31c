"""What each number of the statistics counts, written once: its heading, its group, its kind and
its definition (shown on the page and below every report), and — for the counts — the audit
events it counts (``reports.facts`` counts them and lists the documents behind them with the same
conditions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vanthu.audit.models import AuditEvent
from vanthu.incoming import events as incoming_events
from vanthu.outgoing import events as outgoing_events
from vanthu.reports.tables import ValueKind

ISSUED = outgoing_events.OUTGOING_ISSUED
PAPER_ISSUED = outgoing_events.OUTGOING_PAPER_REGISTERED
REGISTERED = incoming_events.INCOMING_REGISTERED
DIRECTED = incoming_events.INCOMING_DIRECTED
COMPLETED = incoming_events.INCOMING_COMPLETED
REOPENED = incoming_events.INCOMING_REOPENED
RECALLED = incoming_events.INCOMING_RECALL_ACCEPTED
EXTENDED = incoming_events.INCOMING_EXTENSION_DECIDED

OUTGOING_GROUP = _("Outgoing documents")
INCOMING_GROUP = _("Incoming documents")
HANDLING_GROUP = _("Handling of incoming documents")


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    group: Any
    definition: Any
    kind: ValueKind = ValueKind.COUNT
    # A count of events: the actions and the condition (with the period's end for those that look
    # at later events); the document's id in the event's data. None for derived and snapshot ones.
    actions: tuple[str, ...] = ()
    document_key: str = ""
    numerator: str = ""  # rates: numerator / denominator (keys)
    denominator: str = ""
    parts: tuple[str, ...] = ()  # a sum of other counts

    @property
    def is_event_count(self) -> bool:
        return bool(self.actions)

    @property
    def is_snapshot(self) -> bool:
        return self.key in SNAPSHOT_KEYS


def event_condition(key: str, ends_before: Any) -> Q:
    """The condition, on AuditEvent rows of the measure's actions, of a counted event."""
    if key == "out_electronic":
        return Q(action=ISSUED)
    if key == "out_paper":
        return Q(action=PAPER_ISSUED)
    if key == "out_signed_agency":
        return Q(action=ISSUED, data__has_key="seal_session_id")
    if key == "in_received":
        return Q(action=REGISTERED)
    if key == "in_paper":
        return Q(action=REGISTERED, data__source="PAPER")
    if key == "in_electronic":
        return Q(action=REGISTERED) & ~Q(data__source="PAPER")
    if key == "in_processed":
        directed = AuditEvent.objects.filter(
            action=DIRECTED,
            target_type=OuterRef("target_type"),
            target_id=OuterRef("target_id"),
            occurred_at__lt=ends_before,
        )
        return Q(Exists(directed), action=REGISTERED)
    if key == "done_late":
        return Q(action=COMPLETED, data__late=True)
    if key == "done_on_time":
        return Q(action=COMPLETED) & ~Q(data__late=True)
    raise KeyError(key)


SNAPSHOT_KEYS = frozenset({"open_in_time", "open_overdue"})

MEASURES: list[Measure] = [
    Measure(
        "out_issued",
        _("Issued"),
        OUTGOING_GROUP,
        _("Outgoing documents numbered and issued in the period, electronically or on paper."),
        parts=("out_electronic", "out_paper"),
    ),
    Measure(
        "out_electronic",
        _("Electronic"),
        OUTGOING_GROUP,
        _(
            "Issued electronically: signed digitally by the competent person and by the agency in the"
            " system and delivered as an electronic document (event “Document issued”)."
        ),
        actions=(ISSUED,),
        document_key="document_id",
    ),
    Measure(
        "out_paper",
        _("On paper"),
        OUTGOING_GROUP,
        _("Signed on paper and registered in the system afterwards (event “Document signed on paper registered”)."),
        actions=(PAPER_ISSUED,),
        document_key="document_id",
    ),
    Measure(
        "out_electronic_rate",
        _("Electronic (%)"),
        OUTGOING_GROUP,
        _("Issued electronically ÷ issued."),
        ValueKind.RATE,
        numerator="out_electronic",
        denominator="out_issued",
    ),
    Measure(
        "out_signed_agency",
        _("Agency signature"),
        OUTGOING_GROUP,
        _("Issued bearing the agency's digital signature (the seal applied by the clerk in the system)."),
        actions=(ISSUED,),
        document_key="document_id",
    ),
    Measure(
        "out_signed_person_rate",
        _("Signer's digital signature (%)"),
        OUTGOING_GROUP,
        _("Issued with the competent person's digital signature ÷ issued (a paper signature does not count)."),
        ValueKind.RATE,
        numerator="out_electronic",
        denominator="out_issued",
    ),
    Measure(
        "out_signed_agency_rate",
        _("Agency signature (%)"),
        OUTGOING_GROUP,
        _("Issued bearing the agency's digital signature ÷ issued."),
        ValueKind.RATE,
        numerator="out_signed_agency",
        denominator="out_issued",
    ),
    Measure(
        "in_received",
        _("Received"),
        INCOMING_GROUP,
        _(
            "Incoming documents registered in the arrival register in the period"
            " (event “Incoming document registered”)."
        ),
        actions=(REGISTERED,),
        document_key="document",
    ),
    Measure(
        "in_electronic",
        _("Electronic"),
        INCOMING_GROUP,
        _(
            "Received as electronic documents: from an agency of the province through the system, over the"
            " national document axis, or electronically by other means."
        ),
        actions=(REGISTERED,),
        document_key="document",
    ),
    Measure(
        "in_paper",
        _("Paper, scanned"),
        INCOMING_GROUP,
        _("Received on paper and scanned by the clerk."),
        actions=(REGISTERED,),
        document_key="document",
    ),
    Measure(
        "in_electronic_rate",
        _("Electronic (%)"),
        INCOMING_GROUP,
        _("Received electronically ÷ received."),
        ValueKind.RATE,
        numerator="in_electronic",
        denominator="in_received",
    ),
    Measure(
        "in_processed",
        _("Processed electronically"),
        INCOMING_GROUP,
        _(
            "Of the documents received in the period, those directed and assigned in the system before the"
            " period ended (the handling then happens in the system)."
        ),
        actions=(REGISTERED,),
        document_key="document",
    ),
    Measure(
        "in_processed_rate",
        _("Processed electronically (%)"),
        INCOMING_GROUP,
        _("Processed electronically ÷ received."),
        ValueKind.RATE,
        numerator="in_processed",
        denominator="in_received",
    ),
    Measure(
        "done_on_time",
        _("Done on time"),
        HANDLING_GROUP,
        _("Incoming documents completed in the period on or before their deadline (or without one)."),
        actions=(COMPLETED,),
        document_key="document",
    ),
    Measure(
        "done_late",
        _("Done late"),
        HANDLING_GROUP,
        _("Incoming documents completed in the period after their deadline."),
        actions=(COMPLETED,),
        document_key="document",
    ),
    Measure(
        "on_time_rate",
        _("On time (%)"),
        HANDLING_GROUP,
        _("Done on time ÷ done."),
        ValueKind.RATE,
        numerator="done_on_time",
        denominator="done",
    ),
    Measure(
        "open_in_time",
        _("In progress, within deadline"),
        HANDLING_GROUP,
        _(
            "At the end of the period: directed, not completed, and its deadline (the latest set, extensions"
            " included) not passed, or without a deadline."
        ),
    ),
    Measure(
        "open_overdue",
        _("In progress, overdue"),
        HANDLING_GROUP,
        _("At the end of the period: directed, not completed, its deadline passed."),
    ),
    Measure(
        "avg_days",
        _("Average handling time (working days)"),
        HANDLING_GROUP,
        _(
            "Working days from registration to completion, averaged over the documents completed in the"
            " period (the working-day calendar of Vietnam, holidays and make-up days included)."
        ),
        ValueKind.DAYS,
        numerator="days_sum",
        denominator="done",
    ),
]
BY_KEY = {measure.key: measure for measure in MEASURES}
# Counts kept for every agency and period (the rest derive from them).
BASE_KEYS = (
    "out_electronic",
    "out_paper",
    "out_signed_agency",
    "in_received",
    "in_paper",
    "in_processed",
    "done_on_time",
    "done_late",
    "days_sum",
    "open_in_time",
    "open_overdue",
)
# The measures whose list of documents can be opened (counts, not rates).
LISTED_KEYS = frozenset({m.key for m in MEASURES if m.is_event_count} | SNAPSHOT_KEYS | {"out_issued"})


def derived(values: dict[str, int]) -> dict[str, int | float | None]:
    """Every measure from the base counts."""
    out: dict[str, int | float | None] = {key: 0 for key in BASE_KEYS}
    out.update(values)
    out["out_issued"] = values.get("out_electronic", 0) + values.get("out_paper", 0)
    out["in_electronic"] = values.get("in_received", 0) - values.get("in_paper", 0)
    out["done"] = values.get("done_on_time", 0) + values.get("done_late", 0)
    for measure in MEASURES:
        if measure.numerator:
            base = out.get(measure.denominator) or 0
            top = out.get(measure.numerator) or 0
            if not base:
                out[measure.key] = None
            elif measure.kind == ValueKind.RATE:
                out[measure.key] = round(100 * float(top) / float(base), 1)
            else:
                out[measure.key] = round(float(top) / float(base), 1)
    return out
