"""Sign-in events go to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.signals import user_logged_out
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver

from vanthu.accounts import events
from vanthu.accounts.tokens import primary_agency_id
from vanthu.audit import services as audit
from vanthu.core import clock
from vanthu.org.models import Person


def _address(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: Any, user: Person, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(
            action=events.LOGIN_SUCCEEDED,
            actor=user,
            agency=primary_agency_id(user),
            target=user,
            now=clock.now(),
            client_address=_address(request),
        )


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: Any, user: Person | None, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        audit.record(
            action=events.LOGOUT,
            actor=user,
            agency=primary_agency_id(user),
            target=user,
            now=clock.now(),
            client_address=_address(request),
        )


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    login = str(credentials.get("username", "")).replace("\x00", "")[:150]
    person = (
        Person.objects.filter(Q(username__iexact=login) | (Q(email__iexact=login) & ~Q(email=""))).first()
        if login
        else None
    )
    with transaction.atomic():
        audit.record(
            action=events.LOGIN_FAILED,
            actor=None,
            agency=primary_agency_id(person) if person else None,
            target=person,
            now=clock.now(),
            data={"username": login},
            client_address=_address(request),
        )
