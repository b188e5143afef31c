"""The detail page of an outgoing document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from vanthu.core import clock
from vanthu.outgoing import forms
from vanthu.outgoing import presenters
from vanthu.outgoing import selectors
from vanthu.outgoing.views.common import person_of


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    context = presenters.outgoing_detail(outgoing=outgoing, person=person, now=now)
    context["comment_form"] = forms.CommentForm()
    return render(request, "outgoing/detail.html", context)
