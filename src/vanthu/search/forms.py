"""The search box and its filters (GET)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from vanthu.documents.models import Direction
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Urgency
from vanthu.search.query import MAX_QUERY_LENGTH
from vanthu.search.selectors import SearchFilters
from vanthu.search.selectors import Sort
from vanthu.search.statuses import status_choices


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), required=False)
    type = forms.TypedChoiceField(label=gettext_lazy("Type"), coerce=int, required=False, empty_value=None)
    agency = forms.TypedChoiceField(label=gettext_lazy("Agency"), coerce=int, required=False, empty_value=None)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_date_input())
    sort = forms.ChoiceField(
        label=gettext_lazy("Order"),
        required=False,
        choices=[(Sort.RELEVANCE, gettext_lazy("Most relevant")), (Sort.NEWEST, gettext_lazy("Newest"))],
    )

    def __init__(self, *args: Any, agencies: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies and len(agencies) > 1:
            self.fields["agency"].choices = [("", gettext_lazy("Every agency")), *agencies]  # type: ignore[attr-defined]
        else:
            del self.fields["agency"]
        self.fields["direction"].choices = [("", gettext_lazy("Incoming and outgoing")), *Direction.choices]  # type: ignore[attr-defined]
        types = DocumentType.objects.filter(is_active=True, agency__isnull=True).order_by("ordinal", "name")
        self.fields["type"].choices = [("", gettext_lazy("All types")), *[(t.pk, t.name) for t in types]]  # type: ignore[attr-defined]
        self.fields["urgency"].choices = [("", gettext_lazy("Any urgency")), *Urgency.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", gettext_lazy("Any status")), *status_choices()]  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            if name == "q":
                css = "form-control"
            field.widget.attrs["class"] = css

    def text(self) -> str:
        return str(self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""

    def filters(self) -> SearchFilters:
        if not self.is_valid():
            return SearchFilters()
        data = self.cleaned_data
        return SearchFilters(
            direction=data.get("direction") or "",
            document_type_id=data.get("type"),
            agency_id=data.get("agency"),
            urgency=data.get("urgency") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def chosen_sort(self) -> Sort:
        value = str(self.cleaned_data.get("sort") or "") if self.is_valid() else ""
        return Sort(value) if value in Sort._value2member_map_ else Sort.RELEVANCE
