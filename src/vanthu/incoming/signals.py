"""Events of the incoming app.

``verification_requested(sender=Incoming, incoming_ids=[int, …])``: sent after commit for arrivals
whose signatures must be verified; ``incoming.tasks`` queues one verification per id (connected in
``IncomingConfig.ready``), so services never import tasks (STYLE.md §3)."""

from __future__ import annotations

from django.dispatch import Signal

verification_requested = Signal()
