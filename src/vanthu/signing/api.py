"""REST API of digital signatures: certificates (list, detail, register, disable), the trust store
(read by anyone holding a role, changed by provincial administrators) and the verification of a
signed PDF (multipart upload -> the stored report).

Thin views: parse the input, call one selector or service with ``now=clock.now()``, render the
output. A certificate the caller may not see is a 404; one they see but may not change is a 403.
Uploads: 413 when larger than the limit, 415 when not the expected type, 422 when unreadable."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import PayloadTooLargeError
from vanthu.core.errors import ValidationError
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.signing import policies
from vanthu.signing import selectors
from vanthu.signing import services
from vanthu.signing import verification
from vanthu.signing.models import Certificate
from vanthu.signing.models import CertificateKind
from vanthu.signing.models import KeyStorage
from vanthu.signing.models import TrustAnchor
from vanthu.signing.models import TrustAnchorKind

# --- serializers ------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": list(CertificateKind.values), "description": "PERSONAL or AGENCY (seal)."},
    component_name="CertificateKind",
)
class CertificateKindField(serializers.ChoiceField):
    """The kind of a certificate, one named component in the schema (``kind`` is also an agency's)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=CertificateKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(TrustAnchorKind.values), "description": "ROOT or INTERMEDIATE."},
    component_name="TrustAnchorKind",
)
class TrustAnchorKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=TrustAnchorKind.choices, **kwargs)


class CertificateOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = CertificateKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    person_id = serializers.IntegerField(allow_null=True)
    agency_id = serializers.IntegerField(allow_null=True)
    owner_name = serializers.SerializerMethodField()
    subject = serializers.CharField()
    common_name = serializers.CharField()
    issuer = serializers.CharField()
    issuer_common_name = serializers.CharField()
    serial = serializers.CharField()
    not_before = serializers.DateTimeField()
    not_after = serializers.DateTimeField()
    fingerprint_sha256 = serializers.CharField()
    key_storage = serializers.ChoiceField(choices=KeyStorage.choices)
    key_storage_label = serializers.CharField(source="get_key_storage_display")
    registered_at = serializers.DateTimeField()
    disabled_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    is_active = serializers.BooleanField()

    def get_owner_name(self, certificate: Certificate) -> str:
        if certificate.person is not None:
            return str(certificate.person.full_name or certificate.person.username)
        return certificate.agency.name if certificate.agency is not None else ""


class CertificateDetailOutput(CertificateOutput):
    key_usage = serializers.ListField(child=serializers.CharField())
    extended_key_usage = serializers.ListField(child=serializers.CharField())
    disabled_reason = serializers.CharField()
    allowed_actions = serializers.SerializerMethodField()

    def get_allowed_actions(self, certificate: Certificate) -> list[str]:
        allowed: list[str] = self.context.get("allowed_actions", [])
        return allowed


class CertificateFilterInput(serializers.Serializer[Any]):
    kind = CertificateKindField(required=False)
    person = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    agency = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class CertificateRegisterInput(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The certificate (PEM or DER), or for an agency a PKCS#12 file.")
    kind = CertificateKindField(default=CertificateKind.PERSONAL)
    person = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="PERSONAL: whose (default: the caller)."
    )
    agency = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, help_text="AGENCY: which.")
    key_secret_name = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    pkcs11_token_label = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    pkcs11_key_label = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class CertificateDisableInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    revoked = serializers.BooleanField(required=False, default=False)


class TrustAnchorOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = TrustAnchorKindField()
    kind_label = serializers.CharField(source="get_kind_display")
    subject = serializers.CharField()
    not_before = serializers.DateTimeField()
    not_after = serializers.DateTimeField()
    fingerprint_sha256 = serializers.CharField()
    crl_urls = serializers.ListField(child=serializers.CharField())
    ocsp_urls = serializers.ListField(child=serializers.CharField())
    is_active = serializers.BooleanField()
    added_at = serializers.DateTimeField()
    disabled_at = serializers.DateTimeField(allow_null=True)


class TrustAnchorAddInput(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The CA certificate, PEM or DER.")
    name = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    crl_urls = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)
    ocsp_urls = serializers.ListField(child=serializers.CharField(max_length=500), required=False, default=list)


class VerifyInput(serializers.Serializer[Any]):
    file = serializers.FileField(help_text="The signed PDF.")


class ReportCertificateOutput(serializers.Serializer[Any]):
    subject = serializers.CharField()
    common_name = serializers.CharField(allow_blank=True)
    issuer = serializers.CharField()
    serial_hex = serializers.CharField()
    not_before = serializers.CharField(help_text="ISO 8601, Vietnam time.")
    not_after = serializers.CharField(help_text="ISO 8601, Vietnam time.")
    sha256 = serializers.CharField()


class ReportSignatureOutput(serializers.Serializer[Any]):
    field_name = serializers.CharField()  # type: ignore[assignment] # the metaclass takes declared fields off the class
    signer = ReportCertificateOutput(allow_null=True)
    issuer_chain = ReportCertificateOutput(many=True)
    signing_time = serializers.CharField(allow_null=True)
    timestamp = serializers.CharField(allow_null=True)
    timestamp_valid = serializers.BooleanField(allow_null=True)
    intact = serializers.BooleanField()
    cryptographically_valid = serializers.BooleanField()
    trusted = serializers.BooleanField()
    revoked = serializers.BooleanField()
    coverage = serializers.CharField()
    modification_level = serializers.CharField(allow_null=True)
    modifications_allowed = serializers.BooleanField()
    valid = serializers.BooleanField()
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes: not_intact, invalid_signature, untrusted, revoked, disallowed_changes, partial_coverage, "
        "invalid_timestamp, unreadable.",
    )
    summary = serializers.CharField(help_text="One line in Vietnamese.")


class ReportBodyOutput(serializers.Serializer[Any]):
    verified_at = serializers.CharField()
    signature_count = serializers.IntegerField()
    all_valid = serializers.BooleanField()
    signatures = ReportSignatureOutput(many=True)
    summary = serializers.CharField(help_text="The whole report in Vietnamese, one line per signature.")


class VerifiedByOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class VerificationOutput(serializers.Serializer[Any]):
    pdf_sha256 = serializers.CharField(help_text="SHA-256 of the verified file (stored).")
    report_sha256 = serializers.CharField(help_text="SHA-256 of the stored JSON report.")
    pdf_size = serializers.IntegerField()
    verified_at = serializers.DateTimeField()
    verified_by = VerifiedByOutput()
    language = serializers.CharField()
    online_revocation_check = serializers.BooleanField()
    report = ReportBodyOutput()


# --- helpers ----------------------------------------------------------------------------


def _parse(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _caller(request: Request) -> Person:
    return cast(Person, request.user)


def read_upload(upload: UploadedFile[bytes]) -> bytes:
    """The bytes of an uploaded file, refused (413) above the upload limit before reading."""
    limit: int = settings.VANTHU_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise PayloadTooLargeError(
            _("The file is larger than the limit of %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
            details={"max_bytes": limit},
        )
    data: bytes = upload.read()
    return data


def _reference(kind: str, pk: int | None, viewer: Person, now: datetime) -> Any:
    """A person or agency named in a request: one the caller cannot see does not exist for them."""
    if pk is None:
        return None
    try:
        if kind == "person":
            return org_selectors.person_get_for(viewer=viewer, pk=pk, now=now)
        return org_selectors.agency_get_for(person=viewer, pk=pk, now=now)
    except NotFoundError as error:
        message = _("No such person.") if kind == "person" else _("No such agency.")
        raise ValidationError(details={"fields": {kind: [message]}}) from error


def _certificate_detail(certificate: Certificate, viewer: Person, now: datetime) -> dict[str, Any]:
    allowed = (
        ["disable"] if certificate.is_active and policies.can_disable_certificate(viewer, certificate, now) else []
    )
    return dict(CertificateDetailOutput(certificate, context={"allowed_actions": allowed}).data)


def _verification_output(stored: verification.StoredVerification) -> dict[str, Any]:
    return {**stored.report, "report_sha256": stored.report_sha256}


# --- certificates -----------------------------------------------------------------------


class CertificateListApi(GenericAPIView[Any]):
    serializer_class = CertificateOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Certificate]:
        filters = _parse(CertificateFilterInput, self.request.query_params.dict())
        certificates = selectors.certificate_list_for(viewer=_caller(self.request), now=clock.now())
        if "kind" in filters:
            certificates = certificates.filter(kind=filters["kind"])
        if "person" in filters:
            certificates = certificates.filter(person_id=filters["person"])
        if "agency" in filters:
            certificates = certificates.filter(agency_id=filters["agency"])
        if filters["active"] is True:
            certificates = certificates.filter(disabled_at__isnull=True, revoked_at__isnull=True)
        elif filters["active"] is False:
            certificates = certificates.exclude(disabled_at__isnull=True, revoked_at__isnull=True)
        return certificates

    @extend_schema(
        operation_id="certificates_list",
        summary="Signing certificates the caller may see",
        description="Their own personal certificates; for ADMINs those of the people and agencies they "
        "administer; for CLERKs their agency's seal certificates.",
        parameters=[CertificateFilterInput],
        responses={200: CertificateOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CertificateOutput(page, many=True).data)

    @extend_schema(
        operation_id="certificates_register",
        summary="Register a signing certificate",
        description="PERSONAL: the public certificate only (the key stays on the token), for the caller or, "
        "by an ADMIN, for a person of their agency. AGENCY (ADMINs of the agency): PEM/DER, or PKCS#12 with "
        "the key held on the server (key_secret_name names the server secret with its password), or "
        "PKCS#11 labels.",
        request={"multipart/form-data": CertificateRegisterInput},
        responses={201: CertificateDetailOutput, **error_responses(400, 401, 403, 404, 409, 413, 415, 422)},
    )
    def post(self, request: Request) -> Response:
        data = _parse(CertificateRegisterInput, request.data)
        now = clock.now()
        actor = _caller(request)
        content = read_upload(data["file"])
        if data["kind"] == CertificateKind.PERSONAL:
            person = _reference("person", data.get("person"), actor, now) or actor
            certificate = services.certificate_register_for_person(person=person, data=content, actor=actor, now=now)
        else:
            agency: Agency | None = _reference("agency", data.get("agency"), actor, now)
            if agency is None:
                raise ValidationError(details={"fields": {"agency": [_("Choose the agency.")]}})
            certificate = services.certificate_register_for_agency(
                agency=agency,
                data=content,
                actor=actor,
                now=now,
                key_secret_name=data["key_secret_name"],
                pkcs11_token_label=data["pkcs11_token_label"],
                pkcs11_key_label=data["pkcs11_key_label"],
            )
        certificate = selectors.certificate_get_for(viewer=actor, pk=certificate.pk, now=now)
        return Response(_certificate_detail(certificate, actor, now), status=status.HTTP_201_CREATED)


class CertificateDetailApi(GenericAPIView[Any]):
    serializer_class = CertificateDetailOutput

    @extend_schema(
        operation_id="certificates_retrieve",
        parameters=[id_path_parameter("The certificate's id.")],
        summary="One signing certificate",
        responses={200: CertificateDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        now = clock.now()
        certificate = selectors.certificate_get_for(viewer=_caller(request), pk=pk, now=now)
        return Response(_certificate_detail(certificate, _caller(request), now))


class CertificateDisableApi(GenericAPIView[Any]):
    serializer_class = CertificateDisableInput

    @extend_schema(
        operation_id="certificates_disable",
        parameters=[id_path_parameter("The certificate's id.")],
        summary="Stop using a certificate (no longer used, or revoked by its CA)",
        request=CertificateDisableInput,
        responses={200: CertificateDetailOutput, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        now = clock.now()
        actor = _caller(request)
        certificate = selectors.certificate_get_for(viewer=actor, pk=pk, now=now)
        data = _parse(CertificateDisableInput, request.data)
        services.certificate_disable(
            certificate=certificate, actor=actor, now=now, reason=data["reason"], revoked=data["revoked"]
        )
        certificate = selectors.certificate_get_for(viewer=actor, pk=pk, now=now)
        return Response(_certificate_detail(certificate, actor, now))


class CertificateVerifyApi(GenericAPIView[Any]):
    serializer_class = VerifyInput
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="certificates_verify",
        summary="Verify the digital signatures of a PDF",
        description="Upload a signed PDF (multipart, field file). Every signature is validated against the "
        "trust store now; the file and the report are stored, the report kept under the file's SHA-256. "
        "413 above the upload limit, 415 when the file is not a PDF, 422 when it is encrypted or damaged.",
        request={"multipart/form-data": VerifyInput},
        responses={200: VerificationOutput, **error_responses(400, 401, 413, 415, 422)},
    )
    def post(self, request: Request) -> Response:
        data = _parse(VerifyInput, request.data)
        stored = verification.signature_verify(pdf=read_upload(data["file"]), actor=_caller(request), now=clock.now())
        return Response(VerificationOutput(_verification_output(stored)).data)


# --- trust store ------------------------------------------------------------------------


class TrustAnchorListApi(GenericAPIView[Any]):
    serializer_class = TrustAnchorOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[TrustAnchor]:
        now = clock.now()
        viewer = _caller(self.request)
        return selectors.trust_anchor_list_for(
            viewer=viewer, now=now, include_inactive=policies.can_manage_trust_store(viewer, now)
        ).order_by("kind", "name", "id")

    @extend_schema(
        operation_id="trust_anchors_list",
        summary="The trusted certification authorities",
        description="Seen by anyone holding a role; disabled ones only by provincial administrators.",
        responses={200: TrustAnchorOutput(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TrustAnchorOutput(page, many=True).data)

    @extend_schema(
        operation_id="trust_anchors_add",
        summary="Add a root or intermediate CA (provincial administrators)",
        request={"multipart/form-data": TrustAnchorAddInput},
        responses={201: TrustAnchorOutput, **error_responses(400, 401, 403, 409, 413, 415, 422)},
    )
    def post(self, request: Request) -> Response:
        data = _parse(TrustAnchorAddInput, request.data)
        anchor = services.trust_anchor_add(
            data=read_upload(data["file"]),
            actor=_caller(request),
            now=clock.now(),
            name=data["name"],
            crl_urls=data["crl_urls"],
            ocsp_urls=data["ocsp_urls"],
        )
        return Response(TrustAnchorOutput(anchor).data, status=status.HTTP_201_CREATED)


class TrustAnchorDetailApi(GenericAPIView[Any]):
    serializer_class = TrustAnchorOutput

    @extend_schema(
        operation_id="trust_anchors_retrieve",
        parameters=[id_path_parameter("The trusted CA's id.")],
        summary="One trusted certification authority",
        responses={200: TrustAnchorOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        anchor = selectors.trust_anchor_get_for(viewer=_caller(request), pk=pk, now=clock.now())
        return Response(TrustAnchorOutput(anchor).data)


class TrustAnchorDisableApi(GenericAPIView[Any]):
    serializer_class = TrustAnchorOutput

    @extend_schema(
        operation_id="trust_anchors_disable",
        parameters=[id_path_parameter("The trusted CA's id.")],
        summary="Stop trusting a certification authority (provincial administrators)",
        request=None,
        responses={200: TrustAnchorOutput, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        now = clock.now()
        anchor = selectors.trust_anchor_get_for(viewer=_caller(request), pk=pk, now=now)
        anchor = services.trust_anchor_disable(anchor=anchor, actor=_caller(request), now=now)
        return Response(TrustAnchorOutput(anchor).data)
