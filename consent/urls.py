"""URLs of the consent app. Pages for consents, the sharing policy and disclosures (issue: Consent and information sharing) are added here."""

from django.urls import URLPattern

app_name = "consent"

urlpatterns: list[URLPattern] = []
