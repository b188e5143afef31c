from __future__ import annotations

from vanthu.core.models import CalendarOverride
from vanthu.core.working_days import WorkingCalendar


def calendar_load(*, years: range | None = None) -> WorkingCalendar:
    """The working-day calendar with the administrators' overrides (of ``years`` if given)."""
    queryset = CalendarOverride.objects.all()
    if years is not None:
        queryset = queryset.filter(day_date__year__gte=years.start, day_date__year__lt=years.stop)
    return WorkingCalendar(overrides=dict(queryset.values_list("day_date", "kind")))
