"""Each person's calendar page and secret iCalendar feed (/kalender/)."""

from django.urls import URLPattern, path, re_path

from teams.calendar import views as calendar_views

app_name = "calendar"

urlpatterns: list[URLPattern] = [
    path("", calendar_views.calendar_page, name="calendar"),
    # Any token reaches the view, which answers a wrong one with a bare 404: the site's 404 page
    # would set a CSRF cookie, and the feed sets none.
    re_path(r"^feed/(?P<token>[^/]+)\.ics$", calendar_views.calendar_feed, name="feed"),
]
