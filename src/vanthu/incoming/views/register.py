"""The incoming register (Sổ đăng ký văn bản đến) and the follow-up register (Sổ theo dõi giải quyết
văn bản đến) of a year, and their XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.incoming import selectors
from vanthu.incoming.register_export import follow_up_rows
from vanthu.incoming.register_export import follow_up_xlsx
from vanthu.incoming.register_export import incoming_register_rows
from vanthu.incoming.register_export import incoming_register_xlsx
from vanthu.incoming.views.common import person_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("register", "follow_up")


def _year(request: HttpRequest, default: int) -> int:
    value = str(request.GET.get("year") or "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default  # noqa: PLR2004


def _month(request: HttpRequest, default: int | None) -> int | None:
    """?month=1..12, or ?month=all for the whole year; the default when it says nothing."""
    value = str(request.GET.get("month") or "")
    if value == "all":
        return None
    return int(value) if value.isdigit() and 1 <= int(value) <= 12 else default  # noqa: PLR2004


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    this_year = clock.vietnam_year(now)
    year = _year(request, this_year)
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else "register"
    # A register is read a month at a time (this month in the current year): a year holds thousands.
    month = _month(request, clock.vietnam_date(now).month if year == this_year else None)
    registers = selectors.incoming_register_list_for(person=person, now=now, year=year)
    chosen = registers[0] if registers else None
    wanted = request.GET.get("register")
    for candidate in registers:
        if wanted and str(candidate.pk) == wanted:
            chosen = candidate
    context = {
        "kind": kind,
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "month": month,
        "months": list(range(1, 13)),
        "registers": registers,
        "register": chosen,
        "rows": incoming_register_rows(register=chosen, month=month) if chosen and kind == "register" else [],
        "follow_rows": follow_up_rows(register=chosen, today=clock.vietnam_date(now), month=month)
        if chosen and kind == "follow_up"
        else [],
    }
    return render(request, "incoming/register.html", context)


@login_required
@require_GET
def register_xlsx(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    if kind not in KINDS:
        raise NotFoundError()
    registers = {r.pk: r for r in selectors.incoming_register_list_for(person=person, now=now)}
    chosen = registers.get(pk)
    if chosen is None:
        raise NotFoundError()
    month = _month(request, None)  # the workbook holds the whole year unless a month is asked
    suffix = f"{chosen.year}-{month:02d}" if month else f"{chosen.year}"
    if kind == "register":
        content = incoming_register_xlsx(register=chosen, rows=incoming_register_rows(register=chosen, month=month))
        name = f"so-van-ban-den-{suffix}-{chosen.pk}.xlsx"
    else:
        today = clock.vietnam_date(now)
        content = follow_up_xlsx(register=chosen, rows=follow_up_rows(register=chosen, today=today, month=month))
        name = f"so-theo-doi-giai-quyet-{suffix}-{chosen.pk}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
