"""Routes of the search API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.search import api

urlpatterns = [
    path("search/", api.SearchApi.as_view(), name="api-search"),
]
