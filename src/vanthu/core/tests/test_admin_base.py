"""The admin site is read-only for every Vanthu model: writes go through the services (policies
and the audit trail), never through /admin/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import RequestFactory

from vanthu.core.admin_base import ReadOnlyModelAdmin

VANTHU_ADMINS = sorted(
    (
        pytest.param(model, model_admin, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("vanthu.")
    ),
    key=lambda param: str(param.id),
)


class Superuser:
    """Holds every permission: only the admin class can refuse a write."""

    is_active = is_staff = is_superuser = True

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True


def test_every_vanthu_model_is_registered() -> None:
    labels = {param.id for param in VANTHU_ADMINS}
    assert {"core.CalendarOverride", "notify.Notification", "audit.AuditEvent", "org.Agency", "org.Person"} <= labels


@pytest.mark.parametrize(("model", "model_admin"), VANTHU_ADMINS)
def test_admin_refuses_add_change_and_delete(model: Any, model_admin: Any) -> None:
    request = RequestFactory().get("/admin/")
    request.user = Superuser()  # type: ignore[assignment]

    assert model_admin.model is model
    assert isinstance(model_admin, ReadOnlyModelAdmin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)
