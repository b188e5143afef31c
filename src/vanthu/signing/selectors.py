"""Reads of the signing app. ``*_get_for`` answers 404 for what the person may not see."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.db.models import QuerySet

from vanthu.core.errors import NotFoundError
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing import policies
from vanthu.signing.models import Certificate
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import RevocationSettings
from vanthu.signing.models import SignatureImage
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind


def certificate_list_for(
    *, viewer: Person, now: datetime, person: Person | None = None, agency: Agency | None = None
) -> QuerySet[Certificate]:
    certificates = policies.certificates_visible_to(viewer, now).select_related("person", "agency")
    if person is not None:
        certificates = certificates.filter(person=person)
    if agency is not None:
        certificates = certificates.filter(agency=agency)
    return certificates.order_by("-registered_at", "-id")


def certificate_get_for(*, viewer: Person, pk: int, now: datetime) -> Certificate:
    certificate = policies.certificates_visible_to(viewer, now).select_related("person", "agency").filter(pk=pk).first()
    if certificate is None:
        raise NotFoundError()
    return certificate


def _usable(now: datetime) -> Q:
    return Q(disabled_at__isnull=True, revoked_at__isnull=True, not_before__lte=now, not_after__gt=now)


def signing_certificate_for(
    *,
    now: datetime,
    person: Person | None = None,
    agency: Agency | None = None,
    server_key_only: bool = False,
) -> Certificate | None:
    """The certificate a person or an agency signs with at ``now``: active and within its
    validity (usage was checked at registration); the most recently registered wins. With
    ``server_key_only``, only one whose private key the server holds (PKCS#12 or PKCS#11)."""
    if (person is None) == (agency is None):
        raise ValueError("give either a person or an agency")
    certificates = Certificate.objects.filter(_usable(now))
    certificates = certificates.filter(person=person) if person is not None else certificates.filter(agency=agency)
    if server_key_only:
        certificates = certificates.exclude(key_storage=KeyStorage.CLIENT)
    return certificates.order_by("-registered_at", "-id").first()


def certificate_by_fingerprint(*, fingerprint_sha256: str) -> QuerySet[Certificate]:
    """Registered certificates with this fingerprint (to tell whose a signature is)."""
    return Certificate.objects.filter(fingerprint_sha256=fingerprint_sha256.lower()).select_related("person", "agency")


def trust_anchor_list_for(*, viewer: Person, now: datetime, include_inactive: bool = False) -> QuerySet[TrustAnchor]:
    if not policies.can_view_trust_store(viewer, now):
        return TrustAnchor.objects.none()
    anchors = TrustAnchor.objects.all()
    return anchors if include_inactive else anchors.filter(is_active=True)


def trust_anchor_get_for(*, viewer: Person, pk: int, now: datetime) -> TrustAnchor:
    anchor = trust_anchor_list_for(viewer=viewer, now=now, include_inactive=True).filter(pk=pk).first()
    if anchor is None:
        raise NotFoundError()
    return anchor


def trust_roots() -> list[bytes]:
    """DER of the active root CAs: what validation trusts."""
    return [
        bytes(der)
        for der in TrustAnchor.objects.filter(is_active=True, kind=TrustAnchorKind.ROOT).values_list("der", flat=True)
    ]


def trust_intermediates() -> list[bytes]:
    """DER of the active intermediate CAs: help for building paths, not trusted by themselves."""
    return [
        bytes(der)
        for der in TrustAnchor.objects.filter(is_active=True, kind=TrustAnchorKind.INTERMEDIATE).values_list(
            "der", flat=True
        )
    ]


def revocation_urls() -> tuple[list[str], list[str]]:
    """CRL and OCSP addresses configured on the active trusted CAs."""
    crl: list[str] = []
    ocsp: list[str] = []
    for crl_urls, ocsp_urls in TrustAnchor.objects.filter(is_active=True).values_list("crl_urls", "ocsp_urls"):
        crl.extend(url for url in crl_urls if url not in crl)
        ocsp.extend(url for url in ocsp_urls if url not in ocsp)
    return crl, ocsp


def revocation_settings_get() -> RevocationSettings:
    """The revocation settings (the defaults, unsaved, until an administrator changes them)."""
    return RevocationSettings.objects.filter(singleton=1).first() or RevocationSettings(singleton=1)


def signature_image_current_for(*, person: Person | None = None, agency: Agency | None = None) -> SignatureImage | None:
    if (person is None) == (agency is None):
        raise ValueError("give either a person or an agency")
    images = SignatureImage.objects.filter(is_current=True).select_related("blob")
    images = images.filter(person=person) if person is not None else images.filter(agency=agency)
    return images.first()


def signature_image_list_for(
    *, viewer: Person, now: datetime, person: Person | None = None, agency: Agency | None = None
) -> QuerySet[SignatureImage]:
    """Images the viewer may see: their own; an agency's seal images for its ADMINs and CLERKs;
    a person's for the ADMINs of their agency; everything for superusers."""
    images = SignatureImage.objects.select_related("blob")
    if person is not None:
        images = images.filter(person=person)
        if viewer.pk == person.pk or policies.can_register_personal_certificate(viewer, person, now):
            return images
        return images.none()
    if agency is not None:
        images = images.filter(agency=agency)
        if policies.can_manage_agency_signing(viewer, agency, now) or agency.pk in policies.clerk_agency_ids(
            viewer, now
        ):
            return images
        return images.none()
    return images.filter(person=viewer)
