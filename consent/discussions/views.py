"""Anonymous discussions (anonym drøfting): the list of cases a person may see, bringing a case
to an intake or list meeting, a case with its notes, naming it after consent, and closing it.
Mounted under /samtykke/drofting/ (consent.urls).

Thin views (STYLE.md): a case only through consent.selectors.discussion_case_get (core.access:
404 for anyone who may not see it, 403 when they may see it but not do this; the read audited);
every write through consent.services. A broken rule, or warnings not yet confirmed, give the
form back with status 400 and everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consent import selectors
from consent.discussions import policy as discussion_policy
from consent.discussions import services
from consent.discussions.checks import UnconfirmedWarnings, finding_from_key
from consent.discussions.forms import (
    DiscussionCaseForm,
    DiscussionCloseForm,
    DiscussionConvertForm,
    DiscussionNoteForm,
)
from consent.models import DiscussionCase
from core.forms import add_service_errors

PAGE_SIZE = 50

# The list's tabs: ?tilstand=… (Norwegian, as the paths are).
STATES = {
    "apne": (DiscussionCase.State.OPEN, gettext_lazy("Open")),
    "navngitte": (DiscussionCase.State.CONVERTED, gettext_lazy("Named")),
    "avsluttede": (DiscussionCase.State.CLOSED, gettext_lazy("Closed")),
}


def _render(request: HttpRequest, template: str, context: dict[str, Any], *, failed: bool = False) -> HttpResponse:
    form = context.get("form")
    if form is not None and form.is_bound and (form.errors or getattr(form, "findings", None)):
        failed = True
    return render(request, template, context, status=400 if failed else 200)


def _posted(request: HttpRequest) -> Any:
    """The form's data on a POST, even an empty one (an empty POST is a form sent empty)."""
    return request.POST if request.method == "POST" else None


def _detail_url(case: DiscussionCase) -> str:
    return reverse("consent:discussion_detail", args=[case.pk])


@login_required
@require_GET
def discussion_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tilstand", "apne")
    if tab not in STATES:
        tab = "apne"
    state, _label = STATES[tab]
    page = Paginator(selectors.discussions_for_user(user=request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(
        request,
        "consent/discussion_list.html",
        {
            "page": page,
            "tab": tab,
            "tabs": [(key, label) for key, (_s, label) in STATES.items()],
            "may_propose": discussion_policy.may_propose(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def discussion_create(request: HttpRequest) -> HttpResponse:
    if not discussion_policy.may_propose(request.user):
        raise PermissionDenied
    units = discussion_policy.proposing_units(request.user)
    first = units.first()
    form = DiscussionCaseForm(
        _posted(request),
        units=units,
        initial={"unit": first, "district": first.district_id if first else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.discussion_case_create(actor=request.user, **form.service_data())
        except UnconfirmedWarnings as error:
            form.show_warnings(error.findings)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is ready for the meeting."))
            return redirect(_detail_url(case))
    return _render(request, "consent/discussion_form.html", {"form": form})


def _detail(
    request: HttpRequest, case: DiscussionCase, note_form: DiscussionNoteForm, *, failed: bool = False
) -> HttpResponse:
    user = request.user
    shown = selectors.discussion_content_shown(user=user, case=case)
    actions = discussion_policy.actions_now(user, case)
    return render(
        request,
        "consent/discussion_detail.html",
        {
            "case": case,
            "content_shown": shown,
            "notes": selectors.discussion_notes(case=case) if shown else [],
            "form": note_form,
            "confirmed": [finding_from_key(key) for key in case.confirmed_warnings] if shown else [],
            "may_add_note": "add_note" in actions,
            "may_manage": "convert" in actions,
        },
        status=400 if failed else 200,
    )


@login_required
@require_GET
def discussion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.discussion_case_get(user=request.user, pk=pk)
    return _detail(request, case, DiscussionNoteForm())


@login_required
@require_POST
def discussion_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.discussion_case_get(user=request.user, pk=pk, action="add_note")
    form = DiscussionNoteForm(request.POST)
    if form.is_valid():
        try:
            services.discussion_note_add(actor=request.user, case=case, **form.service_data())
        except UnconfirmedWarnings as error:
            form.show_warnings(error.findings)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The note is saved."))
            return redirect(_detail_url(case) + "#notes")
    return _detail(request, case, form, failed=True)


@login_required
@require_http_methods(["GET", "POST"])
def discussion_convert(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.discussion_case_get(user=request.user, pk=pk, action="convert")
    form = DiscussionConvertForm(_posted(request), youths=selectors.youths_for_discussion(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_case_convert(actor=request.user, case=case, youth=form.cleaned_data["youth"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is now a named case. Its notes are kept."))
            return redirect(_detail_url(case))
    return _render(request, "consent/discussion_convert.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def discussion_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.discussion_case_get(user=request.user, pk=pk, action="close")
    form = DiscussionCloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_case_close(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is closed. It and its notes are kept."))
            return redirect(_detail_url(case))
    return _render(request, "consent/discussion_close.html", {"case": case, "form": form})


urlpatterns: list[URLPattern] = [
    path("drofting/", discussion_list, name="discussion_list"),
    path("drofting/ny/", discussion_create, name="discussion_create"),
    path("drofting/<int:pk>/", discussion_detail, name="discussion_detail"),
    path("drofting/<int:pk>/notat/", discussion_note_add, name="discussion_note_add"),
    path("drofting/<int:pk>/navngi/", discussion_convert, name="discussion_convert"),
    path("drofting/<int:pk>/avslutt/", discussion_close, name="discussion_close"),
]
