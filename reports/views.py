from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import home_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's start page: my youths (followers), intake (coordinators), my units (leaders)."""
    return render(request, "reports/home.html", {"home": home_for_user(user=request.user)})
