"""Routes of the exchange API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.exchange import api

urlpatterns = [
    path("deliveries/", api.DeliveryListApi.as_view(), name="api-delivery-list"),
    path("deliveries/<int:pk>/", api.DeliveryDetailApi.as_view(), name="api-delivery-detail"),
    path("deliveries/<int:pk>/actions/report/", api.DeliveryReportApi.as_view(), name="api-delivery-report"),
]
