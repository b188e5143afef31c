"""Routes of the digital-signature API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.signing import api

urlpatterns = [
    path("certificates/", api.CertificateListApi.as_view(), name="api-certificate-list"),
    path("certificates/verify/", api.CertificateVerifyApi.as_view(), name="api-certificate-verify"),
    path("certificates/<int:pk>/", api.CertificateDetailApi.as_view(), name="api-certificate-detail"),
    path("certificates/<int:pk>/actions/disable/", api.CertificateDisableApi.as_view(), name="api-certificate-disable"),
    path("trust-anchors/", api.TrustAnchorListApi.as_view(), name="api-trust-anchor-list"),
    path("trust-anchors/<int:pk>/", api.TrustAnchorDetailApi.as_view(), name="api-trust-anchor-detail"),
    path(
        "trust-anchors/<int:pk>/actions/disable/",
        api.TrustAnchorDisableApi.as_view(),
        name="api-trust-anchor-disable",
    ),
]
