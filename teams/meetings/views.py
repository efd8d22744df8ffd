"""Meeting pages (/moter/): my meetings, plan a meeting, the meeting (participants and who was
present, the agenda with the open action items carried over, the minutes under the template's
headings, decisions, action items, ratings), write the minutes (a save based on an older
revision is refused with status 409, both texts shown side by side and what was typed kept),
approve them, their versions, and the minutes as PDF.

Thin views (STYLE.md): the meeting through teams.meetings.selectors.meeting_get (404 for those
who may not see it, 403 for those who may not do the action), what is shown through
meeting_view (the sharing policy, the disclosure log, the audit), every write through
teams.meetings.services, whose ValidationErrors come back on the form with status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import access
from core.forms import add_service_errors
from core.pdf import pdf_response, render_pdf
from teams.meetings import sections as meeting_sections
from teams.meetings import selectors, services
from teams.meetings.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    ApproveForm,
    CancelForm,
    ExternalParticipantForm,
    MeetingChangeForm,
    MeetingPlanForm,
    MinutesForm,
    PresenceForm,
    RatingForm,
)
from teams.meetings.minutes_template import Heading
from teams.models import YOUTH_MEETING_KINDS, ActionItem, Meeting, MeetingParticipant, Minutes


def _to_meeting(meeting: Meeting, anchor: str = "") -> HttpResponse:
    response = redirect("meetings:detail", pk=meeting.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# --- My meetings ---------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("vis") == "tidligere"
    meetings = selectors.meetings_for_user(user=request.user, upcoming=not past)
    return render(request, "teams/meeting_list.html", {"meetings": meetings, "past": past})


# --- Plan a meeting ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    choices = selectors.meeting_plan_choices(user=request.user)
    status = 200
    if request.method == "POST":
        form = MeetingPlanForm(request.POST, **choices)
        status = 400
        if form.is_valid():
            try:
                meeting = services.meeting_plan(actor=request.user, **form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if meeting.series_id:
                    count = meeting.series.meetings.count() if meeting.series else 1
                    messages.success(request, _("%(count)s meetings are planned.") % {"count": count})
                else:
                    messages.success(request, _("The meeting is planned."))
                return _to_meeting(meeting)
    else:
        initial: dict[str, Any] = {"unit": choices["units"].first()}
        youth_pk = request.GET.get("ungdom", "")
        if youth_pk.isdigit():
            youth = choices["youths"].filter(pk=int(youth_pk)).first()
            if youth is not None:
                initial.update({"youth": youth, "kind": "team"})
        form = MeetingPlanForm(initial=initial, **choices)
    return render(
        request,
        "teams/meeting_new.html",
        {"form": form, "youth_kinds": sorted(str(k) for k in YOUTH_MEETING_KINDS)},
        status=status,
    )


# --- The meeting ---------------------------------------------------------------------------


@dataclass
class MeetingPage:
    """The meeting page; a failed POST replaces one of its forms (status 400)."""

    view: selectors.MeetingView
    may_edit: bool
    may_approve: bool
    item_form: ActionItemForm | None = None
    presence_form: PresenceForm | None = None
    rating_form: RatingForm | None = None
    external_form: ExternalParticipantForm | None = None
    status_forms: dict[int, ActionItemStatusForm] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # What the meeting's and the minutes' states open now (MEETING_TRANSITIONS, MINUTES_TRANSITIONS).
    meeting_actions: list[str] = field(default_factory=list)
    minutes_actions: list[str] = field(default_factory=list)
    # What packages above meetings show on the page (teams.meetings.sections: the youth's plan
    # beside the minutes), asked only when the page is rendered.
    sections: Callable[[], dict[str, Any]] = dict

    @classmethod
    def load(cls, request: HttpRequest, meeting: Meeting) -> MeetingPage:
        view = selectors.meeting_view(user=request.user, meeting=meeting)
        page = cls(
            view,
            may_edit=access.can(request.user, meeting, "edit"),
            may_approve=access.can(request.user, meeting, "approve"),
            meeting_actions=services.meeting_available_actions(meeting),
            minutes_actions=services.minutes_available_actions(meeting=meeting, minutes=view.minutes),
        )
        page.sections = lambda: {"plan": meeting_sections.section("plan", user=request.user, meeting=meeting)}
        if page.may_edit and "record" in page.meeting_actions:
            page.item_form = ActionItemForm(people=selectors.meeting_people_choices(meeting=meeting))
            page.presence_form = PresenceForm(participants=view.participants)
            page.rating_form = RatingForm(participants=page.raters)
            page.external_form = ExternalParticipantForm()
        return page

    @property
    def raters(self) -> list[MeetingParticipant]:
        return [
            p
            for p in self.view.participants
            if p.kind in (MeetingParticipant.Kind.YOUTH, MeetingParticipant.Kind.GUARDIAN) and p.present
        ]

    def context(self) -> dict[str, Any]:
        meeting = self.view.meeting
        items = self.view.action_items + self.view.carried
        for item in items:
            item.status_form = self.status_forms.get(item.pk) or ActionItemStatusForm(  # type: ignore[attr-defined]
                prefix=f"status-{item.pk}", initial={"status": item.status, "done_note": item.done_note}
            )
        return {
            "meeting": meeting,
            "view": self.view,
            "may_edit": self.may_edit and "record" in self.meeting_actions,
            "may_approve": self.may_approve,
            "meeting_actions": self.meeting_actions,
            "minutes_actions": self.minutes_actions,
            "item_form": self.item_form,
            "presence_form": self.presence_form,
            "rating_form": self.rating_form if self.raters else None,
            "external_form": self.external_form,
            "statuses": ActionItem.Status.choices,
            "status_forms": self.status_forms,  # the bound ones, each shown again on its own item
            "errors": self.errors,
            "approve_form": ApproveForm(initial={"base_revision": self.view.minutes.revision}),
            **self.sections(),
        }


def _presence(request: HttpRequest, page: MeetingPage) -> int | HttpResponse:
    meeting = page.view.meeting
    page.presence_form = form = PresenceForm(request.POST, participants=page.view.participants)
    if not form.is_valid():
        return 400
    try:
        services.participants_set_present(
            actor=request.user, meeting=meeting, present=[int(pk) for pk in form.cleaned_data["present"]]
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    messages.success(request, _("Who took part is recorded."))
    return _to_meeting(meeting, "participants")


def _action_item(request: HttpRequest, page: MeetingPage) -> int | HttpResponse:
    meeting = page.view.meeting
    page.item_form = form = ActionItemForm(request.POST, people=selectors.meeting_people_choices(meeting=meeting))
    if not form.is_valid():
        return 400
    try:
        services.action_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    messages.success(request, _("The action item is added."))
    return _to_meeting(meeting, "action-items")


def _item_status(request: HttpRequest, page: MeetingPage) -> int | HttpResponse:
    meeting = page.view.meeting
    # Every item this meeting can change, withheld or not: the service refuses a withheld one (403).
    items = {item.pk: item for item in selectors.action_items_on(meeting=meeting)}
    raw = request.POST.get("item", "")
    item = items.get(int(raw)) if raw.isdigit() else None
    if item is None:
        page.errors.append(_("The action item was not found."))
        return 400
    form = ActionItemStatusForm(request.POST, prefix=f"status-{item.pk}")
    page.status_forms[item.pk] = form
    if not form.is_valid():
        return 400
    try:
        services.action_item_set_status(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    messages.success(request, _("The status of «%(title)s» is changed.") % {"title": item.title})
    return _to_meeting(meeting, "action-items")


def _rating(request: HttpRequest, page: MeetingPage) -> int | HttpResponse:
    meeting = page.view.meeting
    page.rating_form = form = RatingForm(request.POST, participants=page.raters)
    if not form.is_valid():
        return 400
    participant = next(p for p in page.raters if p.pk == form.cleaned_data["participant"])
    try:
        services.meeting_rate(
            actor=request.user,
            participant=participant,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    messages.success(request, _("The rating is recorded."))
    return _to_meeting(meeting, "ratings")


def _external(request: HttpRequest, page: MeetingPage) -> int | HttpResponse:
    meeting = page.view.meeting
    page.external_form = form = ExternalParticipantForm(request.POST)
    if not form.is_valid():
        return 400
    try:
        services.participant_add(
            actor=request.user, meeting=meeting, kind=MeetingParticipant.Kind.EXTERNAL, **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return 400
    messages.success(request, _("%(name)s is invited.") % {"name": form.cleaned_data["name"]})
    return _to_meeting(meeting, "participants")


ACTIONS = {
    "presence": _presence,
    "action_item": _action_item,
    "item_status": _item_status,
    "rating": _rating,
    "external": _external,
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    # Moving an action item on is the service's to allow (its owner may, and a plan's step on
    # a cancelled meeting may): the page needs only to see the meeting, as the API does.
    item_status = action == "item_status"
    needed = "edit" if request.method == "POST" and not item_status else access.VIEW
    meeting = selectors.meeting_get(user=request.user, pk=pk, action=needed)
    page = MeetingPage.load(request, meeting)
    status = 200
    if request.method == "POST":
        if "record" not in page.meeting_actions and not item_status:
            page.errors.append(_("The meeting is cancelled."))
            status = 400
        else:
            handler = ACTIONS.get(action)
            if handler is None:
                page.errors.append(_("Unknown action."))
                status = 400
            else:
                result = handler(request, page)
                if isinstance(result, HttpResponse):
                    return result
                status = result
    return render(request, "teams/meeting_detail.html", page.context(), status=status)


# --- Change or cancel ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="approve")
    status = 200
    if request.method == "POST":
        form = MeetingChangeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.meeting_change(actor=request.user, meeting=meeting, **form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting is changed."))
                return _to_meeting(meeting)
    else:
        starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        form = MeetingChangeForm(
            initial={
                "day": starts.date(),
                "starts": starts.time(),
                "ends": ends.time(),
                "place": meeting.place,
                "video_link": meeting.video_link,
                "title": meeting.title,
                "agenda": meeting.agenda,
            }
        )
    return render(request, "teams/meeting_change.html", {"meeting": meeting, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="approve")
    form = CancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting is cancelled."))
                return _to_meeting(meeting)
    return render(request, "teams/meeting_cancel.html", {"meeting": meeting, "form": form}, status=status)


# --- Minutes -------------------------------------------------------------------------------


def _initial_minutes(minutes: Minutes, revision: Any, form_headings: list[Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {"base_revision": minutes.revision}
    if revision is not None:
        initial["decisions"] = revision.decisions
        for heading in form_headings:
            initial[MinutesForm.section_field(heading)] = revision.sections.get(heading.key, "")
    return initial


def _posted_withheld(request: HttpRequest, withheld: list[Heading]) -> dict[str, str]:
    """Parts the form does not offer but were posted anyway (by hand): passed on, so that the
    service refuses them (403) as it refuses them in the API, instead of the page dropping them."""
    return {
        h.key: request.POST[MinutesForm.section_field(h)]
        for h in withheld
        if MinutesForm.section_field(h) in request.POST
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the minutes. The form carries the revision it was based on; when someone else
    saved meanwhile, the page comes back (409) with their text and this person's side by side,
    this person's text still in the form and the form now based on their revision."""
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="edit")
    # A cancelled meeting offers no form; a save sent anyway gets the service's answer (400), as in the API.
    if request.method != "POST" and "record" not in services.meeting_available_actions(meeting):
        raise PermissionDenied
    minutes, revision = selectors.minutes_current(meeting=meeting)
    # What the form offers; the service refuses a change to any other part.
    parts = selectors.minutes_parts(user=request.user, meeting=meeting)
    headings, withheld, decisions_open = parts.headings, parts.withheld, parts.decisions
    # Approved minutes: a change becomes a new version, and the form asks what was changed.
    approved = "revise" in services.minutes_available_actions(meeting=meeting, minutes=minutes)
    theirs = None
    status = 200
    if request.method == "POST":
        form = MinutesForm(request.POST, headings=headings, approved=approved)
        status = 400
        if form.is_valid():
            try:
                services.minutes_save(
                    actor=request.user,
                    meeting=meeting,
                    sections=form.sections() | _posted_withheld(request, withheld),
                    decisions=form.cleaned_data["decisions"] if decisions_open else request.POST.get("decisions"),
                    base_revision=form.cleaned_data["base_revision"],
                    change_note=form.cleaned_data.get("change_note", ""),
                )
            except services.MinutesConflict as conflict:
                theirs = conflict.theirs
                data = request.POST.copy()
                data["base_revision"] = str(theirs.number if theirs else 0)
                minutes.refresh_from_db()
                approved = "revise" in services.minutes_available_actions(meeting=meeting, minutes=minutes)
                form = MinutesForm(data, headings=headings, approved=approved)
                form.is_valid()
                form.add_error(None, conflict.messages)
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The minutes are saved."))
                return _to_meeting(meeting, "minutes")
    else:
        form = MinutesForm(initial=_initial_minutes(minutes, revision, headings), headings=headings, approved=approved)
    if not decisions_open:
        del form.fields["decisions"]
    conflict_rows = []
    if theirs is not None:
        conflict_rows = [
            {
                "label": h.label,
                "theirs": theirs.sections.get(h.key, ""),
                "mine": form.data.get(MinutesForm.section_field(h), ""),
            }
            for h in headings
        ]
        if decisions_open:
            conflict_rows.append(
                {"label": _("Decisions"), "theirs": theirs.decisions, "mine": form.data.get("decisions", "")}
            )
    return render(
        request,
        "teams/meeting_minutes.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "withheld": withheld,
            "theirs": theirs,
            "conflict_rows": conflict_rows,
            "minutes_actions": services.minutes_available_actions(meeting=meeting, minutes=minutes),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def minutes_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the minutes as read: the form carries the revision shown, and when someone saved
    after it the page comes back (409) with the text now current."""
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="approve")
    status = 200
    form = ApproveForm(request.POST or None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.minutes_approve(
                    actor=request.user, meeting=meeting, base_revision=form.cleaned_data["base_revision"]
                )
            except services.MinutesConflict as conflict:
                form = ApproveForm({"base_revision": conflict.theirs.number if conflict.theirs else 0})
                form.is_valid()
                form.add_error(
                    None, _("Someone saved the minutes after you opened them. Read them again before approving.")
                )
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The minutes are approved and locked."))
                return _to_meeting(meeting, "minutes")
    view = selectors.meeting_view(user=request.user, meeting=meeting)
    minutes_actions = services.minutes_available_actions(meeting=meeting, minutes=view.minutes)
    return render(
        request,
        "teams/meeting_approve.html",
        {
            "meeting": meeting,
            "view": view,
            "form": form,
            "base_revision": view.minutes.revision,
            "minutes_actions": minutes_actions,
        },
        status=status,
    )


@login_required
@require_GET
def minutes_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved revision; `?revisjon=N` shows the text of one (through the sharing policy)."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    shown = None
    raw = request.GET.get("revisjon", "")
    if raw.isdigit() and len(raw) < 10:
        revision = selectors.minutes_revision_get(meeting=meeting, number=int(raw))
        if revision is not None:
            shown = selectors.meeting_view(user=request.user, meeting=meeting, revision=revision)
    history = selectors.minutes_history(user=request.user, meeting=meeting, audited=shown is None)
    return render(request, "teams/meeting_versions.html", {"meeting": meeting, "history": history, "shown": shown})


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    view = selectors.meeting_view(user=request.user, meeting=meeting, channel="pdf")
    pdf = render_pdf(request, "teams/minutes_pdf.html", {"meeting": meeting, "view": view})
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    return pdf_response(pdf, f"referat-{meeting.pk}-{day}.pdf")
