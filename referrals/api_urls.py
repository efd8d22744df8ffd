"""API routes for concern reports (/api/v1/concern-reports/…): KS Fiks import and export."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
