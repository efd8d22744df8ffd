"""API routes for concern reports (/api/v1/concern-reports/…): KS Fiks import and export."""

from django.urls import URLPattern, path

from referrals.concerns import api

urlpatterns: list[URLPattern] = [
    path("concern-reports/", api.ConcernReportListApi.as_view(), name="concern_report_list"),
    path("concern-reports/import/", api.ConcernReportImportApi.as_view(), name="concern_report_import"),
    path("concern-reports/<int:pk>/ks-fiks/", api.ConcernReportKsFiksApi.as_view(), name="concern_report_ks_fiks"),
    path(
        "concern-reports/<int:pk>/ks-fiks/original/",
        api.ConcernReportKsFiksOriginalApi.as_view(),
        name="concern_report_ks_fiks_original",
    ),
]
