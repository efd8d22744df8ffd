from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from core.views import healthz

api_v1: list[URLPattern | URLResolver] = [
    path("", include("org.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("referrals.api_urls")),
    path("", include("consent.discussions.api_urls")),
    path("", include("referrals.intake.api_urls")),
    path("", include("teams.api_urls")),
    path("", include("teams.meetings.api_urls")),
    path("", include("teams.plans.api_urls")),
    path("", include("teams.transition.api_urls")),
    path("", include("consent.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("core.urls")),
    path("enheter/", include("org.urls")),
    path("ungdommer/", include("cases.urls")),
    path("ungdommer/", include("teams.urls")),
    path("ungdommer/", include("teams.plans.urls")),
    path("ungdommer/", include("teams.transition.urls")),
    path("samtykke/", include("consent.urls")),
    path("meldinger/", include("referrals.urls")),
    path("moter/", include("teams.meetings.urls")),
    path("kalender/", include("teams.calendar.urls")),
    path("inntak/", include("referrals.intake.urls")),
    path("api/v1/", include((api_v1, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# Norwegian error pages in the Punkt look, with the request id (core.errors).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
