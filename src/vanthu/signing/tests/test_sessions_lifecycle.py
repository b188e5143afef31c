"""The signing session lifecycle: every status × every action."""

from __future__ import annotations

import pytest

from vanthu.core.errors import TransitionNotAllowedError
from vanthu.signing import lifecycle
from vanthu.signing.lifecycle import SessionAction
from vanthu.signing.models import SigningStatus

EXPECTED = {
    (SigningStatus.PREPARED, SessionAction.APPLY): SigningStatus.COMPLETED,
    (SigningStatus.PREPARED, SessionAction.FAIL): SigningStatus.FAILED,
    (SigningStatus.PREPARED, SessionAction.EXPIRE): SigningStatus.EXPIRED,
    (SigningStatus.PREPARED, SessionAction.CANCEL): SigningStatus.CANCELLED,
}


@pytest.mark.parametrize("status", list(SigningStatus))
@pytest.mark.parametrize("action", list(SessionAction))
def test_every_status_and_action(status: SigningStatus, action: SessionAction) -> None:
    expected = EXPECTED.get((status, action))
    assert lifecycle.is_allowed(status, action) is (expected is not None)
    if expected is not None:
        assert lifecycle.next_status(status, action) == expected
    else:
        with pytest.raises(TransitionNotAllowedError) as refused:
            lifecycle.next_status(status, action)
        assert refused.value.code == "signing_session_closed"
        assert refused.value.details == {"status": str(status), "action": str(action)}


def test_every_status_but_prepared_is_final() -> None:
    assert lifecycle.FINAL_STATUSES == set(SigningStatus) - {SigningStatus.PREPARED}
    assert {status for status, _action in lifecycle.TRANSITIONS} == {SigningStatus.PREPARED}
