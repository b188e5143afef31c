from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Technical timestamps of the row itself. Business times (registered_at, …) are passed in."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class CalendarOverride(TimeStampedModel):
    """An administrator's correction to the Vietnamese holiday calendar for one day."""

    class Kind(models.TextChoices):
        DAY_OFF = "DAY_OFF", _("Extra day off")
        WORKING_DAY = "WORKING_DAY", _("Make-up working day")

    day_date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        ordering = ["day_date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["DAY_OFF", "WORKING_DAY"]), name="calendar_override_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day_date} {self.kind}"


class Blob(models.Model):
    """A file's bytes, stored once under their SHA-256 and verified whenever read."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    size = models.BigIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=128)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [models.CheckConstraint(condition=models.Q(size__gte=0), name="blob_size_not_negative")]

    def __str__(self) -> str:
        return self.sha256


def fields_too_long(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, Any]:
    """A message for each value longer than its column allows (SQLite would store it; PostgreSQL
    would fail with a server error), so services refuse it as bad input instead."""
    errors: dict[str, Any] = {}
    for name, value in values.items():
        limit = getattr(model._meta.get_field(name), "max_length", None)
        if limit is not None and value is not None and len(str(value)) > limit:
            errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return errors
