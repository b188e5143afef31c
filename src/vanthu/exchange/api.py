"""REST API of deliveries: what arrived at the caller's agencies and what they sent (with each
recipient's status), one delivery with its status timeline, and the recipient's status report.

Thin views: parse the input, call one selector or service with ``now=clock.now()``, render the
output. A delivery the caller may not see is a 404; one they see but may not report on is a 403; a
status the lifecycle does not allow now is a 409."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.exchange import lifecycle
from vanthu.exchange import policies
from vanthu.exchange import selectors
from vanthu.exchange import services
from vanthu.exchange.models import Delivery
from vanthu.exchange.models import DeliveryEvent
from vanthu.exchange.models import DeliveryStatus
from vanthu.org.models import Person

# --- serializers ------------------------------------------------------------------------


class DeliveryDocumentOutput(serializers.Serializer[Any]):
    """The document's Appendix VI tags a recipient needs to recognise it."""

    id = serializers.IntegerField()
    CodeNumber = serializers.CharField(source="number_text")  # noqa: N815 - Appendix VI tag name
    CodeNotation = serializers.CharField(source="symbol")  # noqa: N815
    number_symbol = serializers.CharField()
    Subject = serializers.CharField(source="subject")  # noqa: N815
    PromulgationDate = serializers.DateField(source="issued_date", allow_null=True)  # noqa: N815
    document_type = serializers.CharField(source="document_type.name")
    urgency = serializers.CharField()
    urgency_label = serializers.CharField(source="get_urgency_display")


class DeliveryEventOutput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    occurred_at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    note = serializers.CharField()


class DeliveryOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    document = DeliveryDocumentOutput()
    sender_agency_id = serializers.IntegerField()
    sender_name = serializers.CharField(source="sender_agency.name")
    recipient_agency_id = serializers.IntegerField(allow_null=True)
    recipient_name = serializers.CharField()
    recipient_code = serializers.CharField()
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, help_text="edXML status code (QCVN 102:2016).")
    status_label = serializers.CharField(source="get_status_display")
    status_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField()
    related_id = serializers.IntegerField(allow_null=True)
    envelope_count = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class DeliveryDetailOutput(DeliveryOutput):
    events = DeliveryEventOutput(many=True)
    has_file = serializers.BooleanField()
    allowed_actions = serializers.ListField(child=serializers.CharField())
    allowed_statuses = serializers.ListField(
        child=serializers.CharField(), help_text="The statuses the caller may report now (action 'report')."
    )


class DeliveryFilterInput(serializers.Serializer[Any]):
    box = serializers.ChoiceField(choices=[("arrived", "arrived"), ("sent", "sent")], default="arrived")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)


class DeliveryReportInput(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=sorted(lifecycle.RECIPIENT_STATUSES))
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


def _parse(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _caller(request: Request) -> Person:
    return cast(Person, request.user)


def _detail(delivery: Delivery, person: Person, now: datetime) -> dict[str, Any]:
    can_report = policies.can_report_delivery_status(person, delivery, now)
    statuses = (
        sorted(lifecycle.RECIPIENT_STATUSES & lifecycle.allowed_targets(kind=delivery.kind, current=delivery.status))
        if can_report
        else []
    )
    events: list[DeliveryEvent] = list(delivery.events.all())
    data: dict[str, Any] = dict(DeliveryOutput(delivery).data)
    data.update(
        events=DeliveryEventOutput(events, many=True).data,
        has_file=policies.can_read_delivery_file(person, delivery, now),
        allowed_actions=["report"] if statuses else [],
        allowed_statuses=statuses,
    )
    return data


# --- views ------------------------------------------------------------------------------


class DeliveryListApi(GenericAPIView[Any]):
    serializer_class = DeliveryOutput

    def get_queryset(self) -> QuerySet[Delivery]:
        filters = _parse(DeliveryFilterInput, self.request.query_params.dict())
        person, now = _caller(self.request), clock.now()
        status = filters.get("status")
        if filters["box"] == "sent":
            return selectors.sent_deliveries_for(person=person, now=now, status=status)
        return selectors.arrivals_for(person=person, now=now, status=status)

    @extend_schema(
        operation_id="deliveries_list",
        summary="Deliveries that arrived at the caller's agencies, or that they sent",
        description="box=arrived (default): deliveries to the agencies where the caller is CLERK or "
        "AGENCY_LEADER; box=sent: deliveries of the documents the caller's agencies sent, with each "
        "recipient's status. Newest first.",
        parameters=[DeliveryFilterInput],
        responses={200: DeliveryOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DeliveryOutput(page, many=True).data)


class DeliveryDetailApi(GenericAPIView[Any]):
    serializer_class = DeliveryDetailOutput

    @extend_schema(
        operation_id="deliveries_retrieve",
        parameters=[id_path_parameter("The delivery's id.")],
        summary="One delivery with its status timeline",
        responses={200: DeliveryDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        person, now = _caller(request), clock.now()
        delivery = selectors.delivery_get_for(person=person, pk=pk, now=now)
        return Response(_detail(delivery, person, now))


class DeliveryReportApi(GenericAPIView[Any]):
    serializer_class = DeliveryReportInput

    @extend_schema(
        operation_id="deliveries_report",
        parameters=[id_path_parameter("The delivery's id.")],
        summary="Report what the recipient did with a delivery (edXML status)",
        description="By the recipient agency's CLERKs and AGENCY_LEADERs, for deliveries inside the "
        "province: 02 refused, 03 registered, 04 assigned, 05 in progress, 06 done; 15 or 16 on a recall "
        "or an update.",
        request=DeliveryReportInput,
        responses={200: DeliveryDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        person, now = _caller(request), clock.now()
        delivery = selectors.delivery_get_for(person=person, pk=pk, now=now)
        data = _parse(DeliveryReportInput, request.data)
        services.delivery_report_status(
            delivery=delivery, status=data["status"], actor=person, now=now, note=data["note"]
        )
        delivery = selectors.delivery_get_for(person=person, pk=pk, now=now)
        return Response(_detail(delivery, person, now))
