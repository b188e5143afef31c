"""The outgoing register (Sổ đăng ký văn bản đi, Decree 30 Appendix IV) of a year, and its XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.outgoing import selectors
from vanthu.outgoing.register_export import outgoing_register_rows
from vanthu.outgoing.register_export import outgoing_register_xlsx
from vanthu.outgoing.views.common import person_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest, default: int) -> int:
    value = str(request.GET.get("year") or "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default  # noqa: PLR2004


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    this_year = clock.vietnam_year(now)
    year = _year(request, this_year)
    registers = selectors.outgoing_register_list_for(person=person, now=now, year=year)
    chosen = registers[0] if registers else None
    wanted = request.GET.get("register")
    for candidate in registers:
        if wanted and str(candidate.pk) == wanted:
            chosen = candidate
    context = {
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "registers": registers,
        "register": chosen,
        "rows": outgoing_register_rows(register=chosen) if chosen else [],
    }
    return render(request, "outgoing/register.html", context)


@login_required
@require_GET
def register_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    registers = {r.pk: r for r in selectors.outgoing_register_list_for(person=person, now=now)}
    chosen = registers.get(pk)
    if chosen is None:
        raise NotFoundError()
    content = outgoing_register_xlsx(register=chosen, rows=outgoing_register_rows(register=chosen))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="so-van-ban-di-{chosen.year}-{chosen.pk}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
