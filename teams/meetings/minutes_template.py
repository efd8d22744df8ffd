"""The shared minutes template (seed 004: one template for every meeting, an action plan after
each): fixed headings per meeting type, each carrying the category of information written under
it, so the sharing policy (consent.policy) can show or withhold a section like any other item.

Headings are identified by key; a revision stores {key: text}. Category values are those of
consent.models.Category (kept as strings here: consent imports teams).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from teams.models import Meeting, MeetingKind


@dataclass(frozen=True)
class Heading:
    key: str
    label: str | Promise
    category: str
    help: str | Promise = ""


IDENTITY = "identity_contact"
SCHOOL = "school"
HEALTH = "health"
POLICE = "police"
BARNEVERN = "barnevern"
FAMILY = "family"
SUBSTANCE = "substance_use"

_SINCE = Heading("since_last", _("Since last time"), IDENTITY, _("What has happened since the last meeting."))
_SCHOOL = Heading("school", _("School and work"), SCHOOL, _("Attendance, subjects, work or training."))
_HEALTH = Heading("health", _("Health"), HEALTH)
_FAMILY = Heading("family", _("Family and home"), FAMILY)
_LEISURE = Heading("leisure", _("Leisure and friends"), IDENTITY)
_SUBSTANCE = Heading("substance_use", _("Substance use"), SUBSTANCE)
_YOUTH_VIEW = Heading("youth_view", _("The youth's own view"), IDENTITY, _("In the youth's own words."))
_NEXT = Heading("next_steps", _("Assessment and the way forward"), IDENTITY)
# A plan review is on every team meeting's agenda (issue 13): the meeting page shows the plan
# beside the minutes; what is written here carries no more than the youth's own goals shown
# on the plan (each goal is withheld there by its life area's category).
_PLAN_REVIEW = Heading(
    "plan_review",
    _("Review of Min plan"),
    IDENTITY,
    _("The youth's goals and steps: what is reached, what changes, who helps. Change the plan beside the minutes."),
)

TEMPLATES: dict[str, tuple[Heading, ...]] = {
    MeetingKind.TEAM: (_SINCE, _YOUTH_VIEW, _PLAN_REVIEW, _SCHOOL, _HEALTH, _FAMILY, _LEISURE, _SUBSTANCE, _NEXT),
    MeetingKind.STARTUP: (
        Heading("information", _("Information about the follow-up"), IDENTITY),
        Heading("consent", _("Consent and information sharing"), IDENTITY),
        _YOUTH_VIEW,
        Heading("goals", _("The youth's wishes and goals"), IDENTITY),
        _FAMILY,
        _NEXT,
    ),
    MeetingKind.HANDOVER: (
        Heading("background", _("Background"), IDENTITY),
        Heading("handed_over", _("What is handed over"), IDENTITY),
        Heading("new_contact", _("New contact person and responsibility"), IDENTITY),
        _YOUTH_VIEW,
        _NEXT,
    ),
    MeetingKind.SCHOOL_BARNEVERN: (
        Heading("school_status", _("The school's concern and status"), SCHOOL),
        Heading("barnevern_information", _("Information from barnevern"), BARNEVERN),
        _FAMILY,
        Heading("cooperation", _("Cooperation from here"), IDENTITY),
    ),
    MeetingKind.EVALUATION: (
        Heading("goals", _("Goals and how far they are reached"), IDENTITY),
        Heading("worked", _("What has worked"), IDENTITY),
        Heading("change", _("What must change"), IDENTITY),
        _YOUTH_VIEW,
        _SCHOOL,
        _NEXT,
    ),
    MeetingKind.INTAKE: (
        Heading("present_services", _("Services present"), IDENTITY),
        Heading("candidates", _("Candidates and decisions"), IDENTITY),
        Heading("capacity", _("Capacity and waiting list"), IDENTITY),
        Heading("other", _("Other matters"), IDENTITY),
    ),
    MeetingKind.LIST: (
        Heading("present_services", _("Services present"), IDENTITY),
        Heading("situation", _("The situation in the district"), POLICE, _("Police information.")),
        Heading("other", _("Other matters"), IDENTITY),
    ),
}


# The handover meeting at 18 (issue 14): its headings follow the youth's transition checklist,
# each carrying the category of its point (teams.transition.policy.POINT_CATEGORY). teams.transition
# sits above meetings (it plans the meeting), so it hands its headings over here when teams is
# ready (teams.apps); until then such a meeting has the plain handover headings.
_TURNING_18: list[tuple[Heading, ...]] = []


def register_turning_18_headings(headings: tuple[Heading, ...]) -> None:
    """The headings of a handover meeting about turning 18 (called from teams.apps)."""
    _TURNING_18[:] = [headings]


def headings_for(kind: str, *, turning_18: bool = False) -> tuple[Heading, ...]:
    """The headings of a meeting type; a handover meeting about turning 18 has its own."""
    if turning_18 and kind == MeetingKind.HANDOVER and _TURNING_18:
        return _TURNING_18[0]
    return TEMPLATES[kind]


def headings_for_meeting(meeting: Meeting) -> tuple[Heading, ...]:
    """The headings of this meeting's minutes: what every page, the API, the PDF, the approval
    and the sharing policy's section filter ask for one meeting."""
    return headings_for(meeting.kind, turning_18=meeting.about_turning_18)
