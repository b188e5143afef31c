"""Every status × every target status, for every kind of delivery."""

from __future__ import annotations

import itertools

import pytest

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.documents.models import Channel
from vanthu.exchange.lifecycle import initial_status
from vanthu.exchange.lifecycle import next_status
from vanthu.exchange.models import DeliveryKind
from vanthu.exchange.models import DeliveryStatus as S

K = DeliveryKind
HANDLING = {
    (S.ARRIVED, S.REFUSED),
    (S.ARRIVED, S.REGISTERED),
    (S.REGISTERED, S.ASSIGNED),
    (S.REGISTERED, S.IN_PROGRESS),
    (S.REGISTERED, S.DONE),
    (S.ASSIGNED, S.IN_PROGRESS),
    (S.ASSIGNED, S.DONE),
    (S.IN_PROGRESS, S.DONE),
}
OUTSIDE = {(S.SENT, S.FAILED), (S.PENDING, S.FAILED)}
UPDATE_ANSWERS = {
    (current, answer)
    for current in (S.ARRIVED, S.REGISTERED, S.ASSIGNED, S.IN_PROGRESS)
    for answer in (S.ACCEPTED, S.RECALL_REFUSED)
}
ALLOWED: dict[str, set[tuple[str, str]]] = {
    K.ORIGINAL: HANDLING | OUTSIDE | {(S.PENDING, S.ARRIVED)},
    K.REPLACEMENT: HANDLING | UPDATE_ANSWERS | OUTSIDE | {(S.PENDING, S.ARRIVED)},
    K.CORRECTION: HANDLING | UPDATE_ANSWERS | OUTSIDE | {(S.PENDING, S.ARRIVED)},
    K.RECIPIENTS_CHANGE: HANDLING | UPDATE_ANSWERS | OUTSIDE | {(S.PENDING, S.ARRIVED)},
    K.RECALL: {
        (S.RECALL_REQUESTED, S.ACCEPTED),
        (S.RECALL_REQUESTED, S.RECALL_REFUSED),
        (S.PENDING, S.RECALL_REQUESTED),
    }
    | OUTSIDE,
}
CASES = [
    (kind, current, target, (current, target) in ALLOWED[kind])
    for kind, current, target in itertools.product(K.values, S.values, S.values)
]


class TestNextStatus:
    @pytest.mark.parametrize(("kind", "current", "target", "allowed"), CASES)
    def test_allows_exactly_the_table(self, kind, current, target, allowed):
        if allowed:
            assert next_status(kind=kind, current=current, target=target) == target
        else:
            with pytest.raises(TransitionNotAllowedError) as raised:
                next_status(kind=kind, current=current, target=target)
            assert raised.value.details == {"current": current, "target": target, "kind": kind}

    def test_the_refusal_names_both_statuses(self):
        with pytest.raises(TransitionNotAllowedError) as raised:
            next_status(kind=K.ORIGINAL, current=S.DONE, target=S.ARRIVED)

        assert "06" in str(raised.value.message)
        assert "01" in str(raised.value.message)


class TestInitialStatus:
    @pytest.mark.parametrize(
        ("channel", "kind", "status"),
        [
            (Channel.INTERNAL, K.ORIGINAL, S.ARRIVED),
            (Channel.INTERNAL, K.REPLACEMENT, S.ARRIVED),
            (Channel.INTERNAL, K.CORRECTION, S.ARRIVED),
            (Channel.INTERNAL, K.RECIPIENTS_CHANGE, S.ARRIVED),
            (Channel.INTERNAL, K.RECALL, S.RECALL_REQUESTED),
            (Channel.EMAIL, K.ORIGINAL, S.SENT),
            (Channel.EMAIL, K.RECALL, S.SENT),
            (Channel.POST, K.ORIGINAL, S.SENT),
            (Channel.AXIS, K.ORIGINAL, S.PENDING),
            (Channel.AXIS, K.RECALL, S.PENDING),
        ],
    )
    def test_starts_each_channel_where_it_should(self, channel, kind, status):
        assert initial_status(channel=channel, kind=kind) == status

    def test_refuses_a_recipient_kept_internally(self):
        with pytest.raises(TransitionNotAllowedError):
            initial_status(channel=Channel.NONE, kind=K.ORIGINAL)
