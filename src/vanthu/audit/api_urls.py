"""Routes of the audit API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.audit import api

urlpatterns = [
    path("audit/", api.AuditEventListApi.as_view(), name="api-audit-list"),
    path("audit/<int:pk>/", api.AuditEventDetailApi.as_view(), name="api-audit-detail"),
]
