"""Events of the organisation, sent inside the transaction that causes them.

``agency_merged(sender, predecessor, successor, actor, now)``: every domain app that holds open
work of an agency subscribes in ``AppConfig.ready()`` and moves its own open work to the
successor in the same transaction.

``demo_province_loaded(sender, now, with_passwords)``: sent at the end of loading the demo province
(``vanthu.org.demo.demo_load``), inside its transaction; domain apps add their own demo data.
Receivers must be idempotent, like the demo itself."""

from django.dispatch import Signal

agency_merged = Signal()
demo_province_loaded = Signal()
