"""REST API of the audit log: ``/api/v1/audit/`` and ``/api/v1/audit/{id}/``.

Only superusers and ADMINs/INSPECTORs (for their scope) read it; for anybody else the list is a
403 and a single event a 404 (audit.policies)."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.audit import selectors
from vanthu.audit.models import AuditEvent
from vanthu.audit.serializers import AuditEventOutput
from vanthu.audit.serializers import AuditFilterInput
from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.org.models import Person


def _caller(request: Request) -> Person:
    return cast(Person, request.user)


class AuditEventListApi(GenericAPIView[AuditEvent]):
    serializer_class = AuditEventOutput

    def get_queryset(self) -> QuerySet[AuditEvent]:
        filters = AuditFilterInput(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.audit_event_list_for(
            person=_caller(self.request),
            now=clock.now(),
            agency_id=data.get("agency"),
            actor_id=data.get("actor"),
            action=data.get("action", ""),
            target_type=data.get("target_type", ""),
            target_id=data.get("target_id", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @extend_schema(
        operation_id="audit_list",
        summary="Audit events of the caller's scope, newest first",
        parameters=[AuditFilterInput],
        responses={200: AuditEventOutput(many=True), **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AuditEventOutput(page, many=True).data)


class AuditEventDetailApi(GenericAPIView[AuditEvent]):
    serializer_class = AuditEventOutput

    @extend_schema(
        operation_id="audit_retrieve",
        parameters=[id_path_parameter("The event's id.")],
        summary="One audit event",
        responses={200: AuditEventOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        event = selectors.audit_event_get_for(person=_caller(request), pk=pk, now=clock.now())
        return Response(AuditEventOutput(event).data)
