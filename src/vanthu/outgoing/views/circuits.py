"""Review circuit templates of an agency (per document type, or for every type): the list with
their steps, and the form that creates or replaces one (``circuit_template_save`` checks who may:
the agency's ADMINs and AGENCY_LEADERs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import DomainError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.form_base import apply_domain_error
from vanthu.org.grants import grants_for
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.policies import admin_scope
from vanthu.outgoing import forms
from vanthu.outgoing.models import CircuitTemplate
from vanthu.outgoing.models import CircuitTemplateStep
from vanthu.outgoing.services import review as review_services
from vanthu.outgoing.views.common import person_of


def circuit_agencies(person: Person, now: datetime) -> list[Agency]:
    """The current agencies whose review circuits ``person`` sets: administered or led by them."""
    current = Agency.objects.filter(valid_to__isnull=True)
    scope = admin_scope(person, now)
    if scope is None:
        return list(current.order_by("path", "id"))
    ids = scope | {grant.agency_id for grant in grants_for(person, now) if grant.role == Role.AGENCY_LEADER}
    return list(current.filter(pk__in=ids).order_by("name", "id"))


def _templates(agency: Agency) -> list[CircuitTemplate]:
    steps = CircuitTemplateStep.objects.select_related("assignee").order_by("ordinal", "id")
    return list(
        CircuitTemplate.objects.filter(agency=agency, is_active=True)
        .select_related("document_type")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("document_type__name", "name", "id")
    )


def _initial(template: CircuitTemplate | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if template is None:
        return {}, []
    steps = [
        {"kind": s.kind, "assignee": s.assignee_id, "ordinal": s.ordinal, "working_days": s.working_days}
        for s in template.steps.all()
    ]
    return {"name": template.name, "document_type": template.document_type_id}, steps


@login_required
@require_http_methods(["GET", "POST"])
def circuits(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    agencies = circuit_agencies(person, now)
    if not agencies:
        raise PermissionDeniedError(_("Only an administrator or a leader of the agency sets review circuits."))
    wanted = request.POST.get("agency") or request.GET.get("agency")
    agency = next((a for a in agencies if wanted and str(a.pk) == wanted), agencies[0])
    templates = _templates(agency)
    people = forms.member_choices(agency=agency, now=now)
    status = 200
    if request.method == "POST":
        form = forms.CircuitTemplateForm(request.POST, agency=agency)
        formset = forms.TemplateStepFormSet(request.POST, prefix="step", form_kwargs={"people": people})
        if form.is_valid() and formset.is_valid():
            try:
                review_services.circuit_template_save(
                    agency=agency,
                    name=form.cleaned_data["name"],
                    document_type=form.document_type_object(),
                    steps=forms.template_step_inputs(formset),
                    actor=person,
                    now=now,
                )
            except (PermissionDeniedError, NotFoundError):
                raise
            except DomainError as error:
                status = apply_domain_error(form, error)
            else:
                messages.success(request, _("The review circuit was saved."))
                return redirect(f"{reverse('outgoing:circuits')}?agency={agency.pk}")
        else:
            status = 422
    else:
        chosen = request.GET.get("template")
        template = next((t for t in templates if chosen and str(t.pk) == chosen), None)
        initial, steps = _initial(template)
        form = forms.CircuitTemplateForm(initial=initial, agency=agency)
        formset = forms.TemplateStepFormSet(initial=steps, prefix="step", form_kwargs={"people": people})
    context = {
        "agency": agency,
        "agencies": agencies,
        "templates": templates,
        "form": form,
        "formset": formset,
        "title": _("Review circuits"),
    }
    return render(request, "outgoing/circuits.html", context, status=status)
