"""The reports' daily jobs (Huey periodic tasks, Vietnam time): at 00:20 the monthly rollups of
closed months; at 07:30, on the first working day of a month, the reports due for the Department
of Finance. The consumer imports ``reports.tasks``, which imports this module."""

from __future__ import annotations

from huey.contrib.djhuey import db_periodic_task

from vanthu.core import clock
from vanthu.incoming.periodic import at_vietnam_time
from vanthu.reports.services import periodic_reports_generate
from vanthu.reports.services import rollups_catch_up


@db_periodic_task(at_vietnam_time(hour=0, minute=20))  # type: ignore[untyped-decorator]  # huey is not annotated
def rollups_daily() -> int:
    return len(rollups_catch_up(now=clock.now()))


@db_periodic_task(at_vietnam_time(hour=7, minute=30))  # type: ignore[untyped-decorator]  # huey is not annotated
def periodic_reports_daily() -> int:
    return len(periodic_reports_generate(now=clock.now()))
