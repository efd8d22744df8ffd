"""Routes of the transition checklist's API (mounted in config/urls.py under /api/v1/): a youth's
checklist at 18 (issue 14) and settling, not applying and reopening each of its points."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("youths/<int:pk>/transition/", api.TransitionChecklistApi.as_view(), name="transition_checklist"),
    path(
        "youths/<int:pk>/transition/<slug:point>/settle/",
        api.TransitionPointSettleApi.as_view(),
        name="transition_point_settle",
    ),
    path(
        "youths/<int:pk>/transition/<slug:point>/not-applicable/",
        api.TransitionPointNotApplicableApi.as_view(),
        name="transition_point_not_applicable",
    ),
    path(
        "youths/<int:pk>/transition/<slug:point>/reopen/",
        api.TransitionPointReopenApi.as_view(),
        name="transition_point_reopen",
    ),
]
