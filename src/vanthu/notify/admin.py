"""Django admin for notifications: read-only (the services write them)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.notify.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "recipient", "title", "kind", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__username", "recipient__full_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
