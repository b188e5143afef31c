"""Digital-signature pages: my certificates and signature image, an agency's certificates and
seal image (its administrators), the trust store (provincial administrators manage it) and
"verify a signed PDF" with the Vietnamese report, and "sign a document" (server key or the signing
agent on the signer's computer) with its session page.

Thin: parse input (forms), make one domain call (services), render. What the viewer may not see
is a 404 (selectors); what they may not do is a 403 (policies, re-checked by every service).
Refused uploads come back on the form with their status: 413 too large, 415 wrong type, 422
unreadable or invalid, 409 conflict."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.http import require_POST

from vanthu.core import clock
from vanthu.core.blobs import blob_read
from vanthu.core.blobs import blob_store_bytes
from vanthu.core.errors import DomainError
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import PermissionDeniedError
from vanthu.core.errors import ValidationError
from vanthu.core.form_base import apply_domain_error
from vanthu.org import policies as org_policies
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing import forms
from vanthu.signing import policies
from vanthu.signing import selectors
from vanthu.signing import services
from vanthu.signing import sessions
from vanthu.signing import verification
from vanthu.signing.agent_views import agent_manifest_url
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import SigningMethod
from vanthu.signing.models import SigningSession
from vanthu.signing.models import SigningStatus
from vanthu.signing.pades import document
from vanthu.signing.pades.appearance import AgencySignature
from vanthu.signing.pades.appearance import Appearance
from vanthu.signing.pades.appearance import CopyOrAnnexLine
from vanthu.signing.pades.appearance import IssuanceStamp
from vanthu.signing.pades.appearance import PersonSignature

MAX_AGENCIES_LISTED = 50
MAX_SIGNING_CERTIFICATES = 50
PDF_TYPES = {"application/pdf"}


def _person(request: HttpRequest) -> Person:
    """The signed-in person (every view here is behind login_required)."""
    return cast(Person, request.user)


def _read_upload(upload: UploadedFile[bytes]) -> bytes:
    limit: int = settings.VANTHU_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise PayloadTooLargeError(
            _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            details={"max_bytes": limit},
        )
    data: bytes = upload.read()
    return data


def _upload_call(form: forms.UploadForm, call: Callable[[bytes, dict[str, Any]], Any]) -> tuple[Any, int]:
    """Run ``call(file bytes, service kwargs)`` for a bound form: (result, 200) on success,
    (None, 4xx) with the refusal on the form otherwise (the service's transaction rolled back)."""
    if not form.is_valid():
        return None, 422
    try:
        return call(_read_upload(form.cleaned_data["file"]), form.service_kwargs()), 200
    except (PermissionDeniedError, NotFoundError):
        raise
    except DomainError as error:
        return None, apply_domain_error(form, error)


def _certificate_lines(certificates: QuerySet[Certificate], viewer: Person, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "certificate": certificate,
            "is_usable": certificate.is_active and certificate.not_before <= now < certificate.not_after,
            "is_expired": now >= certificate.not_after,
            "may_disable": certificate.is_active and policies.can_disable_certificate(viewer, certificate, now),
        }
        for certificate in certificates
    ]


def _managed_agencies(person: Person, now: datetime) -> QuerySet[Agency]:
    scope = org_policies.admin_scope(person, now)
    agencies = Agency.objects.filter(valid_to__isnull=True)
    if scope is None:
        agencies = agencies.filter(parent__isnull=True)
    else:
        agencies = agencies.filter(pk__in=scope | policies.clerk_agency_ids(person, now))
    return agencies.order_by("path", "id")[:MAX_AGENCIES_LISTED]


# --- my certificates and signature image ------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_signing(request: HttpRequest) -> HttpResponse:
    """My certificates (register, disable) and my signature image (upload)."""
    now = clock.now()
    person = _person(request)
    certificate_form = forms.PersonalCertificateForm(prefix="certificate")
    image_form = forms.ImageForm(prefix="image")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "certificate":
            certificate_form = forms.PersonalCertificateForm(request.POST, request.FILES, prefix="certificate")
            result, status = _upload_call(
                certificate_form,
                lambda data, _kwargs: services.certificate_register_for_person(
                    person=person, data=data, actor=person, now=now
                ),
            )
            if result is not None:
                messages.success(request, _("The certificate was registered."))
                return redirect("signing:mine")
        elif action == "image":
            image_form = forms.ImageForm(request.POST, request.FILES, prefix="image")
            result, status = _upload_call(
                image_form,
                lambda data, kwargs: services.signature_image_upload(
                    data=data, person=person, actor=person, now=now, **kwargs
                ),
            )
            if result is not None:
                messages.success(request, _("The signature image was saved."))
                return redirect("signing:mine")
        else:
            status = 400
    certificates = selectors.certificate_list_for(viewer=person, now=now, person=person).filter(
        kind=CertificateKind.PERSONAL
    )
    context = {
        "certificates": _certificate_lines(certificates, person, now),
        "image": selectors.signature_image_current_for(person=person),
        "certificate_form": certificate_form,
        "image_form": image_form,
        "agencies": _managed_agencies(person, now),
        "may_manage_trust_store": policies.can_manage_trust_store(person, now),
    }
    return render(request, "signing/mine.html", context, status=status)


# --- an agency's certificates and seal image --------------------------------------------


def _agency_for_signing(request: HttpRequest, pk: int, now: datetime) -> tuple[Agency, bool]:
    """The agency (404 if not visible or neither managed nor the viewer's registry) and whether
    the viewer manages its signing."""
    agency = org_selectors.agency_get_for(person=_person(request), pk=pk, now=now)
    manages = policies.can_manage_agency_signing(_person(request), agency, now)
    if not manages and agency.pk not in policies.clerk_agency_ids(_person(request), now):
        raise NotFoundError()
    return agency, manages


@login_required
@require_http_methods(["GET", "POST"])
def agency_signing(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = _person(request)
    agency, manages = _agency_for_signing(request, pk, now)
    certificate_form = forms.AgencyCertificateForm(prefix="certificate")
    seal_form = forms.ImageForm(prefix="seal")
    status = 200
    if request.method == "POST":
        if not manages:
            raise PermissionDeniedError(_("Only an administrator of this agency may change its signing settings."))
        action = request.POST.get("action")
        if action == "certificate":
            certificate_form = forms.AgencyCertificateForm(request.POST, request.FILES, prefix="certificate")
            result, status = _upload_call(
                certificate_form,
                lambda data, kwargs: services.certificate_register_for_agency(
                    agency=agency, data=data, actor=person, now=now, **kwargs
                ),
            )
            if result is not None:
                messages.success(request, _("The certificate was registered."))
                return redirect("signing:agency", pk=agency.pk)
        elif action == "seal":
            seal_form = forms.ImageForm(request.POST, request.FILES, prefix="seal")
            result, status = _upload_call(
                seal_form,
                lambda data, kwargs: services.signature_image_upload(
                    data=data, agency=agency, actor=person, now=now, **kwargs
                ),
            )
            if result is not None:
                messages.success(request, _("The seal image was saved."))
                return redirect("signing:agency", pk=agency.pk)
        else:
            status = 400
    certificates = selectors.certificate_list_for(viewer=person, now=now, agency=agency)
    context = {
        "agency": agency,
        "manages": manages,
        "certificates": _certificate_lines(certificates, person, now),
        "image": selectors.signature_image_current_for(agency=agency),
        "certificate_form": certificate_form,
        "seal_form": seal_form,
    }
    return render(request, "signing/agency.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_disable(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    person = _person(request)
    certificate = selectors.certificate_get_for(viewer=person, pk=pk, now=now)
    policies.require(
        policies.can_disable_certificate(person, certificate, now), _("You may not disable this certificate.")
    )
    back = (
        reverse("signing:agency", args=[certificate.agency_id])
        if certificate.agency_id is not None
        else reverse("signing:mine")
    )
    form = forms.DisableCertificateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.certificate_disable(certificate=certificate, actor=person, now=now, **form.cleaned_data)
            except (PermissionDeniedError, NotFoundError):
                raise
            except DomainError as error:
                status = apply_domain_error(form, error)
            else:
                messages.success(request, _("The certificate is no longer used."))
                return redirect(back)
        else:
            status = 422
    context = {
        "title": _("Stop using the certificate %(name)s") % {"name": certificate.common_name},
        "intro": _("Documents signed earlier keep their signatures."),
        "form": form,
        "submit_label": _("Stop using it"),
        "danger": True,
        "cancel_url": back,
    }
    return render(request, "signing/form_page.html", context, status=status)


@login_required
def image_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The PNG of a signature or seal image the viewer may see (404 otherwise)."""
    now = clock.now()
    person = _person(request)
    image = SignatureImage.objects.select_related("person", "agency").filter(pk=pk).first()
    if image is None:
        raise NotFoundError()
    owner = {"person": image.person} if image.person is not None else {"agency": image.agency}
    if not selectors.signature_image_list_for(viewer=person, now=now, **owner).filter(pk=pk).exists():
        raise NotFoundError()
    response = HttpResponse(blob_read(sha256=image.blob_id), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- trust store ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trust_store(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    person = _person(request)
    if not policies.can_view_trust_store(person, now):
        raise NotFoundError()
    manages = policies.can_manage_trust_store(person, now)
    form = forms.TrustAnchorForm()
    status = 200
    if request.method == "POST":
        policies.require(manages, _("Only a provincial administrator may manage the trusted certificate authorities."))
        form = forms.TrustAnchorForm(request.POST, request.FILES)
        result, status = _upload_call(
            form, lambda data, kwargs: services.trust_anchor_add(data=data, actor=person, now=now, **kwargs)
        )
        if result is not None:
            messages.success(request, _("The certificate authority was added to the trust store."))
            return redirect("signing:trust_store")
    context = {
        "anchors": selectors.trust_anchor_list_for(viewer=person, now=now, include_inactive=manages),
        "manages": manages,
        "form": form,
        "revocation": selectors.revocation_settings_get(),
    }
    return render(request, "signing/trust_store.html", context, status=status)


@login_required
@require_POST
def trust_anchor_disable(request: HttpRequest, pk: int) -> HttpResponse:
    now = clock.now()
    anchor = selectors.trust_anchor_get_for(viewer=_person(request), pk=pk, now=now)
    services.trust_anchor_disable(anchor=anchor, actor=_person(request), now=now)
    messages.success(request, _("The certificate authority is no longer trusted."))
    return redirect("signing:trust_store")


# --- verify a signed PDF ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a signed PDF and read the report (kept with the file under its SHA-256)."""
    now = clock.now()
    form = forms.VerifyForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    status = 200
    stored = None
    if request.method == "POST":
        stored, status = _upload_call(
            form, lambda data, _kwargs: verification.signature_verify(pdf=data, actor=_person(request), now=now)
        )
        if stored is not None:
            form = forms.VerifyForm()
    context = {"form": form, "stored": stored, "report": _report_view(stored.report["report"]) if stored else None}
    return render(request, "signing/verify.html", context, status=status)


def _moment(value: Any) -> datetime | None:
    """An ISO 8601 time of the report (Vietnam time) as a datetime for the template."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _report_view(report: dict[str, Any]) -> dict[str, Any]:
    """The stored report with its times parsed; problem codes with their messages."""
    signatures = []
    for signature in report["signatures"]:
        signer = signature.get("signer") or {}
        signatures.append(
            {
                **signature,
                "signer_name": signer.get("common_name") or signer.get("subject") or _("an unknown signer"),
                "signing_moment": _moment(signature.get("signing_time")),
                "timestamp_moment": _moment(signature.get("timestamp")),
                "not_after_moment": _moment(signer.get("not_after")),
            }
        )
    return {
        **report,
        "signatures": signatures,
        "summary_lines": str(report["summary"]).splitlines(),
        "verified_moment": _moment(report.get("verified_at")),
    }


# --- sign a document --------------------------------------------------------------------


def _signing_certificates(person: Person, now: datetime) -> list[Certificate]:
    """The certificates the person may sign with: their own personal ones and the seal
    certificates of the agencies whose registry (CLERK) they keep; disabled or revoked ones are
    left out, expired ones stay (the signing refuses them with a clear message)."""
    mine = Q(kind=CertificateKind.PERSONAL, person_id=person.pk)
    seals = Q(kind=CertificateKind.AGENCY, agency_id__in=policies.clerk_agency_ids(person, now))
    certificates = Certificate.objects.filter(mine | seals, disabled_at__isnull=True, revoked_at__isnull=True)
    return list(
        certificates.select_related("person", "agency").order_by("kind", "-registered_at", "-id")[
            :MAX_SIGNING_CERTIFICATES
        ]
    )


def _certificate_label(certificate: Certificate, now: datetime) -> str:
    owner = certificate.agency.name if certificate.agency is not None else _("personal")
    way = _("key on the server") if certificate.has_private_key_on_server else _("signing agent on this computer")
    label = f"{certificate.common_name} — {owner} ({way})"
    if now >= certificate.not_after:
        label = f"{label} — {_('expired')}"
    return label


def _method_for(certificate: Certificate) -> str:
    return SigningMethod.SERVER_KEY if certificate.has_private_key_on_server else SigningMethod.AGENT


def _appearance(cleaned: dict[str, Any], certificate: Certificate, person: Person) -> Appearance:
    """The appearance chosen on the form, with the current signature or seal image."""
    look = cleaned["appearance"]
    if look == forms.Look.LINE:
        return CopyOrAnnexLine(text=str(cleaned["line_text"]).strip())
    if look == forms.Look.SEAL:
        if certificate.agency is None:
            raise ValidationError(
                _("The agency seal is applied with the agency's certificate."), details={"field": "appearance"}
            )
        seal = selectors.signature_image_current_for(agency=certificate.agency)
        if seal is None:
            raise ValidationError(
                _("This agency has no seal image yet: its administrator uploads it."), details={"field": "appearance"}
            )
        number = str(cleaned.get("number_symbol") or "").strip()
        issuance = (
            IssuanceStamp(number_symbol=number, issue_date_text=str(cleaned["issue_date_text"]).strip())
            if number
            else None
        )
        return AgencySignature(
            seal_png=blob_read(sha256=seal.blob_id),
            agency_name=certificate.agency.name,
            seal_width_mm=float(seal.width_mm),
            issuance=issuance,
        )
    if certificate.kind != CertificateKind.PERSONAL:
        raise ValidationError(
            _("Your signature image goes with your personal certificate."), details={"field": "appearance"}
        )
    image = selectors.signature_image_current_for(person=person)
    if image is None:
        raise ValidationError(
            _("You have no signature image yet: upload it on the My certificates page."),
            details={"field": "appearance"},
        )
    return PersonSignature(
        image_png=blob_read(sha256=image.blob_id), name=person.full_name, title=str(cleaned.get("title") or "")
    )


def _sign_upload(
    form: forms.SignForm, certificates: dict[int, Certificate], person: Person, now: datetime
) -> sessions.PreparedSignature:
    """Store the PDF and open the session; with the server's key, sign and verify at once. One
    transaction: a refusal leaves no session, no signed file and no audit event behind."""
    data = _read_upload(form.cleaned_data["file"])
    document.open_pdf(data)  # not a PDF, encrypted or damaged: refused before anything is stored
    certificate = certificates[form.cleaned_data["certificate"]]
    appearance = _appearance(form.cleaned_data, certificate, person)
    method = _method_for(certificate)
    with transaction.atomic():
        blob = blob_store_bytes(data=data, now=now, allowed_types=PDF_TYPES)
        prepared = sessions.signature_prepare(
            pdf_sha256=blob.sha256,
            method=method,
            certificate=certificate,
            appearance=appearance,
            actor=person,
            now=now,
        )
        if method == SigningMethod.SERVER_KEY:
            session = sessions.signature_apply(session=prepared.session, actor=person, now=now)
            verification.signature_verify(pdf_sha256=session.result_sha256, actor=person, now=now)
    return prepared


@login_required
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest) -> HttpResponse:
    """Sign a PDF: with an agency key the server holds, at once (then the session page); with a
    personal certificate, the page hands the session to the signing agent on this computer."""
    now = clock.now()
    person = _person(request)
    certificates = {certificate.pk: certificate for certificate in _signing_certificates(person, now)}
    choices = [(pk, _certificate_label(certificate, now)) for pk, certificate in certificates.items()]
    form = forms.SignForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()), certificate_choices=choices
    )
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 422
        else:
            try:
                prepared = _sign_upload(form, certificates, person, now)
            except (PermissionDeniedError, NotFoundError):
                raise
            except DomainError as error:
                status = apply_domain_error(form, error)
            else:
                if prepared.session.method == SigningMethod.AGENT:
                    return _agent_page(request, prepared)
                return redirect("signing:session", pk=prepared.session.pk)
    context = {
        "form": form,
        "has_certificates": bool(certificates),
        "image": selectors.signature_image_current_for(person=person),
    }
    return render(request, "signing/sign.html", context, status=status)


def _agent_page(request: HttpRequest, prepared: sessions.PreparedSignature) -> HttpResponse:
    """The session page with the button that hands the session to the signing agent (the
    one-time tokens are in the manifest URL, shown in this answer only)."""
    session = prepared.session
    context = {
        "session": session,
        "manifest_url": agent_manifest_url(request, prepared=prepared),
        "agent_url": settings.VANTHU_SIGN_AGENT_ORIGIN or "",
        "done_url": reverse("signing:session", kwargs={"pk": session.pk}),
    }
    return render(request, "signing/session.html", context)


def _own_session(request: HttpRequest, pk: Any) -> SigningSession:
    """A session of the signed-in person (404 for anyone else's)."""
    session = (
        SigningSession.objects.select_related("certificate", "certificate__agency", "signer_person", "signer_agency")
        .filter(pk=pk, created_by_id=_person(request).pk)
        .first()
    )
    if session is None:
        raise NotFoundError()
    return session


@login_required
@require_http_methods(["GET"])
def session_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """A signing session's status; when completed, the signed file and its verification report."""
    now = clock.now()
    session = _own_session(request, pk)
    stored = None
    if session.status == SigningStatus.COMPLETED and session.result_sha256:
        stored = verification.verification_latest_for(pdf_sha256=session.result_sha256)
        if stored is None:
            stored = verification.signature_verify(pdf_sha256=session.result_sha256, actor=_person(request), now=now)
    context = {
        "session": session,
        "is_expired": session.status == SigningStatus.PREPARED and now >= session.expires_at,
        "stored": stored,
        "report": _report_view(stored.report["report"]) if stored else None,
    }
    return render(request, "signing/session.html", context)


@login_required
@require_http_methods(["GET"])
def session_signed_file(request: HttpRequest, pk: Any) -> HttpResponse:
    """The signed PDF of a completed session, for the person who made it (404 otherwise)."""
    session = _own_session(request, pk)
    if session.status != SigningStatus.COMPLETED or not session.result_sha256:
        raise NotFoundError()
    response = HttpResponse(blob_read(sha256=session.result_sha256), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="signed-{session.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
