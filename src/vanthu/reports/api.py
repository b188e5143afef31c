"""``GET /api/v1/reports/statistics/``: the statistics of a period for the agencies the caller
oversees (INSPECTOR, AGENCY_LEADER), with the definition of every measure. A wrong period is a
422 with a Vietnamese message; another role a 403."""

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
from vanthu.core.errors import ValidationError
from vanthu.org.models import Person
from vanthu.reports import selectors
from vanthu.reports.forms import PeriodForm
from vanthu.reports.forms import chosen_period
from vanthu.reports.measures import MEASURES


class PeriodInput(serializers.Serializer[Any]):
    period = serializers.ChoiceField(
        choices=["month", "quarter", "half", "nine", "year", "custom"], required=False, help_text="default: month"
    )
    year = serializers.IntegerField(required=False)
    number = serializers.IntegerField(required=False, help_text="the month (1–12) or the quarter (1–4)")
    date_from = serializers.DateField(required=False, help_text="with period=custom")
    date_to = serializers.DateField(required=False, help_text="with period=custom")


class ColumnOutput(serializers.Serializer[Any]):
    key = serializers.CharField()
    heading = serializers.CharField()
    group = serializers.CharField()
    kind = serializers.CharField(help_text="count, rate (percent) or days")
    definition = serializers.CharField()


class RowOutput(serializers.Serializer[Any]):
    agency_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField(help_text="the agency, or the total")
    level = serializers.CharField()
    is_total = serializers.BooleanField()
    note = serializers.CharField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


class StatisticsOutput(serializers.Serializer[Any]):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    columns = ColumnOutput(many=True)
    rows = RowOutput(many=True)


class StatisticsApi(GenericAPIView[Any]):
    serializer_class = StatisticsOutput

    @extend_schema(
        operation_id="reports_statistics",
        summary="The statistics of a period for the agencies the caller oversees",
        parameters=[PeriodInput],
        responses={200: StatisticsOutput, **error_responses(401, 403, 422)},
    )
    def get(self, request: Request) -> Response:
        now = clock.now()
        form = PeriodForm(request.query_params or None, today=clock.vietnam_date(now))
        period, error = chosen_period(form)
        if period is None:
            raise ValidationError(error, code="bad_period")
        table = selectors.period_table(person=cast(Person, request.user), period=period, now=now)
        definitions = {measure.key: str(measure.definition) for measure in MEASURES}
        body = {
            "period": table.period_label,
            "start": table.period_start,
            "end": table.period_end,
            "columns": [
                {
                    "key": column.key,
                    "heading": column.label,
                    "group": column.group,
                    "kind": str(column.kind),
                    "definition": definitions.get(column.key, ""),
                }
                for column in table.columns
            ],
            "rows": [
                {
                    "agency_id": row.agency_id,
                    "name": row.label,
                    "level": row.level,
                    "is_total": row.is_total,
                    "note": row.note,
                    "values": {column.key: row.values.get(column.key) for column in table.columns},
                }
                for row in table.rows
            ],
        }
        return Response(StatisticsOutput(body).data)
