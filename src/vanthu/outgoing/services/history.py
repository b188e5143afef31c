"""The timeline of an outgoing document: one ``OutgoingHistory`` row per action, written by the
service that acts, inside its transaction (STYLE.md §7 "History")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingHistory


def history_add(
    outgoing: Outgoing,
    *,
    action: str,
    actor: Any,
    now: datetime,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> OutgoingHistory:
    """Append one row to ``outgoing``'s timeline. ``actor`` may be ``None`` (a system action);
    ``from_status``/``to_status`` are left empty for actions that do not move the status."""
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_name = (getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor_id else ""
    return OutgoingHistory.objects.create(
        outgoing=outgoing,
        occurred_at=now,
        actor_id=actor_id,
        actor_name=actor_name[:150],
        action=str(action)[:32],
        from_status=str(from_status),
        to_status=str(to_status),
        note=note,
    )
