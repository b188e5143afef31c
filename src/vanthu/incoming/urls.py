from __future__ import annotations

app_name = "incoming"
urlpatterns: list[object] = []
