"""A chart described in Python: the Chart.js config it gives, and the partial that carries it
(canvas, config in a json_script element, the same numbers in a table for screen readers)."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string
from lxml import html

from vanthu.reports.charts import ChartKind
from vanthu.reports.charts import ChartSpec
from vanthu.reports.charts import Series
from vanthu.reports.charts import Tone
from vanthu.reports.charts import format_number

MONTHS = ["T9/2026", "T10/2026", "T11/2026"]


def rates_chart() -> ChartSpec:
    return ChartSpec(
        kind="line",
        title="Tỷ lệ văn bản điện tử theo tháng",
        labels=MONTHS,
        series=[
            Series("Văn bản đi", [88.5, 92.25, 100.0]),
            Series("Văn bản đến", [75.0, None, 1234.5]),
        ],
        unit="%",
        y_max=100,
        category_label="Tháng",
    )


def overdue_chart() -> ChartSpec:
    return ChartSpec(
        kind=ChartKind.BAR,
        title="Việc quá hạn theo cấp",
        labels=["Cấp tỉnh", "Cấp xã"],
        series=[
            Series("Đúng hạn", [120, 3400]),
            Series("Quá hạn", [7, 58], tone=Tone.RED),
            Series("Tỷ lệ quá hạn", [5, 2], kind=ChartKind.LINE),
        ],
        stacked=True,
    )


class TestFormatNumber:
    def test_writes_vietnamese_separators(self):
        assert format_number(1234567, decimals=0) == "1.234.567"
        assert format_number(1234.5, decimals=1) == "1.234,5"

    def test_puts_the_percent_sign_close_and_other_units_after_a_space(self):
        assert format_number(12.25, decimals=1, unit="%") == "12,3%"  # half up, as in the tooltip
        assert format_number(7, decimals=1, unit="%") == "7,0%"
        assert format_number(3, decimals=1, unit="ngày") == "3,0 ngày"

    def test_writes_a_dash_for_a_missing_value(self):
        assert format_number(None, decimals=1, unit="%") == "—"


class TestChartConfig:
    def test_carries_the_labels_and_each_series_values(self):
        config = rates_chart().as_config()

        assert config["type"] == "line"
        assert config["data"]["labels"] == MONTHS
        datasets = config["data"]["datasets"]
        assert [dataset["label"] for dataset in datasets] == ["Văn bản đi", "Văn bản đến"]
        assert datasets[0]["data"] == [88.5, 92.25, 100.0]
        assert datasets[1]["data"] == [75.0, None, 1234.5]  # a gap, not a zero

    def test_fits_its_box_on_any_screen_in_vietnamese_number_format(self):
        options = rates_chart().as_config()["options"]

        assert options["responsive"] is True
        assert options["maintainAspectRatio"] is False
        assert options["locale"] == "vi-VN"

    def test_tells_the_script_the_unit_and_precision_for_tooltips(self):
        config = rates_chart().as_config()

        assert config["vanthu"]["unit"] == "%"
        assert config["vanthu"]["decimals"] == 1
        assert config["vanthu"]["legendBottomBelow"] == 576
        assert config["options"]["scales"]["y"]["max"] == 100

    def test_counts_have_whole_ticks_and_no_unit(self):
        config = overdue_chart().as_config()

        assert config["vanthu"]["unit"] == ""
        assert config["vanthu"]["decimals"] == 0
        assert config["options"]["scales"]["y"]["ticks"] == {"precision": 0}
        assert "max" not in config["options"]["scales"]["y"]

    def test_stacks_the_bars_but_keeps_a_line_series_apart(self):
        config = overdue_chart().as_config()

        assert config["options"]["scales"]["x"]["stacked"] is True
        assert config["options"]["scales"]["y"]["stacked"] is True
        bars_on_time, bars_overdue, line = config["data"]["datasets"]
        assert "type" not in bars_on_time
        assert line["type"] == "line"
        assert line["stack"] != bars_on_time.get("stack")
        assert line["order"] < bars_overdue["order"]  # drawn over the bars

    def test_colours_come_from_the_fixed_palette_in_order_unless_a_tone_is_given(self):
        first, overdue, third = overdue_chart().as_config()["data"]["datasets"]

        assert first["backgroundColor"] == Tone.BLUE.value
        assert overdue["backgroundColor"] == Tone.RED.value
        assert third["borderColor"] == Tone.GREEN.value
        assert rates_chart().as_config() == rates_chart().as_config()  # nothing random

    def test_line_series_differ_by_dash_and_point_shape_not_only_by_colour(self):
        first, second = rates_chart().as_config()["data"]["datasets"]

        assert first["borderDash"] != second["borderDash"]
        assert first["pointStyle"] != second["pointStyle"]

    def test_a_bar_legend_shows_boxes_and_a_line_legend_its_point_shapes(self):
        bars = ChartSpec(kind="bar", title="Cột", labels=["A"], series=[Series("X", [1]), Series("Y", [2])])
        bars_legend = bars.as_config()["options"]["plugins"]["legend"]["labels"]
        lines_legend = rates_chart().as_config()["options"]["plugins"]["legend"]["labels"]

        assert "usePointStyle" not in bars_legend
        assert lines_legend["usePointStyle"] is True

    def test_a_single_series_needs_no_legend(self):
        single = ChartSpec(kind="bar", title="Ký số", labels=["A"], series=[Series("Ký số", [99.5])], unit="%")

        assert single.as_config()["options"]["plugins"]["legend"]["display"] is False

    def test_is_plain_json(self):
        config = overdue_chart().as_config()

        assert json.loads(json.dumps(config)) == config

    def test_refuses_a_series_that_does_not_match_the_labels(self):
        with pytest.raises(ValueError, match="2 values for 3 labels"):
            ChartSpec(kind="bar", title="Sai", labels=MONTHS, series=[Series("Văn bản đi", [1, 2])])

    def test_refuses_an_unknown_kind(self):
        with pytest.raises(ValueError, match="pie"):
            ChartSpec(kind="pie", title="Sai", labels=[], series=[])


def render(chart: ChartSpec, chart_id: str = "rates") -> html.HtmlElement:
    text = render_to_string("reports/_chart.html", {"chart": chart, "chart_id": chart_id})
    return html.fragment_fromstring(text, create_parent="div")


class TestChartPartial:
    def test_draws_into_a_canvas_inside_a_sized_box(self):
        page = render(rates_chart())

        (canvas,) = page.xpath("//figure[@id='chart-rates']//div[@class='chart-box']/canvas")
        assert canvas.get("data-vanthu-chart") == "chart-rates-config"
        assert canvas.get("data-chart-library").endswith("vendor/chartjs/chart.umd.min.js")

    def test_carries_the_config_in_a_json_script_element(self):
        page = render(rates_chart())

        (script,) = page.xpath("//script[@id='chart-rates-config']")
        assert script.get("type") == "application/json"
        assert json.loads(script.text) == rates_chart().as_config()

    def test_has_the_title_as_a_heading(self):
        page = render(rates_chart())

        (heading,) = page.xpath("//figure//h3")
        assert heading.text_content() == "Tỷ lệ văn bản điện tử theo tháng"
        assert page.xpath("//figure")[0].get("aria-labelledby") == heading.get("id")

    def test_gives_screen_readers_the_same_numbers_in_a_hidden_table(self):
        page = render(rates_chart())

        (table,) = page.xpath("//table[@class='visually-hidden']")
        headings = [cell.text_content() for cell in table.xpath(".//thead//th")]
        assert headings == ["Tháng", "Văn bản đi", "Văn bản đến"]
        rows = [[cell.text_content() for cell in row] for row in table.xpath(".//tbody/tr")]
        assert rows == [
            ["T9/2026", "88,5%", "75,0%"],
            ["T10/2026", "92,3%", "—"],
            ["T11/2026", "100,0%", "1.234,5%"],
        ]

    def test_counts_show_whole_numbers_in_the_table(self):
        page = render(overdue_chart(), chart_id="overdue")

        rows = [[cell.text_content() for cell in row] for row in page.xpath("//tbody/tr")]
        assert rows[1] == ["Cấp xã", "3.400", "58", "2"]

    def test_uses_no_inline_script_or_style(self):
        page = render(rates_chart())

        assert not page.xpath("//*[@style]")
        for script in page.xpath("//script"):
            assert script.get("src") or script.get("type") == "application/json"
        (loader,) = page.xpath("//script[@src]")
        assert loader.get("src").endswith("js/charts.js")
        assert loader.get("defer") is not None

    def test_two_charts_on_a_page_have_their_own_ids(self):
        page = html.fragment_fromstring(
            render_to_string("reports/_chart.html", {"chart": rates_chart(), "chart_id": "rates"})
            + render_to_string("reports/_chart.html", {"chart": overdue_chart(), "chart_id": "overdue"}),
            create_parent="div",
        )

        ids = [element.get("id") for element in page.xpath("//*[@id]")]
        assert len(ids) == len(set(ids))
        assert {canvas.get("data-vanthu-chart") for canvas in page.xpath("//canvas")} == {
            "chart-rates-config",
            "chart-overdue-config",
        }
