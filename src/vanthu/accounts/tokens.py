"""API tokens: issue, authenticate, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from vanthu.accounts import events
from vanthu.accounts.models import ApiToken
from vanthu.audit import services as audit
from vanthu.core.errors import NotAuthenticatedError
from vanthu.org.models import Person


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def primary_agency_id(person: Person) -> int | None:
    """The agency whose audit chain records the person's own account events: an open-ended role
    first, then the one that ended last (the same answer on SQLite and PostgreSQL)."""
    return person.roles.order_by(F("valid_to").desc(nulls_first=True), "id").values_list("agency_id", flat=True).first()


@transaction.atomic
def api_token_issue(*, person: Person, now: datetime, name: str = "") -> tuple[ApiToken, str]:
    raw = "vt_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        key_hash=_hash(raw),
        prefix=raw[:10],
        name=name[:100],
        created_at=now,
        expires_at=now + timedelta(hours=settings.VANTHU_API_TOKEN_HOURS),
    )
    audit.record(
        action=events.TOKEN_ISSUED,
        actor=person,
        agency=primary_agency_id(person),
        target=token,
        now=now,
        data={"expires_at": token.expires_at.isoformat()},
    )
    return token, raw


def api_token_authenticate(*, raw: str, now: datetime) -> tuple[Person, ApiToken]:
    token = ApiToken.objects.select_related("person").filter(key_hash=_hash(raw)).first()
    if token is None:
        raise NotAuthenticatedError(_("The token is not valid."), code="token_invalid")
    if token.revoked_at is not None:
        raise NotAuthenticatedError(_("The token has been revoked."), code="token_revoked")
    if token.expires_at <= now:
        raise NotAuthenticatedError(_("The token has expired; request a new one."), code="token_expired")
    if not token.person.is_active:
        raise NotAuthenticatedError(_("This account is deactivated."), code="account_inactive")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Person, now: datetime) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.person_id != actor.pk:
        raise NotAuthenticatedError()
    if token.revoked_at is None:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(action=events.TOKEN_REVOKED, actor=actor, agency=primary_agency_id(actor), target=token, now=now)
    return token
