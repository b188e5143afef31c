"""The manifest of one snapshot: what the database dump holds, taken from the dump's own view."""

from __future__ import annotations

import json
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from typing import Any

FORMAT = 1


@dataclass
class Manifest:
    snapshot: str
    created_at: str  # ISO 8601, UTC
    app_version: str
    database_vendor: str
    database_file: str
    database_sha256: str
    database_size: int
    migrations: list[list[str]] = field(default_factory=list)  # [app, name], sorted
    counts: dict[str, int] = field(default_factory=dict)  # model label -> rows in the snapshot
    blobs: list[list[Any]] = field(default_factory=list)  # [sha256, size], sorted
    format: int = FORMAT

    @property
    def blob_bytes(self) -> int:
        return sum(int(size) for _sha, size in self.blobs)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise ValueError(f"unknown manifest format {raw.get('format')!r}")
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in raw.items() if key in known})
