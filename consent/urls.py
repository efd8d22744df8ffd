"""URLs of the consent app.

Pages for consents, the sharing policy and disclosures are added here
(issue: Consent and information sharing).
"""

from django.urls import URLPattern

app_name = "consent"

urlpatterns: list[URLPattern] = []
