"""URLs of the referrals app. Pages for concern reports and intake referrals (issue: Concern reports) are added here."""

from django.urls import URLPattern

app_name = "referrals"

urlpatterns: list[URLPattern] = []
