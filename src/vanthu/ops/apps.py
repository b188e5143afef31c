from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: province-scale synthetic data, benchmarks, backups and restores, storage checks."""

    name = "vanthu.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.ops.demo import on_demo_province_loaded
        from vanthu.ops.events import ACTION_LABELS
        from vanthu.org.signals import demo_province_loaded

        register_action_labels(ACTION_LABELS)
        # After the outgoing and incoming parts of the demo (their apps come first in INSTALLED_APPS).
        demo_province_loaded.connect(on_demo_province_loaded, dispatch_uid="ops-demo-history")
