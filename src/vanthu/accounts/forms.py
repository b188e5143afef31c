"""Sign-in, two-factor and password forms, rendered with Bootstrap 5 classes."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vanthu.org.models import Person


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` on the fields with errors."""

    fields: dict[str, forms.Field]
    _errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self._errors or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class SignInForm(BootstrapFormMixin, auth_forms.AuthenticationForm):
    username = auth_forms.UsernameField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("The username (or e-mail) or the password is not correct."),
        "inactive": _("This account is deactivated."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)  # noqa: S101 - narrows the type for mypy
        username.max_length = 254  # an e-mail address may be longer than a username
        username.widget.attrs["maxlength"] = 254


class TwoFactorCodeForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=12,
        help_text=_("The 6-digit code shown by your authenticator app."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "autocapitalize": "none",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (len(code) == 6 and code.isascii() and code.isdigit()):  # noqa: PLR2004
            raise forms.ValidationError(_("Enter the 6 digits shown by your authenticator app."), code="format")
        return code


if TYPE_CHECKING:
    _SetPasswordForm = auth_forms.SetPasswordForm[Person]
else:
    _SetPasswordForm = auth_forms.SetPasswordForm


class PasswordChangeForm(BootstrapFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(BootstrapFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class SetPasswordForm(BootstrapFormMixin, _SetPasswordForm):
    pass
