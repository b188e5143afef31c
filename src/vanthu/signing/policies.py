"""Who sees and manages certificates, the trust store and signature images.

- A personal certificate is seen by its owner, by ADMINs whose scope covers an agency the owner
  works in, and by superusers.
- An agency certificate is seen by the ADMINs whose scope covers the agency, by the agency's
  CLERKs (the registry keeps the agency's token, Decree 30 Art. 32–33) and by superusers.
- Anyone else: 404.
- A person registers their own personal certificate; an ADMIN of their agency may do it for
  them. Agency certificates and seal images: ADMINs of the agency. The trust store and the
  revocation settings: ADMINs of a province (a root agency) and superusers.
Each rule has a predicate and a queryset built from the same grants."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import QuerySet

from vanthu.org import policies as org_policies
from vanthu.org.grants import grants_for
from vanthu.org.grants import member_agency_ids
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.models import RoleAssignment
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind

require = org_policies.require
require_visible = org_policies.require_visible


def clerk_agency_ids(person: Person, now: datetime) -> set[int]:
    grants = frozenset(grant for grant in grants_for(person, now) if grant.role == Role.CLERK)
    return member_agency_ids(grants)


def certificates_visible_to(person: Person, now: datetime) -> QuerySet[Certificate]:
    if org_policies.is_superuser(person):
        return Certificate.objects.all()
    is_authenticated: bool = person.is_authenticated
    if not is_authenticated:
        return Certificate.objects.none()
    scope = org_policies.admin_scope(person, now) or set()
    condition = Q(kind=CertificateKind.PERSONAL, person_id=person.pk)
    if scope:
        members = RoleAssignment.objects.filter(person=OuterRef("person_id"), agency_id__in=scope)
        condition |= Q(kind=CertificateKind.PERSONAL) & Q(Exists(members))
    agency_ids = scope | clerk_agency_ids(person, now)
    if agency_ids:
        condition |= Q(kind=CertificateKind.AGENCY, agency_id__in=agency_ids)
    return Certificate.objects.filter(condition)


def can_view_certificate(person: Person, certificate: Certificate, now: datetime) -> bool:
    if org_policies.is_superuser(person):
        return True
    if certificate.kind == CertificateKind.PERSONAL:
        if certificate.person_id == person.pk and person.is_authenticated:
            return True
        return certificate.person is not None and _administers_person(person, certificate.person, now)
    if certificate.agency is None:
        return False
    return can_manage_agency_signing(person, certificate.agency, now) or (
        certificate.agency_id in clerk_agency_ids(person, now)
    )


def _administers_person(actor: Person, person: Person, now: datetime) -> bool:
    scope = org_policies.admin_scope(actor, now)
    if scope is None:
        return True
    return bool(scope) and RoleAssignment.objects.filter(person=person, agency_id__in=scope).exists()


def can_register_personal_certificate(actor: Person, person: Person, now: datetime) -> bool:
    if actor.pk == person.pk:
        return bool(actor.is_authenticated and actor.is_active and person.is_active)
    return person.is_active and _administers_person(actor, person, now)


def can_manage_agency_signing(actor: Person, agency: Agency, now: datetime) -> bool:
    """Agency certificates and seal images: ADMINs whose scope covers the agency, superusers."""
    return org_policies.can_manage_agency(actor, agency, now)


def can_disable_certificate(actor: Person, certificate: Certificate, now: datetime) -> bool:
    if certificate.kind == CertificateKind.PERSONAL:
        return certificate.person is not None and can_register_personal_certificate(actor, certificate.person, now)
    return certificate.agency is not None and can_manage_agency_signing(actor, certificate.agency, now)


def can_manage_trust_store(actor: Person, now: datetime) -> bool:
    """ADMINs of a province (an agency at the root of the tree) and superusers."""
    if org_policies.is_superuser(actor):
        return True
    admin_agency_ids = {grant.agency_id for grant in grants_for(actor, now) if grant.role == Role.ADMIN}
    return bool(admin_agency_ids) and Agency.objects.filter(pk__in=admin_agency_ids, parent__isnull=True).exists()


def can_view_trust_store(person: Person, now: datetime) -> bool:
    """The trusted CAs are public certificates: anyone holding a role may see them."""
    return org_policies.is_superuser(person) or bool(grants_for(person, now))


def can_upload_signature_image(actor: Person, person: Person) -> bool:
    """A signature image is the person's own: only they upload it."""
    return bool(actor.is_authenticated and actor.is_active and actor.pk == person.pk)
