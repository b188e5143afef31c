"""The incoming lifecycle table, every state × action pair (pure: no database)."""

from __future__ import annotations

import itertools

import pytest

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.incoming import lifecycle
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus

S = IncomingStatus
A = IncomingAction

# Written out again on purpose: a change of the table must be a change of this test too.
EXPECTED = {
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
    (S.ARRIVED, A.ACCEPT_RECALL): S.RECALLED,
    (S.REGISTERED, A.ACCEPT_RECALL): S.RECALLED,
    (S.DIRECTED, A.ACCEPT_RECALL): S.RECALLED,
    (S.IN_PROGRESS, A.ACCEPT_RECALL): S.RECALLED,
    (S.ARRIVED, A.REFUSE_RECALL): S.ARRIVED,
    (S.REGISTERED, A.REFUSE_RECALL): S.REGISTERED,
    (S.DIRECTED, A.REFUSE_RECALL): S.DIRECTED,
    (S.IN_PROGRESS, A.REFUSE_RECALL): S.IN_PROGRESS,
    (S.DONE, A.REFUSE_RECALL): S.DONE,
}
PAIRS = list(itertools.product(list(S), list(A)))


class TestAdvance:
    @pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
    def test_moves_to_the_tables_target_or_refuses_with_409(self, status: S, action: A) -> None:
        incoming = Incoming(status=status)
        if (status, action) in EXPECTED:
            assert lifecycle.advance(incoming, action) == (status, EXPECTED[(status, action)])
            assert incoming.status == EXPECTED[(status, action)]
        else:
            with pytest.raises(TransitionNotAllowedError) as refused:
                lifecycle.advance(incoming, action)
            assert refused.value.http_status == 409
            assert refused.value.details == {"status": status.value, "action": action.value}
            assert incoming.status == status

    def test_the_table_is_exactly_the_expected_one(self) -> None:
        assert lifecycle.TRANSITIONS == EXPECTED

    @pytest.mark.parametrize("status", sorted(lifecycle.FINAL_STATUSES))
    def test_final_statuses_allow_nothing(self, status: str) -> None:
        assert lifecycle.actions_from(status) == []

    def test_a_done_document_cannot_accept_a_recall_only_refuse_it(self) -> None:
        assert lifecycle.actions_from(S.DONE) == [A.REOPEN, A.REFUSE_RECALL]
