"""``vanthu audit verify``: walk every audit chain and name the first broken row of each.

Exit status 0 when every chain is intact, 1 when one is broken (for cron and monitoring). The
``chain=… event_id=… seq=…`` fields stay untranslated so scripts can read them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from vanthu.audit.verification import audit_verify


class Command(BaseCommand):
    help = "Verify the hash chains of the audit log; name the first broken row of each chain."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        self.stdout.write(
            _("Checked %(chains)d chain(s), %(events)d event(s).") % {"chains": report.chains, "events": report.events}
        )
        if report.ok:
            self.stdout.write(self.style.SUCCESS(_("Audit log OK: every chain is intact.")))
            return
        for chain_break in report.breaks:
            event_id = "-" if chain_break.event_id is None else str(chain_break.event_id)
            seq = "-" if chain_break.seq is None else str(chain_break.seq)
            self.stdout.write(
                self.style.ERROR(
                    f"BROKEN chain={chain_break.chain} event_id={event_id} seq={seq}: {chain_break.reason}"
                )
            )
        self.stdout.write(
            self.style.ERROR(_("Audit log BROKEN: %(count)d chain(s) damaged.") % {"count": len(report.breaks)})
        )
        raise SystemExit(1)
