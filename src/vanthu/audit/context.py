"""The client address of the request being served, set by AuditContextMiddleware so services
need not take the request. Tasks and commands leave it empty."""

from __future__ import annotations

from contextvars import ContextVar

client_address: ContextVar[str | None] = ContextVar("vanthu_client_address", default=None)
