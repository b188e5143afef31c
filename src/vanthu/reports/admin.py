"""Django admin for the reports app: read-only (the rollups come from the events, the reports are
kept as sent; the directive's targets change through ``services.directive_target_set``)."""

from __future__ import annotations

from django.contrib import admin

from vanthu.core.admin_base import ReadOnlyModelAdmin
from vanthu.reports.models import DirectiveTarget
from vanthu.reports.models import GeneratedReport
from vanthu.reports.models import MonthlyRollup
from vanthu.reports.models import ScoreRule


@admin.register(MonthlyRollup)
class MonthlyRollupAdmin(ReadOnlyModelAdmin):
    list_display = ("agency", "month", "computed_at")
    list_filter = ("month",)


@admin.register(DirectiveTarget)
class DirectiveTargetAdmin(ReadOnlyModelAdmin):
    list_display = ("level", "starts_on", "target_rate", "warning_rate", "updated_at")


@admin.register(ScoreRule)
class ScoreRuleAdmin(ReadOnlyModelAdmin):
    list_display = ("label", "measure", "comparison", "threshold", "points", "is_active")


@admin.register(GeneratedReport)
class GeneratedReportAdmin(ReadOnlyModelAdmin):
    list_display = ("label", "period_start", "period_end", "generated_at")
    exclude = ("xlsx", "pdf")
