"""The daily jobs: the rollups of closed months, the reports for the Department of Finance on the
first working day of a month (kept once, XLSX that opens, PDF that renders), the home dashboard."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from vanthu.reports import services
from vanthu.reports.models import GeneratedReport
from vanthu.reports.models import MonthlyRollup
from vanthu.reports.tests.pdf_tools import flat
from vanthu.reports.tests.pdf_tools import render_png
from vanthu.reports.tests.pdf_tools import text_of
from vanthu.reports.tests.test_views import signed_in
from vanthu.reports.tests.world import World
from vanthu.reports.tests.world import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 5, 4), True),  # 30/4 and 1/5 are holidays, then a weekend
        (date(2026, 5, 1), False),
        (date(2026, 7, 1), True),
        (date(2026, 7, 2), False),
        (date(2026, 8, 3), True),  # 1/8 is a Saturday
    ],
)
def test_the_first_working_day_of_a_month(day: date, first: bool) -> None:
    assert services.is_first_working_day(day) is first


def test_the_reports_due_are_generated_once_and_open(world: World) -> None:
    assert services.periodic_reports_generate(now=at(5, 1, 7, 30)) == []  # a holiday

    kept = services.periodic_reports_generate(now=at(5, 4, 7, 30))
    again = services.periodic_reports_generate(now=at(5, 4, 8, 30), force=True)

    assert [report.label.split(" — ")[1] for report in kept] == ["Tháng 4/2026"]
    assert again == []
    report = GeneratedReport.objects.get()
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx))).active
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Sở Tài chính" in cells
    assert "Kính gửi" in flat(text_of(bytes(report.pdf), page=1))
    with tempfile.TemporaryDirectory() as folder:
        assert render_png(bytes(report.pdf), Path(folder) / "page.png").stat().st_size > 0


def test_the_end_of_june_brings_the_quarter_and_the_six_months(world: World) -> None:
    kept = services.periodic_reports_generate(now=at(7, 1, 7, 30))

    assert [report.kind for report in kept] == ["month", "quarter", "half"]


def test_rollups_catch_up_and_feed_the_home_dashboard(
    world: World, inspector: Any, officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanthu.core import clock

    rolled = services.rollups_catch_up(now=at(5, 4, 0, 20))
    assert date(2026, 3, 1) in rolled
    assert date(2026, 4, 1) in rolled
    assert MonthlyRollup.objects.filter(month=date(2026, 4, 1), agency=world.stc).exists()

    monkeypatch.setattr(clock, "now", lambda: at(5, 4, 9))
    home = signed_in(inspector).get("/").content.decode()
    assert 'id="home-dashboard"' in home
    assert 'id="home-dashboard"' not in signed_in(officer).get("/").content.decode()
