"""A youth's records: offences (police information), criminal-justice steps with reporting dates
(meldeplikt), attendance at a reporting date, and outcome measures.

Thin views (STYLE.md): the youth through selectors.youth_get (404 for anyone who may not see it),
every write through a service (403 when the person may not, the form again with status 400 when a
rule is broken, everything typed kept), then back to the youth's page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors

from .. import selectors, services
from ..models import OutcomeMeasure, Youth
from ..record_forms import AttendedForm, JusticeStepForm, OffenceForm, OutcomeForm


def _youth_page(youth: Youth | int) -> str:
    return reverse("cases:youth_detail", args=[youth.pk if isinstance(youth, Youth) else youth])


def _render_form(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context["form"]
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def offence_create(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = selectors.youth_get(user=request.user, pk=youth_id)
    form = OffenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offence_register(actor=request.user, youth=youth, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The offence is registered."))
            return redirect(_youth_page(youth))
    return _render_form(
        request,
        "cases/offence_form.html",
        {
            "youth": youth,
            "form": form,
            # From the offences the person may see (consent.policy), like the youth page.
            "repeated_crime_years": selectors.youth_view(
                user=request.user, youth=youth, timeline=False
            ).flags.repeated_crime_years,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def justice_create(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = selectors.youth_get(user=request.user, pk=youth_id)
    form = JusticeStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.justice_step_add(
                actor=request.user,
                youth=youth,
                data=form.service_data(),
                reporting_dates=form.reporting_dates(),
                place=form.cleaned_data["reporting_place"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The criminal-justice step is registered."))
            return redirect(_youth_page(youth))
    return _render_form(request, "cases/justice_form.html", {"youth": youth, "form": form})


@login_required
@require_POST
def reporting_attended(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether the youth reported (yes/no). From the youth page, with htmx or without."""
    reporting_date = selectors.reporting_date_get(user=request.user, pk=pk)
    form = AttendedForm(request.POST)
    if form.is_valid():
        services.reporting_date_attended(
            actor=request.user, reporting_date=reporting_date, attended=form.cleaned_data["attended"]
        )
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, _("Attendance is recorded."))
            return redirect(_youth_page(reporting_date.step.youth_id))
    return render(
        request,
        "cases/justice_reporting_date.html",
        {"reporting_date": reporting_date, "youth": reporting_date.step.youth, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = selectors.youth_get(user=request.user, pk=youth_id)
    followup = selectors.followup_current(youth=youth)
    series = selectors.outcome_series(youth=youth)
    has_start = any(measure.phase == OutcomeMeasure.Phase.START for measure in series)
    initial = {
        "measured_on": timezone.localdate(),
        "phase": OutcomeMeasure.Phase.QUARTERLY if has_start else OutcomeMeasure.Phase.START,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(actor=request.user, youth=youth, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The outcome measure is recorded."))
            return redirect(_youth_page(youth))
    previous = selectors.outcome_last_shown(user=request.user, youth=youth, series=series)
    return _render_form(
        request,
        "cases/outcome_form.html",
        {
            "youth": youth,
            "form": form,
            "followup": followup,
            "previous": previous,
            "previous_withheld": bool(series) and previous is None,
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:youth_id>/lovbrudd/ny/", offence_create, name="offence_create"),
    path("<int:youth_id>/straffesak/ny/", justice_create, name="justice_create"),
    path("meldeplikt/<int:pk>/oppmott/", reporting_attended, name="reporting_attended"),
    path("<int:youth_id>/maling/ny/", outcome_create, name="outcome_create"),
]
