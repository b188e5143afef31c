"""What the reports app keeps: the monthly rollups of the statistics (a cache of what the events
say, proven equal to a recomputation), the directive's targets per level, the score rules of the
yearly IT-use evaluation, and the periodic reports generated for the Department of Finance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vanthu.org.models import Agency
from vanthu.reports.levels import DEFAULT_TARGET_RATE
from vanthu.reports.levels import Level


class MonthlyRollup(models.Model):
    """The base counts of one agency for one month (Vietnam time) up to ``through``, as the events
    gave them; the snapshot counts are taken at ``through``; the first directions are kept by the
    month of the document's registration, so that any run of whole months adds up exactly."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # its first day
    values = models.JSONField(_("counts"), default=dict)
    # The events before this moment are counted: the month's end once it is over; the start of
    # the day of the computation for the month in progress (the page adds the rest from the events).
    through = models.DateTimeField(_("counted until"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("monthly statistics")
        verbose_name_plural = _("monthly statistics")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="rollup_agency_month_unique")]
        indexes = [models.Index(fields=["month"], name="rollup_month_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%m/%Y}"


class DirectiveTarget(models.Model):
    """From ``starts_on``, the agencies of ``level`` must reach ``target_rate`` % (the directive:
    100 %); under ``warning_rate`` % the board shows red, in between amber."""

    level = models.CharField(
        _("level"), max_length=16, choices=[(level.value, level.value) for level in Level], unique=True
    )
    starts_on = models.DateField(_("from"))
    target_rate = models.PositiveSmallIntegerField(_("target (%)"), default=DEFAULT_TARGET_RATE)
    warning_rate = models.PositiveSmallIntegerField(_("red below (%)"), default=80)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("directive target")
        verbose_name_plural = _("directive targets")
        constraints = [
            models.CheckConstraint(condition=models.Q(target_rate__lte=100), name="target_rate_at_most_100"),
            models.CheckConstraint(
                condition=models.Q(warning_rate__lte=models.F("target_rate")), name="warning_rate_below_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.target_rate} % from {self.starts_on:%d/%m/%Y}"


class ScoreRule(models.Model):
    """A bonus (points > 0) or a penalty (points < 0) of the yearly IT-use evaluation, given when
    the agency's measure, over the year, is at least (or below) the threshold."""

    class Comparison(models.TextChoices):
        AT_LEAST = "GTE", _("at least")
        BELOW = "LT", _("below")

    label = models.CharField(_("criterion"), max_length=200)
    measure = models.CharField(_("measure"), max_length=40)
    comparison = models.CharField(_("comparison"), max_length=3, choices=Comparison.choices)
    threshold = models.FloatField(_("threshold"))
    points = models.SmallIntegerField(_("points"))
    ordinal = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["ordinal", "id"]
        verbose_name = _("score rule")
        verbose_name_plural = _("score rules")

    def __str__(self) -> str:
        return self.label


class GeneratedReport(models.Model):
    """A periodic report as it was generated and sent (kept unchanged)."""

    kind = models.CharField(_("period"), max_length=16)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    label = models.CharField(_("report"), max_length=200)
    generated_at = models.DateTimeField(_("generated at"))
    xlsx = models.BinaryField(_("workbook"))
    pdf = models.BinaryField(_("PDF"))
    xlsx_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-period_end", "kind"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "period_end"], name="generated_report_unique")
        ]

    def __str__(self) -> str:
        return self.label
