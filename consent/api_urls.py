"""Routes of the consent API (mounted in config/urls.py under /api/v1/)."""

from django.urls import URLPattern, path

from . import api

urlpatterns: list[URLPattern] = [
    path("youths/<int:pk>/consents/", api.YouthConsentListApi.as_view(), name="youth_consents"),
    path("youths/<int:pk>/legal-basis-uses/", api.YouthLegalBasisUseListApi.as_view(), name="youth_legal_basis_uses"),
    path("legal-bases/", api.LegalBasisListApi.as_view(), name="legal_bases"),
    path("legal-basis-uses/", api.LegalBasisReviewApi.as_view(), name="legal_basis_review"),
    path("consents/<int:pk>/", api.ConsentDetailApi.as_view(), name="consent_detail"),
    path("consents/<int:pk>/revise/", api.ConsentReviseApi.as_view(), name="consent_revise"),
    path("consents/<int:pk>/withdraw/", api.ConsentWithdrawApi.as_view(), name="consent_withdraw"),
    path(
        "consents/<int:pk>/versions/<int:number>/document/",
        api.ConsentDocumentApi.as_view(),
        name="consent_document",
    ),
]
