"""Screens of incoming documents under /incoming/."""

from __future__ import annotations

from django.urls import path

from vanthu.incoming.views import actions
from vanthu.incoming.views import detail
from vanthu.incoming.views import queues
from vanthu.incoming.views import receipt
from vanthu.incoming.views import register

app_name = "incoming"
urlpatterns = [
    path("", queues.queues, name="queues"),
    path("receive/", receipt.receive_electronic, name="receive"),
    path("receive/paper/", receipt.receive_paper, name="receive_paper"),
    path("register/", register.register, name="register"),
    path("register/<int:pk>/<str:kind>/xlsx/", register.register_xlsx, name="register_xlsx"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/act/<str:action>/", actions.act, name="act"),
    path("<int:pk>/extension/", actions.extension_request, name="extension_request"),
    path("<int:pk>/extension/<int:request_pk>/", actions.extension_decide, name="extension_decide"),
]
