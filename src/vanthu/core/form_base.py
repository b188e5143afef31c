"""The base form and the error helper shared by every app's HTML interface."""

from __future__ import annotations

from typing import Any

from django import forms

from vanthu.core.errors import DomainError


def apply_domain_error(form: forms.Form, error: DomainError) -> int:
    """Put a service's refusal on the form: ``details.fields`` -> field errors, ``details.field``
    -> that field, other details named like a field -> that field; the message itself goes on
    top of the form unless it already sits on its field. Returns the HTTP status to answer with."""
    details = error.details if isinstance(error.details, dict) else {}
    fields = details.get("fields")
    if isinstance(fields, dict):
        for name, messages in fields.items():
            target = name if name in form.fields else None
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                form.add_error(target, str(message))
    for name, messages in details.items():
        # e.g. {"password": ["This password is too short."]}
        if name not in {"fields", "field"} and name in form.fields and isinstance(messages, list):
            for message in messages:
                form.add_error(name, str(message))
    field_name = details.get("field")
    if isinstance(field_name, str) and field_name in form.fields:
        form.add_error(field_name, str(error.message))
    else:
        form.add_error(None, str(error.message))
    return error.http_status


class VanthuForm(forms.Form):
    """Bootstrap classes on every widget (no inline styles anywhere)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in [field] if field else []:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
