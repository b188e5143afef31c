"""The lifecycle of an outgoing document (DOMAIN.md §9.2): which action moves which status where.

::

    DRAFT --submit--> IN_REVIEW --review--> IN_REVIEW
                          |  `--reach_signer--> AWAITING_SIGNATURE --sign--> SIGNED
    DRAFT --submit_to_signer--> AWAITING_SIGNATURE          (a circuit with only the signer)
    IN_REVIEW, AWAITING_SIGNATURE --return_to_drafter--> DRAFT
    IN_REVIEW, AWAITING_SIGNATURE --return_to_previous--> IN_REVIEW
    DRAFT --withdraw--> WITHDRAWN
    SIGNED --start_issue--> ISSUING (number bound) --issue--> ISSUED
    ISSUING --cancel_issue--> SIGNED   (the number is cancelled in the register, with a reason)
    ISSUED --recall--> RECALLED;  ISSUED --replace--> REPLACED (when its replacement is issued)
    ISSUED --change_recipients--> ISSUED;  ISSUED --correct--> ISSUED (a correction was issued)

``advance`` is the only writer of ``Outgoing.status``.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus


class OutgoingAction(StrEnum):
    SUBMIT = "submit"
    SUBMIT_TO_SIGNER = "submit_to_signer"
    REVIEW = "review"
    REACH_SIGNER = "reach_signer"
    RETURN_TO_DRAFTER = "return_to_drafter"
    RETURN_TO_PREVIOUS = "return_to_previous"
    WITHDRAW = "withdraw"
    SIGN = "sign"
    START_ISSUE = "start_issue"
    ISSUE = "issue"
    CANCEL_ISSUE = "cancel_issue"
    RECALL = "recall"
    REPLACE = "replace"
    CORRECT = "correct"
    CHANGE_RECIPIENTS = "change_recipients"


ACTION_LABELS = {
    OutgoingAction.SUBMIT: gettext_lazy("Submit for review"),
    OutgoingAction.SUBMIT_TO_SIGNER: gettext_lazy("Submit for signature"),
    OutgoingAction.REVIEW: gettext_lazy("Agree and pass on"),
    OutgoingAction.REACH_SIGNER: gettext_lazy("Pass to the signer"),
    OutgoingAction.RETURN_TO_DRAFTER: gettext_lazy("Send back to the drafter"),
    OutgoingAction.RETURN_TO_PREVIOUS: gettext_lazy("Send back to the previous step"),
    OutgoingAction.WITHDRAW: gettext_lazy("Withdraw the draft"),
    OutgoingAction.SIGN: gettext_lazy("Approve and sign"),
    OutgoingAction.START_ISSUE: gettext_lazy("Number and issue"),
    OutgoingAction.ISSUE: gettext_lazy("Apply the agency signature and issue"),
    OutgoingAction.CANCEL_ISSUE: gettext_lazy("Cancel issuance"),
    OutgoingAction.RECALL: gettext_lazy("Recall"),
    OutgoingAction.REPLACE: gettext_lazy("Replace"),
    OutgoingAction.CORRECT: gettext_lazy("Correct"),
    OutgoingAction.CHANGE_RECIPIENTS: gettext_lazy("Change recipients"),
}

S = OutgoingStatus
A = OutgoingAction

TRANSITIONS: dict[tuple[str, OutgoingAction], str] = {
    (S.DRAFT, A.SUBMIT): S.IN_REVIEW,
    (S.DRAFT, A.SUBMIT_TO_SIGNER): S.AWAITING_SIGNATURE,
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_REVIEW, A.REVIEW): S.IN_REVIEW,
    (S.IN_REVIEW, A.REACH_SIGNER): S.AWAITING_SIGNATURE,
    (S.IN_REVIEW, A.RETURN_TO_DRAFTER): S.DRAFT,
    (S.IN_REVIEW, A.RETURN_TO_PREVIOUS): S.IN_REVIEW,
    (S.AWAITING_SIGNATURE, A.RETURN_TO_DRAFTER): S.DRAFT,
    (S.AWAITING_SIGNATURE, A.RETURN_TO_PREVIOUS): S.IN_REVIEW,
    (S.AWAITING_SIGNATURE, A.SIGN): S.SIGNED,
    (S.SIGNED, A.START_ISSUE): S.ISSUING,
    (S.ISSUING, A.ISSUE): S.ISSUED,
    (S.ISSUING, A.CANCEL_ISSUE): S.SIGNED,
    (S.ISSUED, A.RECALL): S.RECALLED,
    (S.ISSUED, A.REPLACE): S.REPLACED,
    (S.ISSUED, A.CORRECT): S.ISSUED,
    (S.ISSUED, A.CHANGE_RECIPIENTS): S.ISSUED,
}

FINAL_STATUSES = frozenset({S.RECALLED, S.REPLACED, S.WITHDRAWN})


def is_allowed(status: str, action: OutgoingAction) -> bool:
    return (status, action) in TRANSITIONS


def actions_from(status: str) -> list[OutgoingAction]:
    """The actions the table allows from ``status`` (before asking who may)."""
    return [action for (source, action) in TRANSITIONS if source == status]


def next_status(status: str, action: OutgoingAction) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        label = OutgoingStatus(status).label if status in OutgoingStatus.values else status
        raise TransitionNotAllowedError(
            _("This action is not allowed while the document is “%(status)s”.") % {"status": label},
            details={"status": status, "action": str(action)},
        ) from None


def advance(outgoing: Outgoing, action: OutgoingAction) -> tuple[str, str]:
    """Move ``outgoing`` by ``action`` (in memory; the caller saves). Returns (from, to)."""
    source = outgoing.status
    outgoing.status = next_status(source, action)
    return source, outgoing.status
