from django.urls import path

from vanthu.ops import views

app_name = "ops"
urlpatterns = [
    path("backups/", views.backup_list, name="backup_list"),
    path("backups/<int:pk>/verify/", views.backup_verify, name="backup_verify"),
]
