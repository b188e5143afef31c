"""The screens of issue 6: inbox queues, a document's page, registering an incoming document,
issuing to 50 recipients, the follow-up register, the home page — for an ordinary OFFICER and a
CLERK, and the same queues for an AGENCY_LEADER who sees the whole agency (the role comparison).

A detail scenario cycles through ``DETAIL_SAMPLE`` documents the person may see (spread over
their whole list, not the newest only), so the caches are not the same page's."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from django.urls import reverse

from vanthu.core.clock import start_of_vietnam_day
from vanthu.core.clock import vietnam_date
from vanthu.core.clock import vietnam_year
from vanthu.documents.models import Register
from vanthu.documents.models import RegisterScope
from vanthu.incoming import policies as incoming_policies
from vanthu.incoming.models import Incoming
from vanthu.incoming.models import IncomingStatus
from vanthu.ops.bench import fixtures
from vanthu.ops.bench.registry import Category
from vanthu.ops.bench.registry import ReadBuilder
from vanthu.ops.bench.registry import Request
from vanthu.ops.bench.registry import Scenario
from vanthu.ops.bench.registry import Setting
from vanthu.ops.bench.registry import register
from vanthu.outgoing import policies as outgoing_policies
from vanthu.outgoing.models import OutgoingStatus

DETAIL_SAMPLE = 20
_SPREAD = 2000  # the newest ids a sample is drawn from (a page of a list is opened from near its top)


def _sample(ids: Sequence[int], seed: str) -> list[int]:
    chosen = list(ids)
    random.Random(seed).shuffle(chosen)  # noqa: S311 - a repeatable sample, not security
    return chosen[:DETAIL_SAMPLE]


def _queue(path_name: str, queue: str) -> ReadBuilder:
    def build(setting: Setting) -> list[Request]:
        return [Request(path=f"{reverse(path_name)}?queue={queue}")]

    return build


def _page(path_name: str) -> ReadBuilder:
    def build(setting: Setting) -> list[Request]:
        return [Request(path=reverse(path_name))]

    return build


def _incoming_details(role: str) -> ReadBuilder:
    def build(setting: Setting) -> list[Request]:
        person = setting.cast.person(role)
        ids = list(
            incoming_policies.incoming_visible_to(person, setting.now)
            .exclude(status=IncomingStatus.ARRIVED)
            .order_by("-id")
            .values_list("id", flat=True)[:_SPREAD]
        )
        if not ids:
            raise LookupError(f"{role} sees no incoming document")
        return [Request(path=reverse("incoming:detail", args=[pk])) for pk in _sample(ids, f"incoming/{role}")]

    return build


def _outgoing_details(role: str) -> ReadBuilder:
    def build(setting: Setting) -> list[Request]:
        person = setting.cast.person(role)
        ids = list(
            outgoing_policies.outgoing_visible_to(person, setting.now)
            .filter(status=OutgoingStatus.ISSUED)
            .order_by("-id")
            .values_list("id", flat=True)[:_SPREAD]
        )
        if not ids:
            raise LookupError(f"{role} sees no issued outgoing document")
        return [Request(path=reverse("outgoing:detail", args=[pk])) for pk in _sample(ids, f"outgoing/{role}")]

    return build


def _follow_up(role: str) -> ReadBuilder:
    """The follow-up register for a month: the last full month of the busiest incoming register of
    the year of the run (of the latest year that has one), ``?month=`` on the register page."""

    def build(setting: Setting) -> list[Request]:
        agency = setting.cast.agencies["ward" if role.startswith("ward.") else "department"]
        registers = Register.objects.filter(agency=agency, scope=RegisterScope.INCOMING)
        this_year = vietnam_year(setting.now)
        chosen = (
            registers.filter(year=this_year).order_by("-next_number", "id").first()
            or registers.order_by("-year", "-next_number", "id").first()
        )
        if chosen is None:
            raise LookupError(f"{agency.name} has no incoming register")
        today = vietnam_date(setting.now)
        month = today.month - 1 if chosen.year == this_year and today.month > 1 else 12
        if chosen.year == this_year and today.month == 1:
            month = 1
        first = start_of_vietnam_day(date(chosen.year, month, 1))
        following = start_of_vietnam_day(date(chosen.year + (month == 12), month % 12 + 1, 1))  # noqa: PLR2004
        rows = Incoming.objects.filter(
            register=chosen, arrival_number__isnull=False, arrival_at__gte=first, arrival_at__lt=following
        ).count()
        query = f"kind=follow_up&year={chosen.year}&month={month}&register={chosen.pk}"
        return [Request(path=f"{reverse('incoming:register')}?{query}", note=f"{chosen.year}-{month:02d}: {rows} rows")]

    return build


# --- writes ---------------------------------------------------------------------------------------


def _prepare_register(setting: Setting) -> None:
    department = setting.cast.agencies["department"]
    setting.state["sender"] = fixtures.sender_for(department, setting.now)


def _next_registration(setting: Setting, iteration: int) -> Request:
    sender, sender_clerk = setting.state["sender"]
    incoming = fixtures.arrived_incoming(
        recipient=setting.cast.agencies["department"], sender=sender, sender_clerk=sender_clerk, now=setting.now
    )
    return Request(path=reverse("incoming:act", args=[incoming.pk, "register"]), method="POST", expected=(302,))


def _prepare_issue(setting: Setting) -> None:
    department = setting.cast.agencies["department"]
    setting.state["seal"] = fixtures.seal_certificate(agency=department, now=setting.now)
    setting.state["recipients"] = fixtures.recipient_agencies(agency=department)


def _next_issue(setting: Setting, iteration: int) -> Request:
    outgoing = fixtures.signed_outgoing(
        agency=setting.cast.agencies["department"],
        drafter=setting.cast.person("officer"),
        recipients=setting.state["recipients"],
        now=setting.now,
    )
    return Request(
        path=reverse("outgoing:issue", args=[outgoing.pk]),
        method="POST",
        data={"certificate": str(setting.state["seal"].pk)},
        expected=(302,),
        note=f"{len(setting.state['recipients'])} recipients",
    )


# --- the registry ---------------------------------------------------------------------------------

for role in ("officer", "agency_leader"):
    for queue in ("to_handle", "overdue", "done"):
        register(
            Scenario(
                screen=f"incoming.queue.{queue}",
                title=f"Incoming queue “{queue}”",
                role=role,
                category=Category.LIST,
                requests=_queue("incoming:queues", queue),
            )
        )
register(
    Scenario(
        screen="incoming.queue.to_register",
        title="Incoming queue “to_register”",
        role="clerk",
        category=Category.LIST,
        requests=_queue("incoming:queues", "to_register"),
    )
)
register(
    Scenario(
        screen="incoming.queue.inbox",
        title="Incoming queues (first page, default queue)",
        role="clerk",
        category=Category.LIST,
        requests=_page("incoming:queues"),
    )
)
for role, queue in (("officer", "mine"), ("clerk", "to_issue"), ("officer", "issued"), ("agency_leader", "issued")):
    register(
        Scenario(
            screen=f"outgoing.queue.{queue}",
            title=f"Outgoing queue “{queue}”",
            role=role,
            category=Category.LIST,
            requests=_queue("outgoing:queues", queue),
        )
    )
for role in ("officer", "clerk"):
    register(
        Scenario(
            screen="incoming.detail",
            title="Incoming document page",
            role=role,
            category=Category.DETAIL,
            requests=_incoming_details(role),
        )
    )
    register(
        Scenario(
            screen="outgoing.detail",
            title="Issued outgoing document page",
            role=role,
            category=Category.DETAIL,
            requests=_outgoing_details(role),
        )
    )
register(
    Scenario(
        screen="incoming.follow_up",
        title="Follow-up register for a month (sổ theo dõi giải quyết)",
        role="clerk",
        category=Category.REGISTER,
        requests=_follow_up("clerk"),
        iterations_factor=0.25,
    )
)
for role in ("officer", "clerk", "agency_leader"):
    register(
        Scenario(
            screen="home", title="Home page “Việc của tôi”", role=role, category=Category.PAGE, requests=_page("home")
        )
    )
register(
    Scenario(
        screen="incoming.register",
        title="Register an incoming document",
        role="clerk",
        category=Category.WRITE,
        prepare=_prepare_register,
        next_request=_next_registration,
        iterations_factor=0.5,
    )
)
register(
    Scenario(
        screen="outgoing.issue_50",
        title="Issue to 50 recipients (number, seal, deliver)",
        role="clerk",
        category=Category.WRITE,
        prepare=_prepare_issue,
        next_request=_next_issue,
        iterations_factor=0.25,
    )
)
