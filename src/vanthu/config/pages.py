"""Pages that belong to no single app: the home page "Việc của tôi", the PWA manifest.

The view stays thin: ``home_presenter`` gathers plain data from the apps' selectors; later apps
add their own cards (their inbox counts, deadlines) to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from vanthu.core import clock
from vanthu.incoming import selectors as incoming_selectors
from vanthu.notify import selectors as notify_selectors
from vanthu.org import selectors as org_selectors
from vanthu.org.models import Role
from vanthu.outgoing import selectors as outgoing_selectors
from vanthu.reports import presenters as report_presenters
from vanthu.reports.policies import STATISTICS_ROLES

HOME_NOTIFICATIONS = 5
# Shown on "Việc của tôi" even when empty (the others only when they hold work).
HOME_ALWAYS_SHOWN_QUEUES = frozenset({outgoing_selectors.Queue.MINE})


@dataclass(frozen=True)
class RoleLine:
    agency_id: int
    agency_name: str
    agency_abbreviation: str
    unit_name: str
    role: str
    role_label: str
    position: str
    may_delegate: bool


@dataclass(frozen=True)
class DelegationLine:
    pk: int
    other_person_id: int
    other_person_name: str
    agency_id: int
    agency_name: str
    unit_name: str
    role_label: str
    starts_at: datetime
    ends_at: datetime
    reason: str


@dataclass(frozen=True)
class QueueLine:
    queue: str
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class NotificationLine:
    pk: int
    title: str
    url: str
    created_at: datetime


def home_presenter(*, person: Any, now: datetime) -> dict[str, Any]:
    assignments = list(org_selectors.roles_of(person=person, now=now))
    received = list(org_selectors.delegations_received(person=person, now=now))
    grants = org_selectors.effective_grants(person=person, now=now)
    roles = [
        RoleLine(
            agency_id=a.agency_id,
            agency_name=a.agency.name,
            agency_abbreviation=a.agency.abbreviation,
            unit_name=a.unit.name if a.unit else "",
            role=a.role,
            role_label=a.get_role_display(),
            position=_position_beside(a.position.name if a.position else "", str(a.get_role_display())),
            may_delegate=a.agency.valid_to is None,
        )
        for a in assignments
    ]
    delegations = [
        DelegationLine(
            pk=d.pk,
            other_person_id=d.delegator_id,
            other_person_name=d.delegator.full_name,
            agency_id=d.agency_id,
            agency_name=d.agency.name,
            unit_name=d.unit.name if d.unit else "",
            role_label=d.get_role_display(),
            starts_at=d.starts_at,
            ends_at=d.ends_at,
            reason=d.reason,
        )
        for d in received
    ]
    notifications = [
        NotificationLine(pk=n.pk, title=n.title, url=n.url, created_at=n.created_at)
        for n in notify_selectors.notification_list_for(person=person, unread_only=True)[:HOME_NOTIFICATIONS]
    ]
    role_codes = {grant.role for grant in grants}
    counts = outgoing_selectors.queue_counts(person=person, now=now) if role_codes else {}
    outgoing_queues = [
        QueueLine(
            queue=queue.value,
            label=str(outgoing_selectors.QUEUE_LABELS[queue]),
            count=counts[queue.value],
            url=f"{reverse('outgoing:queues')}?queue={queue.value}",
        )
        for queue in outgoing_selectors.Queue
        if queue.value in counts and (counts[queue.value] or queue in HOME_ALWAYS_SHOWN_QUEUES)
    ]
    in_counts = incoming_selectors.queue_counts(person=person, now=now) if role_codes else {}
    incoming_queues = [
        QueueLine(
            queue=queue.value,
            label=str(incoming_selectors.QUEUE_LABELS[queue]),
            count=in_counts[queue.value],
            url=f"{reverse('incoming:queues')}?queue={queue.value}",
        )
        for queue in incoming_selectors.Queue
        if queue.value in in_counts and in_counts[queue.value] and queue != incoming_selectors.Queue.DONE
    ]
    return {
        "incoming_queues": incoming_queues,
        "outgoing_queues": outgoing_queues,
        "roles": roles,
        "delegations": delegations,
        "notifications": notifications,
        "may_view_audit": bool(role_codes & {Role.ADMIN, Role.INSPECTOR}) or person.is_superuser,
        "dashboard": (
            report_presenters.home_dashboard(person=person, now=now) if role_codes & set(STATISTICS_ROLES) else []
        ),
        "is_empty": not roles and not delegations and not notifications,
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = home_presenter(person=request.user, now=clock.now())
    return render(request, "home.html", context)


def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": _("Vanthu — electronic documents"),
        "short_name": "Vanthu",
        "start_url": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "lang": "vi",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def service_worker(request: HttpRequest) -> HttpResponse:
    body = "self.addEventListener('install', () => self.skipWaiting());\nself.addEventListener('fetch', () => {});\n"
    return HttpResponse(body, content_type="application/javascript")


def _position_beside(position: str, role_label: str) -> str:
    """The title shown beside the role, unless it only repeats it ("Văn thư · Văn thư")."""
    return "" if position.casefold() == role_label.casefold() else position
