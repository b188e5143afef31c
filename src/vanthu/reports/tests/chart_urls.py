"""URLs for the chart browser test only (tests/e2e/test_charts_render.py), through
``settings.ROOT_URLCONF``: the site's URLs plus a page with two charts and a button that swaps a
third one in with htmx. Never wired into the site."""

from __future__ import annotations

from django.http import HttpRequest
from django.http import HttpResponse
from django.template import engines
from django.urls import include
from django.urls import path

from vanthu.reports.charts import ChartKind
from vanthu.reports.charts import ChartSpec
from vanthu.reports.charts import Series
from vanthu.reports.charts import Tone

PAGE = """{% extends "base.html" %}
{% block title %}Biểu đồ{% endblock %}
{% block content %}
<h1 class="h4">Thống kê</h1>
<div class="row g-3">
  <div class="col-12 col-lg-6">{% include "reports/_chart.html" with chart=rates chart_id="rates" %}</div>
  <div class="col-12 col-lg-6">{% include "reports/_chart.html" with chart=overdue chart_id="overdue" %}</div>
</div>
<button type="button" class="btn btn-outline-primary" id="more-charts"
        hx-get="/__charts__/more/" hx-target="#later-charts" hx-swap="innerHTML">Thêm</button>
<div id="later-charts"></div>
{% endblock %}"""

FRAGMENT = """{% include "reports/_chart.html" with chart=levels chart_id="levels" %}"""


def rates() -> ChartSpec:
    return ChartSpec(
        kind=ChartKind.LINE,
        title="Tỷ lệ văn bản điện tử theo tháng",
        labels=[f"T{month}/2026" for month in range(1, 13)],
        series=[
            Series("Văn bản đi", [80.0, 82.5, 85.0, 86.4, 88.0, 90.1, 91.0, 92.5, 93.0, 95.2, 96.0, 97.5]),
            Series("Văn bản đến", [70.0, 71.5, 74.0, None, 78.0, 80.0, 83.3, 85.0, 86.0, 88.8, 90.0, 92.0]),
        ],
        unit="%",
        y_max=100,
        category_label="Tháng",
    )


def overdue() -> ChartSpec:
    return ChartSpec(
        kind=ChartKind.BAR,
        title="Việc đúng hạn và quá hạn theo cấp",
        labels=["Cấp tỉnh", "Sở, ban, ngành", "Xã, phường"],
        series=[
            Series("Đúng hạn", [420, 3150, 8700], tone=Tone.GREEN),
            Series("Quá hạn", [12, 96, 410], tone=Tone.RED),
        ],
        stacked=True,
        category_label="Cấp",
    )


def levels() -> ChartSpec:
    return ChartSpec(
        kind="bar",
        title="Tỷ lệ ký số theo cấp",
        labels=["Cấp tỉnh", "Sở, ban, ngành", "Xã, phường"],
        series=[Series("Ký số", [99.5, 97.0, 88.2])],
        unit="%",
        y_max=100,
    )


def page(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"rates": rates(), "overdue": overdue()}, request))


def more(request: HttpRequest) -> HttpResponse:
    template = engines["django"].from_string(FRAGMENT)
    return HttpResponse(template.render({"levels": levels()}, request))


urlpatterns = [
    path("__charts__/", page),
    path("__charts__/more/", more),
    path("", include("vanthu.config.urls")),  # by name: no app imports the wiring
]
