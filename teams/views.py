from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import audit

from . import selectors
from .forms import AuditFilterForm


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, pk=pk)
    return render(
        request,
        "teams/unit_detail.html",
        {
            "unit": unit,
            "staff": selectors.unit_staff(unit=unit),
            "may_view_audit": selectors.unit_may(user=request.user, unit=unit, action="view_audit"),
        },
    )


@login_required
def unit_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader reviews what the unit's staff have done in Laget."""
    unit = selectors.unit_get(user=request.user, pk=pk, action="view_audit")
    form = AuditFilterForm(request.GET or None, people=selectors.unit_audit_people(unit=unit))
    person = form.cleaned_data["person"] if form.is_valid() else None
    audit.record(
        actor=request.user,
        action="audit.viewed",
        target=unit,
        detail={"person": person.pk if person else None, "page": request.GET.get("side", "1")},
    )
    events = selectors.unit_audit_events(unit=unit, actor_id=person.pk if person else None)
    page = Paginator(events, 50).get_page(request.GET.get("side"))
    template = "teams/partials/audit_results.html" if request.htmx else "teams/unit_audit.html"  # type: ignore[attr-defined]
    rows = selectors.unit_audit_rows(user=request.user, events=page.object_list)
    return render(request, template, {"unit": unit, "page": page, "rows": rows, "form": form, "person": person})
