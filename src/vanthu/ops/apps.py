from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: province-scale synthetic data, benchmarks, backups and restores, storage checks."""

    name = "vanthu.ops"
    label = "ops"
    verbose_name = _("Operations")
