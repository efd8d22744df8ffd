"""URLs of the cases app (mounted at /ungdommer/). Each view module lists its own routes."""

from django.urls import URLPattern, URLResolver

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = []
