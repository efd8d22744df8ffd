"""API routes for concern reports (/api/v1/concern-reports/…): the list and sending a report, the
reporter's receipts, the report and each step on its way, and KS Fiks import and export."""

from django.urls import URLPattern, path

from referrals.concerns import api

urlpatterns: list[URLPattern] = [
    path("concern-reports/", api.ConcernReportListApi.as_view(), name="concern_report_list"),
    path("concern-reports/import/", api.ConcernReportImportApi.as_view(), name="concern_report_import"),
    path("concern-reports/deadlines/", api.ConcernReportDeadlinesApi.as_view(), name="concern_report_deadlines"),
    path("concern-reports/sent/", api.ConcernReportSentListApi.as_view(), name="concern_report_sent"),
    path("concern-reports/sent/<int:pk>/", api.ConcernReportReceiptApi.as_view(), name="concern_report_receipt"),
    path("concern-reports/<int:pk>/", api.ConcernReportDetailApi.as_view(), name="concern_report_detail"),
    path("concern-reports/<int:pk>/assign/", api.ConcernReportAssignApi.as_view(), name="concern_report_assign"),
    path("concern-reports/<int:pk>/close/", api.ConcernReportCloseApi.as_view(), name="concern_report_close"),
    path(
        "concern-reports/<int:pk>/investigation/",
        api.ConcernReportInvestigationApi.as_view(),
        name="concern_report_investigation",
    ),
    path("concern-reports/<int:pk>/extend/", api.ConcernReportExtendApi.as_view(), name="concern_report_extend"),
    path("concern-reports/<int:pk>/conclude/", api.ConcernReportConcludeApi.as_view(), name="concern_report_conclude"),
    path(
        "concern-reports/<int:pk>/guardians-may-be-told/",
        api.ConcernReportGuardiansMayBeToldApi.as_view(),
        name="concern_report_guardians_may_be_told",
    ),
    path("concern-reports/<int:pk>/feedback/", api.ConcernReportFeedbackApi.as_view(), name="concern_report_feedback"),
    path(
        "concern-reports/<int:pk>/link-child/",
        api.ConcernReportLinkChildApi.as_view(),
        name="concern_report_link_child",
    ),
    path("concern-reports/<int:pk>/handover/", api.ConcernReportHandoverApi.as_view(), name="concern_report_handover"),
    path("concern-reports/<int:pk>/intake/", api.ConcernReportIntakeApi.as_view(), name="concern_report_intake"),
    path(
        "concern-reports/<int:pk>/attachments/<int:attachment>/",
        api.ConcernReportAttachmentApi.as_view(),
        name="concern_report_attachment",
    ),
    path("concern-reports/<int:pk>/ks-fiks/", api.ConcernReportKsFiksApi.as_view(), name="concern_report_ks_fiks"),
    path(
        "concern-reports/<int:pk>/ks-fiks/original/",
        api.ConcernReportKsFiksOriginalApi.as_view(),
        name="concern_report_ks_fiks_original",
    ),
]
