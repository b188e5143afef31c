from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text and field search over the documents a person may see (reads only)."""

    name = "vanthu.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from vanthu.audit.labels import register_action_labels
        from vanthu.search.events import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
