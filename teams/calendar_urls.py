"""Each person's calendar page and secret iCalendar feed (/kalender/)."""

from django.urls import URLPattern

app_name = "calendar"

urlpatterns: list[URLPattern] = []
