"""The three levels of the directive (province agencies, districts, communes) and the dates from
which each must handle 100 % of its documents electronically (Directive 15/CT-UBND's defaults;
each can be changed in ``DirectiveTarget``)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from vanthu.org.models import AgencyKind


class Level(StrEnum):
    PROVINCE = "PROVINCE"
    DISTRICT = "DISTRICT"
    COMMUNE = "COMMUNE"


LEVEL_LABELS = {
    Level.PROVINCE: _("Province agencies"),
    Level.DISTRICT: _("Districts (until 30 June 2025)"),
    Level.COMMUNE: _("Communes and wards"),
}

DIRECTIVE_DEFAULTS: dict[Level, date] = {
    Level.PROVINCE: date(2020, 5, 22),
    Level.DISTRICT: date(2020, 7, 1),
    Level.COMMUNE: date(2020, 9, 1),
}
DEFAULT_TARGET_RATE = 100


def level_of(kind: str) -> Level:
    if kind == AgencyKind.DISTRICT:
        return Level.DISTRICT
    if kind in (AgencyKind.COMMUNE, AgencyKind.WARD):
        return Level.COMMUNE
    return Level.PROVINCE
