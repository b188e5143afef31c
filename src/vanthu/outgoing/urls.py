from __future__ import annotations

app_name = "outgoing"
urlpatterns: list[object] = []
