"""Time is passed in. Interfaces call ``now()``; domain code receives ``now`` as an argument and
answers calendar questions in Vietnam time, whatever the server's time zone."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The single place interfaces (views, API, tasks, commands) read the clock."""
    return timezone.now()


def vietnam_time(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("naive datetimes are not accepted")
    return moment.astimezone(VIETNAM)


def vietnam_date(moment: datetime) -> date:
    return vietnam_time(moment).date()


def vietnam_year(moment: datetime) -> int:
    return vietnam_time(moment).year


def start_of_vietnam_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def end_of_vietnam_day(day: date) -> datetime:
    return start_of_vietnam_day(day) + timedelta(days=1) - timedelta(microseconds=1)
