from django.urls import path

from vanthu.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("dropdown/", views.notification_dropdown, name="dropdown"),
    path("read/", views.notification_mark_read, name="mark_read"),
]
