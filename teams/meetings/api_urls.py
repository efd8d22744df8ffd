"""Routes of the meetings API (mounted in config/urls.py under /api/v1/)."""

from django.urls import URLPattern, path

from teams.meetings import api

urlpatterns: list[URLPattern] = [
    path("meetings/", api.MeetingListApi.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", api.MeetingDetailApi.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/cancel/", api.MeetingCancelApi.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/presence/", api.MeetingPresenceApi.as_view(), name="meeting_presence"),
    path("meetings/<int:pk>/participants/", api.MeetingParticipantListApi.as_view(), name="meeting_participants"),
    path("meetings/<int:pk>/ratings/", api.MeetingRatingApi.as_view(), name="meeting_ratings"),
    path("meetings/<int:pk>/minutes/", api.MinutesApi.as_view(), name="meeting_minutes"),
    path("meetings/<int:pk>/minutes/approve/", api.MinutesApproveApi.as_view(), name="meeting_minutes_approve"),
    path("meetings/<int:pk>/minutes/versions/", api.MinutesVersionListApi.as_view(), name="meeting_minutes_versions"),
    path(
        "meetings/<int:pk>/minutes/versions/<int:number>/",
        api.MinutesVersionDetailApi.as_view(),
        name="meeting_minutes_version",
    ),
    path("meetings/<int:pk>/action-items/", api.MeetingActionItemListApi.as_view(), name="meeting_action_items"),
    path("action-items/<int:pk>/status/", api.ActionItemStatusApi.as_view(), name="action_item_status"),
]
