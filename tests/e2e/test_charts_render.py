"""Charts in Chromium (issue 8): the chart partial draws with the vendored Chart.js under the
site's Content-Security-Policy (no console error, no CSP violation), on a desktop and on a phone
(390×844, the legend under the chart, nothing sticking out), with tooltips in Vietnamese number
format with the unit, and a chart swapped in later by htmx is drawn too.

The page is served only here, through a test URLconf (``vanthu.reports.tests.chart_urls``), by
pytest-django's live server. Screenshots in ``test-artifacts/screenshots/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.layout import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

DRAWN = """(count) => {
  const canvases = [...document.querySelectorAll("canvas[data-vanthu-chart]")];
  return !!window.Chart && canvases.length === count && canvases.every((canvas) => window.Chart.getChart(canvas));
}"""

INKED = """(canvas) => {
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  let inked = 0;
  for (let index = 3; index < data.length; index += 4) { if (data[index] > 0) inked += 1; }
  return inked;
}"""

POINT = """([canvas, series, index]) => {
  const element = window.Chart.getChart(canvas).getDatasetMeta(series).data[index];
  const box = canvas.getBoundingClientRect();
  return { x: box.left + element.x, y: box.top + element.y };
}"""

TOOLTIP = """(canvas) => {
  const tooltip = window.Chart.getChart(canvas).tooltip;
  return tooltip.opacity > 0 ? tooltip.body.flatMap((part) => part.lines) : null;
}"""


def tooltip_at(page: Any, chart_id: str, series: int, index: int) -> list[str]:
    """Hover the mouse over a point (or a bar) and read the tooltip's lines as Chart.js drew them."""
    element = canvas(page, chart_id)
    point = page.evaluate(POINT, [element, series, index])
    page.mouse.move(point["x"], point["y"])
    return page.wait_for_function(TOOLTIP, arg=element).json_value()


@pytest.fixture
def chart_page(settings: Any, transactional_db: None) -> str:
    settings.ROOT_URLCONF = "vanthu.reports.tests.chart_urls"
    return "/__charts__/"


def canvas(page: Any, chart_id: str) -> Any:
    return page.locator(f"#chart-{chart_id} canvas").element_handle()


def legend_position(page: Any, chart_id: str) -> str:
    return page.evaluate(
        "(canvas) => window.Chart.getChart(canvas).options.plugins.legend.position", canvas(page, chart_id)
    )


class TestChartsRender:
    def test_draws_the_charts_on_a_desktop_with_vietnamese_tooltips(
        self, open_page: Any, chart_page: str, screenshots: Path
    ) -> None:
        page = open_page(DESKTOP)
        page.goto(chart_page)
        page.wait_for_function(DRAWN, arg=2)

        for chart_id in ("rates", "overdue"):
            assert page.evaluate(INKED, canvas(page, chart_id)) > 1000, f"the {chart_id} chart is blank"
        assert legend_position(page, "rates") == "top"
        box = page.locator("#chart-rates canvas").bounding_box()
        assert box["height"] > 250  # the fixed-height box, not a 150 px default canvas

        assert tooltip_at(page, "rates", 0, 7) == [
            "Văn bản đi: 92,5%",
            "Văn bản đến: 85,0%",
        ]
        assert tooltip_at(page, "overdue", 0, 2) == [
            "Đúng hạn: 8.700",
            "Quá hạn: 410",
        ]
        cells = page.locator("#chart-rates tbody td").all_text_contents()
        assert cells[6:8] == ["86,4%", "—"]  # April: a gap for the incoming rate, not a zero
        page.screenshot(path=str(screenshots / "charts-desktop.png"), full_page=True)

        page.set_viewport_size(PHONE)  # a window narrowed (or a tablet turned) redraws
        page.wait_for_function(
            "(canvas) => window.Chart.getChart(canvas).options.plugins.legend.position === 'bottom'",
            arg=canvas(page, "rates"),
        )

    def test_fits_a_phone_with_the_legend_under_the_chart(
        self, open_page: Any, chart_page: str, screenshots: Path
    ) -> None:
        page = open_page(PHONE)
        page.goto(chart_page)
        page.wait_for_function(DRAWN, arg=2)

        assert page.evaluate(INKED, canvas(page, "rates")) > 1000
        assert legend_position(page, "rates") == "bottom"
        box = page.locator("#chart-rates canvas").bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
        assert_no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / "charts-phone.png"), full_page=True)

    def test_draws_a_chart_swapped_in_by_htmx(self, open_page: Any, chart_page: str) -> None:
        page = open_page(DESKTOP)
        page.goto(chart_page)
        page.wait_for_function(DRAWN, arg=2)

        page.locator("#more-charts").click()
        page.wait_for_function(DRAWN, arg=3)

        assert page.evaluate(INKED, canvas(page, "levels")) > 1000
        assert tooltip_at(page, "levels", 0, 2) == ["Ký số: 88,2%"]
        scripts = page.evaluate(
            "() => [...document.scripts].filter((script) => script.src.includes('chart.umd')).length"
        )
        assert scripts == 1  # Chart.js loaded once, whatever the number of charts
