"""Events of the exchange app, sent inside the transaction that causes them (ARCHITECTURE.md §8).

``delivery_arrived(sender=Delivery, deliveries=[Delivery, …], now=datetime)``: deliveries to agencies
of this system arrived (status 01). The incoming app turns them into its "Chờ vào sổ" items, in the
same transaction, with a bounded number of queries for the whole list.
"""

from __future__ import annotations

from django.dispatch import Signal

delivery_arrived = Signal()
