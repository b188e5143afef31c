"""Registering a document signed on paper (Decree 30: it takes the next number of the same register
as the electronic documents and counts as non-electronic). The agency's clerks only."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import PermissionDeniedError
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.outgoing import forms
from vanthu.outgoing import policies
from vanthu.outgoing.services.paper import outgoing_register_paper
from vanthu.outgoing.views.common import person_of
from vanthu.outgoing.views.common import run_form


def paper_agencies(person: Person, now: datetime) -> list[Agency]:
    """The current agencies whose registry ``person`` keeps (CLERK now)."""
    ids = policies.clerk_agency_ids(person, now)
    return list(Agency.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("name", "id"))


@login_required
@require_http_methods(["GET", "POST"])
def register_paper(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    agencies = paper_agencies(person, now)
    if not agencies:
        raise PermissionDeniedError(_("Only the registry's clerks register documents signed on paper."))
    wanted = request.POST.get("agency") or request.GET.get("agency")
    agency = next((a for a in agencies if wanted and str(a.pk) == wanted), agencies[0])
    if request.method == "POST":
        form = forms.PaperForm(request.POST, request.FILES, agency=agency, now=now)
    else:
        form = forms.PaperForm(agency=agency, now=now, initial={"issued_date": clock.vietnam_date(now)})
    status = 200
    if request.method == "POST":
        outgoing, status = run_form(
            form, lambda: outgoing_register_paper(agency=agency, actor=person, now=now, **form.service_kwargs())
        )
        if outgoing is not None:
            messages.success(
                request,
                _("Registered with number %(number_symbol)s.") % {"number_symbol": outgoing.document.number_symbol},
            )
            return redirect("outgoing:detail", pk=outgoing.pk)
    context = {"form": form, "agency": agency, "agencies": agencies, "title": _("Register a document signed on paper")}
    return render(request, "outgoing/paper_form.html", context, status=status)
