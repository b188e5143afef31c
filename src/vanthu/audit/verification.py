"""Walking the chains: recompute every hash, check every link, sequence and head."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field

from vanthu.audit.chain import link_hash
from vanthu.audit.models import AuditChainHead
from vanthu.audit.models import AuditEvent
from vanthu.audit.services import event_content

GENESIS = "0" * 64


@dataclass
class ChainBreak:
    chain: str
    event_id: int | None
    seq: int | None
    reason: str


@dataclass
class VerificationReport:
    chains: int = 0
    events: int = 0
    breaks: list[ChainBreak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks


def _events_of(chain: str, batch: int = 2000) -> Iterator[AuditEvent]:
    last_seq = 0
    while True:
        rows = list(AuditEvent.objects.filter(chain=chain, seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq


def verify_chain(chain: str, head: AuditChainHead | None) -> tuple[int, ChainBreak | None]:
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for event in _events_of(chain):
        count += 1
        if event.seq != expected_seq:
            return count, ChainBreak(chain, event.id, event.seq, f"missing event(s) before seq {event.seq}")
        if event.prev_hash != expected_prev:
            return count, ChainBreak(chain, event.id, event.seq, "link to the previous event is broken")
        if link_hash(event.prev_hash, event_content(event)) != event.hash:
            return count, ChainBreak(chain, event.id, event.seq, "content does not match its hash")
        expected_prev = event.hash
        expected_seq += 1
    if head is not None and (head.seq != expected_seq - 1 or head.hash != expected_prev):
        return count, ChainBreak(chain, None, head.seq, "events after the last one present are missing")
    return count, None


def audit_verify() -> VerificationReport:
    report = VerificationReport()
    heads = {head.chain: head for head in AuditChainHead.objects.all()}
    chains = set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(chains):
        count, chain_break = verify_chain(chain, heads.get(chain))
        report.chains += 1
        report.events += count
        if chain_break is not None:
            report.breaks.append(chain_break)
    return report
