"""Events of the exchange app, sent inside the transaction that causes them (ARCHITECTURE.md §8).

``delivery_arrived(sender=Delivery, deliveries=[Delivery, …], now=datetime)``: deliveries to agencies
of this system arrived — sent once per ``deliveries_send`` / ``deliveries_recall`` call with every
delivery inside the province (channel INTERNAL) it created. Originals, replacements, corrections and
changes of recipients arrive at 01; a recall (``kind == RECALL``) arrives at 13 and refers to the
delivery it recalls through ``related``. The incoming app turns them into its "Chờ vào sổ" items (and
its recall requests), in the same transaction, with a bounded number of queries for the whole list.
"""

from __future__ import annotations

from django.dispatch import Signal

delivery_arrived = Signal()
