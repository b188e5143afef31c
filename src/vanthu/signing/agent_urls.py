"""The signing agent's protocol (mounted at /signing/agent/): see ``agent_views``."""

from __future__ import annotations

from django.urls import path

from vanthu.signing import agent_views

app_name = "signing_agent"
urlpatterns = [
    path("<uuid:session_id>/manifest", agent_views.manifest, name="manifest"),
    path("<uuid:session_id>/document", agent_views.document, name="document"),
    path("<uuid:session_id>/signed", agent_views.signed, name="signed"),
]
