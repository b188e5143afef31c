"""REST API of incoming documents (ARCHITECTURE §7): list (``?queue=``), read and change the
metadata (PATCH: the clerk, before registration, for documents not delivered through the system),
and ``POST …/actions/<action>/`` for every workflow step. Every object carries ``status``,
``allowed_actions`` (lifecycle × policy) and the Appendix VI incoming metadata under its tag names
(ArrivalDate, ArrivalNumber, ToPlaces, TraceHeaderList, DueDate, …).

404 for a document the caller may not see, 403 for one they see but may not act on, 409 for an
action not allowed in the current state, 422 for invalid data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from typing import cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.documents.models import DocumentType
from vanthu.documents.models import Urgency
from vanthu.incoming import presenters
from vanthu.incoming import selectors
from vanthu.incoming.lifecycle import IncomingAction
from vanthu.incoming.lifecycle import next_status
from vanthu.incoming.models import Assignment
from vanthu.incoming.models import ExtensionRequest
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingSource
from vanthu.incoming.serializers import IncomingDetailOutput
from vanthu.incoming.serializers import IncomingListOutput
from vanthu.incoming.services import direction
from vanthu.incoming.services import handling
from vanthu.incoming.services import recall
from vanthu.incoming.services import registration
from vanthu.org.models import Person

API_ACTIONS = (
    "register",
    "refuse",
    "direct",
    "assign",
    "report",
    "complete",
    "reopen",
    "accept_recall",
    "refuse_recall",
    "request_extension",
    "decide_extension",
)


def _caller(request: Request) -> Person:
    return cast(Person, request.user)


def _parse(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError(details={"fields": {field: [message]}})


class IncomingListFilterInput(serializers.Serializer[Any]):
    queue = serializers.ChoiceField(choices=[q.value for q in selectors.Queue], required=False)
    type = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    source = serializers.ChoiceField(choices=IncomingSource.choices, required=False)  # type: ignore[assignment]
    q = serializers.CharField(max_length=100, required=False, allow_blank=True)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class IncomingMetadataInput(serializers.Serializer[Any]):
    document_type = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    number = serializers.IntegerField(min_value=1, max_value=10**9, required=False, allow_null=True)
    symbol = serializers.CharField(max_length=30, required=False, allow_blank=True)
    issued_date = serializers.DateField(required=False, allow_null=True)
    issuer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    issuer_code = serializers.CharField(max_length=13, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=500, required=False)
    signer_position = serializers.CharField(max_length=100, required=False, allow_blank=True)
    signer_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    reply_due_date = serializers.DateField(required=False, allow_null=True)
    page_count = serializers.IntegerField(min_value=1, max_value=999, required=False, allow_null=True)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)


def _metadata(data: dict[str, Any], incoming: Incoming) -> dict[str, Any]:
    kwargs = dict(data)
    if "document_type" in data:
        document_type = DocumentType.objects.filter(pk=data["document_type"], is_active=True).first()
        if document_type is None or document_type.agency_id not in (None, incoming.agency_id):
            raise _invalid("document_type", _("No such document type."))
        kwargs["document_type"] = document_type
    if "subject" in data and not str(data["subject"]).strip():
        raise _invalid("subject", _("Write the summary of the document."))
    return kwargs


def _detail(incoming: Incoming, person: Person, now: datetime) -> dict[str, Any]:
    incoming = selectors.incoming_get_for(person=person, pk=incoming.pk, now=now)
    return dict(IncomingDetailOutput(presenters.api_detail(incoming=incoming, person=person, now=now)).data)


class IncomingListApi(GenericAPIView[Any]):
    serializer_class = IncomingListOutput

    def get_queryset(self) -> QuerySet[Incoming]:
        data = _parse(IncomingListFilterInput, self.request.query_params.dict())
        filters = selectors.QueueFilters(
            document_type_id=data.get("type"),
            urgency=data.get("urgency") or "",
            source=data.get("source") or "",
            text=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        person = _caller(self.request)
        now = clock.now()
        if data.get("queue"):
            return selectors.incoming_queue_for(person=person, queue=data["queue"], now=now, filters=filters)
        return selectors.incoming_list_for(person=person, now=now, filters=filters)

    @extend_schema(
        operation_id="incoming_list",
        summary="Incoming documents the caller sees, or one of their work queues",
        description="Queues: to_register, to_direct, to_handle, cooperate, inform, due_soon, overdue, done; "
        "none: every incoming document the caller sees.",
        parameters=[IncomingListFilterInput],
        responses={200: IncomingListOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        now = clock.now()
        page = self.paginate_queryset(self.get_queryset())
        rows = presenters.api_list_rows(page or [], person=_caller(request), now=now)
        return self.get_paginated_response(IncomingListOutput(rows, many=True).data)


class IncomingDetailApi(GenericAPIView[Any]):
    serializer_class = IncomingDetailOutput
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="incoming_retrieve",
        summary="One incoming document",
        parameters=[id_path_parameter("The incoming document's id.")],
        responses={200: IncomingDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        now = clock.now()
        incoming = selectors.incoming_get_for(person=_caller(request), pk=pk, now=now)
        return Response(_detail(incoming, _caller(request), now))

    @extend_schema(
        operation_id="incoming_update",
        summary="Correct the metadata before registration (the clerk; not for documents delivered through "
        "the system, whose metadata is the sender's)",
        parameters=[id_path_parameter("The incoming document's id.")],
        request=IncomingMetadataInput,
        responses={200: IncomingDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        now = clock.now()
        person = _caller(request)
        incoming = selectors.incoming_get_for(person=person, pk=pk, now=now)
        data = _parse(IncomingMetadataInput, request.data)
        incoming = registration.incoming_update_metadata(
            incoming=incoming, actor=person, now=now, **_metadata(data, incoming)
        )
        return Response(_detail(incoming, person, now))


class IncomingActionInput(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, help_text="refuse, reopen, refuse_recall, request_extension")
    note = serializers.CharField(required=False, allow_blank=True, help_text="accept_recall, decide_extension")
    text = serializers.CharField(required=False, help_text="report")
    result = serializers.CharField(required=False, help_text="complete")
    instruction = serializers.CharField(required=False, allow_blank=True, help_text="direct, assign")
    assignments = serializers.JSONField(
        required=False, help_text="direct: [{role: LEAD|COOPERATE|INFORM, unit_id, person_id}]"
    )
    due_date = serializers.DateField(required=False, help_text="direct, assign, request_extension")
    due_working_days = serializers.IntegerField(required=False, min_value=1, max_value=365, help_text="direct")
    assignment = serializers.IntegerField(required=False, min_value=1, help_text="assign: the unit's assignment")
    person = serializers.IntegerField(required=False, min_value=1, help_text="assign: the handler")
    request = serializers.IntegerField(required=False, min_value=1, help_text="decide_extension: the request")
    grant = serializers.BooleanField(required=False, help_text="decide_extension")
    metadata = serializers.DictField(required=False, help_text="register: corrected metadata (paper)")


def _required(data: dict[str, Any], name: str) -> Any:
    if data.get(name) in (None, ""):
        raise _invalid(name, _("This field is required."))
    return data[name]


def _direct(incoming: Incoming, data: dict[str, Any], common: dict[str, Any]) -> Any:
    raw = data.get("assignments") or []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise _invalid("assignments", _("A list of assignments is expected."))
    inputs = []
    for item in raw:
        try:
            inputs.append(
                direction.AssignmentInput(
                    role=str(item.get("role") or ""),
                    unit_id=int(item["unit_id"]) if item.get("unit_id") is not None else None,
                    person_id=int(item["person_id"]) if item.get("person_id") is not None else None,
                )
            )
        except (TypeError, ValueError):
            raise _invalid("assignments", _("A list of assignments is expected.")) from None
    return direction.incoming_direct(
        incoming=incoming,
        instruction=_required(data, "instruction"),
        assignments=inputs,
        due_date=data.get("due_date"),
        due_working_days=data.get("due_working_days"),
        **common,
    )


def _assign(incoming: Incoming, data: dict[str, Any], common: dict[str, Any]) -> Any:
    parent = Assignment.objects.filter(pk=_required(data, "assignment"), incoming=incoming).first()
    handler = Person.objects.filter(pk=_required(data, "person"), is_active=True).first()
    if parent is None:
        raise _invalid("assignment", _("No such assignment."))
    if handler is None:
        raise _invalid("person", _("No such person."))
    return direction.incoming_assign(
        incoming=incoming,
        parent=parent,
        person=handler,
        instruction=data.get("instruction") or "",
        due_date=data.get("due_date"),
        **common,
    )


def _decide_extension(incoming: Incoming, data: dict[str, Any], common: dict[str, Any]) -> Any:
    extension = ExtensionRequest.objects.filter(pk=_required(data, "request"), incoming=incoming).first()
    if extension is None:
        raise _invalid("request", _("No such request."))
    if "grant" not in data:
        raise _invalid("grant", _("This field is required."))
    return handling.extension_decide(
        request=extension, grant=bool(data["grant"]), note=data.get("note") or "", **common
    )


def _register(incoming: Incoming, data: dict[str, Any], common: dict[str, Any]) -> Any:
    metadata = _metadata(_parse(IncomingMetadataInput, data.get("metadata") or {}), incoming)
    return registration.incoming_register(incoming=incoming, **common, **metadata)


Runner = Callable[[Incoming, dict[str, Any], dict[str, Any]], Any]

RUNNERS: dict[str, Runner] = {
    "register": _register,
    "refuse": lambda i, d, c: registration.incoming_refuse(incoming=i, reason=_required(d, "reason"), **c),
    "direct": _direct,
    "assign": _assign,
    "report": lambda i, d, c: handling.incoming_report(incoming=i, text=_required(d, "text"), **c),
    "complete": lambda i, d, c: handling.incoming_complete(incoming=i, result=_required(d, "result"), **c),
    "reopen": lambda i, d, c: handling.incoming_reopen(incoming=i, reason=_required(d, "reason"), **c),
    "accept_recall": lambda i, d, c: recall.incoming_recall_accept(incoming=i, note=d.get("note") or "", **c),
    "refuse_recall": lambda i, d, c: recall.incoming_recall_refuse(incoming=i, reason=_required(d, "reason"), **c),
    "request_extension": lambda i, d, c: handling.extension_request(
        incoming=i, due_date=_required(d, "due_date"), reason=_required(d, "reason"), **c
    ),
    "decide_extension": _decide_extension,
}


def incoming_act(*, incoming: Incoming, action: str, actor: Person, now: datetime, payload: Any) -> Any:
    """Run one workflow action from an API payload (the service checks the policy and the state)."""
    runner = RUNNERS.get(action)
    if runner is None:
        raise NotFoundError()
    data = _parse(IncomingActionInput, payload)
    # A second registration reaches the service, which answers with the arrival number already
    # given (a client whose first answer was lost learns it); other actions fail on the state first.
    if action in IncomingAction._value2member_map_ and action != IncomingAction.REGISTER:
        next_status(incoming.status, IncomingAction(action))
    return runner(incoming, data, {"actor": actor, "now": now})


class IncomingActionApi(GenericAPIView[Any]):
    serializer_class = IncomingActionInput
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="incoming_act",
        summary="Take a workflow action",
        description="Actions: " + ", ".join(API_ACTIONS) + ". The answer is the updated document; "
        "``allowed_actions`` of the document says which ones the caller may take now.",
        parameters=[
            id_path_parameter("The incoming document's id."),
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(API_ACTIONS)),
        ],
        request=IncomingActionInput,
        responses={200: IncomingDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        now = clock.now()
        person = _caller(request)
        incoming = selectors.incoming_get_for(person=person, pk=pk, now=now)
        payload = request.data if isinstance(request.data, dict) else {}
        incoming_act(incoming=incoming, action=action, actor=person, now=now, payload=payload)
        return Response(_detail(incoming, person, now))
