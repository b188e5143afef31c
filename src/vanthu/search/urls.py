from __future__ import annotations

from django.urls import path

from vanthu.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("export.xlsx", views.export, name="export"),
    path("saved/", views.saved_create, name="saved_create"),
    path("saved/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
]
