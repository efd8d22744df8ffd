"""The overview rows every youth list shares (the youth list, the home pages, the caseloads): last
contact, flags and the lead follower, as the person may see them (consent.policy)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import FollowUp, FollowUpAssignment, ReportingDate, Youth
from consent import policy as consent_policy
from consent.policy import Viewer
from consent.services import disclosures_record_for_list

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

TURNING_18_WITHIN_DAYS = 365
# The fields of the record a row shows or computes from (consent.policy.FIELD_CATEGORY masks
# them): age and last contact with identity, the school, repeated crime with police matters.
ROW_FIELDS = ("birth_date", "school", "last_contact_at", "offences_this_year")


@dataclass
class YouthRow:
    """One youth in a list: what the person needs to see at a glance."""

    youth: Youth
    age: int
    followup: FollowUp | None
    lead: Any
    days_since_contact: int | None
    no_contact: bool
    repeated_crime: bool
    task_overdue: bool
    turns_18_on: datetime.date | None
    next_reporting: ReportingDate | None = None
    identity: bool = True  # consent.policy: False when identity and contact details are withheld
    school: bool = True  # False when the youth's school is withheld
    viewer: Viewer | None = field(default=None, repr=False)

    @property
    def has_flags(self) -> bool:
        """Flags other than no contact, which is shown with the last contact."""
        return bool(self.repeated_crime or self.task_overdue or self.turns_18_on or self.next_reporting)


def youth_row(youth: Youth, *, today: datetime.date | None = None, viewer: Viewer | None = None) -> YouthRow:
    """Build a row from a youth as youths_for_user / youths_followed_by return it (annotated,
    with the open follow-up and its assignments prefetched): no further queries. With a
    viewer (consent.policy), the row holds only what the person may see: the frame (name,
    district, follow-up team, lead follower) always; age, last contact and the follow-up's
    flags with identity and contact details; the school with school information; repeated
    crime when police matters are shared with the person's service."""
    today = today or timezone.localdate()
    open_followups = getattr(youth, "open_followups", [])
    followup = open_followups[0] if open_followups else None
    lead = None
    if followup is not None:
        lead = next(
            (a.user for a in followup.current_assignments if a.role == FollowUpAssignment.Role.LEAD),
            None,
        )
    withheld = viewer.show_fields(youth, ROW_FIELDS).withheld if viewer is not None else frozenset()
    identity = "birth_date" not in withheld
    school = "school" not in withheld
    police = "offences_this_year" not in withheld
    days = case_selectors.last_contact_days(youth, today) if identity else None
    active = followup is not None and followup.state == FollowUp.State.ACTIVE
    eighteen = youth.eighteenth_birthday
    next_task_due = getattr(youth, "next_task_due", None)
    return YouthRow(
        youth=youth,
        age=youth.age_on(today),
        followup=followup,
        lead=lead,
        days_since_contact=days,
        no_contact=identity and active and (days is None or days >= settings.LAGET_NO_CONTACT_DAYS),
        repeated_crime=police and getattr(youth, "offences_this_year", 0) >= settings.LAGET_REPEATED_CRIME_THRESHOLD,
        task_overdue=identity and next_task_due is not None and next_task_due < today,
        turns_18_on=eighteen
        if identity and today <= eighteen <= today + datetime.timedelta(days=TURNING_18_WITHIN_DAYS)
        else None,
        identity=identity,
        school=school,
        viewer=viewer,
    )


def youth_rows(
    *, user: User | AnonymousUser, youths: Iterable[Youth], today: datetime.date | None = None
) -> list[YouthRow]:
    """Rows for a list of youths as the person may see them (consent.policy, a fixed number of
    queries for the whole list); what crossed a service boundary is logged as disclosed."""
    youths = list(youths)
    viewers = consent_policy.viewers(user, youths)
    rows = [youth_row(youth, today=today, viewer=viewers[youth.pk]) for youth in youths]
    disclosures_record_for_list(user=user, viewers=viewers.values(), channel="view")
    return rows


def follower_loads(*, user_ids: Iterable[int]) -> dict[int, int]:
    """cases.services.follower_load for many people in one query: lead assignments in force on
    follow-ups not closed."""
    rows = (
        FollowUpAssignment.objects.filter(
            user_id__in=list(user_ids), role=FollowUpAssignment.Role.LEAD, ends_on__isnull=True
        )
        .exclude(followup__state=FollowUp.State.CLOSED)
        .values("user_id")
        .annotate(n=Count("id"))
    )
    return {row["user_id"]: row["n"] for row in rows}
