"""Django admin for the organisation: read-only. Agencies, units, people, roles and delegations
change only through org.services (policies + audit trail in the same transaction) — the
organisation pages (/org/) are the place to edit them."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import RoleAssignment
from vanthu.org.models import Unit


@admin.register(Agency)
class AgencyAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "abbreviation", "code_qcvn102", "kind", "parent", "valid_from", "valid_to", "successor")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "name_folded", "abbreviation", "code_qcvn102", "code_qd20")
    list_select_related = ("parent", "successor")


@admin.register(Unit)
class UnitAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "abbreviation", "agency", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "abbreviation", "agency__name", "agency__abbreviation")
    list_select_related = ("agency",)


@admin.register(Position)
class PositionAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "rank")
    search_fields = ("name",)


@admin.register(Person)
class PersonAdmin(ReadOnlyModelAdmin):
    list_display = ("full_name", "username", "email", "phone", "is_active", "is_staff", "is_superuser", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("full_name", "full_name_folded", "username", "email")
    exclude = ("password", "user_permissions", "groups")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyModelAdmin):
    list_display = ("person", "role", "agency", "unit", "position", "valid_from", "valid_to")
    list_filter = ("role", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("person__full_name", "person__username", "agency__name", "agency__abbreviation")
    list_select_related = ("person", "agency", "unit", "position")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyModelAdmin):
    list_display = ("delegator", "delegate", "role", "agency", "starts_at", "ends_at", "revoked_at")
    list_filter = ("role", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("delegator__full_name", "delegate__full_name", "agency__name", "reason")
    list_select_related = ("delegator", "delegate", "agency")
