"""The intake queue, intake mode and list meetings, mounted at /inntak/ (referrals.intake.urls).

Thin views (STYLE.md): candidates and meetings only through referrals.intake.selectors (404 for
anyone who may not see them, 403 when they may see them but not do this); every write through
referrals.intake.services, whose ValidationErrors come back on the form with status 400 and
everything typed kept. Intake mode is a page of its own for the shared screen: one candidate
at a time, showing only what every person present may see (referrals.intake.selectors.intake_card).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consent.models import Disclosure
from core.forms import add_service_errors
from org.models import District
from referrals.intake import policy, selectors, services
from referrals.intake.forms import OUTCOME_KEYS, DecisionForm, ListEntryForm, ProposeForm
from teams.models import Meeting, MeetingKind


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- The queue -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def intake_queue(request: HttpRequest) -> HttpResponse:
    """The queue of each district the person works in (or ?bydel=<id>: one of them)."""
    user = request.user
    districts = selectors.districts_for_queue(user=user, wanted=request.GET.get("bydel"))
    queues = [selectors.intake_queue(user=user, district=district) for district in districts]
    return render(
        request,
        "referrals/intake_queue.html",
        {"queues": queues, "may_propose": policy.may_propose(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_propose(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not policy.may_propose(user):
        raise PermissionDenied
    units = policy.proposing_units(user)
    first = units.first()
    form = ProposeForm(
        _posted(request),
        districts=District.objects.order_by("number"),
        youths=selectors.propose_youth_choices(user=user),
        discussions=selectors.propose_discussion_choices(user=user),
        units=units,
        initial={"unit": first, "district": first.district_id if first else None, "urgency": "normal"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.intake_candidate_propose(actor=user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The candidate is in the intake queue."))
            return redirect(f"{reverse('intake:queue')}?bydel={candidate.district_id}")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "referrals/intake_propose.html", {"form": form}, status=status)


# --- Intake mode -----------------------------------------------------------------------------


def _position(request: HttpRequest, count: int) -> int:
    """The candidate shown: ?kandidat=1..count, or count + 1 for the summary."""
    try:
        number = int(request.GET.get("kandidat", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), count + 1)


def _mode_url(meeting: Meeting, number: int) -> str:
    return f"{reverse('intake:mode', args=[meeting.pk])}?kandidat={number}"


def _meeting_page_url(meeting: Meeting) -> str:
    """The meeting's own page (teams.meetings.urls), where the minutes are read and approved."""
    for name in ("meetings:meeting_detail", "meetings:detail"):
        try:
            return reverse(name, args=[meeting.pk])
        except NoReverseMatch:
            continue
    return reverse("intake:queue")


def _intake_mode(
    request: HttpRequest,
    meeting: Meeting,
    *,
    number: int | None = None,
    form: DecisionForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    candidates = selectors.meeting_candidates(meeting=meeting)
    count = len(candidates)
    number = number if number is not None else _position(request, count)
    followers = selectors.followers_available(district=meeting.district_id)
    context: dict[str, Any] = {
        "meeting": meeting,
        "count": count,
        "number": number,
        "previous_url": _mode_url(meeting, number - 1) if number > 1 else "",
        "next_url": _mode_url(meeting, number + 1) if number <= count else "",
        "exit_url": f"{reverse('intake:queue')}?bydel={meeting.district_id}",
        "followers": followers,
        "outcome_keys": OUTCOME_KEYS,
        "may_override": policy.may_override_capacity_in(user, meeting.district_id),
        "errors": errors or [],
    }
    audience = selectors.audience_for(meeting=meeting, user=user)
    if number > count:
        context["summary"] = selectors.intake_summary(user=user, meeting=meeting, channel=Disclosure.Channel.VIEW)
        context["meeting_page_url"] = _meeting_page_url(meeting)
    else:
        candidate = candidates[number - 1]
        context["card"] = selectors.intake_card(user=user, meeting=meeting, candidate=candidate, audience=audience)
        context["present"] = selectors.present_services(meeting=meeting)
        if candidate.in_queue:
            context["form"] = form or DecisionForm(followers=followers)
    return render(request, "referrals/intake_mode.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def intake_mode(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, kind=MeetingKind.INTAKE, action="run")
    return _intake_mode(request, meeting)


@login_required
@require_POST
def intake_decide(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    user = request.user
    meeting, candidate = selectors.meeting_candidate_get(user=user, pk=pk, candidate_pk=candidate_pk, action="decide")
    number = [c.pk for c in selectors.meeting_candidates(meeting=meeting)].index(candidate.pk) + 1
    form = DecisionForm(request.POST, followers=selectors.followers_available(district=meeting.district_id))
    if form.is_valid():
        try:
            decision = services.intake_decide(actor=user, candidate=candidate, meeting=meeting, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Named as the shared screen names it: by name only when everyone present may see it.
            audience = selectors.audience_for(meeting=meeting, user=user)
            messages.success(
                request,
                _("Decision recorded for %(candidate)s: %(outcome)s.")
                % {
                    "candidate": selectors.candidate_title(candidate=candidate, audience=audience),
                    "outcome": decision.get_outcome_display(),
                },
            )
            return redirect(_mode_url(meeting, number + 1))
    return _intake_mode(request, meeting, number=number, form=form, status=400)


@login_required
@require_POST
def intake_minutes_draft(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = selectors.meeting_get(user=user, pk=pk, kind=MeetingKind.INTAKE, action="run")
    try:
        services.intake_minutes_draft(actor=user, meeting=meeting)
    except ValidationError as error:  # the summary again, with why (400, as the API)
        count = len(selectors.meeting_candidates(meeting=meeting))
        return _intake_mode(request, meeting, number=count + 1, errors=error.messages, status=400)
    messages.success(request, _("The minutes are drafted from the decisions. Read them through and approve them."))
    return redirect(_meeting_page_url(meeting))


# --- List meetings -----------------------------------------------------------------------------


def _list_page(
    request: HttpRequest, meeting: Meeting, form: ListEntryForm | None, *, status: int = 200
) -> HttpResponse:
    user = request.user
    may_record = policy.may_record_list_entry(user, meeting)
    if may_record and form is None:
        form = _list_form(request, meeting, None)
    return render(
        request,
        "referrals/list_meeting.html",
        {
            "meeting": meeting,
            "rows": selectors.list_entries(user=user, meeting=meeting),
            "form": form if may_record else None,
            "present": selectors.present_services(meeting=meeting),
        },
        status=status,
    )


def _list_form(request: HttpRequest, meeting: Meeting, data: Any) -> ListEntryForm:
    return ListEntryForm(
        data,
        youths=selectors.list_youth_choices(user=request.user, meeting=meeting),
        discussions=selectors.list_discussion_choices(user=request.user, meeting=meeting),
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if request.method == "GET":
        meeting = selectors.meeting_get(user=user, pk=pk, kind=MeetingKind.LIST)
        return _list_page(request, meeting, None)
    meeting = selectors.meeting_get(user=user, pk=pk, kind=MeetingKind.LIST, action="record")
    form = _list_form(request, meeting, request.POST)
    if form.is_valid():
        try:
            services.list_entry_add(actor=user, meeting=meeting, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The youth is added to the list."))
            return redirect(reverse("intake:list_meeting", args=[meeting.pk]) + "#entries")
    return _list_page(request, meeting, form, status=400)
