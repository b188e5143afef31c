"""The status filter of the search. An incoming document and an outgoing one go through different
stages, so each choice names its direction ("INCOMING:DONE", "OUTGOING:ISSUED") and the list shows
them in two groups."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy

from vanthu.documents.models import Direction
from vanthu.incoming.models import IncomingStatus
from vanthu.outgoing.models import OutgoingStatus

_BY_DIRECTION: dict[str, tuple[str, type[Any]]] = {
    Direction.INCOMING: ("incoming", IncomingStatus),
    Direction.OUTGOING: ("outgoing", OutgoingStatus),
}


def _choices(direction: str, statuses: type[Any]) -> list[tuple[str, str]]:
    return [(f"{direction}:{value}", label) for value, label in statuses.choices]


def status_choices() -> list[tuple[Any, list[tuple[str, str]]]]:
    """Grouped choices for a select: incoming stages, then outgoing ones."""
    return [
        (gettext_lazy("Incoming"), _choices(Direction.INCOMING, IncomingStatus)),
        (gettext_lazy("Outgoing"), _choices(Direction.OUTGOING, OutgoingStatus)),
    ]


def status_values() -> list[str]:
    return [value for _group, choices in status_choices() for value, _label in choices]


def status_condition(value: str) -> Q | None:
    """The condition for a choice of :func:`status_choices`; None for a value that is not one."""
    direction, _sep, code = value.partition(":")
    if direction not in _BY_DIRECTION:
        return None
    relation, statuses = _BY_DIRECTION[direction]
    if code not in statuses.values:
        return None
    return Q(direction=direction, **{f"{relation}__status": code})


def status_label(document: Any) -> str:
    """The stage a document of a search page is at (its incoming or outgoing record read with it)."""
    relation = _BY_DIRECTION.get(document.direction, ("", None))[0]
    record = getattr(document, relation, None) if relation else None
    return str(record.get_status_display()) if record is not None else ""
