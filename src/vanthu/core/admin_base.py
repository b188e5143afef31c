"""The base of every Vanthu admin page: read-only. Writes go through the apps' services, which
check the policies and record the audit trail in the same transaction; the admin site does not."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    ModelAdminBase = admin.ModelAdmin


class ReadOnlyModelAdmin(ModelAdminBase):
    """Look, search and filter; every change goes through the services and their audit."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
