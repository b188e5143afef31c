"""The audit trail page for ADMINs and INSPECTORs: filters, a paginated table, one event's
detail, and (for superusers and province administrators) the verification of the chains.

Who reads what is audit.policies' business; the list is a 403 for a person with no audit
capability, an event outside their scope a 404."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from vanthu.audit import policies
from vanthu.audit import selectors
from vanthu.audit.labels import action_label
from vanthu.audit.models import AuditEvent
from vanthu.audit.verification import audit_verify
from vanthu.core import clock
from vanthu.org import policies as org_policies
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Agency
from vanthu.org.models import Person

PAGE_SIZE = 50
COMMON_ACTIONS = (
    "org.agency.",
    "org.unit.",
    "org.person.",
    "org.role.",
    "org.delegation.",
    "accounts.login.",
    "accounts.token.",
    "core.calendar.",
)


class AuditFilterForm(forms.Form):
    agency = forms.TypedChoiceField(label=gettext_lazy("Agency"), required=False, coerce=int, empty_value=None)
    person = forms.CharField(
        label=gettext_lazy("Person"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("Username or part of the name"),
    )
    action = forms.CharField(
        label=gettext_lazy("Action"), required=False, max_length=96, help_text=gettext_lazy("e.g. org.agency.")
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = cast(forms.TypedChoiceField, self.fields["agency"])
        agency_field.choices = [("", _("All agencies in my scope"))] + [
            (agency.pk, f"{agency.name} ({agency.abbreviation})") for agency in agencies
        ]
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name == "agency" else "form-control form-control-sm"
            field.widget.attrs["class"] = css
        self.fields["action"].widget.attrs["list"] = "audit-actions"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


@dataclass(frozen=True)
class EventRow:
    pk: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    agency_name: str
    agency_abbreviation: str
    action: str
    target_type: str
    target_label: str
    client_address: str
    data_json: str

    @property
    def action_label(self) -> Any:
        return action_label(self.action)

    @property
    def action_parts(self) -> list[str]:
        """ "org.agency.merged" in pieces, so a narrow column wraps it at its dots."""
        return self.action.split(".")


def _row(event: AuditEvent) -> EventRow:
    agency = event.agency if event.agency_id else None
    return EventRow(
        pk=event.pk,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        agency_name=agency.name if agency else "",
        agency_abbreviation=agency.abbreviation if agency else "",
        action=event.action,
        target_type=event.target_type,
        target_label=event.target_label,
        client_address=event.client_address or "",
        data_json=json.dumps(event.data, ensure_ascii=False, indent=2, sort_keys=True),
    )


def _scope_agencies(scope: policies.AuditScope) -> list[Agency]:
    agencies = Agency.objects.only("pk", "name", "abbreviation", "path").order_by("path")
    if not scope.everything:
        agencies = agencies.filter(pk__in=sorted(scope.agency_ids))
    return list(agencies)


def _actor_id(*, text: str, viewer: Any, now: datetime) -> tuple[int | None, bool]:
    """The person a filter names: exact username first, else a single name match. The second
    value is False when the text names nobody (or several people)."""
    people = org_selectors.person_list_for(viewer=viewer, now=now, query=text)
    exact = people.filter(username__iexact=text).values_list("pk", flat=True).first()
    if exact is not None:
        return exact, True
    matches = list(people.values_list("pk", flat=True)[:2])
    if len(matches) == 1:
        return matches[0], True
    return None, False


@login_required
@vary_on_headers("HX-Request")
def event_list(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    scope = policies.audit_scope_for(_person(request), now)
    policies.require_audit_capability(scope)  # 403 for anybody else
    form = AuditFilterForm(request.GET or None, agencies=_scope_agencies(scope))
    filters: dict[str, Any] = {}
    unknown_person = False
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "agency_id": data.get("agency"),
            "action": data.get("action", "").strip(),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if data.get("person"):
            filters["actor_id"], found = _actor_id(text=data["person"].strip(), viewer=_person(request), now=now)
            unknown_person = not found
    actor = request.GET.get("actor", "")
    if actor.isdigit():
        filters["actor_id"] = int(actor)
    page_number = _page_number(request.GET.get("page"))
    rows: list[EventRow] = []
    has_next = False
    if form.is_bound and not form.is_valid():
        pass  # the form shows its errors; no list for an invalid filter
    elif not unknown_person:
        events = selectors.audit_event_list_for(person=_person(request), now=now, **filters)
        offset = (page_number - 1) * PAGE_SIZE
        # No COUNT(*) over tens of millions of rows: fetch one more than a page to know if
        # another page follows.
        window = list(events[offset : offset + PAGE_SIZE + 1])
        has_next = len(window) > PAGE_SIZE
        rows = [_row(event) for event in window[:PAGE_SIZE]]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": rows,
        "page_number": page_number,
        "has_previous": page_number > 1,
        "has_next": has_next,
        "querystring": query.urlencode(),
        "unknown_person": unknown_person,
        "common_actions": COMMON_ACTIONS,
        "may_verify": policies.can_verify_audit(_person(request), now),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "audit/event_list.html#results", context)
    return render(request, "audit/event_list.html", context)


def _page_number(raw: str | None) -> int:
    if raw and raw.isdigit():
        return max(1, min(int(raw), 100_000))
    return 1


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.audit_event_get_for(person=_person(request), pk=pk, now=clock.now())  # 404 out of scope
    return render(request, "audit/event_detail.html", {"event": event, "row": _row(event)})


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    policies.require_audit_capability(policies.audit_scope_for(_person(request), now))
    org_policies.require(
        policies.can_verify_audit(_person(request), now), _("Only a province administrator may verify the audit trail.")
    )
    report = audit_verify()
    context = {"report": report, "verified_at": now}
    if getattr(request, "htmx", False):
        return render(request, "audit/_verify_result.html", context)
    return render(request, "audit/verify.html", context)


def _person(request: HttpRequest) -> Person:
    """The signed-in person (every view here is behind login_required)."""
    return cast(Person, request.user)
