from __future__ import annotations

from django.urls import path

from vanthu.signing import views

app_name = "signing"
urlpatterns = [
    path("", views.my_signing, name="mine"),
    path("verify/", views.verify, name="verify"),
    path("sign/", views.sign, name="sign"),
    path("sessions/<uuid:pk>/", views.session_detail, name="session"),
    path("sessions/<uuid:pk>/signed.pdf", views.session_signed_file, name="session_signed_file"),
    path("agencies/<int:pk>/", views.agency_signing, name="agency"),
    path("certificates/<int:pk>/disable/", views.certificate_disable, name="certificate_disable"),
    path("images/<int:pk>.png", views.image_file, name="image_file"),
    path("trust-store/", views.trust_store, name="trust_store"),
    path("trust-store/<int:pk>/disable/", views.trust_anchor_disable, name="trust_anchor_disable"),
]
