"""The bell: the notifications page, the dropdown fragment (htmx) and marking as read."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from vanthu.core import clock
from vanthu.notify import selectors
from vanthu.notify import services

PAGE_SIZE = 30
DROPDOWN_SIZE = 8


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list_for(person=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/list.html",
        {"page": page, "unread_only": unread_only, "querystring": "unread=1" if unread_only else ""},
    )


@login_required
@vary_on_headers("HX-Request")
def notification_dropdown(request: HttpRequest) -> HttpResponse:
    notifications = list(selectors.notification_list_for(person=request.user)[:DROPDOWN_SIZE])
    return render(request, "notify/dropdown.html", {"notifications": notifications})


@login_required
@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    """POST ``id`` marks one notification as read; without ``id``, all of them. Opening a
    notification's link (``go=1``) marks it read and follows the link."""
    raw_id = request.POST.get("id", "")
    notification_id = int(raw_id) if raw_id.isdigit() else None
    services.notification_mark_read(person=request.user, now=clock.now(), notification_id=notification_id)
    target = reverse("notify:list")
    if request.POST.get("go") == "1" and notification_id is not None:
        notification = selectors.notification_list_for(person=request.user).filter(pk=notification_id).first()
        if (
            notification is not None
            and notification.url
            and url_has_allowed_host_and_scheme(
                notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            target = notification.url
    if getattr(request, "htmx", False):
        unread = selectors.notification_unread_count_for(person=request.user)
        notifications = list(selectors.notification_list_for(person=request.user)[:DROPDOWN_SIZE])
        response = render(request, "notify/dropdown.html", {"notifications": notifications})
        response["HX-Trigger"] = json.dumps({"vanthu:notificationsChanged": {"unread": unread}})
        return response
    return redirect(target)
