"""The detail page of an incoming document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.incoming import presenters
from vanthu.incoming import selectors
from vanthu.incoming.views.common import person_of


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    incoming = selectors.incoming_get_for(person=person, pk=pk, now=now)
    context = presenters.incoming_detail(incoming=incoming, person=person, now=now)
    return render(request, "incoming/detail.html", context)
