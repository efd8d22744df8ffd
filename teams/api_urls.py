"""Routes of the team API (mounted in config/urls.py under /api/v1/): the team around a youth."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("youths/<int:pk>/team/", api.TeamApi.as_view(), name="team_detail"),
    path("youths/<int:pk>/team/start/", api.TeamStartApi.as_view(), name="team_start"),
    path("youths/<int:pk>/team/members/", api.TeamMemberAddApi.as_view(), name="team_member_add"),
    path("youths/<int:pk>/team/members/<int:member_pk>/end/", api.TeamMemberEndApi.as_view(), name="team_member_end"),
    path(
        "youths/<int:pk>/team/members/<int:member_pk>/lead/",
        api.TeamLeadTransferApi.as_view(),
        name="team_lead_transfer",
    ),
]
