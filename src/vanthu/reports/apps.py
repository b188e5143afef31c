from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics computed from the audit events, the directive's compliance board, the periodic
    reports and the registers to print (reads every app; writes only its own rollups and files)."""

    name = "vanthu.reports"
    label = "reports"
    verbose_name = _("Reports and statistics")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.reports.events import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
