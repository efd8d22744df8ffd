"""Meetings, minutes, action items and ratings (/moter/)."""

from django.urls import URLPattern

app_name = "meetings"

urlpatterns: list[URLPattern] = []
