"""The transition checklist's forms (issue 14), mounted at /ungdommer/ beside the plan
(namespace "transition"): /ungdommer/<pk>/plan/etter-18/<point>/..., where <point> is a
TransitionPoint value (aftercare, nav, health, housing, school_work, consent, lead). The
checklist itself is the section "Etter 18" of the plan page (plans:detail, #etter-18)."""

from django.urls import URLPattern, path

from teams.transition import handover, views

app_name = "transition"

# --- The handover meeting at 18 (teams.transition.handover); before the points' patterns, whose
# <point> would take "overgangsmote" ---------------------------------------------------------------
urlpatterns: list[URLPattern] = [
    path("<int:pk>/plan/etter-18/overgangsmote/", handover.handover_meeting_plan, name="handover_meeting"),
]

# --- The points' forms (teams.transition.views) ---------------------------------------------------
urlpatterns += [
    path("<int:pk>/plan/etter-18/<str:point>/", views.transition_point_settle, name="point_settle"),
    path(
        "<int:pk>/plan/etter-18/<str:point>/gjelder-ikke/",
        views.transition_point_not_applicable,
        name="point_not_applicable",
    ),
    path("<int:pk>/plan/etter-18/<str:point>/gjenapne/", views.transition_point_reopen, name="point_reopen"),
]
