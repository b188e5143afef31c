"""Audit action names of the search app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

SAVED_SEARCH_CREATED = "search.saved.created"
SAVED_SEARCH_DELETED = "search.saved.deleted"

ACTION_LABELS: dict[str, Any] = {
    SAVED_SEARCH_CREATED: _("Search saved"),
    SAVED_SEARCH_DELETED: _("Saved search deleted"),
}
