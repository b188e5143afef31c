"""REST API of outgoing documents (ARCHITECTURE §7): list (``?queue=``) and create (multipart with
the main file), read and change a draft, and ``POST …/actions/<action>/`` for every workflow step
(``services.outgoing_act``). Every object carries ``status``, ``allowed_actions`` (lifecycle ×
policy) and the Appendix VI metadata under its tag names (CodeNumber, CodeNotation, …).

404 for a document the caller may not see, 403 for one they see but may not act on, 409 for an
action not allowed in the current state, 422 for invalid data, 413/415 for refused files."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from typing import cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser
from rest_framework.parsers import JSONParser
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.core.errors import ValidationError
from vanthu.documents.models import DocumentType
from vanthu.documents.models import SignerAuthority
from vanthu.documents.models import Urgency
from vanthu.documents.uploads import Upload
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Unit
from vanthu.outgoing import presenters
from vanthu.outgoing import selectors
from vanthu.outgoing import services
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.serializers import OutgoingDetailOutput
from vanthu.outgoing.serializers import OutgoingListOutput
from vanthu.outgoing.services import drafting


def _caller(request: Request) -> Person:
    return cast(Person, request.user)


def _parse(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(details={"fields": {field: [message]}})


class ListFilterInput(serializers.Serializer[Any]):
    queue = serializers.ChoiceField(choices=[q.value for q in selectors.Queue], required=False)
    type = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    q = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class OutgoingMetadataInput(serializers.Serializer[Any]):
    document_type = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    subject = serializers.CharField(max_length=500)
    drafting_unit = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    signer = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    signer_authority = serializers.ChoiceField(choices=SignerAuthority.choices, required=False, allow_blank=True)
    signer_position = serializers.CharField(max_length=100, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    reply_due_date = serializers.DateField(required=False, allow_null=True)
    circulation_note = serializers.CharField(max_length=100, required=False, allow_blank=True)
    copies_count = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True)
    recipients = serializers.JSONField(
        required=False,
        help_text="A list of {kind: AGENCY|UNIT|EXTERNAL, agency_id, unit_id, name, channel, address, "
        "is_for_information}; in multipart, a JSON text.",
    )


class OutgoingCreateInput(OutgoingMetadataInput):
    agency = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="The issuing agency (default: the caller's)."
    )
    main = serializers.FileField(required=False, help_text="The main file, PDF or DOCX.")
    annexes = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class OutgoingUpdateInput(OutgoingMetadataInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def _recipients(raw: Any) -> list[Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError:
            raise _invalid("recipients", _("The recipients are not valid JSON.")) from None
    return services.recipient_inputs(raw)


def _metadata(data: dict[str, Any], agency: Agency) -> dict[str, Any]:
    """Service keyword arguments from the validated input: ids become objects of ``agency``."""
    kwargs: dict[str, Any] = {}
    if "document_type" in data:
        document_type = DocumentType.objects.filter(pk=data["document_type"], is_active=True).first()
        if document_type is None or (document_type.agency_id not in (None, agency.pk)):
            raise _invalid("document_type", _("No such document type."))
        kwargs["document_type"] = document_type
    if "subject" in data:
        subject = str(data["subject"]).strip()
        if not subject:
            raise _invalid("subject", _("Write the summary of the document."))
        kwargs["subject"] = subject
    if "drafting_unit" in data:
        unit = Unit.objects.filter(pk=data["drafting_unit"], agency=agency).first() if data["drafting_unit"] else None
        if data["drafting_unit"] and unit is None:
            raise _invalid("drafting_unit", _("No such unit in this agency."))
        kwargs["drafting_unit"] = unit
    if "signer" in data:
        signer = Person.objects.filter(pk=data["signer"]).first() if data["signer"] else None
        if data["signer"] and signer is None:
            raise _invalid("signer", _("No such person."))
        kwargs["signer"] = signer
    for name in (
        "signer_authority",
        "signer_position",
        "urgency",
        "reply_due_date",
        "circulation_note",
        "copies_count",
    ):
        if name in data:
            kwargs[name] = data[name] if data[name] is not None or name in ("reply_due_date", "copies_count") else ""
    if "recipients" in data:
        kwargs["recipients"] = _recipients(data["recipients"])
    return kwargs


def _detail(outgoing: Outgoing, person: Person, now: datetime) -> dict[str, Any]:
    outgoing = selectors.outgoing_get_for(person=person, pk=outgoing.pk, now=now)
    return dict(OutgoingDetailOutput(presenters.api_detail(outgoing=outgoing, person=person, now=now)).data)


QUEUE_PARAMETER = OpenApiParameter(
    "queue",
    OpenApiTypes.STR,
    enum=[q.value for q in selectors.Queue],
    description="mine, opinions, to_sign, to_issue, issued, tracking; none: every document you see.",
)


class OutgoingListApi(GenericAPIView[Any]):
    serializer_class = OutgoingListOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Outgoing]:
        data = _parse(ListFilterInput, self.request.query_params.dict())
        filters = selectors.QueueFilters(
            document_type_id=data.get("type"),
            urgency=data.get("urgency") or "",
            text=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        person = _caller(self.request)
        now = clock.now()
        if data.get("queue"):
            return selectors.outgoing_queue_for(person=person, queue=data["queue"], now=now, filters=filters)
        return selectors.outgoing_list_for(person=person, now=now, filters=filters)

    @extend_schema(
        operation_id="outgoing_list",
        summary="Outgoing documents the caller sees, or one of their work queues",
        parameters=[ListFilterInput],
        responses={200: OutgoingListOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        now = clock.now()
        page = self.paginate_queryset(self.get_queryset())
        rows = presenters.api_list_rows(page or [], person=_caller(request), now=now)
        return self.get_paginated_response(OutgoingListOutput(rows, many=True).data)

    @extend_schema(
        operation_id="outgoing_create",
        summary="Draft an outgoing document",
        description="Multipart: the metadata, ``recipients`` as a JSON text, ``main`` (PDF or DOCX; a DOCX is "
        "converted to PDF in the background) and ``annexes``. 413 above the upload limit, 415 for other file types.",
        request={"multipart/form-data": OutgoingCreateInput},
        responses={201: OutgoingDetailOutput, **error_responses(400, 401, 403, 404, 413, 415, 422)},
    )
    def post(self, request: Request) -> Response:
        person = _caller(request)
        now = clock.now()
        payload = request.data.dict() if hasattr(request.data, "dict") else dict(request.data)
        payload["annexes"] = request.FILES.getlist("annexes") if hasattr(request, "FILES") else []
        data = _parse(OutgoingCreateInput, payload)
        agencies = selectors.drafting_agencies(person=person, now=now)
        agency = next((a for a in agencies if a.pk == data.get("agency")), agencies[0] if agencies else None)
        if agency is None or ("agency" in data and agency.pk != data["agency"]):
            raise _invalid("agency", _("You may not draft documents in this agency."))
        main = data.get("main")
        outgoing = drafting.outgoing_create(
            agency=agency,
            actor=person,
            now=now,
            main=Upload(name=main.name or "main", content=main) if main else None,
            annexes=[Upload(name=f.name or "annex", content=f) for f in data.get("annexes") or []],
            **_metadata(data, agency),
        )
        return Response(_detail(outgoing, person, now), status=status.HTTP_201_CREATED)


class OutgoingDetailApi(GenericAPIView[Any]):
    serializer_class = OutgoingDetailOutput
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="outgoing_retrieve",
        summary="One outgoing document",
        parameters=[id_path_parameter("The outgoing document's id.")],
        responses={200: OutgoingDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        now = clock.now()
        outgoing = selectors.outgoing_get_for(person=_caller(request), pk=pk, now=now)
        return Response(_detail(outgoing, _caller(request), now))

    @extend_schema(
        operation_id="outgoing_update",
        summary="Change a draft's metadata or recipients (the drafter, while DRAFT)",
        parameters=[id_path_parameter("The outgoing document's id.")],
        request=OutgoingUpdateInput,
        responses={200: OutgoingDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        now = clock.now()
        person = _caller(request)
        outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
        data = _parse(OutgoingUpdateInput, request.data)
        outgoing = drafting.outgoing_update(
            outgoing=outgoing, actor=person, now=now, **_metadata(data, outgoing.agency)
        )
        return Response(_detail(outgoing, person, now))


class ActionInput(serializers.Serializer[Any]):
    comment = serializers.CharField(required=False, allow_blank=True, help_text="review")
    reason = serializers.CharField(
        required=False,
        help_text="return_to_drafter, return_to_previous, withdraw, cancel_issue, recall, change_recipients",
    )
    steps = serializers.JSONField(required=False, help_text="submit: [{kind, assignee_id, ordinal, working_days}]")
    certificate = serializers.IntegerField(required=False, help_text="issue: the agency's seal certificate")
    reserved_entry = serializers.IntegerField(required=False, help_text="start_issue: a reserved number to use")
    add = serializers.JSONField(required=False, help_text="change_recipients: recipients to add")
    remove_ids = serializers.JSONField(required=False, help_text="change_recipients: recipient ids to remove")


class OutgoingActionApi(GenericAPIView[Any]):
    serializer_class = ActionInput
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="outgoing_act",
        summary="Take a workflow action",
        description="Actions: submit, review, return_to_drafter, return_to_previous, withdraw, start_issue, "
        "issue, cancel_issue, recall, change_recipients. The answer is the updated document; "
        "``allowed_actions`` of the document says which ones the caller may take now.",
        parameters=[
            id_path_parameter("The outgoing document's id."),
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        request=ActionInput,
        responses={200: OutgoingDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        now = clock.now()
        person = _caller(request)
        outgoing = selectors.outgoing_get_for(person=person, pk=pk, now=now)
        payload = request.data if isinstance(request.data, dict) else {}
        outgoing = services.outgoing_act(outgoing=outgoing, action=action, actor=person, now=now, payload=payload)
        return Response(_detail(outgoing, person, now))
