"""Huey tasks of the reports app (the periodic ones live in ``reports.periodic``)."""

from __future__ import annotations

from vanthu.reports import periodic  # noqa: F401 - registers the daily jobs with the consumer
