"""The intake queue, intake mode and list meetings (/inntak/)."""

from django.urls import URLPattern

app_name = "intake"

urlpatterns: list[URLPattern] = []
