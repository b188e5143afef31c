"""The hash chain: canonical content of an event and the hash linking it to the previous one."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from datetime import UTC
from datetime import datetime
from typing import Any


def canonical(  # noqa: PLR0913 - one argument per field of the hashed content
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
        "data": _stable_numbers(data),
        "client_address": normal_address(client_address),
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def normal_address(address: str | None) -> str | None:
    """One spelling per address: databases give IPv6 addresses back in their own form."""
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _stable_numbers(value: Any) -> Any:
    """Whole floats as integers: PostgreSQL's jsonb gives 1e20 back as 100000000000000000000."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _stable_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stable_numbers(item) for item in value]
    return value


def link_hash(prev_hash: str, content: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + content).hexdigest()
