"""URLs of the youth's team (mounted at /ungdommer/ beside the cases app, namespace "teams"):
/ungdommer/<pk>/lag/ and the changes to it (teams.views)."""

from django.urls import URLPattern

from teams import views

app_name = "teams"

urlpatterns: list[URLPattern] = [*views.urlpatterns]
