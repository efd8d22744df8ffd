from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, pk=pk)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "staff": selectors.unit_staff(unit=unit),
            "may_view_audit": selectors.unit_may(user=request.user, unit=unit, action="view_audit"),
        },
    )
