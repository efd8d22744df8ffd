"""Routes of the anonymous-discussion API (mounted in config/urls.py under /api/v1/)."""

from django.urls import URLPattern, path

from consent.discussions import api

urlpatterns: list[URLPattern] = [
    path("discussions/", api.DiscussionListApi.as_view(), name="discussion_list"),
    path("discussions/<int:pk>/", api.DiscussionDetailApi.as_view(), name="discussion_detail"),
    path("discussions/<int:pk>/notes/", api.DiscussionNoteCreateApi.as_view(), name="discussion_notes"),
    path("discussions/<int:pk>/convert/", api.DiscussionConvertApi.as_view(), name="discussion_convert"),
    path("discussions/<int:pk>/close/", api.DiscussionCloseApi.as_view(), name="discussion_close"),
]
