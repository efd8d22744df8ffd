from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import audit

from . import selectors


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
    page = Paginator(selectors.unit_audit_events(unit=unit), 50).get_page(request.GET.get("side"))
    audit.record(actor=request.user, action="audit.viewed", target=unit, detail={"page": page.number})
    return render(request, "teams/unit_audit.html", {"unit": unit, "page": page})
