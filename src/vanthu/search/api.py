"""``GET /api/v1/search/``: the documents the caller may see that match ``q``, a page at a time
(``after`` = the ``next`` cursor of the previous page), with the total and facets of the visible
matches. A query that says nothing to find, or a stale cursor, is a 422 with a Vietnamese message."""

from __future__ import annotations

from typing import Any
from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from vanthu.core import clock
from vanthu.core.api_schema import error_responses
from vanthu.documents.models import Direction
from vanthu.documents.models import Urgency
from vanthu.org.models import Person
from vanthu.search import presenters
from vanthu.search.query import MAX_QUERY_LENGTH
from vanthu.search.selectors import MAX_PAGE_SIZE
from vanthu.search.selectors import PAGE_SIZE
from vanthu.search.selectors import SearchFilters
from vanthu.search.selectors import Sort
from vanthu.search.selectors import search_documents
from vanthu.search.statuses import status_values


class SearchInput(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, help_text='words, "phrases", OR, NOT/-, prefix*, 15/CT-UBND')
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    type = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    agency = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    status = serializers.ChoiceField(
        choices=status_values(), required=False, help_text="INCOMING:<status> or OUTGOING:<status>"
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    sort = serializers.ChoiceField(choices=[s.value for s in Sort], required=False)
    after = serializers.CharField(max_length=200, required=False, allow_blank=True)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class SearchResultOutput(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="the document's page in the web application")
    direction = serializers.CharField()
    number_symbol = serializers.CharField()
    subject = serializers.CharField()
    document_type = serializers.CharField()
    agency = serializers.CharField(help_text="the agency that holds this copy")
    issuer_name = serializers.CharField()
    issued_date = serializers.DateField(allow_null=True)
    urgency = serializers.CharField()
    status = serializers.CharField(help_text="the stage it is at, in Vietnamese")
    passage_html = serializers.CharField(help_text="a passage of the text, the words found in <mark>, escaped")


class SearchOutput(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.CharField(help_text="the cursor of the next page (``after``), empty on the last")
    facets = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    results = SearchResultOutput(many=True)


class SearchApi(GenericAPIView[Any]):
    serializer_class = SearchOutput

    @extend_schema(
        operation_id="search",
        summary="Search the documents the caller may see",
        parameters=[SearchInput],
        responses={200: SearchOutput, **error_responses(400, 401, 422)},
    )
    def get(self, request: Request) -> Response:
        serializer = SearchInput(data=request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        page = search_documents(
            person=cast(Person, request.user),
            text=data["q"],
            now=clock.now(),
            filters=SearchFilters(
                direction=data.get("direction") or "",
                document_type_id=data.get("type"),
                agency_id=data.get("agency"),
                urgency=data.get("urgency") or "",
                status=data.get("status") or "",
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            ),
            sort=Sort(data.get("sort") or Sort.RELEVANCE),
            cursor=data.get("after") or "",
            limit=data.get("limit") or PAGE_SIZE,
        )
        rows = presenters.result_rows(page.results, page.query)
        body = {
            "count": page.total,
            "next": page.next_cursor,
            "facets": page.facets,
            "results": [
                {
                    "id": row.pk,
                    "url": row.url,
                    "direction": row.direction,
                    "number_symbol": row.number_symbol,
                    "subject": page.results[index].subject,
                    "document_type": row.type_name,
                    "agency": row.agency_name,
                    "issuer_name": row.issuer_name,
                    "issued_date": row.issued_date,
                    "urgency": row.urgency,
                    "status": row.status_label,
                    "passage_html": str(row.passage),
                }
                for index, row in enumerate(rows)
            ],
        }
        return Response(SearchOutput(body).data)
