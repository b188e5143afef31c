from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def vanthu(request: HttpRequest) -> dict[str, Any]:
    from vanthu.config.navigation import navigation_for
    from vanthu.config.navigation import user_menu_for
    from vanthu.notify.selectors import notification_unread_count_for

    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "VANTHU_MODE": settings.VANTHU_MODE,
        "VANTHU_DEMO": getattr(settings, "VANTHU_DEMO", False),
    }
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = notification_unread_count_for(person=user)
        context["navigation"] = navigation_for(person=user)
        context["navigation_more"] = [item for item in context["navigation"] if item.secondary]
        context["user_menu"] = user_menu_for(person=user)
    return context
