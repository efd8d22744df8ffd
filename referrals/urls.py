"""URLs of the referrals app, mounted at /meldinger/ (namespace "referrals"): the concern-report
pages (referrals.concerns.views)."""

from django.urls import URLPattern

from referrals.concerns.views import urlpatterns as concern_urlpatterns

app_name = "referrals"

urlpatterns: list[URLPattern] = [*concern_urlpatterns]
