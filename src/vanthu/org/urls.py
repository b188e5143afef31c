from django.urls import path

from vanthu.org import views

app_name = "org"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/merge/", views.agency_merge, name="agency_merge"),
    path("agencies/<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("agencies/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("agencies/<int:pk>/roles/new/", views.role_assign, name="role_assign"),
    path("agencies/<int:pk>/delegations/new/", views.delegation_create, name="delegation_create"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
]
