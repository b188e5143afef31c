"""Organisation pages. Thin: parse input (forms), make one domain call (services), render plain
data (presenters). An agency or person the viewer may not see is a 404 (selectors); an action
they may not take is a 403 (policies, re-checked by every service)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from vanthu.core import clock
from vanthu.core.errors import ConflictError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.core.form_base import VanthuForm
from vanthu.core.form_base import apply_domain_error
from vanthu.org import forms
from vanthu.org import policies
from vanthu.org import presenters
from vanthu.org import selectors
from vanthu.org import services
from vanthu.org.models import Agency
from vanthu.org.models import Delegation
from vanthu.org.models import Person
from vanthu.org.models import RoleAssignment

FORM_TEMPLATE = "org/form_page.html"


def _form_page(
    request: HttpRequest,
    *,
    form: VanthuForm,
    call: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    context: dict[str, Any],
) -> HttpResponse:
    """GET shows the form; POST calls the service. Invalid input and refused writes come back as
    form errors with a 4xx status (422 invalid, 409 conflict); the service's transaction has
    rolled back, so nothing is half-written."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = call(form.service_kwargs())  # type: ignore[attr-defined]
            except (ValidationError, ConflictError) as error:
                status = apply_domain_error(form, error)
            else:
                return redirect(success(result))
        else:
            status = 422
    return render(request, FORM_TEMPLATE, {**context, "form": form}, status=status)


# --- agencies ---------------------------------------------------------------------------


@login_required
@vary_on_headers("HX-Request")
def agency_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    query = request.GET.get("q", "").strip()[:100]
    context: dict[str, Any] = {"query": query}
    if query:
        context["results"], context["truncated"] = presenters.agency_search(
            person=_person(request), now=now, query=query
        )
    else:
        context["tree"] = presenters.agency_tree(person=_person(request), now=now)
    context["may_create_root"] = policies.is_superuser(_person(request))
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "org/agency_list.html#results", context)
    return render(request, "org/agency_list.html", context)


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = selectors.agency_get_for(person=_person(request), pk=pk, now=now)
    return render(
        request, "org/agency_detail.html", presenters.agency_detail(agency=agency, viewer=_person(request), now=now)
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    parent = None
    if parent_id:
        if not str(parent_id).isdigit():
            raise NotFoundError()
        parent = selectors.agency_get_for(person=_person(request), pk=int(parent_id), now=now)
    policies.require(policies.can_create_agency(_person(request), parent, now), _("You may not create an agency here."))
    form = forms.AgencyForm(request.POST or None, initial={"place_name": parent.place_name if parent else ""})
    return _form_page(
        request,
        form=form,
        call=lambda kwargs: services.agency_create(actor=_person(request), parent=parent, now=now, **kwargs),
        success=lambda agency: _with_message(
            request, _("The agency was created."), reverse("org:agency_detail", args=[agency.pk])
        ),
        context={
            "title": _("New agency under %(parent)s") % {"parent": parent.name}
            if parent
            else _("New top-level agency"),
            "agency": parent,
            "hidden": {"parent": parent.pk} if parent else {},
            "cancel_url": reverse("org:agency_detail", args=[parent.pk]) if parent else reverse("org:agency_list"),
            "submit_label": _("Create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = _managed_agency(request, pk, now)
    return _form_page(
        request,
        form=forms.AgencyForm(request.POST or None, initial=forms.AgencyForm.initial_for(agency)),
        call=lambda kwargs: services.agency_update(agency=agency, actor=_person(request), now=now, **kwargs),
        success=_back_to_agency(request, agency, _("The agency was saved.")),
        context=_agency_form_context(agency, title=_("Edit %(agency)s") % {"agency": agency.name}, submit=_("Save")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_merge(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = _managed_agency(request, pk, now)
    successors = presenters.merge_successors(viewer=_person(request), agency=agency, now=now)
    return _form_page(
        request,
        form=forms.AgencyMergeForm(request.POST or None, successors=successors),
        call=lambda kwargs: services.agency_merge(predecessor=agency, actor=_person(request), now=now, **kwargs),
        success=lambda merged: _with_message(
            request,
            _("%(agency)s was merged into %(successor)s.")
            % {"agency": merged.name, "successor": merged.successor.name},
            reverse("org:agency_detail", args=[merged.pk]),
        ),
        context=_agency_form_context(
            agency,
            title=_("Merge %(agency)s into another agency") % {"agency": agency.name},
            submit=_("Merge"),
            intro=_("Future work goes to the successor; the agency and its history stay readable under its old name."),
            danger=True,
        ),
    )


# --- units, people, roles ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = _managed_agency(request, pk, now)
    return _form_page(
        request,
        form=forms.UnitForm(request.POST or None),
        call=lambda kwargs: services.unit_create(agency=agency, actor=_person(request), now=now, **kwargs),
        success=_back_to_agency(request, agency, _("The unit was created.")),
        context=_agency_form_context(
            agency, title=_("New unit in %(agency)s") % {"agency": agency.name}, submit=_("Create")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = selectors.agency_get_for(person=_person(request), pk=pk, now=now)
    policies.require(
        policies.can_manage_people_of(_person(request), agency, now),
        _("Only an administrator of this agency may add people."),
    )

    def next_step(person: Any) -> str:
        # A new person has no role yet: continue with giving them one here.
        url = reverse("org:role_assign", args=[agency.pk])
        return _with_message(
            request,
            _("%(name)s was added; now give them a role.") % {"name": person.full_name},
            f"{url}?person={person.username}",
        )

    return _form_page(
        request,
        form=forms.PersonCreateForm(request.POST or None),
        call=lambda kwargs: services.person_create(agency=agency, actor=_person(request), now=now, **kwargs),
        success=next_step,
        context=_agency_form_context(
            agency, title=_("New person in %(agency)s") % {"agency": agency.name}, submit=_("Create")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = _managed_agency(request, pk, now)
    initial = {"person": request.GET.get("person", "")}
    return _form_page(
        request,
        form=forms.RoleAssignForm(request.POST or None, agency=agency, initial=initial),
        call=lambda kwargs: services.role_assign(agency=agency, actor=_person(request), now=now, **kwargs),
        success=_back_to_agency(request, agency, _("The role was given.")),
        context=_agency_form_context(
            agency, title=_("Give a role in %(agency)s") % {"agency": agency.name}, submit=_("Give the role")
        ),
    )


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    assignment = RoleAssignment.objects.select_related("person").filter(pk=pk).first()
    if assignment is None:
        raise NotFoundError()
    # The person must be visible to the viewer, or the assignment does not exist for them.
    selectors.person_get_for(viewer=_person(request), pk=assignment.person_id, now=now)
    services.role_end(assignment=assignment, actor=_person(request), now=now)
    messages.success(request, _("The role has ended."))
    return redirect(_safe_next(request, reverse("org:person_detail", args=[assignment.person_id])))


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = selectors.person_get_for(viewer=_person(request), pk=pk, now=now)
    return render(
        request, "org/person_detail.html", presenters.person_detail(person=person, viewer=_person(request), now=now)
    )


# --- delegations ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    agency = selectors.agency_get_for(person=_person(request), pk=pk, now=now)
    may_manage = policies.can_manage_agency(_person(request), agency, now)
    role_choices = presenters.role_choices_for_delegation(
        viewer=_person(request), agency=agency, now=now, may_manage=may_manage
    )
    policies.require(
        bool(role_choices), _("Only the holder of the role or an administrator of the agency may delegate it.")
    )
    initial = {
        "role": request.GET.get("role", ""),
        "starts_at": clock.vietnam_time(now).replace(second=0, microsecond=0),
    }
    form = forms.DelegationForm(
        request.POST or None,
        agency=agency,
        delegator=None if may_manage else _person(request),
        role_choices=role_choices,
        initial=initial,
    )
    return _form_page(
        request,
        form=form,
        call=lambda kwargs: services.delegation_create(agency=agency, actor=_person(request), now=now, **kwargs),
        success=_back_to_agency(request, agency, _("The delegation was recorded.")),
        context=_agency_form_context(
            agency,
            title=_("Delegate a role in %(agency)s") % {"agency": agency.name},
            submit=_("Delegate"),
            intro=_("The delegate acts in the role for the period given; every action is recorded in the audit trail."),
        ),
    )


def _delegation_for(request: HttpRequest, pk: int) -> Delegation:
    """A delegation the viewer may revoke; anything else is a 404 (never reveal it exists)."""
    now = clock.now()
    delegation = Delegation.objects.select_related("delegator", "delegate", "agency", "unit").filter(pk=pk).first()
    if delegation is None or not policies.can_delegate(
        _person(request), delegator=delegation.delegator, agency=delegation.agency, role=delegation.role, now=now
    ):
        raise NotFoundError()
    return delegation


@login_required
@require_http_methods(["GET", "POST"])
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = _delegation_for(request, pk)
    if request.method == "POST":
        services.delegation_revoke(delegation=delegation, actor=_person(request), now=clock.now())
        messages.success(request, _("The delegation was revoked."))
        return redirect(_safe_next(request, reverse("org:agency_detail", args=[delegation.agency_id])))
    return render(request, "org/delegation_revoke.html", {"delegation": delegation, "next": _safe_next(request, "")})


# --- helpers ----------------------------------------------------------------------------


def _managed_agency(request: HttpRequest, pk: int, now: datetime) -> Agency:
    """The agency of the URL: a 404 if the viewer may not see it, a 403 if they may not manage it."""
    agency = selectors.agency_get_for(person=_person(request), pk=pk, now=now)
    policies.require_manage_agency(_person(request), agency, now)
    return agency


def _agency_form_context(agency: Agency, *, title: str, submit: str, **extra: Any) -> dict[str, Any]:
    """The context of a form page about ``agency``: Cancel goes back to the agency."""
    return {
        "title": title,
        "agency": agency,
        "cancel_url": reverse("org:agency_detail", args=[agency.pk]),
        "submit_label": submit,
        **extra,
    }


def _back_to_agency(request: HttpRequest, agency: Agency, text: str) -> Callable[[Any], str]:
    """The success step of a form page about ``agency``: say ``text``, go back to the agency."""
    return lambda _result: _with_message(request, text, reverse("org:agency_detail", args=[agency.pk]))


def _with_message(request: HttpRequest, text: str, url: str) -> str:
    messages.success(request, text)
    return url


def _safe_next(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _person(request: HttpRequest) -> Person:
    """The signed-in person (every view here is behind login_required)."""
    return cast(Person, request.user)
