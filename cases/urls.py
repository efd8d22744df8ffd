"""URLs of the cases app. Pages for youths, follow-ups and contacts (issue: Youths, families and one-to-one follow-up) are added here."""

from django.urls import URLPattern

app_name = "cases"

urlpatterns: list[URLPattern] = []
