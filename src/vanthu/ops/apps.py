from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: province-scale synthetic data, benchmarks, backups and restores, storage checks."""

    name = "vanthu.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.ops.events import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
