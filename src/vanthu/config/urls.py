from __future__ import annotations

from django.contrib import admin
from django.urls import include
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerView

from vanthu.config import health
from vanthu.config import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("manifest.webmanifest", pages.manifest, name="manifest"),
    path("sw.js", pages.service_worker, name="service_worker"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/", include("vanthu.accounts.urls")),
    path("org/", include("vanthu.org.urls")),
    path("audit/", include("vanthu.audit.urls")),
    path("notifications/", include("vanthu.notify.urls")),
    path("signing/agent/", include("vanthu.signing.agent_urls")),
    path("signing/", include("vanthu.signing.urls")),
    path("documents/", include("vanthu.documents.urls")),
    path("exchange/", include("vanthu.exchange.urls")),
    path("outgoing/", include("vanthu.outgoing.urls")),
    path("incoming/", include("vanthu.incoming.urls")),
    path("search/", include("vanthu.search.urls")),
    path("reports/", include("vanthu.reports.urls")),
    path("ops/", include("vanthu.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("vanthu.config.api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "vanthu.config.error_handlers.bad_request"
handler403 = "vanthu.config.error_handlers.permission_denied"
handler404 = "vanthu.config.error_handlers.not_found"
handler500 = "vanthu.config.error_handlers.server_error"
