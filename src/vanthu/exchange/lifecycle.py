"""The delivery status machine, on the edXML status codes (QCVN 102:2016; DOMAIN.md §3.2.2).

A delivery inside the province starts at 01 (arrived) — or 13 (recall requested) for a recall — and
the recipient reports what its registry does with it:

    01 → 02 refused | 03 registered
    03 → 04 assigned | 05 in progress | 06 done
    04 → 05 | 06
    05 → 06
    13 → 15 accepted | 16 refused                               (RECALL)

A replacement, correction or change of recipients behaves like an original (01 …) and the recipient
also answers it with 15 (accepted) or 16 (refused) while it is still open (01, 03, 04, 05).

Outside the system: e-mail and post start at SENT (an e-mail that could not be sent ends FAILED);
the national axis starts at 00 (waiting to be sent, a later issue sends it and then follows the
same codes as inside the province, from 01).

``advance()`` is the only code that writes ``Delivery.status`` after creation.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.documents.models import Channel
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus

S = DeliveryStatus
K = DeliveryKind

# The recipient's registry on an original (and on the updates that behave like one).
HANDLING: dict[str, frozenset[str]] = {
    S.ARRIVED: frozenset({S.REFUSED, S.REGISTERED}),
    S.REGISTERED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.DONE}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.DONE}),
    S.IN_PROGRESS: frozenset({S.DONE}),
}
UPDATE_KINDS = frozenset({K.REPLACEMENT, K.CORRECTION, K.RECIPIENTS_CHANGE})
# An update may be accepted or refused while it is still open at the recipient.
UPDATE_ANSWERS = frozenset({S.ACCEPTED, S.RECALL_REFUSED})
RECALL: dict[str, frozenset[str]] = {S.RECALL_REQUESTED: frozenset({S.ACCEPTED, S.RECALL_REFUSED})}
# Statuses the recipient side reports (delivery_report_status).
RECIPIENT_STATUSES = frozenset(
    {S.REFUSED, S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS, S.DONE, S.ACCEPTED, S.RECALL_REFUSED}
)


def initial_status(*, channel: str, kind: str) -> str:
    """The status a new delivery starts at."""
    if channel == Channel.INTERNAL:
        return S.RECALL_REQUESTED if kind == K.RECALL else S.ARRIVED
    if channel == Channel.AXIS:
        return S.PENDING
    if channel in (Channel.EMAIL, Channel.POST):
        return S.SENT
    raise TransitionNotAllowedError(_("A document cannot be delivered by this channel."))


def allowed_targets(*, kind: str, current: str) -> frozenset[str]:
    """Every status a delivery of ``kind`` may go to from ``current``."""
    if current == S.SENT:
        # Handed to the mail server or the post: only a failed e-mail is heard of again.
        return frozenset({S.FAILED})
    if current == S.PENDING:
        # The national axis (a later issue) acknowledges arrival, or the sending fails.
        return frozenset({S.RECALL_REQUESTED if kind == K.RECALL else S.ARRIVED, S.FAILED})
    if kind == K.RECALL:
        return RECALL.get(current, frozenset())
    targets = HANDLING.get(current, frozenset())
    if kind in UPDATE_KINDS and current in HANDLING:
        targets |= UPDATE_ANSWERS
    return targets


def next_status(*, kind: str, current: str, target: str) -> str:
    """``target`` if a delivery of ``kind`` may go there from ``current``; otherwise
    TransitionNotAllowedError with a message for people."""
    if target in allowed_targets(kind=kind, current=current):
        return target
    raise TransitionNotAllowedError(
        _("A delivery in status “%(current)s” cannot change to “%(target)s”.")
        % {"current": _status_label(current), "target": _status_label(target)},
        details={"current": current, "target": target, "kind": kind},
    )


def advance(delivery: Delivery, target: str, *, now: datetime) -> None:
    """Move ``delivery`` to ``target`` (in memory; the caller saves status and status_at)."""
    delivery.status = next_status(kind=delivery.kind, current=delivery.status, target=target)
    delivery.status_at = now


def _status_label(code: str) -> str:
    try:
        return f"{code} {S(code).label}"
    except ValueError:
        return code
