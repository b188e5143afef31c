from __future__ import annotations

from django.urls import path

from vanthu.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/file/", views.delivery_file, name="delivery_file"),
    path("deliveries/<int:pk>/report/", views.delivery_report, name="delivery_report"),
    path("post-register/", views.post_register, name="post_register"),
]
