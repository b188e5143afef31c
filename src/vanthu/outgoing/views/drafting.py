"""Drafting screens: a new draft, a reply to a received document, editing a draft, a new version,
comments, withdrawing, drafting a replacement or a correction, and the agency search of the
recipients picker."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.documents.selectors import document_get_for
from vanthu.org.models import Agency
from vanthu.outgoing import forms
from vanthu.outgoing import policies
from vanthu.outgoing import selectors
from vanthu.outgoing.services import after_issuance
from vanthu.outgoing.services import drafting
from vanthu.outgoing.views.common import person_of
from vanthu.outgoing.views.common import run_form

MAX_AGENCIES_FOUND = 30


def _chosen_agency(request: HttpRequest, agencies: list[Agency]) -> Agency:
    wanted = request.POST.get("agency") or request.GET.get("agency")
    for agency in agencies:
        if wanted and str(agency.pk) == wanted:
            return agency
    return agencies[0]


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    agencies = selectors.drafting_agencies(person=person, now=now)
    if not agencies:
        raise PermissionDeniedError(_("You hold no role that drafts outgoing documents."))
    agency = _chosen_agency(request, agencies)
    form = forms.OutgoingForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()), agency=agency, now=now
    )
    status = 200
    if request.method == "POST":
        outgoing, status = run_form(
            form,
            lambda: drafting.outgoing_create(agency=agency, actor=person, now=now, **form.service_kwargs()),
        )
        if outgoing is not None:
            messages.success(request, _("The draft was saved."))
            return redirect("outgoing:detail", pk=outgoing.pk)
    context = {"form": form, "agency": agency, "agencies": agencies, "title": _("Draft a document")}
    return render(request, "outgoing/draft_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, document_pk: int) -> HttpResponse:
    """Answer a received document: a Công văn draft linked to it (the incoming detail page links
    here by URL name ``outgoing:reply``). GET asks to confirm; POST creates the draft."""
    now = clock.now()
    person = person_of(request)
    document = document_get_for(person=person, pk=document_pk, now=now)
    if request.method == "POST":
        outgoing = drafting.draft_reply_to(document=document, actor=person, now=now)
        messages.success(request, _("A reply draft was created: complete it and attach the file."))
        return redirect("outgoing:edit", pk=outgoing.pk)
    return render(request, "outgoing/reply.html", {"document": document})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    policies.require(policies.can_edit_draft(person, outgoing, now), _("Only the drafter may change a draft."))
    document = outgoing.document
    initial: dict[str, Any] = {
        "document_type": document.document_type_id,
        "subject": document.subject,
        "drafting_unit": outgoing.drafting_unit_id,
        "signer": document.signer_id,
        "signer_authority": document.signer_authority,
        "signer_position": document.signer_position,
        "urgency": document.urgency,
        "reply_due_date": document.reply_due_date,
        "circulation_note": document.circulation_note,
    }
    form = forms.OutgoingForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        agency=outgoing.agency,
        now=now,
        with_files=False,
    )
    status = 200
    if request.method == "POST":
        result, status = run_form(
            form,
            lambda: drafting.outgoing_update(
                outgoing=outgoing, actor=person, now=now, recipients=form.recipients(), **form.metadata_kwargs()
            ),
        )
        if result is not None:
            messages.success(request, _("The draft was saved."))
            return redirect("outgoing:detail", pk=outgoing.pk)
    context = {"form": form, "agency": outgoing.agency, "outgoing": outgoing, "title": _("Change the draft")}
    return render(request, "outgoing/draft_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    policies.require(policies.can_edit_draft(person, outgoing, now), _("Only the drafter may change a draft."))
    form = forms.NewVersionForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    status = 200
    if request.method == "POST":
        result, status = run_form(
            form,
            lambda: drafting.outgoing_new_version(outgoing=outgoing, actor=person, now=now, **form.service_kwargs()),
        )
        if result is not None:
            messages.success(request, _("The new version was saved."))
            return redirect("outgoing:detail", pk=outgoing.pk)
    context = {
        "outgoing": outgoing,
        "form": form,
        "title": _("New version of the draft"),
        "submit_label": _("Save the new version"),
        "multipart": True,
        "action": "new_version",
    }
    return render(request, "outgoing/action_form.html", context, status=status)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    form = forms.CommentForm(request.POST)
    result, status = run_form(
        form, lambda: drafting.outgoing_comment(outgoing=outgoing, actor=person, now=now, **form.service_kwargs())
    )
    if result is None:
        context = {
            "outgoing": outgoing,
            "form": form,
            "title": _("Comment on the draft"),
            "submit_label": _("Add the comment"),
            "action": "comment",
        }
        return render(request, "outgoing/action_form.html", context, status=status)
    messages.success(request, _("The comment was added."))
    return redirect("outgoing:detail", pk=outgoing.pk)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Draft a replacement or a correction of an issued document."""
    if kind not in ("replacement", "correction"):
        raise NotFoundError()
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    draft = after_issuance.outgoing_draft_follow_up(outgoing=outgoing, kind=kind, actor=person, now=now)  # type: ignore[arg-type]
    messages.success(request, _("The draft was created: attach its file and submit it."))
    return redirect("outgoing:detail", pk=draft.pk)


@login_required
@require_GET
def agency_search(request: HttpRequest) -> HttpResponse:
    """htmx partial of the recipients picker: the agencies whose name contains ``q``, after the
    ones already ticked (sent along with hx-include, so ticking survives a new search)."""
    query = str(request.GET.get("q") or "").strip()
    checked = {int(value) for value in request.GET.getlist("recipient_agencies") if value.isdigit()}
    exclude = request.GET.get("agency")
    choices = forms.agency_choices(exclude_id=int(exclude) if exclude and exclude.isdigit() else None)
    folded = query.casefold()
    ticked = [(pk, name) for pk, name in choices if pk in checked]
    found = [(pk, name) for pk, name in choices if pk not in checked and folded in name.casefold()]
    context = {"ticked": ticked, "found": found[:MAX_AGENCIES_FOUND], "more": len(found) > MAX_AGENCIES_FOUND}
    return render(request, "outgoing/_agency_options.html", context)
