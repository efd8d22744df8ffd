"""Plan the handover meeting at 18 from the youth's transition checklist (issue 14, point 3):
/ungdommer/<pk>/plan/etter-18/overgangsmote/ (transition:handover_meeting), linked from the
"Etter 18" section of the plan page.

The form starts from a proposal (teams.transition.invitees.handover_meeting_proposal: a day
before the 18th birthday, the place of the youth's latest meeting), the receiving services the
checklist names (handover_invitees, each to tick) and the checklist's points as the agenda.

Thin view (STYLE.md): the checklist through transition_checklist_shown (404 to whoever may not
see the youth; the read audited, the disclosure logged), 403 to whoever may not plan a meeting
about the youth (teams.policy.may_plan_meeting), and the write through
teams.transition.services.transition_handover_meeting_plan, whose ValidationErrors come back on
the form with status 400, everything typed kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from teams.meetings.forms import TimeAndPlaceForm
from teams.models import MeetingKind
from teams.policy import may_plan_meeting
from teams.transition import invitees as reads
from teams.transition import selectors, services


class HandoverMeetingForm(TimeAndPlaceForm):
    """When and where, whom of the receiving services to invite (the youth's team is invited as
    to every meeting about the youth), the title and the agenda."""

    field_order = ["day", "starts", "ends", "place", "video_link", "invite", "title", "agenda"]

    invite = forms.MultipleChoiceField(
        label=_("Invite from the receiving services"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Named on the checklist. The youth's team is invited as well."),
    )

    def __init__(self, *args: Any, invitees: list[reads.HandoverInvitee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invite"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(i.key, f"{i.name} ({i.organisation}) – {i.label}") for i in invitees]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "ends_at": self.ends_at(),
            "place": data["place"],
            "video_link": data["video_link"],
            "invite": data["invite"],
            "title": data["title"],
            "agenda": data["agenda"],
        }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def handover_meeting_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the handover meeting at 18, with the receiving services."""
    checklist = selectors.transition_checklist_shown(user=request.user, youth=pk, channel="view")
    youth = checklist.youth
    if not may_plan_meeting(request.user, kind=MeetingKind.HANDOVER, unit=None, youth=youth):
        raise PermissionDenied
    invitees = reads.handover_invitees(checklist)
    if request.method == "POST":
        form = HandoverMeetingForm(request.POST, invitees=invitees)
        if form.is_valid():
            try:
                meeting = services.transition_handover_meeting_plan(
                    actor=request.user, youth=youth, **form.service_data()
                )
            except ValidationError as error:
                add_service_errors(form, error, field_names={"starts_at": "starts", "ends_at": "ends"})
            else:
                messages.success(request, gettext("The handover meeting is planned."))
                return redirect("meetings:detail", pk=meeting.pk)
    else:
        proposal = reads.handover_meeting_proposal(youth)
        initial = {
            "day": proposal.day,
            "starts": proposal.starts,
            "ends": proposal.ends,
            "place": proposal.place,
            "invite": [i.key for i in invitees],
            "title": gettext("Handover meeting at 18"),
            "agenda": reads.handover_agenda(checklist),
        }
        form = HandoverMeetingForm(initial=initial, invitees=invitees)
    return render(
        request,
        "teams/transition/handover_meeting.html",
        {"youth": youth, "checklist": checklist, "form": form, "invitees": invitees},
        status=400 if request.method == "POST" else 200,
    )
