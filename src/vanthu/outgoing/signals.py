"""Events of the outgoing app, sent inside the transaction that causes them (ARCHITECTURE.md §8).

``document_issued(sender=Outgoing, outgoing=Outgoing, now=datetime)``: an outgoing document was
issued (numbered, agency signature, register written, delivered). The one-stop desk attaches
decisions to dossiers with it.
"""

from __future__ import annotations

from django.dispatch import Signal

document_issued = Signal()
