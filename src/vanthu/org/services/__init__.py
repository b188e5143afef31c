"""Writes of the organisation. Every service takes the acting person and ``now``, checks the
policy itself, locks what it changes and records its audit event in the same transaction."""

from vanthu.org.services.agencies import agency_create
from vanthu.org.services.agencies import agency_delete
from vanthu.org.services.agencies import agency_merge
from vanthu.org.services.agencies import agency_update
from vanthu.org.services.calendar import calendar_override_remove
from vanthu.org.services.calendar import calendar_override_set
from vanthu.org.services.delegations import delegation_create
from vanthu.org.services.delegations import delegation_revoke
from vanthu.org.services.people import person_create
from vanthu.org.services.people import person_deactivate
from vanthu.org.services.people import person_update
from vanthu.org.services.people import role_assign
from vanthu.org.services.people import role_end
from vanthu.org.services.units import unit_create
from vanthu.org.services.units import unit_update

__all__ = [
    "agency_create",
    "agency_delete",
    "agency_merge",
    "agency_update",
    "calendar_override_remove",
    "calendar_override_set",
    "delegation_create",
    "delegation_revoke",
    "person_create",
    "person_deactivate",
    "person_update",
    "role_assign",
    "role_end",
    "unit_create",
    "unit_update",
]
