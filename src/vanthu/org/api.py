"""REST API of the organisation: agencies (directory, tree, units, administration) and people.

Thin views: parse the input, call one selector or service with ``now=clock.now()``, render the
output. Errors are DomainErrors mapped by ``core.api.exception_handler``: an agency or person the
caller may not see is a 404; one they see but may not manage is a 403."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from typing import cast

from django.db.models import Prefetch
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.core.api_schema import id_path_parameter
from vanthu.core.errors import NotFoundError
from vanthu.core.errors import ValidationError
from vanthu.org import policies
from vanthu.org import selectors
from vanthu.org import services
from vanthu.org.models import Agency
from vanthu.org.models import Person
from vanthu.org.models import Role
from vanthu.org.serializers import AgencyCreateInput
from vanthu.org.serializers import AgencyDetailOutput
from vanthu.org.serializers import AgencyFilterInput
from vanthu.org.serializers import AgencyMergeInput
from vanthu.org.serializers import AgencyOutput
from vanthu.org.serializers import AgencyTreeNodeOutput
from vanthu.org.serializers import AgencyUpdateInput
from vanthu.org.serializers import MeOutput
from vanthu.org.serializers import PersonFilterInput
from vanthu.org.serializers import PersonOutput
from vanthu.org.serializers import UnitOutput

AGENCY_FIELDS = ("name", "abbreviation", "kind", "code_qcvn102", "code_qd20", "place_name", "valid_from")


def _parse(serializer_class: type, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _caller(request: Request) -> Person:
    """The authenticated person (IsAuthenticated has run before any handler)."""
    return cast(Person, request.user)


def _query(request: Request) -> dict[str, str]:
    return request.query_params.dict()


def _agency_reference(person: Person, pk: int | None, now: datetime, *, field: str) -> Agency | None:
    """An agency named in a request body: one the caller cannot see does not exist for them."""
    if pk is None:
        return None
    try:
        return selectors.agency_get_for(person=person, pk=pk, now=now)
    except NotFoundError as error:
        raise ValidationError(details={"fields": {field: [_("No such agency.")]}}) from error


def _agency_detail(agency: Agency, person: Person, now: datetime) -> dict[str, Any]:
    allowed: list[str] = []
    if policies.can_manage_agency(person, agency, now):
        allowed = ["update", "merge", "delete"] if agency.is_active else ["update"]
    return dict(AgencyDetailOutput(agency, context={"allowed_actions": allowed}).data)


# --- agencies ---------------------------------------------------------------------------


class AgencyListApi(GenericAPIView[Any]):
    serializer_class = AgencyOutput

    def get_queryset(self) -> QuerySet[Agency]:
        filters = _parse(AgencyFilterInput, _query(self.request))
        agencies = selectors.agency_list_for(
            person=_caller(self.request),
            now=clock.now(),
            query=filters.get("q", ""),
            code=filters.get("code", ""),
            parent_id=filters.get("parent"),
            roots_only=filters["roots"],
        )
        if filters["active"] is not None:
            agencies = agencies.filter(valid_to__isnull=filters["active"])
        return agencies.order_by("path", "id")

    @extend_schema(
        operation_id="agencies_list",
        summary="Agencies (directory)",
        parameters=[AgencyFilterInput],
        responses={200: AgencyOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AgencyOutput(page, many=True).data)

    @extend_schema(
        operation_id="agencies_create",
        summary="Create an agency (administrators)",
        request=AgencyCreateInput,
        responses={201: AgencyDetailOutput, **error_responses(400, 401, 403, 409, 422)},
    )
    def post(self, request: Request) -> Response:
        data = _parse(AgencyCreateInput, request.data)
        now = clock.now()
        parent = _agency_reference(_caller(request), data.pop("parent"), now, field="parent")
        agency = services.agency_create(actor=_caller(request), parent=parent, now=now, **data)
        return Response(_agency_detail(agency, _caller(request), now), status=status.HTTP_201_CREATED)


class AgencyDetailApi(GenericAPIView[Any]):
    serializer_class = AgencyDetailOutput

    @extend_schema(
        operation_id="agencies_retrieve",
        parameters=[id_path_parameter("The agency's id.")],
        summary="One agency: parent, successor, predecessors, validity",
        responses={200: AgencyDetailOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        now = clock.now()
        agency = selectors.agency_get_for(person=_caller(request), pk=pk, now=now)
        return Response(_agency_detail(agency, _caller(request), now))

    @extend_schema(
        operation_id="agencies_partial_update",
        parameters=[id_path_parameter("The agency's id.")],
        summary="Change an agency (administrators)",
        request=AgencyUpdateInput,
        responses={200: AgencyDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        now = clock.now()
        agency = selectors.agency_get_for(person=_caller(request), pk=pk, now=now)
        data = _parse(AgencyUpdateInput, request.data)
        changes: dict[str, Any] = {key: data[key] for key in AGENCY_FIELDS if key in data}
        if "parent" in data:
            changes["parent"] = _agency_reference(_caller(request), data["parent"], now, field="parent")
        agency = services.agency_update(agency=agency, actor=_caller(request), now=now, **changes)
        agency = selectors.agency_get_for(person=_caller(request), pk=agency.pk, now=now)
        return Response(_agency_detail(agency, _caller(request), now))

    @extend_schema(
        operation_id="agencies_destroy",
        parameters=[id_path_parameter("The agency's id.")],
        summary="Delete an agency created by mistake (administrators; 409 once it has history)",
        responses={204: OpenApiResponse(description="Deleted."), **error_responses(401, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        now = clock.now()
        agency = selectors.agency_get_for(person=_caller(request), pk=pk, now=now)
        services.agency_delete(agency=agency, actor=_caller(request), now=now)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgencyMergeApi(GenericAPIView[Any]):
    serializer_class = AgencyMergeInput

    @extend_schema(
        operation_id="agencies_merge",
        parameters=[id_path_parameter("The agency's id.")],
        summary="Merge this agency into a successor (administrators)",
        description="The agency ceases on the day before effective_date; future work goes to the successor. "
        "Returns the merged (now historical) agency.",
        request=AgencyMergeInput,
        responses={200: AgencyDetailOutput, **error_responses(400, 401, 403, 404, 409, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        now = clock.now()
        predecessor = selectors.agency_get_for(person=_caller(request), pk=pk, now=now)
        data = _parse(AgencyMergeInput, request.data)
        successor = _agency_reference(_caller(request), data["successor"], now, field="successor")
        assert successor is not None  # noqa: S101 - the input requires it
        services.agency_merge(
            predecessor=predecessor,
            successor=successor,
            actor=_caller(request),
            effective_date=data["effective_date"],
            now=now,
        )
        agency = selectors.agency_get_for(person=_caller(request), pk=predecessor.pk, now=now)
        return Response(_agency_detail(agency, _caller(request), now))


class AgencyTreeApi(GenericAPIView[Any]):
    pagination_class = None  # a short, whole answer
    serializer_class = AgencyTreeNodeOutput

    @extend_schema(
        operation_id="agencies_tree",
        summary="The tree of agencies that exist today",
        responses={200: AgencyTreeNodeOutput(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        agencies = selectors.agency_list_for(person=_caller(request), now=clock.now(), include_ceased=False)
        nodes: dict[int, dict[str, Any]] = {}
        roots: list[dict[str, Any]] = []
        for agency in agencies.order_by("path", "id"):
            node = {
                "id": agency.pk,
                "name": agency.name,
                "abbreviation": agency.abbreviation,
                "kind": agency.kind,
                "kind_label": agency.get_kind_display(),
                "code_qcvn102": agency.code_qcvn102,
                "children": [],
            }
            nodes[agency.pk] = node
            parent = nodes.get(agency.parent_id) if agency.parent_id else None
            (parent["children"] if parent is not None else roots).append(node)
        return Response(AgencyTreeNodeOutput(roots, many=True).data)


class AgencyUnitsApi(GenericAPIView[Any]):
    pagination_class = None  # a short, whole answer
    serializer_class = UnitOutput

    @extend_schema(
        operation_id="agencies_units",
        parameters=[id_path_parameter("The agency's id.")],
        summary="Units (phòng, ban) of an agency",
        description="Seen by the agency's people (and its successor's), and by ADMINs and INSPECTORs whose "
        "scope covers it; a 404 for anyone else.",
        responses={200: UnitOutput(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        now = clock.now()
        agency = selectors.agency_get_for(person=_caller(request), pk=pk, now=now)
        units = selectors.unit_list_for(person=_caller(request), agency=agency, now=now)
        return Response(UnitOutput(units, many=True).data)


# --- people -----------------------------------------------------------------------------


class PersonListApi(GenericAPIView[Any]):
    serializer_class = PersonOutput

    def get_queryset(self) -> QuerySet[Person]:
        filters = _parse(PersonFilterInput, _query(self.request))
        now = clock.now()
        people = selectors.person_list_for(
            viewer=_caller(self.request),
            now=now,
            query=filters.get("q", ""),
            agency_id=filters.get("agency"),
        )
        return people.prefetch_related(
            Prefetch("roles", queryset=selectors.roles_current(now=now), to_attr="current_roles")
        )

    @extend_schema(
        operation_id="people_list",
        summary="People directory",
        description="The people the caller may see: those of their agencies (merged predecessors included), "
        "of the scope they administer or inspect, and themself.",
        parameters=[PersonFilterInput],
        responses={200: PersonOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PersonOutput(page, many=True).data)


class PersonDetailApi(GenericAPIView[Any]):
    serializer_class = PersonOutput

    @extend_schema(
        operation_id="people_retrieve",
        parameters=[id_path_parameter("The person's id.")],
        summary="One person with their current roles",
        responses={200: PersonOutput, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        now = clock.now()
        person = selectors.person_get_for(viewer=_caller(request), pk=pk, now=now)
        person.current_roles = list(selectors.roles_of(person=person, now=now))  # type: ignore[attr-defined]
        return Response(PersonOutput(person).data)


class MeApi(GenericAPIView[Any]):
    serializer_class = MeOutput

    @extend_schema(
        operation_id="people_me",
        summary="The caller, with their effective roles (delegations received included)",
        responses={200: MeOutput, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        now = clock.now()
        person = _caller(request)
        grants = sorted(
            selectors.effective_grants(person=person, now=now),
            key=lambda grant: (grant.agency_id, grant.role, grant.unit_id or 0, grant.delegated_by_id or 0),
        )
        agencies = selectors.agencies_by_id({grant.agency_id for grant in grants})
        units = selectors.units_by_id({grant.unit_id for grant in grants if grant.unit_id})
        delegators = selectors.people_by_id({grant.delegated_by_id for grant in grants if grant.delegated_by_id})
        me = {
            "id": person.pk,
            "username": person.username,
            "full_name": person.full_name,
            "email": person.email,
            "phone": person.phone,
            "is_active": person.is_active,
            "is_superuser": person.is_superuser,
            "current_roles": list(selectors.roles_of(person=person, now=now)),
            "grants": [
                {
                    "agency": agencies[grant.agency_id],
                    "unit": units.get(grant.unit_id) if grant.unit_id else None,
                    "role": grant.role,
                    "role_label": Role(grant.role).label,
                    "delegated_by": delegators.get(grant.delegated_by_id) if grant.delegated_by_id else None,
                }
                for grant in grants
            ],
            "delegations_received": list(selectors.delegations_received(person=person, now=now)),
        }
        return Response(MeOutput(me).data)
