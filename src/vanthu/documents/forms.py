"""Forms of the documents pages (reserving and cancelling register numbers)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vanthu.core.form_base import VanthuForm


class ReserveForm(VanthuForm):
    count = forms.IntegerField(label=_("How many numbers"), min_value=1, max_value=50, initial=1)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class CancelForm(VanthuForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255)
