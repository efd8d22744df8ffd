"""URLs of the referrals app.

Pages for concern reports and intake referrals are added here
(issue: Concern reports).
"""

from django.urls import URLPattern

app_name = "referrals"

urlpatterns: list[URLPattern] = []
