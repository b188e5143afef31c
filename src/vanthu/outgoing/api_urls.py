"""Routes of the outgoing API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.outgoing import api

urlpatterns = [
    path("outgoing/", api.OutgoingListApi.as_view(), name="api-outgoing-list"),
    path("outgoing/<int:pk>/", api.OutgoingDetailApi.as_view(), name="api-outgoing-detail"),
    path("outgoing/<int:pk>/actions/<str:action>/", api.OutgoingActionApi.as_view(), name="api-outgoing-act"),
]
