"""Exchange screens: what arrived at my agency and what it sent (with each recipient's status),
a delivery's page (document, file, status timeline; the recipient's registry reports its status
there), and the post register.

Thin: parse input, make one domain call, render. What the viewer may not see is a 404
(selectors); what they may not do is a 403 (policies, re-checked by the services)."""

from __future__ import annotations

import re
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_POST

from vanthu.core import clock
from vanthu.core.blobs import blob_read
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.exchange import lifecycle
from vanthu.exchange import policies
from vanthu.exchange import selectors
from vanthu.exchange import services
from vanthu.exchange.models import DeliveryStatus
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Person

PAGE_SIZE = 50


def _person(request: HttpRequest) -> Person:
    return cast(Person, request.user)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person, now = _person(request), clock.now()
    receives = bool(policies.recipient_agency_ids(person, now))
    tab = request.GET.get("tab") or ("arrived" if receives else "sent")
    if tab not in ("arrived", "sent"):
        tab = "arrived"
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    context: dict[str, object] = {"tab": tab, "status": status, "receives": receives, "statuses": DeliveryStatus}
    if tab == "arrived":
        page = Paginator(selectors.arrivals_for(person=person, now=now, status=status or None), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context.update(page=page, querystring=f"tab=arrived&status={status}" if status else "tab=arrived")
    else:
        context["sent"] = selectors.sent_for(person=person, now=now)
    return render(request, "exchange/index.html", context)


@login_required
@require_GET
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person, now = _person(request), clock.now()
    delivery = selectors.delivery_get_for(person=person, pk=pk, now=now)
    can_report = policies.can_report_delivery_status(person, delivery, now)
    report_choices = (
        [
            (status, DeliveryStatus(status).label)
            for status in DeliveryStatus.values
            if status in lifecycle.RECIPIENT_STATUSES
            and status in lifecycle.allowed_targets(kind=delivery.kind, current=delivery.status)
        ]
        if can_report
        else []
    )
    context = {
        "delivery": delivery,
        "document": delivery.document,
        "events": list(delivery.events.all()),
        "can_read_file": policies.can_read_delivery_file(person, delivery, now),
        "is_recipient_side": policies.is_recipient_side(person, delivery, now),
        "report_choices": report_choices,
    }
    return render(request, "exchange/delivery_detail.html", context)


@login_required
@require_GET
def delivery_file(request: HttpRequest, pk: int) -> HttpResponse:
    person, now = _person(request), clock.now()
    delivery = selectors.delivery_get_for(person=person, pk=pk, now=now)
    if not policies.can_read_delivery_file(person, delivery, now) or delivery.blob_id is None:
        raise NotFoundError()
    data = blob_read(sha256=delivery.blob_id)
    name = re.sub(r"[^\w.-]+", "-", delivery.document.number_symbol or f"van-ban-{delivery.document_id}").strip("-")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name.encode("ascii", "ignore").decode() or "van-ban"}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def delivery_report(request: HttpRequest, pk: int) -> HttpResponse:
    person, now = _person(request), clock.now()
    delivery = selectors.delivery_get_for(person=person, pk=pk, now=now)
    status = request.POST.get("status", "")
    if status not in DeliveryStatus.values:
        raise ValidationError(_("Choose a status."))
    services.delivery_report_status(
        delivery=delivery, status=status, actor=person, now=now, note=request.POST.get("note", "")
    )
    messages.success(request, _("The status was reported to the sender."))
    return redirect("exchange:delivery_detail", pk=delivery.pk)


@login_required
@require_GET
def post_register(request: HttpRequest) -> HttpResponse:
    person, now = _person(request), clock.now()
    agency_ids = policies.recipient_agency_ids(person, now)
    try:
        agency_id = int(request.GET.get("agency") or min(agency_ids, default=0))
        year = int(request.GET.get("year") or clock.vietnam_year(now))
    except ValueError as error:
        raise NotFoundError() from error
    agencies = org_selectors.agencies_by_id(agency_ids)
    agency = agencies.get(agency_id)
    if agency is None or not policies.can_view_post_register(person, agency, now):
        raise NotFoundError()
    context = {
        "agency": agency,
        "year": year,
        "rows": list(selectors.post_register(agency=agency, year=year)),
        "agencies": sorted(agencies.values(), key=lambda item: item.name),
        "years": range(clock.vietnam_year(now), clock.vietnam_year(now) - 6, -1),
    }
    return render(request, "exchange/post_register.html", context)
