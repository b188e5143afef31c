"""Audit action names of the reports app, with their human labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

ROLLUP_COMPUTED = "reports.rollup.computed"
REPORT_GENERATED = "reports.report.generated"
TARGET_CHANGED = "reports.target.changed"
SCORE_RULE_SAVED = "reports.score_rule.saved"

ACTION_LABELS: dict[str, Any] = {
    ROLLUP_COMPUTED: _("Monthly statistics computed"),
    REPORT_GENERATED: _("Periodic report generated"),
    TARGET_CHANGED: _("Directive target changed"),
    SCORE_RULE_SAVED: _("Evaluation rule saved"),
}
