"""Huey tasks of the incoming app: load ids, call one service."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huey.contrib.djhuey import db_task

from vanthu.core import clock
from vanthu.incoming import periodic  # noqa: F401 - registers the daily reminder job with the consumer
from vanthu.incoming.models import Incoming
from vanthu.incoming.services.receipt import incoming_verify


@db_task(retries=1, retry_delay=60)  # type: ignore[untyped-decorator]  # huey is not annotated
def verify_incoming(incoming_id: int) -> None:
    """Verify the signatures of an arrival, outside the request (it may fetch revocation data)."""
    incoming = Incoming.objects.filter(pk=incoming_id).first()
    if incoming is None:
        return  # rolled back, or gone
    incoming_verify(incoming=incoming, now=clock.now())


def on_verification_requested(sender: Any, *, incoming_ids: Sequence[int], **kwargs: Any) -> None:
    """Receiver of ``incoming.signals.verification_requested`` (connected in ``IncomingConfig.ready``)."""
    for incoming_id in incoming_ids:
        verify_incoming(incoming_id)
