"""Writing the audit trail. ``record`` must be called inside the transaction of the change it
records; it locks only its own chain's head (one chain per agency), so agencies write in
parallel and the province is never serialised on one row."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db import connection
from django.db import models
from django.db import transaction

from vanthu.audit.chain import canonical
from vanthu.audit.chain import link_hash
from vanthu.audit.chain import normal_address
from vanthu.audit.context import client_address as current_client_address
from vanthu.audit.models import GLOBAL_CHAIN
from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent


def chain_for(agency_id: int | None) -> str:
    return GLOBAL_CHAIN if agency_id is None else f"agency:{agency_id}"


def _json_native(data: dict[str, Any] | None) -> Any:
    return json.loads(json.dumps(data or {}, default=str, ensure_ascii=False))


def _lock_head(chain: str) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    # First event of this chain: create the head; a concurrent creator makes us retry the read.
    with transaction.atomic():
        AuditChainHead.objects.bulk_create([AuditChainHead(chain=chain)], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(chain=chain)


def record(
    *,
    action: str,
    actor: Any,
    agency: Any,
    now: datetime,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> AuditEvent:
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change it records")
    agency_id = getattr(agency, "pk", agency)
    actor_id = getattr(actor, "pk", None) if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_name = (getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor_id else ""
    address = normal_address(client_address if client_address is not None else current_client_address.get())
    chain = chain_for(agency_id)
    head = _lock_head(chain)
    event = AuditEvent(
        chain=chain,
        seq=head.seq + 1,
        prev_hash=head.hash,
        occurred_at=now,
        actor_id=actor_id,
        actor_name=actor_name[:150],
        agency_id=agency_id,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        data=_json_native(data),
        client_address=address,
    )
    event.hash = link_hash(event.prev_hash, event_content(event))
    event.save(force_insert=True)
    AuditChainHead.objects.filter(chain=chain).update(seq=event.seq, hash=event.hash)
    return event


def event_content(event: AuditEvent) -> bytes:
    return canonical(
        chain=event.chain,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        agency_id=event.agency_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        target_label=event.target_label,
        data=event.data,
        client_address=event.client_address,
    )
