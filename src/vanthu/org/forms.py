"""HTML forms of the organisation pages. A form only parses input into the keyword arguments of
one service; the rules (code format, unique abbreviations, cycles, overlaps) live in the
services, whose errors come back onto the form through ``apply_domain_error``."""

from __future__ import annotations

from typing import Any
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vanthu.core.form_base import VanthuForm
from vanthu.org.models import Agency
from vanthu.org.models import AgencyKind
from vanthu.org.models import Person
from vanthu.org.models import Position
from vanthu.org.models import Role
from vanthu.org.models import Unit

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonByUsernameField(forms.CharField):
    """A person named by their username (new people have no role yet, so a list of choices
    could not offer them)."""

    default_error_messages = {"unknown": _("No active person has the username %(username)s.")}

    def clean(self, value: Any) -> Person | None:
        username = super().clean(value)
        if not username:
            return None
        person = Person.objects.filter(username__iexact=username.strip(), is_active=True).first()
        if person is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"username": username})
        return person


class AgencyForm(VanthuForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    abbreviation = forms.CharField(
        label=_("Abbreviation"), max_length=32, help_text=_("Case-exact, e.g. UBND, STC, SGDĐT.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    code_qcvn102 = forms.CharField(
        label=_("QCVN 102 code"), max_length=32, help_text=_("Format ddd.dd.dd.Xdd, e.g. 000.00.00.H56.")
    )
    code_qd20 = forms.CharField(label=_("QĐ 20/2020 code"), max_length=32, required=False)
    place_name = forms.CharField(label=_("Place name used in dates"), max_length=64, help_text=_("e.g. Thanh Hóa"))
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["code_qcvn102"] = data["code_qcvn102"].strip()
        if data.get("valid_from") is None:
            data.pop("valid_from", None)
        return data

    @staticmethod
    def initial_for(agency: Agency) -> dict[str, Any]:
        return {
            "name": agency.name,
            "abbreviation": agency.abbreviation,
            "kind": agency.kind,
            "code_qcvn102": agency.code_qcvn102,
            "code_qd20": agency.code_qd20,
            "place_name": agency.place_name,
            "valid_from": agency.valid_from,
        }


class UnitForm(VanthuForm):
    name = forms.CharField(label=_("Name"), max_length=255)
    abbreviation = forms.CharField(label=_("Abbreviation"), max_length=32)

    def service_kwargs(self) -> dict[str, Any]:
        return {"name": self.cleaned_data["name"], "abbreviation": self.cleaned_data["abbreviation"]}


class PersonCreateForm(VanthuForm):
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("Letters without accents, digits and . _ @ + - only.")
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to let the person choose one with the password-reset e-mail."),
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["password"] = data.get("password") or None
        data["email"] = (data.get("email") or "").strip()
        return data


class RoleAssignForm(VanthuForm):
    person = PersonByUsernameField(label=_("Username of the person"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("(the whole agency)")
    )
    position = forms.ModelChoiceField(
        label=_("Position"), queryset=Position.objects.all(), required=False, empty_label=_("(none)")
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = cast("forms.ModelChoiceField[Any]", self.fields["unit"])
        unit_field.queryset = Unit.objects.filter(agency=agency, is_active=True)

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "person": self.cleaned_data["person"],
            "role": self.cleaned_data["role"],
            "unit": self.cleaned_data.get("unit"),
            "position": self.cleaned_data.get("position"),
        }


class AgencyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.abbreviation}, {obj.code_qcvn102})"


class AgencyMergeForm(VanthuForm):
    successor = AgencyChoiceField(label=_("Merged into"), queryset=Agency.objects.none())
    effective_date = forms.DateField(
        label=_("Effective date"), widget=DATE_WIDGET, help_text=_("The first day the successor carries the work.")
    )
    confirm = forms.BooleanField(label=_("I understand that the agency ceases and its open roles end."))

    def __init__(self, *args: Any, successors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        successor_field = cast("forms.ModelChoiceField[Any]", self.fields["successor"])
        successor_field.queryset = successors

    def service_kwargs(self) -> dict[str, Any]:
        return {"successor": self.cleaned_data["successor"], "effective_date": self.cleaned_data["effective_date"]}


class DelegationForm(VanthuForm):
    delegator = PersonByUsernameField(label=_("Delegator (username)"), max_length=150)
    delegate = PersonByUsernameField(label=_("Delegate (username)"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("(the whole agency)")
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_WIDGET)
    reason = forms.CharField(label=_("Reason"), max_length=255, help_text=_("e.g. a business trip, leave"))

    def __init__(
        self, *args: Any, agency: Agency, delegator: Person | None, role_choices: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = cast("forms.ModelChoiceField[Any]", self.fields["unit"])
        unit_field.queryset = Unit.objects.filter(agency=agency)
        role_field = cast(forms.ChoiceField, self.fields["role"])
        role_field.choices = role_choices
        self.fixed_delegator = delegator
        if delegator is not None:
            # A role holder delegates their own role: the delegator is not theirs to choose.
            del self.fields["delegator"]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "delegator": self.fixed_delegator or data["delegator"],
            "delegate": data["delegate"],
            "role": data["role"],
            "unit": data.get("unit"),
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "reason": data["reason"],
        }
