"""URLs of the referrals app, mounted at /meldinger/ (namespace "referrals"): the concern-report
pages (referrals.concern_views)."""

from django.urls import URLPattern

from .concern_views import urlpatterns as concern_urlpatterns

app_name = "referrals"

urlpatterns: list[URLPattern] = [*concern_urlpatterns]
