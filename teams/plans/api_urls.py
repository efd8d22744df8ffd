"""Routes of the plan API (mounted in config/urls.py under /api/v1/): a youth's plan ("Min
plan", issue 13), its goals and steps, the review date, versions and acknowledgements."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("youths/<int:pk>/plan/", api.PlanApi.as_view(), name="plan_detail"),
    path("youths/<int:pk>/plan/goals/", api.PlanGoalListApi.as_view(), name="plan_goal_add"),
    path("youths/<int:pk>/plan/goals/<int:goal_pk>/", api.PlanGoalDetailApi.as_view(), name="plan_goal_change"),
    path("youths/<int:pk>/plan/goals/<int:goal_pk>/steps/", api.PlanStepListApi.as_view(), name="plan_step_add"),
    path("youths/<int:pk>/plan/steps/<int:step_pk>/", api.PlanStepDetailApi.as_view(), name="plan_step_change"),
    path("youths/<int:pk>/plan/steps/<int:step_pk>/status/", api.PlanStepStatusApi.as_view(), name="plan_step_status"),
    path("youths/<int:pk>/plan/review/", api.PlanReviewApi.as_view(), name="plan_review"),
    path("youths/<int:pk>/plan/versions/", api.PlanVersionListApi.as_view(), name="plan_versions"),
    path("youths/<int:pk>/plan/versions/compare/", api.PlanVersionCompareApi.as_view(), name="plan_versions_compare"),
    path("youths/<int:pk>/plan/acknowledgements/", api.PlanAcknowledgementApi.as_view(), name="plan_acknowledge"),
]
