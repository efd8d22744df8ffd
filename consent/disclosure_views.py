"""The right to know (innsyn): who has seen and received what of a youth's information, when
and why — as a page, and as a PDF to show or give the youth and the guardians.

Made by those who work with the youth's follow-up (consent.policy.may_record_consent), who
are the ones the youth and guardians ask; others who may see the youth get 403, outsiders 404.
Reading or printing the report is audited; the report shows only the disclosure log, never
the information itself.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cases.models import Youth
from cases.selectors import youth_get
from core.pdf import pdf_response, render_pdf
from core.validators import DB_LATEST, RECORDS_START

from . import selectors
from .policy import may_record_consent

PAGE_SIZE = 100


# The log cannot hold anything outside these days; a date typed outside them (9999-12-31, year 1)
# is a typing error, answered on the form rather than carried into date arithmetic.
EARLIEST = RECORDS_START
LATEST = DB_LATEST


def _within_range(day: datetime.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s.")
            % {"earliest": f"{EARLIEST:%d.%m.%Y}", "latest": f"{LATEST:%d.%m.%Y}"}
        )


class PeriodForm(forms.Form):
    fra = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[_within_range]
    )
    til = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[_within_range]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("fra"), data.get("til")
        if since and until and until < since:
            self.add_error("til", _("The end of the period must be on or after its start."))
        return data


def _youth(request: HttpRequest, youth_id: int, purpose: str) -> Youth:
    youth = youth_get(user=request.user, pk=youth_id, purpose=purpose)
    if not may_record_consent(request.user, youth):
        raise PermissionDenied
    return youth


def _period(form: PeriodForm) -> tuple[datetime.date | None, datetime.date | None]:
    if not form.is_valid():
        return None, None
    return form.cleaned_data.get("fra"), form.cleaned_data.get("til")


@login_required
@require_GET
def disclosure_report(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = _youth(request, youth_id, "disclosures_viewed")
    form = PeriodForm(request.GET or None)
    since, until = _period(form)
    lines = selectors.disclosure_report(youth=youth, since=since, until=until)
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "consent/disclosure_report.html",
        {
            "youth": youth,
            "form": form,
            "page": page,
            "lines": page.object_list,
            "services": sorted({str(line.unit) for line in lines if line.unit is not None}),
            "query": request.GET.urlencode() if form.is_valid() else "",
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@login_required
@require_GET
def disclosure_report_pdf(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = _youth(request, youth_id, "disclosures_printed")
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return disclosure_report(request, youth_id)
    since, until = _period(form)
    lines = selectors.disclosure_report(youth=youth, since=since, until=until)
    pdf = render_pdf(
        request,
        "consent/disclosure_report_pdf.html",
        {
            "youth": youth,
            "lines": lines,
            "since": since,
            "until": until,
            "services": sorted({str(line.unit) for line in lines if line.unit is not None}),
        },
    )
    return pdf_response(pdf, f"innsyn-{youth.pk}.pdf")


urlpatterns: list[URLPattern] = [
    path("<int:youth_id>/innsyn/", disclosure_report, name="disclosure_report"),
    path("<int:youth_id>/innsyn/pdf/", disclosure_report_pdf, name="disclosure_report_pdf"),
]
