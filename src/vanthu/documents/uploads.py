"""A file coming from a form or the API, before it is stored (name as sent, bytes as a stream)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class Upload:
    """The name is shown to people only; the content type is always sniffed from the bytes."""

    name: str
    content: IO[bytes]
