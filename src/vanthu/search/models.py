"""A person's saved searches (the query and its filters, to run again from the search page)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_SAVED = 30


class SavedSearch(models.Model):
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=100)
    query_string = models.CharField(_("search"), max_length=1000, help_text=_("The query and its filters."))
    created_at = models.DateTimeField(_("saved at"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="saved_search_name_unique")]

    def __str__(self) -> str:
        return self.name
