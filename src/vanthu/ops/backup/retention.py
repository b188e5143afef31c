"""Which snapshots a destination keeps: the newest of each of the last ``daily`` days that have
one, and the newest of each of the last ``monthly`` months (days and months in Vietnam time).
Pure functions: the snapshot names carry their UTC time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from datetime import datetime

from vanthu.core.clock import vietnam_time

NAME_FORMAT = "%Y%m%dT%H%M%SZ"


def snapshot_name(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(NAME_FORMAT)


def snapshot_time(name: str) -> datetime | None:
    """The UTC time of a snapshot name (``20261126T183000Z``, maybe with a ``-2`` suffix)."""
    try:
        return datetime.strptime(name.split("-", 1)[0], NAME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def snapshots_to_keep(names: Iterable[str], *, daily: int, monthly: int) -> set[str]:
    dated = sorted(
        ((moment, name) for name in names if (moment := snapshot_time(name)) is not None),
        reverse=True,
    )
    keep: set[str] = set()
    days: set[object] = set()
    months: set[tuple[int, int]] = set()
    for moment, name in dated:
        local = vietnam_time(moment)
        day = local.date()
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(name)
        month = (local.year, local.month)
        if month not in months and len(months) < monthly:
            months.add(month)
            keep.add(name)
    return keep
