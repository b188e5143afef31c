"""The clerk receives a document that came by other electronic means (an upload) or on paper
(scans, digitised in the background with visible progress)."""

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
from vanthu.incoming import forms
from vanthu.incoming import selectors
from vanthu.incoming.services import receipt
from vanthu.incoming.views.common import person_of
from vanthu.incoming.views.common import run_form
from vanthu.org.models import Agency
from vanthu.org.models import Person


def receiving_agencies(person: Person, now: datetime) -> list[Agency]:
    """The current agencies whose registry ``person`` keeps (CLERK now)."""
    ids = selectors.clerk_agency_ids(person=person, now=now)
    return list(Agency.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("name", "id"))


def _receive(request: HttpRequest, *, paper: bool) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    agencies = receiving_agencies(person, now)
    if not agencies:
        raise PermissionDeniedError(_("Only the registry's clerks receive incoming documents."))
    form_class = forms.ReceivePaperForm if paper else forms.ReceiveElectronicForm
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, agencies=agencies)

        def call() -> object:
            kwargs = form.service_kwargs()
            if paper:
                return receipt.incoming_receive_paper(actor=person, now=now, **kwargs)
            return receipt.incoming_receive_electronic(actor=person, now=now, **kwargs)

        incoming, status = run_form(form, call)
        if incoming is not None:
            messages.success(request, _("Received: the document waits for registration."))
            return redirect("incoming:detail", pk=getattr(incoming, "pk", 0))
    else:
        form = form_class(agencies=agencies)
    title = _("Receive a paper document") if paper else _("Receive an electronic document")
    context = {"form": form, "title": title, "paper": paper, "action": "receive_paper" if paper else "receive"}
    return render(request, "incoming/receive.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def receive_electronic(request: HttpRequest) -> HttpResponse:
    return _receive(request, paper=False)


@login_required
@require_http_methods(["GET", "POST"])
def receive_paper(request: HttpRequest) -> HttpResponse:
    return _receive(request, paper=True)
