"""Pages that belong to no single app: the home page "Việc của tôi", the PWA manifest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from vanthu.core import clock
from vanthu.org import selectors as org_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    now = clock.now()
    context = {
        "roles": list(org_selectors.roles_of(person=request.user, now=now)),
        "delegations": list(org_selectors.delegations_received(person=request.user, now=now)),
    }
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
