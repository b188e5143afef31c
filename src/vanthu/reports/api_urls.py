"""Routes of the reports API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.reports import api

urlpatterns = [
    path("reports/statistics/", api.StatisticsApi.as_view(), name="api-reports-statistics"),
]
