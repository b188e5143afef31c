"""REST API of the documents app: a file's metadata and bytes, the document types, and the clerks'
numbering registers (list, entries, reserve numbers ahead, cancel a number with its reason).

Thin views: parse, call one selector or service with ``now=clock.now()``, render. A file whose
document the caller may not see, or a register of an agency where they are not a clerk, is a 404."""

from __future__ import annotations

from typing import Any
from typing import cast

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.core.blobs import blob_read
from vanthu.documents import selectors
from vanthu.documents.models import ConversionStatus
from vanthu.documents.models import DocumentFile
from vanthu.documents.models import DocumentType
from vanthu.documents.models import EntryStatus
from vanthu.documents.models import FileRole
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterEntry
from vanthu.documents.models import RegisterScope
from vanthu.documents.models import TypeKind
from vanthu.documents.services import numbering
from vanthu.documents.services.numbering import MAX_RESERVE
from vanthu.org.models import Person

# --- serializers ------------------------------------------------------------------------


# Choice fields named as their own enum components (other apps use "role", "kind", "status" too).


@extend_schema_field(
    {"type": "string", "enum": list(FileRole.values), "description": "MAIN or ANNEX (a separate annex file)."},
    component_name="DocumentFileRole",
)
class FileRoleField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=FileRole.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(ConversionStatus.values),
        "description": "NOT_NEEDED (a PDF), PENDING, RUNNING, DONE or FAILED.",
    },
    component_name="DocumentFileConversionStatus",
)
class ConversionStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ConversionStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(TypeKind.values), "description": "ADMINISTRATIVE (Decree 30), COPY or CUSTOM."},
    component_name="DocumentTypeKind",
)
class TypeKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=TypeKind.choices, **kwargs)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(RegisterScope.values),
        "description": "OUTGOING, OUTGOING_TYPE, COPIES, ADVISORY or INCOMING.",
    },
    component_name="RegisterScope",
)
class RegisterScopeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=RegisterScope.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(EntryStatus.values), "description": "RESERVED, USED or CANCELLED."},
    component_name="RegisterEntryStatus",
)
class EntryStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=EntryStatus.choices, **kwargs)


class DocumentFileOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = FileRoleField()
    ordinal = serializers.IntegerField()
    version = serializers.IntegerField(source="version.number")
    document_id = serializers.IntegerField(source="version.document_id")
    content_type = serializers.CharField(source="source.content_type", help_text="Of the uploaded file.")
    size = serializers.IntegerField(source="source.size", help_text="Of the uploaded file, in bytes.")
    source_sha256 = serializers.CharField(source="source_id")
    pdf_sha256 = serializers.CharField(source="pdf_id", allow_null=True)
    pdf_size = serializers.IntegerField(source="pdf.size", allow_null=True, default=None)
    page_count = serializers.IntegerField(allow_null=True)
    conversion_status = ConversionStatusField()
    progress = serializers.IntegerField(source="conversion_progress")
    conversion_error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class DocumentTypeOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    abbreviation = serializers.CharField(allow_blank=True, help_text="Case-exact (QyĐ, CTr, TTr); empty for Công văn.")
    kind = TypeKindField()
    agency_id = serializers.IntegerField(allow_null=True, help_text="Empty for the types every agency uses.")


class RegisterOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    agency_id = serializers.IntegerField()
    agency_name = serializers.CharField(source="agency.name")
    year = serializers.IntegerField()
    scope = RegisterScopeField()
    code = serializers.CharField()
    name = serializers.CharField()
    document_type_id = serializers.IntegerField(allow_null=True)
    advisory_body = serializers.CharField(allow_blank=True)
    next_number = serializers.IntegerField()
    closed_at = serializers.DateTimeField(allow_null=True)


class RegisterEntryOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    register_id = serializers.IntegerField()
    number = serializers.IntegerField()
    number_text = serializers.SerializerMethodField()
    status = EntryStatusField()
    document_id = serializers.IntegerField(allow_null=True)
    CodeNotation = serializers.CharField(source="document.symbol", allow_null=True, default=None)  # noqa: N815
    Subject = serializers.CharField(source="document.subject", allow_null=True, default=None)  # noqa: N815
    allocated_by = serializers.CharField(source="allocated_by.full_name")
    allocated_at = serializers.DateTimeField()
    note = serializers.CharField(allow_blank=True)
    cancelled_reason = serializers.CharField(allow_blank=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)

    def get_number_text(self, entry: RegisterEntry) -> str:
        return f"{entry.number:02d}"


class RegisterFilterInput(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=1900, max_value=9999, required=False, help_text="Default: this year.")


class ReserveInput(serializers.Serializer[Any]):
    count = serializers.IntegerField(min_value=1, max_value=MAX_RESERVE)
    note = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class CancelInput(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=255)


# --- helpers ----------------------------------------------------------------------------


def _parse(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _caller(request: Request) -> Person:
    return cast(Person, request.user)


# --- files --------------------------------------------------------------------------------


class FileDetailApi(GenericAPIView[Any]):
    serializer_class = DocumentFileOutput

    @extend_schema(
        operation_id="files_retrieve",
        parameters=[id_path_parameter("The file's id.")],
        summary="A file of a document version: names, hashes, pages and DOCX → PDF conversion progress",
        responses={200: DocumentFileOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        document_file = selectors.file_get_for(person=_caller(request), pk=pk, now=clock.now())
        return Response(DocumentFileOutput(document_file).data)


class FileContentApi(GenericAPIView[Any]):
    serializer_class = DocumentFileOutput  # for the schema generator only; the answer is the file's bytes

    @extend_schema(
        operation_id="files_content",
        parameters=[id_path_parameter("The file's id.")],
        summary="The bytes of a file: its PDF, or with ?original=1 the uploaded file",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF (or the original)."),
            **error_responses(401, 404),
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        document_file: DocumentFile = selectors.file_get_for(person=_caller(request), pk=pk, now=clock.now())
        original = request.query_params.get("original") == "1"
        blob = document_file.source if original or document_file.pdf is None else document_file.pdf
        response = HttpResponse(blob_read(sha256=blob.sha256), content_type=blob.content_type)
        response["Content-Disposition"] = "inline"
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- document types -------------------------------------------------------------------------


class DocumentTypeListApi(GenericAPIView[Any]):
    serializer_class = DocumentTypeOutput
    pagination_class = None

    def get_queryset(self) -> QuerySet[DocumentType]:
        return selectors.document_types_for_person(person=_caller(self.request), now=clock.now())

    @extend_schema(
        operation_id="document_types_list",
        summary="Active document types: the 29 of Decree 30, the copy kinds and the caller's agencies' own",
        responses={200: DocumentTypeOutput(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(DocumentTypeOutput(self.get_queryset(), many=True).data)


# --- registers ------------------------------------------------------------------------------


class RegisterListApi(GenericAPIView[Any]):
    serializer_class = RegisterOutput

    def get_queryset(self) -> QuerySet[Register]:
        now = clock.now()
        filters = _parse(RegisterFilterInput, self.request.query_params.dict())
        year = filters.get("year") or clock.vietnam_year(now)
        return selectors.register_list_for(person=_caller(self.request), year=year, now=now)

    @extend_schema(
        operation_id="registers_list",
        summary="Numbering registers of the caller's agencies (clerks) for a year",
        parameters=[RegisterFilterInput],
        responses={200: RegisterOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RegisterOutput(page, many=True).data)


class RegisterEntryListApi(GenericAPIView[Any]):
    serializer_class = RegisterEntryOutput

    @extend_schema(
        operation_id="registers_entries",
        parameters=[id_path_parameter("The register's id.")],
        summary="Every number of a register: used, reserved or cancelled (with the reason)",
        responses={200: RegisterEntryOutput(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        register = selectors.register_get_for(person=_caller(request), pk=pk, now=clock.now())
        page = self.paginate_queryset(selectors.register_entries(register=register))
        return self.get_paginated_response(RegisterEntryOutput(page, many=True).data)


class RegisterReserveApi(GenericAPIView[Any]):
    serializer_class = ReserveInput

    @extend_schema(
        operation_id="registers_reserve",
        parameters=[id_path_parameter("The register's id.")],
        summary="Reserve 1 to 50 numbers ahead (clerks of the register's agency)",
        request=ReserveInput,
        responses={201: RegisterEntryOutput(many=True), **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        now = clock.now()
        actor = _caller(request)
        register = selectors.register_get_for(person=actor, pk=pk, now=now)
        data = _parse(ReserveInput, request.data)
        entries = numbering.number_reserve(
            register=register, count=data["count"], note=data["note"], actor=actor, now=now
        )
        return Response(RegisterEntryOutput(entries, many=True).data, status=status.HTTP_201_CREATED)


class RegisterEntryCancelApi(GenericAPIView[Any]):
    serializer_class = CancelInput

    @extend_schema(
        operation_id="register_entries_cancel",
        parameters=[id_path_parameter("The register entry's id.")],
        summary="Cancel a reserved number (or the number of a document not issued) with a reason",
        request=CancelInput,
        responses={200: RegisterEntryOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        now = clock.now()
        actor = _caller(request)
        entry = selectors.register_entry_get_for(person=actor, pk=pk, now=now)
        data = _parse(CancelInput, request.data)
        cancelled = numbering.number_cancel(entry=entry, reason=data["reason"], actor=actor, now=now)
        return Response(RegisterEntryOutput(cancelled).data)
