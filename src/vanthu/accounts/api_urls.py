from django.urls import path

from vanthu.accounts import api

urlpatterns = [
    path("auth/token/", api.TokenApi.as_view(), name="api-auth-token"),
]
