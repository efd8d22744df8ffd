"""URLs of the consent app, mounted at /samtykke/."""

from django.urls import URLPattern, path

from consent import disclosure_views, legal_basis_views, views
from consent.discussions import views as discussion_views

app_name = "consent"

urlpatterns: list[URLPattern] = [
    path("<int:youth_id>/", views.consent_list, name="consent_list"),
    path("<int:youth_id>/ny/", views.consent_create, name="consent_create"),
    path("samtykke/<int:pk>/", views.consent_detail, name="consent_detail"),
    path("samtykke/<int:pk>/trekk-tilbake/", views.consent_withdraw, name="consent_withdraw"),
    path("samtykke/<int:pk>/endre/", views.consent_revise, name="consent_revise"),
    path("samtykke/<int:pk>/skjema/<int:number>/", views.consent_document, name="consent_document"),
]
urlpatterns += legal_basis_views.urlpatterns
urlpatterns += disclosure_views.urlpatterns
urlpatterns += discussion_views.urlpatterns
