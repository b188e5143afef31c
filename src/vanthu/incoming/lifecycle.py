"""The lifecycle of an incoming document (DOMAIN.md §9.3): which action moves which status where.

::

    ARRIVED --register--> REGISTERED --direct--> DIRECTED --start--> IN_PROGRESS --complete--> DONE
    ARRIVED --refuse--> REFUSED                    (returned to the sender: 02)
    DIRECTED --direct--> DIRECTED                  (the leader changes the direction)
    DIRECTED, IN_PROGRESS --assign--> same         (a unit leader assigns inside the unit)
    IN_PROGRESS --report--> IN_PROGRESS            (progress, co-operating input)
    DIRECTED --complete--> DONE                    (done without a progress report)
    DONE --reopen--> IN_PROGRESS                   (the leader finds it not finished)
    ARRIVED, REGISTERED, DIRECTED, IN_PROGRESS --accept_recall--> RECALLED   (15; copy destroyed)
    ARRIVED, REGISTERED, DIRECTED, IN_PROGRESS, DONE --refuse_recall--> same (16)

A recall of a document already DONE cannot be accepted: the clerk refuses it (16) and says why.
``advance`` is the only writer of ``Incoming.status``.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus


class IncomingAction(StrEnum):
    REGISTER = "register"
    REFUSE = "refuse"
    DIRECT = "direct"
    ASSIGN = "assign"
    START = "start"
    REPORT = "report"
    COMPLETE = "complete"
    REOPEN = "reopen"
    ACCEPT_RECALL = "accept_recall"
    REFUSE_RECALL = "refuse_recall"


ACTION_LABELS = {
    IncomingAction.REGISTER: gettext_lazy("Register"),
    IncomingAction.REFUSE: gettext_lazy("Refuse and return"),
    IncomingAction.DIRECT: gettext_lazy("Direct"),
    IncomingAction.ASSIGN: gettext_lazy("Assign in the unit"),
    IncomingAction.START: gettext_lazy("Start handling"),
    IncomingAction.REPORT: gettext_lazy("Report progress"),
    IncomingAction.COMPLETE: gettext_lazy("Complete"),
    IncomingAction.REOPEN: gettext_lazy("Reopen"),
    IncomingAction.ACCEPT_RECALL: gettext_lazy("Accept the recall"),
    IncomingAction.REFUSE_RECALL: gettext_lazy("Refuse the recall"),
}

S = IncomingStatus
A = IncomingAction
OPEN_STATUSES = (S.ARRIVED, S.REGISTERED, S.DIRECTED, S.IN_PROGRESS)

TRANSITIONS: dict[tuple[str, IncomingAction], str] = {
    (S.ARRIVED, A.REGISTER): S.REGISTERED,
    (S.ARRIVED, A.REFUSE): S.REFUSED,
    (S.REGISTERED, A.DIRECT): S.DIRECTED,
    (S.DIRECTED, A.DIRECT): S.DIRECTED,
    (S.DIRECTED, A.ASSIGN): S.DIRECTED,
    (S.IN_PROGRESS, A.ASSIGN): S.IN_PROGRESS,
    (S.DIRECTED, A.START): S.IN_PROGRESS,
    (S.DIRECTED, A.REPORT): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.REPORT): S.IN_PROGRESS,
    (S.DIRECTED, A.COMPLETE): S.DONE,
    (S.IN_PROGRESS, A.COMPLETE): S.DONE,
    (S.DONE, A.REOPEN): S.IN_PROGRESS,
    **{(status, A.ACCEPT_RECALL): S.RECALLED for status in OPEN_STATUSES},
    **{(status, A.REFUSE_RECALL): status for status in (*OPEN_STATUSES, S.DONE)},
}

FINAL_STATUSES = frozenset({S.REFUSED, S.RECALLED})


def is_allowed(status: str, action: IncomingAction) -> bool:
    return (status, action) in TRANSITIONS


def actions_from(status: str) -> list[IncomingAction]:
    return [action for (source, action) in TRANSITIONS if source == status]


def next_status(status: str, action: IncomingAction) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        label = IncomingStatus(status).label if status in IncomingStatus.values else status
        raise TransitionNotAllowedError(
            _("This action is not allowed while the document is “%(status)s”.") % {"status": label},
            details={"status": status, "action": str(action)},
        ) from None


def advance(incoming: Incoming, action: IncomingAction) -> tuple[str, str]:
    """Move ``incoming`` by ``action`` (in memory; the caller saves). Returns (from, to)."""
    source = incoming.status
    incoming.status = next_status(source, action)
    return source, incoming.status
