"""Routes of the incoming API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.incoming import api

urlpatterns = [
    path("incoming/", api.IncomingListApi.as_view(), name="api-incoming-list"),
    path("incoming/<int:pk>/", api.IncomingDetailApi.as_view(), name="api-incoming-detail"),
    path("incoming/<int:pk>/actions/<str:action>/", api.IncomingActionApi.as_view(), name="api-incoming-act"),
]
