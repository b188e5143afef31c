from __future__ import annotations

from django.urls import path  # noqa: F401 - the screens are added by the statistics and registers work

app_name = "reports"
urlpatterns: list[object] = []
