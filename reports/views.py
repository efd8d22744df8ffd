from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from org.selectors import unit_get

from . import audit_trail
from .forms import AuditFilterForm
from .selectors import home_for_user
from .turning_18 import turning_18_shown


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's start page: my youths (followers), intake (coordinators), my units (leaders)."""
    return render(request, "reports/home.html", {"home": home_for_user(user=request.user)})


@login_required
def unit_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader reviews what the unit's staff have done in Laget."""
    unit = unit_get(user=request.user, pk=pk, action="view_audit")
    form = AuditFilterForm(request.GET or None, people=audit_trail.unit_audit_people(unit=unit))
    person = form.cleaned_data["person"] if form.is_valid() else None
    events = audit_trail.unit_audit_events(
        user=request.user,
        unit=unit,
        actor_id=person.pk if person else None,
        detail={"page": request.GET.get("side", "1")[:10]},
    )
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    template = "reports/partials/audit_results.html" if request.htmx else "reports/unit_audit.html"  # type: ignore[attr-defined]
    rows = audit_trail.unit_audit_rows(user=request.user, events=page.object_list)
    return render(request, template, {"unit": unit, "page": page, "rows": rows, "form": form, "person": person})


@login_required
def unit_turning_18(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader's (or coordinator's) list of the unit's youths turning 18 within 12 months."""
    listing = turning_18_shown(user=request.user, unit_pk=pk, page=request.GET.get("side"))
    return render(request, "reports/unit_turning_18.html", {"listing": listing, "unit": listing.unit})
