"""Signature by the signer: choose a personal certificate; with a key on the token the page hands
the session to the signing agent (the signing app's JS), which comes back to ``sign_finish``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PermissionDeniedError
from vanthu.org.models import Person
from vanthu.outgoing import forms
from vanthu.outgoing import policies
from vanthu.outgoing import selectors
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.services import signing as signing_services
from vanthu.outgoing.views.common import person_of
from vanthu.outgoing.views.common import run_form
from vanthu.signing import sessions
from vanthu.signing.agent_views import agent_manifest_url
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession

MAX_CERTIFICATES = 20


def certificate_label(certificate: Certificate, now: datetime) -> str:
    way = _("key on the server") if certificate.has_private_key_on_server else _("signing agent on this computer")
    label = f"{certificate.common_name} ({way})"
    if now >= certificate.not_after:
        label = f"{label} — {_('expired')}"
    return label


def method_for(certificate: Certificate) -> str:
    return SigningMethod.SERVER_KEY if certificate.has_private_key_on_server else SigningMethod.AGENT


def _personal_certificates(person: Person) -> dict[int, Certificate]:
    certificates = Certificate.objects.filter(
        kind=CertificateKind.PERSONAL, person_id=person.pk, disabled_at__isnull=True, revoked_at__isnull=True
    ).order_by("-registered_at", "-id")[:MAX_CERTIFICATES]
    return {certificate.pk: certificate for certificate in certificates}


def agent_page(
    request: HttpRequest, *, outgoing: Outgoing, prepared: sessions.PreparedSignature, done_url: str, title: str
) -> HttpResponse:
    """The page that hands a prepared session to the signing agent (the signing app's JS)."""
    context = {
        "outgoing": outgoing,
        "session": prepared.session,
        "manifest_url": agent_manifest_url(request, prepared=prepared),
        "agent_url": settings.VANTHU_SIGN_AGENT_ORIGIN or "",
        "done_url": done_url,
        "title": title,
    }
    return render(request, "outgoing/agent.html", context)


def own_session(person: Person, session_id: Any) -> SigningSession:
    session = SigningSession.objects.filter(pk=session_id, created_by_id=person.pk).first()
    if session is None:
        raise NotFoundError()
    return session


@transaction.atomic
def _sign_with_server_key(outgoing: Outgoing, certificate: Certificate, person: Person, now: datetime) -> Outgoing:
    """A personal key held by the server (not the usual case): prepare, sign and finish at once."""
    prepared = signing_services.outgoing_sign_prepare(
        outgoing=outgoing, certificate=certificate, method=SigningMethod.SERVER_KEY, actor=person, now=now
    )
    session = sessions.signature_apply(session=prepared.session, actor=person, now=now)
    return signing_services.outgoing_sign_finish(outgoing=outgoing, session=session, actor=person, now=now)


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    if not policies.can_sign_outgoing(person, outgoing, now):
        raise PermissionDeniedError(_("Only the signer may approve and sign this document now."))
    certificates = _personal_certificates(person)
    choices = [(pk_, certificate_label(c, now)) for pk_, c in certificates.items()]
    form = forms.CertificateForm(request.POST if request.method == "POST" else None, certificate_choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid() and method_for(certificates[form.cleaned_data["certificate"]]) == SigningMethod.SERVER_KEY:
            result, status = run_form(
                form,
                lambda: _sign_with_server_key(outgoing, certificates[form.cleaned_data["certificate"]], person, now),
            )
            if result is not None:
                messages.success(request, _("Signed."))
                return redirect("outgoing:detail", pk=outgoing.pk)
        else:
            prepared, status = run_form(
                form,
                lambda: signing_services.outgoing_sign_prepare(
                    outgoing=outgoing,
                    certificate=certificates[form.cleaned_data["certificate"]],
                    method=SigningMethod.AGENT,
                    actor=person,
                    now=now,
                ),
            )
            if prepared is not None:
                done = reverse("outgoing:sign_finish", args=[outgoing.pk, prepared.session.pk])
                return agent_page(
                    request, outgoing=outgoing, prepared=prepared, done_url=done, title=_("Approve and sign")
                )
    context = {"outgoing": outgoing, "form": form, "has_certificates": bool(certificates)}
    return render(request, "outgoing/sign.html", context, status=status)


@login_required
@require_GET
def sign_finish(request: HttpRequest, pk: int, session_id: str) -> HttpResponse:
    """Where the signing agent's page comes back: record the signature on the document. Safe to
    repeat (only the person's own completed session counts; a document already signed is shown)."""
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    session = own_session(person, session_id)
    if outgoing.signing_session_id == session.pk and outgoing.signed_at is not None:
        return redirect("outgoing:detail", pk=outgoing.pk)
    signing_services.outgoing_sign_finish(outgoing=outgoing, session=session, actor=person, now=now)
    messages.success(request, _("Signed."))
    return redirect("outgoing:detail", pk=outgoing.pk)
