from __future__ import annotations

from django.urls import path

from vanthu.documents import views

app_name = "documents"
urlpatterns = [
    path("files/<int:pk>/content", views.file_content, name="file_content"),
    path("files/<int:pk>/status", views.file_status, name="file_status"),
    path("files/<int:pk>/view", views.file_view, name="file_view"),
    path("files/<int:pk>/pages/<int:page>/<int:width>.png", views.file_page, name="file_page"),
    path("files/<int:pk>/retry", views.file_retry, name="file_retry"),
    path("registers/", views.registers, name="registers"),
    path("registers/open", views.register_open, name="register_open"),
    path("registers/<int:pk>/reserve", views.register_reserve, name="register_reserve"),
    path("register-entries/<int:pk>/cancel", views.entry_cancel, name="entry_cancel"),
]
