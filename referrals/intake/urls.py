"""The intake queue, intake mode and list meetings (/inntak/)."""

from django.urls import URLPattern, path

from referrals.intake import views

app_name = "intake"

urlpatterns: list[URLPattern] = [
    path("", views.intake_queue, name="queue"),
    path("ny/", views.intake_propose, name="propose"),
    path("mote/<int:pk>/", views.intake_mode, name="mode"),
    path("mote/<int:pk>/kandidat/<int:candidate_pk>/", views.intake_decide, name="decide"),
    path("mote/<int:pk>/referat/", views.intake_minutes_draft, name="minutes_draft"),
    path("listemote/<int:pk>/", views.list_meeting, name="list_meeting"),
]
