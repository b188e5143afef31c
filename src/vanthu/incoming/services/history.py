"""The trace of an incoming document (App. VI TraceHeaderList): one ``TraceEntry`` row per action,
written by the service that acts, inside its transaction (STYLE.md §7 "History"); and
``sender_report``: the edXML status the sender sees, for documents delivered through this system."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vanthu.documents.services.text import document_text_refresh
from vanthu.exchange import lifecycle as delivery_lifecycle
from vanthu.exchange.models import Delivery
from vanthu.exchange.services import delivery_status_reported
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import TraceEntry
from vanthu.incoming.selectors import SEARCHED_KINDS


def trace_add(
    incoming: Incoming,
    *,
    kind: str,
    actor: Any,
    now: datetime,
    from_status: str = "",
    to_status: str = "",
    text: str = "",
    data: dict[str, Any] | None = None,
    assignment: Assignment | None = None,
) -> TraceEntry:
    """Append one row to ``incoming``'s trace. ``actor`` may be ``None`` (a system action: an arrival,
    a reminder); ``from_status``/``to_status`` stay empty for actions that do not move the status."""
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_name = (getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor_id else ""
    entry = TraceEntry.objects.create(
        incoming=incoming,
        assignment=assignment,
        kind=str(kind),
        occurred_at=now,
        actor_id=actor_id,
        actor_name=actor_name[:150],
        from_status=str(from_status),
        to_status=str(to_status),
        text=text,
        data=data,
    )
    if kind in SEARCHED_KINDS:  # instructions, reports and results are searched with the document
        document_text_refresh(document_ids=[incoming.document_id], now=now)
    return entry


def sender_report(
    incoming: Incoming,
    *,
    status: str,
    actor: Any,
    now: datetime,
    note: str = "",
    delivery: Delivery | None = None,
) -> Delivery | None:
    """Tell the sender ``status`` (02, 03, 04, 05, 06 on the delivery of the document; 15, 16 on a
    recall: pass that ``delivery``). Only documents delivered through this system (INTERNAL) have a
    sender to tell; a status the delivery already has, or cannot go to from where it is (04 again
    after a change of direction, 05 after a reopening of a document reported 06), is not sent twice
    — the sender's view only moves forward. Runs in the caller's transaction, after its policy."""
    target = delivery
    if target is None:
        if incoming.delivery_id is None:
            return None
        target = Delivery.objects.get(pk=incoming.delivery_id)
    if status not in delivery_lifecycle.allowed_targets(kind=target.kind, current=target.status):
        return None
    return delivery_status_reported(delivery=target, status=status, actor=actor, now=now, note=note)
