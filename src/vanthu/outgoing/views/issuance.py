"""The registry (CLERK): number and issue (server-held seal: one button; seal on a token: start,
the signing agent, finish), and electronic copies."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.http import require_http_methods

from vanthu.core import clock
from vanthu.core.errors import PermissionDeniedError
from vanthu.documents.symbols import number_text
from vanthu.org.models import Agency
from vanthu.outgoing import forms
from vanthu.outgoing import policies
from vanthu.outgoing import selectors
from vanthu.outgoing.models import OutgoingStatus
from vanthu.outgoing.services import issuance
from vanthu.outgoing.services.copies import copy_make
from vanthu.outgoing.views.common import person_of
from vanthu.outgoing.views.common import run_form
from vanthu.outgoing.views.signing import agent_page
from vanthu.outgoing.views.signing import certificate_label
from vanthu.outgoing.views.signing import own_session
from vanthu.signing import sessions
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SigningMethod


def _seal_certificates(agency: Agency) -> dict[int, Certificate]:
    certificates = Certificate.objects.filter(
        kind=CertificateKind.AGENCY, agency=agency, disabled_at__isnull=True, revoked_at__isnull=True
    ).order_by("-registered_at", "-id")[:20]
    return {certificate.pk: certificate for certificate in certificates}


def _choices(certificates: dict[int, Certificate], now: datetime) -> list[tuple[int, str]]:
    # The server-held seal first: it is the one-click way.
    ordered = sorted(certificates.values(), key=lambda c: (not c.has_private_key_on_server, -c.pk))
    return [(c.pk, certificate_label(c, now)) for c in ordered]


@login_required
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    if not policies.can_issue_outgoing(person, outgoing, now):
        raise PermissionDeniedError(_("Only the registry (clerks) of the issuing agency may issue this document."))
    certificates = _seal_certificates(outgoing.agency)
    form = forms.CertificateForm(
        request.POST if request.method == "POST" else None, certificate_choices=_choices(certificates, now)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        certificate = certificates[form.cleaned_data["certificate"]]
        if certificate.has_private_key_on_server:
            result, status = run_form(
                form, lambda: issuance.outgoing_issue(outgoing=outgoing, certificate=certificate, actor=person, now=now)
            )
            if result is not None:
                if result.status == OutgoingStatus.ISSUED:
                    messages.success(request, _("Issued: the document was numbered, sealed and sent."))
                else:
                    messages.warning(
                        request, _("The number is bound but the agency signature was not applied: try again.")
                    )
                return redirect("outgoing:detail", pk=outgoing.pk)
        else:

            def start_and_prepare() -> sessions.PreparedSignature:
                started = issuance.outgoing_issue_start(outgoing=outgoing, actor=person, now=now)
                return issuance.outgoing_seal_prepare(
                    outgoing=started, certificate=certificate, method=SigningMethod.AGENT, actor=person, now=now
                )

            prepared, status = run_form(form, start_and_prepare)
            if prepared is not None:
                session = prepared.session
                done = reverse("outgoing:issue_finish", args=[outgoing.pk, session.pk])
                return agent_page(
                    request,
                    outgoing=outgoing,
                    prepared=prepared,
                    done_url=done,
                    title=_("Apply the agency signature and issue"),
                )
    elif request.method == "POST":
        status = 422
    register, number = selectors.issue_preview(outgoing=outgoing, now=now)
    context = {
        "outgoing": outgoing,
        "form": form,
        "has_certificates": bool(certificates),
        "register": register,
        "number_preview": number_text(number),
        "is_bound": outgoing.register_entry_id is not None,
    }
    return render(request, "outgoing/issue.html", context, status=status)


@login_required
@require_GET
def issue_finish(request: HttpRequest, pk: int, session_id: str) -> HttpResponse:
    """Where the signing agent's page comes back after the seal: finish the issuance (safe to
    repeat: an issued document is shown as it is)."""
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    session = own_session(person, session_id)
    if outgoing.status != OutgoingStatus.ISSUED:
        issuance.outgoing_issue_finish(outgoing=outgoing, session=session, actor=person, now=now)
        messages.success(request, _("Issued: the document was numbered, sealed and sent."))
    return redirect("outgoing:detail", pk=outgoing.pk)


@login_required
@require_http_methods(["GET", "POST"])
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    """An electronic copy (sao y, sao lục, trích sao) with the agency's server-held seal key."""
    now = clock.now()
    person = person_of(request)
    outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
    if not policies.can_manage_issued_outgoing(person, outgoing, now):
        raise PermissionDeniedError(_("Only the registry (clerks) may make copies."))
    certificates = {pk_: c for pk_, c in _seal_certificates(outgoing.agency).items() if c.has_private_key_on_server}
    form = forms.CopyForm(
        request.POST if request.method == "POST" else None, certificate_choices=_choices(certificates, now)
    )
    status = 200
    if request.method == "POST":
        made, status = run_form(
            form,
            lambda: copy_make(
                source=outgoing.document,
                kind=form.cleaned_data["kind"],
                certificate=certificates[form.cleaned_data["certificate"]],
                pages=form.cleaned_data.get("pages") or "",
                actor=person,
                now=now,
            ),
        )
        if made is not None:
            messages.success(request, _("The copy %(number)s was made.") % {"number": made.copy.number_symbol})
            return redirect("outgoing:detail", pk=outgoing.pk)
    context = {
        "outgoing": outgoing,
        "form": form,
        "title": _("Make an electronic copy"),
        "submit_label": _("Make the copy"),
        "action": "make_copy",
    }
    return render(request, "outgoing/action_form.html", context, status=status)
