"""A small province whose statistics are known by heart, built through the real services at chosen
moments (Vietnam time): documents on both sides of a month's end, one agency merged into Sở Tài
chính in the middle of April 2026.

Sở Tài chính (STC):
- E1 issued electronically on 10/03 09:00, E2 on 31/03 23:30 (March, not April);
- P1 registered on paper on 01/04 00:15 (April); P0, by Sở Kế hoạch và Đầu tư on 05/04, before that
  body was merged into STC on 15/04 (it counts for STC);
- I1 received 05/03, directed 06/03 (deadline 13/03), done 12/03: on time, 5 working days;
- I2 received 31/03 22:00, directed 01/04 08:00 (deadline 03/04), done 10/04: late, 8 working days;
- I3 received on paper 02/04, directed the same day (deadline 09/04), never done: overdue at the
  end of April;
- I4 received 20/04, never directed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from typing import Any

from vanthu.core.clock import VIETNAM
from vanthu.documents.models import DocumentType
from vanthu.incoming.models import Incoming
from vanthu.incoming.services.direction import AssignmentInput
from vanthu.incoming.services.direction import incoming_direct
from vanthu.incoming.services.handling import incoming_complete
from vanthu.incoming.services.registration import incoming_register
from vanthu.incoming.tests.factories import arrived
from vanthu.incoming.tests.factories import paper_arrivals
from vanthu.org.models import Agency
from vanthu.org.models import Role
from vanthu.org.services.agencies import agency_merge
from vanthu.org.tests.factories import AgencyFactory
from vanthu.org.tests.factories import person_with_role
from vanthu.outgoing.models import Outgoing
from vanthu.outgoing.services.issuance import outgoing_issue
from vanthu.outgoing.services.paper import outgoing_register_paper
from vanthu.outgoing.tests.issuance_support import signed_outgoing


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


@dataclass
class World:
    stc: Agency
    old: Agency
    other: Agency
    documents: dict[str, int]  # name -> Document id


def _paper_outgoing(agency: Agency, clerk: Any, now: datetime, subject: str) -> Outgoing:
    return outgoing_register_paper(
        agency=agency,
        document_type=DocumentType.objects.get(code="CONG_VAN", agency__isnull=True),
        subject=subject,
        signer_name="Nguyễn Văn Ký",
        signer_position="Giám đốc",
        signer_authority="",
        issued_date=now.date(),
        scanned=None,
        recipients=[],
        actor=clerk,
        now=now,
    )


def _handle(incoming: Incoming, *, clerk: Any, leader: Any, officer: Any, steps: dict[str, Any]) -> Incoming:
    incoming = incoming_register(incoming=incoming, actor=clerk, now=steps["registered"])
    if "directed" in steps:
        incoming = incoming_direct(
            incoming=incoming,
            actor=leader,
            now=steps["directed"],
            instruction="Giao Phòng Ngân sách chủ trì tham mưu.",
            assignments=[AssignmentInput(role="LEAD", person_id=officer.pk)],
            due_date=steps["due"],
        )
    if "done" in steps:
        incoming = incoming_complete(incoming=incoming, actor=officer, now=steps["done"], result="Đã tham mưu.")
    return incoming


def build_world(  # noqa: PLR0913 - the people and agencies of the world
    *,
    province: Agency,
    agency: Agency,
    other_agency: Agency,
    clerk: Any,
    agency_leader: Any,
    officer: Any,
    province_admin: Any,
    seal_certificate: Any,
) -> World:
    old = AgencyFactory(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=province, kind="DEPARTMENT")
    old_clerk = person_with_role(Role.CLERK, old)
    docs: dict[str, int] = {}
    for name, moment in (("E1", at(3, 10)), ("E2", at(3, 31, 23, 30))):
        outgoing = signed_outgoing(agency=agency, drafter=officer, now=moment, subject=f"Quyết định {name}")
        docs[name] = outgoing_issue(
            outgoing=outgoing, certificate=seal_certificate, actor=clerk, now=moment
        ).document_id
    docs["P1"] = _paper_outgoing(agency, clerk, at(4, 1, 0, 15), "Công văn P1 ký giấy").document_id
    docs["P0"] = _paper_outgoing(old, old_clerk, at(4, 5), "Công văn P0 của Sở Kế hoạch và Đầu tư").document_id
    people = {"clerk": clerk, "leader": agency_leader, "officer": officer}
    i1 = _handle(
        arrived(sender=province, recipient=agency, now=at(3, 5, 8), subject="Văn bản đến I1"),
        **people,
        steps={"registered": at(3, 5), "directed": at(3, 6), "due": date(2026, 3, 13), "done": at(3, 12)},
    )
    i2 = _handle(
        arrived(sender=province, recipient=agency, now=at(3, 31, 21), subject="Văn bản đến I2"),
        **people,
        steps={"registered": at(3, 31, 22), "directed": at(4, 1, 8), "due": date(2026, 4, 3), "done": at(4, 10)},
    )
    paper_id = paper_arrivals(agency=agency, clerk=clerk, now=at(4, 2, 8), count=1)[0]
    i3 = _handle(
        Incoming.objects.get(pk=paper_id),
        **people,
        steps={"registered": at(4, 2), "directed": at(4, 2, 15), "due": date(2026, 4, 9)},
    )
    i4 = _handle(
        arrived(sender=province, recipient=agency, now=at(4, 20, 8), subject="Văn bản đến I4"),
        **people,
        steps={"registered": at(4, 20)},
    )
    for name, incoming in (("I1", i1), ("I2", i2), ("I3", i3), ("I4", i4)):
        docs[name] = incoming.document_id
    agency_merge(
        predecessor=old, successor=agency, actor=province_admin, effective_date=date(2026, 4, 15), now=at(4, 14, 17)
    )
    return World(stc=agency, old=old, other=other_agency, documents=docs)
