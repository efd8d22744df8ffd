"""URLs of the cases app.

Pages for youths, follow-ups and contacts are added here
(issue: Youths, families and one-to-one follow-up).
"""

from django.urls import URLPattern

app_name = "cases"

urlpatterns: list[URLPattern] = []
