"""The lifecycle of a signing session: which action may move which status where.

Only a PREPARED session moves; every other status is final::

    PREPARED --apply--> COMPLETED
    PREPARED --fail---> FAILED      (a refused upload or signature value)
    PREPARED --expire-> EXPIRED     (after ``expires_at``)
    PREPARED --cancel-> CANCELLED
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.signing.models import SigningStatus


class SessionAction(StrEnum):
    APPLY = "apply"
    FAIL = "fail"
    EXPIRE = "expire"
    CANCEL = "cancel"


TRANSITIONS: dict[tuple[str, SessionAction], str] = {
    (SigningStatus.PREPARED, SessionAction.APPLY): SigningStatus.COMPLETED,
    (SigningStatus.PREPARED, SessionAction.FAIL): SigningStatus.FAILED,
    (SigningStatus.PREPARED, SessionAction.EXPIRE): SigningStatus.EXPIRED,
    (SigningStatus.PREPARED, SessionAction.CANCEL): SigningStatus.CANCELLED,
}

FINAL_STATUSES = frozenset(
    {SigningStatus.COMPLETED, SigningStatus.EXPIRED, SigningStatus.FAILED, SigningStatus.CANCELLED}
)


class SigningSessionClosedError(TransitionNotAllowedError):
    code = "signing_session_closed"


def is_allowed(status: str, action: SessionAction) -> bool:
    return (status, action) in TRANSITIONS


def next_status(status: str, action: SessionAction) -> str:
    """The status after ``action``; refuses an action the table does not allow."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        label = SigningStatus(status).label if status in SigningStatus.values else status
        raise SigningSessionClosedError(
            _("This signing session is %(status)s; it can no longer be used.") % {"status": str(label).lower()},
            details={"status": status, "action": str(action)},
        ) from None
