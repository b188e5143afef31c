"""The REST API under /api/v1/: each app contributes its routes here."""

from __future__ import annotations

from django.urls import include
from django.urls import path

urlpatterns = [
    path("", include("vanthu.accounts.api_urls")),
    path("", include("vanthu.org.api_urls")),
    path("", include("vanthu.audit.api_urls")),
    path("", include("vanthu.signing.api_urls")),
    path("", include("vanthu.documents.api_urls")),
    path("", include("vanthu.exchange.api_urls")),
    path("", include("vanthu.outgoing.api_urls")),
    path("", include("vanthu.incoming.api_urls")),
    path("", include("vanthu.search.api_urls")),
    path("", include("vanthu.reports.api_urls")),
]
