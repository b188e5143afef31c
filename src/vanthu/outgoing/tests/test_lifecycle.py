"""The outgoing lifecycle table, every state × action pair (pure: no database)."""

from __future__ import annotations

import itertools

import pytest

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.outgoing import lifecycle
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.models import OutgoingStatus

S = OutgoingStatus
A = OutgoingAction

# Written out again on purpose: a change of the table must be a change of this test too.
EXPECTED = {
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
PAIRS = list(itertools.product(list(S), list(A)))


class TestAdvance:
    @pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
    def test_moves_to_the_tables_target_or_refuses_with_409(self, status: S, action: A) -> None:
        outgoing = Outgoing(status=status)
        if (status, action) in EXPECTED:
            assert lifecycle.advance(outgoing, action) == (status, EXPECTED[(status, action)])
            assert outgoing.status == EXPECTED[(status, action)]
        else:
            with pytest.raises(TransitionNotAllowedError) as refused:
                lifecycle.advance(outgoing, action)
            assert refused.value.http_status == 409
            assert refused.value.details == {"status": status.value, "action": action.value}
            assert outgoing.status == status

    def test_the_table_is_exactly_the_expected_one(self) -> None:
        assert lifecycle.TRANSITIONS == EXPECTED

    @pytest.mark.parametrize("status", sorted(lifecycle.FINAL_STATUSES))
    def test_final_statuses_allow_nothing(self, status: str) -> None:
        assert lifecycle.actions_from(status) == []

    def test_every_action_has_a_label(self) -> None:
        assert set(lifecycle.ACTION_LABELS) == set(A)
