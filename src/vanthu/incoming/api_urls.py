"""Routes of the incoming API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

urlpatterns: list[object] = []
