"""Routes of the intake API (mounted in config/urls.py under /api/v1/)."""

from django.urls import URLPattern, path

from referrals.intake import api

urlpatterns: list[URLPattern] = [
    path("intake/queue/", api.IntakeQueueApi.as_view(), name="intake_queue"),
    path("intake/candidates/", api.IntakeCandidateCreateApi.as_view(), name="intake_candidates"),
    path(
        "intake/meetings/<int:pk>/candidates/",
        api.IntakeMeetingCandidatesApi.as_view(),
        name="intake_meeting_candidates",
    ),
    path(
        "intake/meetings/<int:pk>/candidates/<int:candidate_pk>/",
        api.IntakeCardApi.as_view(),
        name="intake_meeting_card",
    ),
    path("intake/meetings/<int:pk>/minutes/draft/", api.IntakeMinutesDraftApi.as_view(), name="intake_minutes_draft"),
    path(
        "intake/meetings/<int:pk>/candidates/<int:candidate_pk>/decision/",
        api.IntakeDecisionApi.as_view(),
        name="intake_decision",
    ),
    path("intake/list-meetings/<int:pk>/entries/", api.ListMeetingEntriesApi.as_view(), name="list_meeting_entries"),
]
