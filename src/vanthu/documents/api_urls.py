"""Routes of the documents API, included under /api/v1/ by vanthu.config.api."""

from __future__ import annotations

from django.urls import path

from vanthu.documents import api

urlpatterns = [
    path("files/<int:pk>/", api.FileDetailApi.as_view(), name="api-file-detail"),
    path("files/<int:pk>/content", api.FileContentApi.as_view(), name="api-file-content"),
    path("document-types/", api.DocumentTypeListApi.as_view(), name="api-document-type-list"),
    path("registers/", api.RegisterListApi.as_view(), name="api-register-list"),
    path("registers/<int:pk>/entries/", api.RegisterEntryListApi.as_view(), name="api-register-entries"),
    path("registers/<int:pk>/actions/reserve/", api.RegisterReserveApi.as_view(), name="api-register-reserve"),
    path(
        "register-entries/<int:pk>/actions/cancel/",
        api.RegisterEntryCancelApi.as_view(),
        name="api-register-entry-cancel",
    ),
]
