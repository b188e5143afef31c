"""The hash chain: canonical content of an event and the hash linking it to the previous one."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from datetime import datetime
from typing import Any


def canonical(
    *,
    chain: str,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_name: str,
    agency_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    data: Any,
    client_address: str | None,
) -> bytes:
    content = {
        "chain": chain,
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "agency_id": agency_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "data": data,
        "client_address": client_address,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()
