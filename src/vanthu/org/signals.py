"""Events of the organisation, sent inside the transaction that causes them.

``agency_merged(sender, predecessor, successor, actor, now)``: every domain app that holds open
work of an agency subscribes in ``AppConfig.ready()`` and moves its own open work to the
successor in the same transaction."""

from django.dispatch import Signal

agency_merged = Signal()
