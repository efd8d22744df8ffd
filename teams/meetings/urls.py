"""Meetings, minutes, action items and ratings (/moter/)."""

from django.urls import URLPattern, path

from teams.meetings import views

app_name = "meetings"

urlpatterns: list[URLPattern] = [
    path("", views.meeting_list, name="list"),
    path("ny/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/endre/", views.meeting_change, name="change"),
    path("<int:pk>/avlys/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/referat/", views.minutes_edit, name="minutes"),
    path("<int:pk>/referat/godkjenn/", views.minutes_approve, name="minutes_approve"),
    path("<int:pk>/referat/versjoner/", views.minutes_versions, name="minutes_versions"),
    path("<int:pk>/referat/pdf/", views.minutes_pdf, name="minutes_pdf"),
]
