"""Human names of audit actions, shown beside the action code. Each app registers its own
labels (``register_action_labels``) from its AppConfig.ready(); unknown actions show their code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, Any] = {
    "accounts.login.succeeded": _("Signed in"),
    "accounts.login.failed": _("Failed sign-in"),
    "accounts.logout": _("Signed out"),
    "accounts.password.changed": _("Password changed"),
    "accounts.password.reset": _("Password reset"),
    "accounts.token.issued": _("API token issued"),
    "accounts.token.revoked": _("API token revoked"),
    "accounts.two_factor.enrolled": _("Two-factor sign-in set up"),
    "accounts.two_factor.verified": _("Two-factor code accepted"),
    "accounts.two_factor.failed": _("Wrong two-factor code"),
    "core.calendar.override_set": _("Working-day calendar changed"),
    "core.calendar.override_removed": _("Working-day calendar change removed"),
    "org.agency.created": _("Agency created"),
    "org.agency.updated": _("Agency changed"),
    "org.agency.merged": _("Agency merged into a successor"),
    "org.agency.received_merge": _("Agency received a merged agency"),
    "org.agency.deleted": _("Agency deleted"),
    "org.unit.created": _("Unit created"),
    "org.unit.updated": _("Unit changed"),
    "org.person.created": _("Person added"),
    "org.person.updated": _("Person changed"),
    "org.person.deactivated": _("Account deactivated"),
    "org.role.assigned": _("Role given"),
    "org.role.ended": _("Role ended"),
    "org.delegation.created": _("Delegation given"),
    "org.delegation.revoked": _("Delegation revoked"),
}


def register_action_labels(labels: dict[str, Any]) -> None:
    _LABELS.update(labels)


def action_label(action: str) -> Any:
    return _LABELS.get(action, action)
