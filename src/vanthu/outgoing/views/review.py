"""Review screens: submit with the circuit (proposed, editable), agree and pass on, send back,
withdraw; and the other one-reason actions (cancel issuance, recall, change recipients). Each
opens a small form page; the form posts to the same URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.outgoing import forms
from vanthu.outgoing import policies
from vanthu.outgoing import presenters
from vanthu.outgoing import selectors
from vanthu.outgoing.lifecycle import ACTION_LABELS
from vanthu.outgoing.lifecycle import OutgoingAction
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.services import after_issuance
from vanthu.outgoing.services import drafting
from vanthu.outgoing.services import issuance
from vanthu.outgoing.services import review as review_services
from vanthu.outgoing.views.common import person_of
from vanthu.outgoing.views.common import run_form

Call = Callable[[Outgoing, Any, Any, dict[str, Any]], Any]


def _action_page(
    request: HttpRequest,
    pk: int,
    *,
    action: OutgoingAction,
    form_class: type[django_forms.Form],
    call: Call,
    done_message: str,
    intro: str = "",
    danger: bool = False,
    form_kwargs: Callable[[Outgoing], dict[str, Any]] | None = None,
) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    if action not in policies.available_actions(outgoing, person, now):
        raise PermissionDeniedError(_("You may not do this with this document now."))
    extra = form_kwargs(outgoing) if form_kwargs else {}
    form = form_class(request.POST if request.method == "POST" else None, **extra)
    status = 200
    if request.method == "POST":
        result, status = run_form(form, lambda: call(outgoing, person, now, form.service_kwargs()))  # type: ignore[attr-defined]
        if result is not None:
            messages.success(request, done_message)
            return redirect("outgoing:detail", pk=outgoing.pk)
    context = {
        "outgoing": outgoing,
        "form": form,
        "title": ACTION_LABELS[action],
        "intro": intro,
        "submit_label": ACTION_LABELS[action],
        "danger": danger,
        "action": str(action),
    }
    return render(request, "outgoing/action_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=OutgoingAction.REVIEW,
        form_class=forms.ReviewForm,
        call=lambda o, a, n, kw: review_services.outgoing_review(outgoing=o, actor=a, now=n, **kw),
        done_message=_("Your opinion was recorded; the draft moved on."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_to_drafter(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=OutgoingAction.RETURN_TO_DRAFTER,
        form_class=forms.ReasonForm,
        call=lambda o, a, n, kw: review_services.outgoing_send_back(outgoing=o, actor=a, now=n, **kw),
        done_message=_("The draft was sent back to the drafter."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_to_previous(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=OutgoingAction.RETURN_TO_PREVIOUS,
        form_class=forms.ReasonForm,
        call=lambda o, a, n, kw: review_services.outgoing_send_back(outgoing=o, actor=a, now=n, to_previous=True, **kw),
        done_message=_("The draft was sent back to the previous step."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=OutgoingAction.WITHDRAW,
        form_class=forms.ReasonForm,
        call=lambda o, a, n, kw: drafting.outgoing_withdraw(outgoing=o, actor=a, now=n, **kw),
        done_message=_("The draft was withdrawn."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=OutgoingAction.CANCEL_ISSUE,
        form_class=forms.ReasonForm,
        call=lambda o, a, n, kw: issuance.outgoing_issue_cancel(outgoing=o, actor=a, now=n, **kw),
        done_message=_("Issuance was cancelled; the number is marked cancelled in the register."),
        intro=_("The number already taken stays in the register, marked cancelled with your reason."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recall(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=OutgoingAction.RECALL,
        form_class=forms.ReasonForm,
        call=lambda o, a, n, kw: after_issuance.outgoing_recall(outgoing=o, actor=a, now=n, **kw),
        done_message=_("The document was recalled; every recipient was told."),
        intro=_("Every recipient receives a recall request (status 13)."),
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_recipients(request: HttpRequest, pk: int) -> HttpResponse:
    def kwargs(outgoing: Outgoing) -> dict[str, Any]:
        current = [(r.pk, r.name) for r in presenters.recipients_of(outgoing.document)]
        return {"agency": outgoing.agency, "current": current}

    return _action_page(
        request,
        pk,
        action=OutgoingAction.CHANGE_RECIPIENTS,
        form_class=forms.ChangeRecipientsForm,
        call=lambda o, a, n, kw: after_issuance.outgoing_change_recipients(outgoing=o, actor=a, now=n, **kw),
        done_message=_("The recipients were changed."),
        intro=_("New recipients receive the issued document; removed ones receive a recall."),
        form_kwargs=kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the draft: the circuit proposed by the agency's template, editable (add or remove
    opinion steps, change people, order and working days)."""
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    if OutgoingAction.SUBMIT not in policies.available_actions(outgoing, person, now):
        raise PermissionDeniedError(_("You may not do this with this document now."))
    people = forms.member_choices(agency=outgoing.agency, now=now)
    status = 200
    if request.method == "POST":
        formset = forms.StepFormSet(request.POST, prefix="step", form_kwargs={"people": people})
        if formset.is_valid():
            try:
                review_services.outgoing_submit(
                    outgoing=outgoing, actor=person, now=now, steps=forms.step_inputs(formset)
                )
            except (PermissionDeniedError, NotFoundError, TransitionNotAllowedError):
                raise
            except DomainError as error:
                formset._non_form_errors = formset.error_class([str(error.message)])  # type: ignore[attr-defined] # noqa: SLF001
                status = error.http_status
            else:
                messages.success(request, _("The draft was submitted for review."))
                return redirect("outgoing:detail", pk=outgoing.pk)
        else:
            status = 422
    else:
        proposal = review_services.circuit_proposal(outgoing=outgoing, now=now)
        initial = [
            {"kind": s.kind, "assignee": s.assignee_id, "ordinal": s.ordinal, "working_days": s.working_days}
            for s in proposal
        ]
        formset = forms.StepFormSet(initial=initial, prefix="step", form_kwargs={"people": people})
    context = {"outgoing": outgoing, "formset": formset, "title": ACTION_LABELS[OutgoingAction.SUBMIT]}
    return render(request, "outgoing/submit.html", context, status=status)
