"""The youth's plan, "Min plan" (issue 13), mounted at /ungdommer/ beside the cases app
(namespace "plans"): /ungdommer/<pk>/plan/...

Each helper's patterns sit in their own block below: the plan pages (teams.plans.views), and
plan mode and the PDFs (teams.plans.mode, teams.plans.pdf).
"""

from django.urls import URLPattern, path

from teams.plans import mode, pdf, views

app_name = "plans"

urlpatterns: list[URLPattern] = []

# --- The plan pages (teams.plans.views) ------------------------------------------------------
urlpatterns += [
    path("<int:pk>/plan/", views.plan_detail, name="detail"),
    path("<int:pk>/plan/mal/ny/", views.plan_goal_add, name="goal_add"),
    path("<int:pk>/plan/mal/<int:goal_pk>/", views.plan_goal_change, name="goal_change"),
    path("<int:pk>/plan/mal/<int:goal_pk>/steg/ny/", views.plan_step_add, name="step_add"),
    path("<int:pk>/plan/steg/<int:step_pk>/", views.plan_step_change, name="step_change"),
    path("<int:pk>/plan/steg/<int:step_pk>/status/", views.plan_step_status, name="step_status"),
    path("<int:pk>/plan/gjennomgang/", views.plan_review, name="review"),
    path("<int:pk>/plan/versjoner/", views.plan_versions, name="versions"),
    path("<int:pk>/plan/versjoner/sammenlign/", views.plan_compare, name="compare"),
    path("<int:pk>/plan/bekreft/", views.plan_acknowledge, name="acknowledge"),
]

# --- Plan mode on a shared screen, and the PDFs (teams.plans.mode, teams.plans.pdf) -----------
urlpatterns += [
    path("<int:pk>/plan/mote/<int:meeting_pk>/", mode.plan_mode, name="mode"),
    path("<int:pk>/plan/mote/<int:meeting_pk>/mal/<int:goal_pk>/", mode.plan_mode_goal_change, name="mode_goal"),
    path("<int:pk>/plan/mote/<int:meeting_pk>/steg/<int:step_pk>/", mode.plan_mode_step_change, name="mode_step"),
    path("<int:pk>/plan/min-plan.pdf", pdf.plan_youth_pdf, name="youth_pdf"),
    path("<int:pk>/plan/pdf/", pdf.plan_staff_pdf, name="staff_pdf"),
]
