from django.urls import path

from vanthu.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("verify/", views.verify, name="verify"),
]
