"""A chart described in Python, drawn in the browser by Chart.js (vendored, no CDN).

A view or presenter builds a :class:`ChartSpec`; the partial ``reports/_chart.html`` writes its
:meth:`ChartSpec.as_config` into a ``json_script`` element, and ``static/js/charts.js`` hands it
to Chart.js. JSON carries no functions, so what needs code (number format in tooltips and ticks,
the legend's place on a phone) is done by charts.js from the ``vanthu`` part of the config.

Numbers are written the Vietnamese way (``1.234,5``) both on the chart and in the data table
that screen readers (and tests) read instead of the canvas. Colours come from a fixed palette of
Bootstrap 5 colours that keep a 3:1 contrast on white (WCAG 1.4.11); series are also told apart
by their point shapes and dashes, not by colour alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal
from enum import StrEnum
from typing import Any

Number = int | float


class ChartKind(StrEnum):
    LINE = "line"
    BAR = "bar"


class Tone(StrEnum):
    """The palette, in the order series take it. Bootstrap 5 colours (the 600/700 shade where the
    base colour is too light on white)."""

    BLUE = "#0d6efd"  # $primary
    ORANGE = "#ca6510"  # $orange-600
    GREEN = "#198754"  # $success
    PURPLE = "#6f42c1"  # $purple
    RED = "#dc3545"  # $danger
    CYAN = "#087990"  # $cyan-700
    PINK = "#ab296a"  # $pink-600
    GREY = "#6c757d"  # $secondary


PALETTE: tuple[Tone, ...] = tuple(Tone)
POINT_STYLES = ("circle", "triangle", "rectRot", "rect", "star", "crossRot")  # of lines; bars are boxes
DASHES: tuple[list[int], ...] = ([], [6, 4], [2, 3], [8, 3, 2, 3])
LOCALE = "vi-VN"
LEGEND_BOTTOM_BELOW_PX = 576  # Bootstrap's "sm" breakpoint: the legend goes under a phone's chart


def decimals_of(values: Sequence[Number | None]) -> int:
    """0 when every value is a whole count, 1 (the reports' precision) otherwise."""
    return 1 if any(isinstance(value, float) for value in values) else 0


def format_number(value: Number | None, *, decimals: int, unit: str = "") -> str:
    """Vietnamese format: ``1.234``, ``12,5%``, ``3,0 ngày``; an em dash when there is no value.
    Halves round up, as Chart.js's Intl.NumberFormat does in the tooltips."""
    if value is None:
        return "—"
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[Number | None]  # one per label of the chart; None leaves a gap
    kind: ChartKind | None = None  # a line over a bar chart (a target, a rate); default: the chart's
    tone: Tone | None = None  # a fixed colour (overdue work in red); default: the next in the palette


@dataclass(frozen=True)
class ChartSpec:
    kind: ChartKind | str
    title: str
    labels: Sequence[str]
    series: Sequence[Series]
    unit: str = ""  # "%" for rates; "" for counts
    y_max: Number | None = None  # 100 for rates, to keep months comparable
    stacked: bool = False
    category_label: str = ""  # the heading of the labels' column in the data table ("Tháng")
    decimals: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ChartKind(self.kind))
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(
                    f"series “{series.label}” has {len(series.values)} values for {len(self.labels)} labels"
                )
        object.__setattr__(self, "decimals", decimals_of([value for item in self.series for value in item.values]))

    def as_config(self) -> dict[str, Any]:
        """The Chart.js configuration (plain JSON types)."""
        value_axis: dict[str, Any] = {
            "beginAtZero": True,
            "stacked": self.stacked,
            "ticks": {"precision": 0} if self.decimals == 0 else {},
        }
        if self.y_max is not None:
            value_axis["max"] = self.y_max
        return {
            "type": str(self.kind),
            "data": {
                "labels": list(self.labels),
                "datasets": [self._dataset(index, series) for index, series in enumerate(self.series)],
            },
            "options": {
                "responsive": True,
                "maintainAspectRatio": False,
                "locale": LOCALE,
                "animation": False,
                "interaction": {"mode": "index", "intersect": False},
                "plugins": {
                    "title": {"display": False},  # the figure's heading says it
                    "legend": {"display": len(self.series) > 1, "position": "top", "labels": self._legend_labels()},
                    "tooltip": {"enabled": True},
                },
                "scales": {
                    "x": {"stacked": self.stacked, "grid": {"display": False}},
                    "y": value_axis,
                },
            },
            "vanthu": {
                "unit": self.unit,
                "decimals": self.decimals,
                "legendBottomBelow": LEGEND_BOTTOM_BELOW_PX,
            },
        }

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """The data table behind the chart: one row per label, one formatted cell per series."""
        return [
            (
                label,
                [format_number(series.values[index], decimals=self.decimals, unit=self.unit) for series in self.series],
            )
            for index, label in enumerate(self.labels)
        ]

    def _legend_labels(self) -> dict[str, Any]:
        """Lines show their point shapes in the legend (told apart without colour); bars, boxes."""
        if any(ChartKind(series.kind or self.kind) == ChartKind.LINE for series in self.series):
            return {"usePointStyle": True, "boxWidth": 8, "boxHeight": 8}
        return {"boxWidth": 14, "boxHeight": 14}

    def _dataset(self, index: int, series: Series) -> dict[str, Any]:
        colour = str(series.tone or PALETTE[index % len(PALETTE)])
        kind = ChartKind(series.kind or self.kind)
        dataset: dict[str, Any] = {
            "label": series.label,
            "data": list(series.values),
            "borderColor": colour,
            "backgroundColor": colour,
        }
        if kind != self.kind:
            dataset["type"] = str(kind)
            dataset["order"] = 0  # drawn over the bars
        if kind == ChartKind.LINE:
            dataset |= {
                "borderWidth": 2,
                "borderDash": DASHES[index % len(DASHES)],
                "pointStyle": POINT_STYLES[index % len(POINT_STYLES)],
                "pointRadius": 4,
                "pointHoverRadius": 6,
                "fill": False,
                "tension": 0,
                "spanGaps": False,
            }
            if self.stacked:
                dataset["stack"] = f"line-{index}"  # a line is never stacked on the bars
        else:
            dataset |= {"borderWidth": 0, "maxBarThickness": 48, "order": 1, "pointStyle": "rect"}
        return dataset
