"""The period picker of the statistics (GET): a kind of period with its year and month or quarter,
or a range of days."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from vanthu.core.errors import DomainError
from vanthu.core.errors import ValidationError
from vanthu.reports.measures import MEASURES
from vanthu.reports.models import ScoreRule
from vanthu.reports.periods import Period
from vanthu.reports.periods import PeriodKind
from vanthu.reports.periods import period_custom
from vanthu.reports.periods import period_of
from vanthu.reports.periods import previous_month

KIND_CHOICES = [
    (PeriodKind.MONTH, gettext_lazy("Month")),
    (PeriodKind.QUARTER, gettext_lazy("Quarter")),
    (PeriodKind.HALF, gettext_lazy("First 6 months")),
    (PeriodKind.NINE, gettext_lazy("First 9 months")),
    (PeriodKind.YEAR, gettext_lazy("Year")),
    (PeriodKind.CUSTOM, gettext_lazy("From … to …")),
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=KIND_CHOICES, required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(label=gettext_lazy("Month or quarter"), min_value=1, max_value=12, required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_date_input())

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        default = previous_month(today)
        self.fields["year"].initial = default.start.year
        self.fields["number"].initial = default.start.month
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css
            field.widget.attrs["data-period-field"] = name

    def chosen(self) -> Period:
        """The period asked for (the previous month when nothing is asked); a DomainError with a
        Vietnamese message when the choice is not a period."""
        if not self.is_bound:
            return previous_month(self.today)
        if not self.is_valid():
            field, errors = next(iter(self.errors.items()))
            raise ValidationError(str(errors[0]), code="bad_period", details={"field": field})
        data = self.cleaned_data
        kind = data.get("period") or PeriodKind.MONTH
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("date_from"), data.get("date_to")
            if start is None or end is None:
                raise ValidationError(
                    str(gettext_lazy("Give the first and the last day of the period.")),
                    code="bad_period",
                    details={"field": "date_from"},
                )
            return period_custom(start, end)
        year = data.get("year") or self.today.year
        number = data.get("number")
        if kind == PeriodKind.MONTH and number is None:
            number = previous_month(self.today).start.month
        if kind == PeriodKind.QUARTER and number is None:
            number = (self.today.month + 2) // 3
        return period_of(kind, year, number)


def chosen_period(form: PeriodForm) -> tuple[Period | None, str]:
    try:
        return form.chosen(), ""
    except DomainError as error:
        return None, str(error.message)


class TargetForm(forms.Form):
    """One level's target of the directive (changed by the province's inspectors)."""

    level = forms.CharField(widget=forms.HiddenInput)
    starts_on = forms.DateField(label=gettext_lazy("Required from"), widget=_date_input())
    target_rate = forms.IntegerField(label=gettext_lazy("Target (%)"), min_value=0, max_value=100)
    warning_rate = forms.IntegerField(label=gettext_lazy("Red below (%)"), min_value=0, max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"


class ScoreRuleForm(forms.Form):
    """A rule of the yearly IT-use evaluation."""

    label = forms.CharField(label=gettext_lazy("Criterion"), max_length=200)
    measure = forms.ChoiceField(label=gettext_lazy("Measure"))
    comparison = forms.ChoiceField(label=gettext_lazy("When the measure is"))
    threshold = forms.FloatField(label=gettext_lazy("Threshold"), min_value=0, max_value=100_000)
    points = forms.IntegerField(label=gettext_lazy("Points"), min_value=-10, max_value=10)
    is_active = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(item.key, f"{item.group} — {item.label}") for item in MEASURES]
        self.fields["measure"].choices = choices  # type: ignore[attr-defined]
        self.fields["comparison"].choices = ScoreRule.Comparison.choices  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name == "is_active":
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"
