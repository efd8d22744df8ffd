"""URLs of the cases app (mounted at /ungdommer/). Each view module lists its own routes, next
to its views: youths (list, search, register, the youth page, follow-up), contacts (logging,
drafts, versions) and records (offences, criminal-justice steps, outcome measures). The youth's team,
/ungdommer/<pk>/lag/, is the teams app's (teams.urls)."""

from django.urls import URLPattern, URLResolver

from .views import contacts, records, youths

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    *youths.urlpatterns,
    *contacts.urlpatterns,
    *records.urlpatterns,
]
