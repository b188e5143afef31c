from __future__ import annotations

from django.urls import path

from vanthu.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.xlsx", views.export, name="export"),
]
