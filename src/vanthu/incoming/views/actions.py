"""One form page per workflow action (``incoming:act``), the extension request and its decision.

A page is offered only for an action the lifecycle allows now (409 otherwise) and the person may
take (403); the service checks both again, under its row lock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.incoming import forms
from vanthu.incoming import policies
from vanthu.incoming import selectors
from vanthu.incoming.lifecycle import ACTION_LABELS
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.lifecycle import next_status
from vanthu.incoming.models import ExtensionRequest
from vanthu.incoming.models import ExtensionStatus
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.incoming.services import direction
from vanthu.incoming.services import handling
from vanthu.incoming.services import recall
from vanthu.incoming.services import registration
from vanthu.incoming.views.common import person_of
from vanthu.incoming.views.common import run_form
from vanthu.org.models import Person

FormFactory = Callable[[Any, Incoming, Person, datetime], django_forms.Form]
Call = Callable[[Incoming, dict[str, Any], Person, datetime], Any]


def _register(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return registration.incoming_register(incoming=incoming, actor=person, now=now, **kwargs)


def _refuse(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return registration.incoming_refuse(incoming=incoming, actor=person, now=now, **kwargs)


def _direct(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return direction.incoming_direct(incoming=incoming, actor=person, now=now, **kwargs)


def _assign(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return direction.incoming_assign(incoming=incoming, actor=person, now=now, **kwargs)


def _report(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return handling.incoming_report(incoming=incoming, actor=person, now=now, **kwargs)


def _complete(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return handling.incoming_complete(incoming=incoming, actor=person, now=now, **kwargs)


def _reopen(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return handling.incoming_reopen(incoming=incoming, actor=person, now=now, **kwargs)


def _accept_recall(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return recall.incoming_recall_accept(incoming=incoming, actor=person, now=now, **kwargs)


def _refuse_recall(incoming: Incoming, kwargs: dict[str, Any], person: Person, now: datetime) -> Any:
    return recall.incoming_recall_refuse(incoming=incoming, actor=person, now=now, **kwargs)


def _assign_form(data: Any, incoming: Incoming, person: Person, now: datetime) -> django_forms.Form:
    parents = [
        assignment
        for assignment in selectors.assignments_of(incoming=incoming)
        if policies.can_assign_in_unit(person, incoming, assignment, now)
    ]
    return forms.AssignForm(data, parents=parents, now=now)


@dataclass(frozen=True)
class ActionPage:
    form: FormFactory
    call: Call
    submit_label: Any
    done_message: Any
    danger: bool = False
    intro: Any = ""


PAGES: dict[IncomingAction, ActionPage] = {
    IncomingAction.REGISTER: ActionPage(
        form=lambda data, incoming, person, now: forms.RegisterForm(data, incoming=incoming),
        call=_register,
        submit_label=gettext_lazy("Register"),
        done_message=gettext_lazy("Registered."),
        intro=gettext_lazy("The arrival number is taken when you register; the sender is told at once."),
    ),
    IncomingAction.REFUSE: ActionPage(
        form=lambda data, incoming, person, now: forms.ReasonForm(data),
        call=_refuse,
        submit_label=gettext_lazy("Refuse and return to the sender"),
        done_message=gettext_lazy("Returned to the sender."),
        danger=True,
    ),
    IncomingAction.DIRECT: ActionPage(
        form=lambda data, incoming, person, now: forms.DirectForm(data, incoming=incoming, now=now),
        call=_direct,
        submit_label=gettext_lazy("Direct"),
        done_message=gettext_lazy("Directed."),
        intro=gettext_lazy("A deadline on a day off moves to the next working day."),
    ),
    IncomingAction.ASSIGN: ActionPage(
        form=_assign_form,
        call=_assign,
        submit_label=gettext_lazy("Assign"),
        done_message=gettext_lazy("Assigned."),
    ),
    IncomingAction.REPORT: ActionPage(
        form=lambda data, incoming, person, now: forms.TextForm(data),
        call=_report,
        submit_label=gettext_lazy("Send"),
        done_message=gettext_lazy("Recorded."),
    ),
    IncomingAction.COMPLETE: ActionPage(
        form=lambda data, incoming, person, now: forms.ResultForm(data),
        call=_complete,
        submit_label=gettext_lazy("Complete"),
        done_message=gettext_lazy("Completed."),
    ),
    IncomingAction.REOPEN: ActionPage(
        form=lambda data, incoming, person, now: forms.ReasonForm(data),
        call=_reopen,
        submit_label=gettext_lazy("Reopen"),
        done_message=gettext_lazy("Reopened."),
    ),
    IncomingAction.ACCEPT_RECALL: ActionPage(
        form=lambda data, incoming, person, now: forms.NoteForm(data),
        call=_accept_recall,
        submit_label=gettext_lazy("Accept the recall and destroy this copy"),
        done_message=gettext_lazy("Recall accepted: this agency's copy was destroyed."),
        danger=True,
        intro=gettext_lazy("The document's files and metadata are destroyed; a record of the recall is kept."),
    ),
    IncomingAction.REFUSE_RECALL: ActionPage(
        form=lambda data, incoming, person, now: forms.ReasonForm(data),
        call=_refuse_recall,
        submit_label=gettext_lazy("Refuse the recall"),
        done_message=gettext_lazy("Recall refused; the sender is told."),
    ),
}


def _chosen(action: str) -> IncomingAction:
    try:
        chosen = IncomingAction(action)
    except ValueError:
        raise NotFoundError() from None
    if chosen not in PAGES:
        raise NotFoundError()
    return chosen


@login_required
@require_http_methods(["GET", "POST"])
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    chosen = _chosen(action)
    incoming = selectors.incoming_get_for(person=person, pk=pk, now=now)
    next_status(incoming.status, chosen)  # 409 when the lifecycle does not allow it now
    if chosen not in policies.available_actions(incoming, person, now):
        raise PermissionDeniedError()
    page = PAGES[chosen]
    form = page.form(request.POST if request.method == "POST" else None, incoming, person, now)
    status = 200
    if request.method == "POST":
        service_kwargs: Callable[[], dict[str, Any]] = getattr(form, "service_kwargs")  # noqa: B009
        result, status = run_form(form, lambda: page.call(incoming, service_kwargs(), person, now))
        if status == 200:  # noqa: PLR2004
            messages.success(request, str(page.done_message))
            if chosen == IncomingAction.ACCEPT_RECALL:
                return redirect("incoming:queues")
            return redirect("incoming:detail", pk=incoming.pk)
        del result
    context = {
        "incoming": incoming,
        "form": form,
        "action": str(chosen),
        "title": ACTION_LABELS[chosen],
        "submit_label": page.submit_label,
        "danger": page.danger,
        "intro": page.intro,
    }
    return render(request, "incoming/action_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    incoming = selectors.incoming_get_for(person=person, pk=pk, now=now)
    if incoming.status not in (IncomingStatus.DIRECTED, IncomingStatus.IN_PROGRESS) or not (
        policies.can_request_extension(person, incoming, now)
    ):
        raise PermissionDeniedError()
    form = forms.ExtensionRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":

        def call() -> Any:
            return handling.extension_request(incoming=incoming, actor=person, now=now, **form.service_kwargs())

        _result, status = run_form(form, call)
        if status == 200:  # noqa: PLR2004
            messages.success(request, _("Your request was sent to the leader."))
            return redirect("incoming:detail", pk=incoming.pk)
    context = {
        "incoming": incoming,
        "form": form,
        "action": "request_extension",
        "title": _("Ask for more time"),
        "submit_label": _("Send the request"),
        "danger": False,
        "intro": "",
    }
    return render(request, "incoming/action_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def extension_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    incoming = selectors.incoming_get_for(person=person, pk=pk, now=now)
    extension = ExtensionRequest.objects.filter(pk=request_pk, incoming=incoming).first()
    if extension is None:
        raise NotFoundError()
    if extension.status != ExtensionStatus.PENDING or not policies.can_decide_extension(person, incoming, now):
        raise PermissionDeniedError()
    form = forms.ExtensionDecideForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":

        def call() -> Any:
            return handling.extension_decide(request=extension, actor=person, now=now, **form.service_kwargs())

        _result, status = run_form(form, call)
        if status == 200:  # noqa: PLR2004
            messages.success(request, _("Decision recorded."))
            return redirect("incoming:detail", pk=incoming.pk)
    intro = _("Asked for %(date)s: %(reason)s") % {
        "date": extension.requested_due_date.strftime("%d/%m/%Y"),
        "reason": extension.reason,
    }
    context = {
        "incoming": incoming,
        "form": form,
        "action": "decide_extension",
        "title": _("Decide on the extension"),
        "submit_label": _("Record the decision"),
        "danger": False,
        "intro": intro,
    }
    return render(request, "incoming/action_form.html", context, status=status)
