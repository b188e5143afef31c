"""Routes of the organisation's API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.org import api

urlpatterns = [
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/tree/", api.AgencyTreeApi.as_view(), name="api-agency-tree"),
    path("agencies/<int:pk>/", api.AgencyDetailApi.as_view(), name="api-agency-detail"),
    path("agencies/<int:pk>/units/", api.AgencyUnitsApi.as_view(), name="api-agency-units"),
    path("agencies/<int:pk>/actions/merge/", api.AgencyMergeApi.as_view(), name="api-agency-merge"),
    path("people/", api.PersonListApi.as_view(), name="api-person-list"),
    path("people/me/", api.MeApi.as_view(), name="api-person-me"),
    path("people/<int:pk>/", api.PersonDetailApi.as_view(), name="api-person-detail"),
]
