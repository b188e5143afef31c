from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Full-text and field search over the documents a person may see (reads only)."""

    name = "vanthu.search"
    label = "search"
    verbose_name = _("Search")
