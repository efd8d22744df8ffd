"""Sharing without consent on a legal basis: recording a use for a youth, and the leader's
review of the uses in their units.

Thin views (STYLE.md): the youth through cases.selectors.youth_get (404 for anyone who may not
see it, the read audited), the use through consent.services.legal_basis_use (which checks the
reason, the basis's categories and services and the time limit: the form again with status
400 and everything typed kept when a rule is broken), the review through
consent.selectors.legal_basis_review_page (audited: it shows youths' names and reasons).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.selectors import youth_get
from core.forms import add_service_errors

from . import selectors, services
from .forms import LegalBasisUseForm
from .selectors import use_rows

PURPOSE = "consents_viewed"


@login_required
@require_http_methods(["GET", "POST"])
def legal_basis_use_create(request: HttpRequest, youth_id: int) -> HttpResponse:
    youth = youth_get(user=request.user, pk=youth_id, purpose=PURPOSE)
    if not services.may_use_legal_basis(request.user, youth):
        raise PermissionDenied
    form = LegalBasisUseForm(request.POST or None, bases=list(selectors.legal_bases_active()))
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_use(actor=request.user, youth=youth, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The use of the legal basis is recorded, and your leader is told."))
            return redirect(reverse("consent:consent_list", args=[youth.pk]))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "consent/legal_basis_form.html", {"youth": youth, "form": form}, status=status)


@login_required
@require_GET
def legal_basis_review(request: HttpRequest) -> HttpResponse:
    """A leader reviews the uses of legal bases by their units' staff and to their units."""
    if not services.may_review_legal_basis_uses(request.user):
        raise PermissionDenied
    review = selectors.legal_basis_review_page(user=request.user, page_number=request.GET.get("side"))
    return render(
        request,
        "consent/legal_basis_review.html",
        {
            "page": review.page,
            "rows": use_rows(review.page.object_list),
            "visible_youth_ids": review.visible_youth_ids,
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:youth_id>/lovgrunnlag/ny/", legal_basis_use_create, name="legal_basis_use_create"),
    path("lovgrunnlag/", legal_basis_review, name="legal_basis_review"),
]
