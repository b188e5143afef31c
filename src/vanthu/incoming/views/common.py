"""Helpers shared by the incoming screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import cast

from django import forms
from django.http import HttpRequest

from vanthu.core.errors import DomainError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import TransitionNotAllowedError
from vanthu.core.form_base import apply_domain_error
from vanthu.org.models import Person


def person_of(request: HttpRequest) -> Person:
    """The signed-in person (every view here is behind login_required)."""
    return cast(Person, request.user)


def run_form(form: forms.Form, call: Callable[[], Any]) -> tuple[Any, int]:
    """Call the service for a bound, valid form: (result, 200); a refusal lands on the form with
    its status (the service's transaction rolled back, the input stays on the form). Not found,
    not allowed and not in this state escape to the error page."""
    if not form.is_valid():
        return None, 422
    try:
        return call(), 200
    except (PermissionDeniedError, NotFoundError, TransitionNotAllowedError):
        raise
    except DomainError as error:
        return None, apply_domain_error(form, error)
