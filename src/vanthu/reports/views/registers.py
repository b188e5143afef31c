"""Print-ready registers (sổ) as PDF: the outgoing, incoming, follow-up and post registers of a
period, for binding.

Who may print a register is who may read it on its screen: the same selectors and policies (a
register the person may not see is a 404). A period that cannot be read is a 400 page saying why."""

from __future__ import annotations

import re
from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.documents.models import Register
from vanthu.exchange import policies as exchange_policies
from vanthu.exchange import selectors as exchange_selectors
from vanthu.incoming import selectors as incoming_selectors
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Person
from vanthu.outgoing import selectors as outgoing_selectors
from vanthu.reports import registers
from vanthu.reports.registers import RegisterQueryError

PDF = "application/pdf"


def _person(request: HttpRequest) -> Person:
    return cast(Person, request.user)


def _chosen(candidates: list[Register], pk: int) -> Register:
    for register in candidates:
        if register.pk == pk:
            return register
    raise NotFoundError()


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", name).strip("-")
    response["Content-Disposition"] = f'inline; filename="{safe}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def outgoing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    register = _chosen(outgoing_selectors.outgoing_register_list_for(person=_person(request), now=now), pk)
    period = registers.period_parse(request.GET, year=register.year)
    rows = registers.outgoing_rows_of(register=register, period=period)
    content = registers.outgoing_register_pdf(register=register, rows=rows, period=period)
    return _pdf(content, f"so-van-ban-di-{period.slug}-{register.pk}")


@login_required
@require_GET
def incoming_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    register = _chosen(incoming_selectors.incoming_register_list_for(person=_person(request), now=now), pk)
    period = registers.period_parse(request.GET, year=register.year)
    rows = registers.incoming_rows_of(register=register, period=period)
    content = registers.incoming_register_pdf(register=register, rows=rows, period=period)
    return _pdf(content, f"so-van-ban-den-{period.slug}-{register.pk}")


@login_required
@require_GET
def follow_up_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    register = _chosen(incoming_selectors.incoming_register_list_for(person=_person(request), now=now), pk)
    period = registers.period_parse(request.GET, year=register.year)
    rows = registers.follow_up_rows_of(register=register, period=period, today=clock.vietnam_date(now))
    content = registers.follow_up_register_pdf(register=register, rows=rows, period=period)
    return _pdf(content, f"so-theo-doi-giai-quyet-{period.slug}-{register.pk}")


@login_required
@require_GET
def post_pdf(request: HttpRequest) -> HttpResponse:
    person, now = _person(request), clock.now()
    agency_ids = exchange_policies.recipient_agency_ids(person, now)
    wanted = str(request.GET.get("agency") or "")
    if wanted and not wanted.isdigit():
        raise RegisterQueryError(registers.AGENCY_UNREADABLE)
    agency = org_selectors.agencies_by_id(agency_ids).get(int(wanted) if wanted else min(agency_ids, default=0))
    if agency is None or not exchange_policies.can_view_post_register(person, agency, now):
        raise NotFoundError()
    year = registers.year_parse(request.GET.get("year"), default=clock.vietnam_year(now))
    period = registers.period_parse(request.GET, year=year)
    deliveries = registers.post_rows_of(
        deliveries=exchange_selectors.post_register(agency=agency, year=year), period=period
    )
    content = registers.post_register_pdf(agency=agency, deliveries=deliveries, period=period)
    return _pdf(content, f"so-gui-van-ban-buu-dien-{period.slug}-{agency.pk}")
