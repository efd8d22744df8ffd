"""The minutes of a handover meeting at 18 (issue 14, point 3): a heading for each point of the
transition checklist, carrying the point's category (POINT_CATEGORY), so the sharing policy shows
or withholds what is written under it as it shows or withholds the point on the checklist; then
the youth's own view and the next steps, as in every handover meeting.

teams.apps hands these to teams.meetings.minutes_template (meetings sits below transition).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from teams.meetings.minutes_template import IDENTITY, Heading
from teams.models import TransitionPoint
from teams.transition.policy import POINT_CATEGORY

_HELP: dict[str, Promise] = {
    TransitionPoint.AFTERCARE: _("What barnevern's aftercare offers, and the youth's answer."),
    TransitionPoint.NAV: _("Who at NAV takes over, and what they are to help with."),
    TransitionPoint.HEALTH: _("Which adult health service takes over, and who."),
    TransitionPoint.HOUSING: _("Where the youth will live, and what the youth will live on."),
    TransitionPoint.SCHOOL_WORK: _("School, training or work after 18."),
    TransitionPoint.CONSENT: _("What the youth, alone, consents to be shared, and with whom."),
    TransitionPoint.LEAD: _("Who holds lead responsibility after 18, in which service, and until when."),
}


def turning_18_headings() -> tuple[Heading, ...]:
    """The checklist's points in their order, then the youth's view and the next steps."""
    points = tuple(
        Heading(str(value), label, POINT_CATEGORY[value], _HELP[value]) for value, label in TransitionPoint.choices
    )
    return (
        *points,
        Heading("youth_view", _("The youth's own view"), IDENTITY, _("In the youth's own words.")),
        Heading("next_steps", _("Assessment and the way forward"), IDENTITY),
    )
