"""Every write about meetings, minutes, action items and ratings (issue #6). Each service checks
permission first (teams.policy: "edit", "approve", may_plan_meeting), runs in one transaction
and writes its audit entry in the same transaction, with the youth for meetings about a youth.

The rules held here, as the caseworker reads them:
- a meeting about a youth names the youth and invites the youth's team; intake and list
  meetings belong to a district. A recurring meeting is planned ahead as ordinary meetings, at
  most 26 of them and never more than a year ahead; an intake meeting repeats at the
  district's interval (District.intake_interval_weeks) unless told otherwise;
- a change of time or place raises the meeting's iCalendar SEQUENCE, so calendars update;
- minutes are written under the fixed headings of the meeting type (teams.meetings.minutes_template).
  Every save is a new revision based on the revision the writer started from: a save based
  on an older one is refused (MinutesConflict) and nothing is overwritten. Approved minutes
  are locked: a later change makes a new version, needs a note of what was changed, and must
  be approved again;
- an action item has exactly one owner and a due date; it is done only with a note of what
  was done;
- only the youth and guardians who took part rate the meeting (recorded by staff: youths and
  guardians do not sign in to Laget).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import Guardian, Guardianship, Youth
from consent import policy as consent_policy
from core import access, audit
from core.validators import MINUTES_MAX, PLANNED, clean_text
from core.workflow import actions_open, transition_allowed, transition_check
from org.models import District, Unit
from org.selectors import staffroles_active
from teams.meetings.minutes_template import headings_for_meeting
from teams.meetings.selectors import minutes_parts
from teams.models import (
    MEETING_TRANSITIONS,
    MINUTES_TRANSITIONS,
    YOUTH_MEETING_KINDS,
    ActionItem,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingSeries,
    Minutes,
    MinutesRevision,
    TeamMember,
    validate_minutes_sections,
)
from teams.policy import may_plan_meeting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

MAX_OCCURRENCES = 26
MAX_AHEAD = datetime.timedelta(days=366)

PKind = MeetingParticipant.Kind


class MinutesConflict(ValidationError):
    """Someone else saved the minutes after the writer started: `theirs` is the revision now
    current, so the page can show both texts and let the writer merge and save again."""

    def __init__(self, theirs: MinutesRevision | None) -> None:
        super().__init__(
            _(
                "Someone else saved these minutes while you were writing. Your text is kept below: "
                "compare it with theirs, merge, and save again."
            ),
            code="conflict",
        )
        self.theirs = theirs


def _require(actor: User | AnonymousUser, obj: Meeting | ActionItem | MeetingParticipant, action: str) -> None:
    """The meeting, or one of its children (core.access asks the meeting)."""
    if not access.can(actor, obj, access.VIEW) or not access.can(actor, obj, action):
        raise PermissionDenied


def _audit(actor: User | AnonymousUser, action: str, meeting: Meeting, target: Any = None, **detail: Any) -> None:
    audit.record(actor=actor, action=action, target=target or meeting, youth=meeting.youth_id, detail=detail)


def _not_cancelled(meeting: Meeting) -> None:
    transition_check(MEETING_TRANSITIONS, "record", meeting.state)


def meeting_available_actions(meeting: Meeting) -> list[str]:
    """The actions MEETING_TRANSITIONS opens from the meeting's state now (change, cancel, hold,
    record): what the meeting's pages offer. Whether a person may take them is core.access's word
    ("edit", "approve")."""
    return actions_open(MEETING_TRANSITIONS, meeting.state)


def minutes_available_actions(*, meeting: Meeting, minutes: Minutes) -> list[str]:
    """The actions MINUTES_TRANSITIONS opens from the minutes' state now: "approve" (a draft with
    text) or "revise" (approved minutes, whose change becomes a new version); none while the
    meeting is cancelled."""
    if not transition_allowed(MEETING_TRANSITIONS, "record", meeting.state):
        return []
    return [a for a in actions_open(MINUTES_TRANSITIONS, minutes.state) if a != "approve" or minutes.revision > 0]


# --- Planning ------------------------------------------------------------------------------


def meeting_time_and_place_check(*, starts_at: Any, ends_at: Any, place: str, video_link: str) -> None:
    """A meeting has a start within the planning bounds, an end after it, and a place or a video
    link. Asked by meeting_plan and meeting_change, and by the demo data before its bulk save."""
    errors: dict[str, Any] = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the time the meeting starts.")
    else:
        try:
            PLANNED(starts_at)
        except ValidationError as error:
            errors["starts_at"] = error.messages
    if ends_at is None:
        errors["ends_at"] = _("Give the time the meeting ends.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if not place and not video_link:
        errors["place"] = _("Write where the meeting is, or give a video link.")
    if errors:
        raise ValidationError(errors)


def _occurrences(starts_at: datetime.datetime, weeks: int, until: datetime.date) -> list[datetime.datetime]:
    """The start of each meeting of a series: the same local time of day every `weeks` weeks
    (across summer time changes), up to `until`, at most 26 and at most a year ahead."""
    local = timezone.localtime(starts_at)
    naive = local.replace(tzinfo=None)
    tz = local.tzinfo
    limit = min(until, (local + MAX_AHEAD).date())
    result: list[datetime.datetime] = []
    step = 0
    while len(result) < MAX_OCCURRENCES:
        start = timezone.make_aware(naive + datetime.timedelta(weeks=weeks * step), tz)
        if timezone.localtime(start).date() > limit:
            break
        result.append(start)
        step += 1
    return result


def _default_invitees(youth: Youth) -> list[TeamMember]:
    return list(TeamMember.objects.filter(youth=youth, ends_on__isnull=True).select_related("user", "unit", "guardian"))


def _is_guardian(invitee: Any) -> bool:
    return isinstance(invitee, TeamMember) and invitee.kind == TeamMember.Kind.GUARDIAN


def _participant_from(invitee: Any, *, meeting: Meeting, prefer_unit: Unit) -> MeetingParticipant:
    """A participant from a team member (copied as they are in the team) or a staff person
    (taking part for the organising unit when they hold a role there, else their first)."""
    if isinstance(invitee, TeamMember):
        kinds = {
            TeamMember.Kind.STAFF: PKind.STAFF,
            TeamMember.Kind.EXTERNAL: PKind.EXTERNAL,
            TeamMember.Kind.YOUTH: PKind.YOUTH,
            TeamMember.Kind.GUARDIAN: PKind.GUARDIAN,
        }
        return MeetingParticipant(
            meeting=meeting,
            kind=kinds[TeamMember.Kind(invitee.kind)],
            user=invitee.user if invitee.kind == TeamMember.Kind.STAFF else None,
            unit=invitee.unit if invitee.kind == TeamMember.Kind.STAFF else None,
            guardian=invitee.guardian if invitee.kind == TeamMember.Kind.GUARDIAN else None,
            name=invitee.external_name if invitee.kind == TeamMember.Kind.EXTERNAL else "",
            organisation=invitee.external_organisation if invitee.kind == TeamMember.Kind.EXTERNAL else "",
            email=invitee.external_email if invitee.kind == TeamMember.Kind.EXTERNAL else "",
        )
    unit = _staff_unit(invitee, prefer_unit)
    return MeetingParticipant(meeting=meeting, kind=PKind.STAFF, user=invitee, unit=unit)


def _staff_unit(user: User, prefer_unit: Unit | None) -> Unit:
    roles = staffroles_active(user=user).select_related("unit").order_by("unit__name", "id")
    units = [role.unit for role in roles]
    if not getattr(user, "is_active", False) or not units:
        raise ValidationError(
            {"invite": _("%(name)s holds no role in force in Laget.") % {"name": user.full_name or user.email}}
        )
    for unit in units:
        if prefer_unit is not None and unit.pk == prefer_unit.pk:
            return unit
    return units[0]


def _participant_key(participant: MeetingParticipant) -> tuple[str, Any]:
    if participant.kind == PKind.STAFF:
        return ("staff", participant.user_id)
    if participant.kind == PKind.GUARDIAN:
        return ("guardian", participant.guardian_id)
    if participant.kind == PKind.YOUTH:
        return ("youth", None)
    return ("external", (participant.name.lower(), participant.organisation.lower()))


@transaction.atomic
def meeting_plan(
    *,
    actor: User | AnonymousUser,
    kind: str,
    unit: Unit,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    video_link: str = "",
    youth: Youth | None = None,
    district: District | None = None,
    title: str = "",
    agenda: str = "",
    repeat_weeks: int | None = None,
    until: datetime.date | None = None,
    invite: Iterable[Any] = (),
    about_turning_18: bool = False,
) -> Meeting:
    """Plan a meeting (and, with `repeat_weeks` or `until`, the rest of its series). Returns the
    first meeting. A meeting about a youth invites the youth's team unless `invite` says who
    (team members or staff people); the actor is always invited. Every meeting gets its
    (empty) minutes. `about_turning_18` marks a handover meeting at 18 (issue 14: planned from
    the transition checklist, teams.transition.services), whose minutes follow the checklist."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose the type of meeting.")})
    if about_turning_18 and kind != MeetingKind.HANDOVER:
        raise ValidationError({"kind": _("Only a handover meeting can be the handover at 18.")})
    about_youth = kind in YOUTH_MEETING_KINDS
    if about_youth and youth is None:
        raise ValidationError({"youth": _("Choose the youth the meeting is about.")})
    if not may_plan_meeting(actor, kind=kind, unit=unit, youth=youth if about_youth else None):
        raise PermissionDenied
    if not staffroles_active(user=actor).filter(unit=unit).exists():
        raise ValidationError({"unit": _("You hold no role in force in %(unit)s.") % {"unit": unit}})
    if about_youth:
        district = youth.district if youth is not None else None
    else:
        youth = None
        district = district or unit.district
        if district is None:
            raise ValidationError({"district": _("Choose the district of the meeting.")})
    place, video_link = clean_text(place), clean_text(video_link)
    meeting_time_and_place_check(starts_at=starts_at, ends_at=ends_at, place=place, video_link=video_link)
    if until is not None and repeat_weeks is None:
        repeat_weeks = district.intake_interval_weeks if kind == MeetingKind.INTAKE and district else 4
    series = None
    starts = [starts_at]
    if repeat_weeks is not None:
        if not 1 <= repeat_weeks <= 12:
            raise ValidationError({"repeat_weeks": _("A meeting repeats every 1 to 12 weeks.")})
        first_day = timezone.localtime(starts_at).date()
        until = until or first_day + datetime.timedelta(days=365)
        if until < first_day:
            raise ValidationError({"until": _("The series cannot end before the first meeting.")})
        starts = _occurrences(starts_at, repeat_weeks, until)
        series = MeetingSeries.objects.create(
            kind=kind,
            unit=unit,
            district=district,
            youth=youth,
            interval_weeks=repeat_weeks,
            until=until,
            created_by=access.signed_in(actor),
        )
    named = list(invite)
    invitees = named or (_default_invitees(youth) if youth is not None else [])
    # From the 18th birthday the guardians are invited only with the youth's consent
    # (consent.policy.guardians_told, at each meeting's start): naming one for the first meeting
    # is refused; the team's guardians are left out of the meetings on or after the birthday.
    first = Meeting(youth=youth, starts_at=starts[0])
    if youth is not None and any(map(_is_guardian, named)) and not consent_policy.guardians_told(youth, at=starts[0]):
        raise ValidationError({"invite": _guardians_stopped(first)})
    duration = ends_at - starts_at
    meetings: list[Meeting] = []
    for start in starts:
        meeting = Meeting(
            kind=kind,
            title=clean_text(title),
            unit=unit,
            district=district,
            youth=youth,
            series=series,
            starts_at=start,
            ends_at=start + duration,
            place=place,
            video_link=video_link,
            agenda=clean_text(agenda),
            about_turning_18=about_turning_18,
            created_by=access.signed_in(actor),
        )
        meeting.full_clean(validate_unique=False)
        meeting.save()
        Minutes.objects.create(meeting=meeting)
        participants: dict[tuple[str, Any], MeetingParticipant] = {}
        guardians = youth is not None and consent_policy.guardians_told(youth, at=start)
        for invitee in [*invitees, actor]:
            participant = _participant_from(invitee, meeting=meeting, prefer_unit=unit)
            if participant.kind == PKind.YOUTH and youth is None:
                continue
            if participant.kind == PKind.GUARDIAN and not guardians:
                continue
            participants.setdefault(_participant_key(participant), participant)
        MeetingParticipant.objects.bulk_create(participants.values())
        _audit(
            actor,
            "meeting.planned",
            meeting,
            kind=kind,
            starts_at=start.isoformat(),
            series=series.pk if series else None,
            participants=len(participants),
        )
        meetings.append(meeting)
    return meetings[0]


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


@transaction.atomic
def meeting_change(
    *,
    actor: User | AnonymousUser,
    meeting: Meeting,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    place: str | None = None,
    video_link: str | None = None,
    title: str | None = None,
    agenda: str | None = None,
) -> Meeting:
    """Change a planned meeting. A new time or place raises its iCalendar SEQUENCE."""
    _require(actor, meeting, "approve")
    locked = _lock(meeting)
    transition_check(MEETING_TRANSITIONS, "change", locked.state)
    before = {
        "starts_at": locked.starts_at,
        "ends_at": locked.ends_at,
        "place": locked.place,
        "video_link": locked.video_link,
        "title": locked.title,
        "agenda": locked.agenda,
    }
    if starts_at is not None:
        locked.starts_at = starts_at
    if ends_at is not None:
        locked.ends_at = ends_at
    if place is not None:
        locked.place = clean_text(place)
    if video_link is not None:
        locked.video_link = clean_text(video_link)
    if title is not None:
        locked.title = clean_text(title)
    if agenda is not None:
        locked.agenda = clean_text(agenda)
    meeting_time_and_place_check(
        starts_at=locked.starts_at, ends_at=locked.ends_at, place=locked.place, video_link=locked.video_link
    )
    changed = [name for name, value in before.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    if {"starts_at", "ends_at", "place", "video_link"} & set(changed):
        locked.sequence += 1
    locked.full_clean(validate_unique=False)
    locked.save()
    _audit(actor, "meeting.changed", locked, changed=changed, sequence=locked.sequence)
    return locked


@transaction.atomic
def meeting_cancel(*, actor: User | AnonymousUser, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a planned meeting (kept, marked cancelled; calendars are told by the SEQUENCE)."""
    _require(actor, meeting, "approve")
    locked = _lock(meeting)
    locked.state = transition_check(MEETING_TRANSITIONS, "cancel", locked.state) or locked.state
    locked.sequence += 1
    locked.save(update_fields=["state", "sequence"])
    _audit(actor, "meeting.cancelled", locked, reason=clean_text(reason))
    return locked


# --- Participants --------------------------------------------------------------------------


def _guardians_stopped(meeting: Meeting) -> str:
    youth = meeting.youth
    assert youth is not None
    return _(
        "The meeting is on or after %(name)s's 18th birthday (%(birthday)s): the guardians are invited only "
        "when %(name)s has consented to involving them (a consent of the youth's own that says the guardians "
        "are to be told and involved after 18)."
    ) % {"name": youth.display_name, "birthday": formats.date_format(youth.eighteenth_birthday, "j.n.Y")}


def participant_check(*, participant: MeetingParticipant) -> None:
    """Who may take part in a meeting: staff acting for a service where they hold a role in
    force, an external person with a name, one of the youth's guardians, or the youth, in a
    meeting about one youth. A guardian is not invited to a meeting that starts on or after the
    youth's 18th birthday (00:00 Oslo time) unless the youth has consented to involving them
    (consent.policy.guardians_told, at the meeting's start). Asked by participant_add, and by
    the demo data of every participant before its bulk save."""
    meeting = participant.meeting
    if participant.kind == PKind.STAFF:
        user, unit = participant.user, participant.unit
        if user is None:
            raise ValidationError({"user": _("Choose the person.")})
        if unit is None or not (user.is_active and staffroles_active(user=user).filter(unit=unit).exists()):
            raise ValidationError(
                {"unit": _("%(name)s has no role in force in %(unit)s.") % {"name": user.full_name, "unit": unit}}
            )
    elif participant.kind == PKind.EXTERNAL:
        if not participant.name:
            raise ValidationError({"name": _("Write the person's name.")})
    elif participant.kind == PKind.GUARDIAN:
        guardian, youth = participant.guardian, meeting.youth
        if guardian is None or youth is None:
            raise ValidationError({"guardian": _("Choose the guardian.")})
        if not Guardianship.objects.filter(youth=youth, guardian=guardian).exists():
            raise ValidationError({"guardian": _("%(name)s is not a guardian of the youth.") % {"name": guardian}})
        if not consent_policy.guardians_told(youth, at=meeting.starts_at):
            raise ValidationError({"guardian": _guardians_stopped(meeting)})
    elif participant.kind == PKind.YOUTH:
        if meeting.youth_id is None:
            raise ValidationError(_("This meeting is not about one youth."))
    else:
        raise ValidationError({"kind": _("Choose who to invite.")})


@transaction.atomic
def participant_add(
    *,
    actor: User | AnonymousUser,
    meeting: Meeting,
    kind: str,
    user: User | None = None,
    unit: Unit | None = None,
    guardian: Guardian | None = None,
    name: str = "",
    organisation: str = "",
    email: str = "",
) -> MeetingParticipant:
    """Invite one more person: staff (for a service where they hold a role in force), an
    external person, the youth, or one of the youth's guardians."""
    _require(actor, meeting, "edit")
    meeting = _lock(meeting)
    _not_cancelled(meeting)
    participant = MeetingParticipant(meeting=meeting, kind=kind)
    if kind == PKind.STAFF:
        if user is None:
            raise ValidationError({"user": _("Choose the person.")})
        participant.user = user
        chosen = _staff_unit(user, unit or meeting.unit)
        participant.unit = unit if unit is not None else chosen
    elif kind == PKind.EXTERNAL:
        participant.name, participant.organisation, participant.email = (
            clean_text(name),
            clean_text(organisation),
            clean_text(email),
        )
    elif kind == PKind.GUARDIAN:
        participant.guardian = guardian
    participant_check(participant=participant)
    key = _participant_key(participant)
    if any(_participant_key(p) == key for p in meeting.participants.all()):
        raise ValidationError(_("%(name)s is already invited.") % {"name": participant.display_name})
    participant.full_clean(validate_unique=False)
    participant.save()
    _audit(actor, "meeting.participant_added", meeting, target=participant, kind=kind)
    return participant


@transaction.atomic
def participants_set_present(
    *, actor: User | AnonymousUser, meeting: Meeting, present: Iterable[int]
) -> list[MeetingParticipant]:
    """Mark who took part: the participants listed in `present`, and not the others. Someone
    who has rated the meeting stays marked present (the rating is theirs)."""
    _require(actor, meeting, "edit")
    meeting = _lock(meeting)
    _not_cancelled(meeting)
    wanted = {int(pk) for pk in present}
    participants = list(meeting.participants.select_related("user", "guardian", "meeting__youth"))
    unknown = wanted - {p.pk for p in participants}
    if unknown:
        raise ValidationError(_("Some of those marked present are not invited to the meeting."))
    for participant in participants:
        if participant.rating is not None and participant.pk not in wanted:
            raise ValidationError(
                _("%(name)s has rated the meeting and took part in it.") % {"name": participant.display_name}
            )
        participant.present = participant.pk in wanted
    MeetingParticipant.objects.bulk_update(participants, ["present"])
    _audit(actor, "meeting.presence_recorded", meeting, present=sorted(wanted))
    return participants


# --- Minutes -------------------------------------------------------------------------------


def minutes_sections_check(meeting: Meeting, sections: Mapping[str, str]) -> dict[str, str]:
    """Minutes are written under the headings of the meeting's template only; returns the texts
    cleaned. Asked by minutes_save, and by the demo data before its bulk save."""
    keys = {heading.key for heading in headings_for_meeting(meeting)}
    unknown = sorted(set(sections) - keys)
    if unknown:
        raise ValidationError(
            {"sections": _("These headings are not in the template of this meeting: %(keys)s.") % {"keys": unknown}}
        )
    return {key: clean_text(value) for key, value in sections.items()}


def _locked_minutes(meeting: Meeting) -> Minutes:
    Minutes.objects.get_or_create(meeting=meeting)
    return Minutes.objects.select_for_update().get(meeting=meeting)


def _current_revision(minutes: Minutes) -> MinutesRevision | None:
    return minutes.revisions.filter(number=minutes.revision).select_related("saved_by").first()


def _refuse_withheld_parts(
    *,
    actor: User | AnonymousUser,
    meeting: Meeting,
    sections: Mapping[str, str],
    decisions: str | None,
    current: MinutesRevision | None,
) -> None:
    """A writer changes only the parts of the minutes they see (meeting_selectors.minutes_parts,
    consent.policy): text under a heading withheld from them, or decisions withheld from them,
    is refused unless it is what the minutes already say. Left out, such a part keeps its text."""
    parts = minutes_parts(user=actor, meeting=meeting)
    before = current.sections if current else {}
    changed = [h.key for h in parts.withheld if h.key in sections and sections[h.key] != before.get(h.key, "")]
    kept = current.decisions if current else ""
    if not parts.decisions and decisions is not None and clean_text(decisions) != kept:
        changed.append("decisions")
    if changed:
        raise PermissionDenied(_("You may not change a part of the minutes that is withheld from you."))


@transaction.atomic
def minutes_save(
    *,
    actor: User | AnonymousUser,
    meeting: Meeting,
    sections: Mapping[str, str],
    decisions: str | None,
    base_revision: int,
    change_note: str = "",
) -> MinutesRevision:
    """Save the minutes as a new revision. `base_revision` is the revision the writer started
    from (0 for empty minutes): when someone saved after it, nothing is saved and
    MinutesConflict carries their revision. `sections` holds text under the template's
    headings; a heading left out keeps its text, and `decisions` None keeps the decisions. A
    writer may change only the parts the sharing policy shows them: a withheld section or
    withheld decisions are refused with PermissionDenied (so they never erase what they cannot
    read). Changing approved minutes makes a new version, in draft until approved again, and
    needs `change_note`."""
    _require(actor, meeting, "edit")
    _not_cancelled(meeting)
    cleaned = minutes_sections_check(meeting, sections)
    minutes = _locked_minutes(meeting)
    current = _current_revision(minutes)
    _refuse_withheld_parts(actor=actor, meeting=meeting, sections=cleaned, decisions=decisions, current=current)
    if minutes.revision != base_revision:
        raise MinutesConflict(current)
    change_note = clean_text(change_note)
    if len(change_note) > 300:
        raise ValidationError({"change_note": _("Write what was changed in at most 300 characters.")})
    approved = transition_allowed(MINUTES_TRANSITIONS, "revise", minutes.state)
    if approved:
        if not change_note:
            raise ValidationError(
                {"change_note": _("The minutes are approved. Write what you changed: it becomes a new version.")}
            )
        minutes.version += 1
        minutes.state = transition_check(MINUTES_TRANSITIONS, "revise", minutes.state) or minutes.state
        minutes.approved_at = None
        minutes.approved_by = None
    merged = {**(current.sections if current else {}), **cleaned}
    # The form refuses an overlong section first; this keeps any other writer within the bounds.
    try:
        validate_minutes_sections(merged)
    except ValidationError as error:
        raise ValidationError({"sections": error.messages}) from None
    decisions = clean_text(decisions) if decisions is not None else (current.decisions if current else "")
    if len(decisions) > MINUTES_MAX:
        raise ValidationError(
            {"decisions": _("Write the decisions in at most %(limit)d characters.") % {"limit": MINUTES_MAX}}
        )
    minutes.revision += 1
    revision = MinutesRevision.objects.create(
        minutes=minutes,
        number=minutes.revision,
        version=minutes.version,
        sections=merged,
        decisions=decisions,
        saved_by=access.signed_in(actor),
        saved_at=timezone.now(),
        change_note=change_note,
    )
    minutes.save(update_fields=["revision", "version", "state", "approved_at", "approved_by"])
    _audit(
        actor,
        "minutes.saved",
        meeting,
        target=minutes,
        revision=revision.number,
        version=revision.version,
        new_version=approved,
        sections=sorted(cleaned),
    )
    return revision


def minutes_approve_check(*, meeting: Meeting, minutes: Minutes) -> None:
    """When minutes may be approved: of a meeting not cancelled, written (a revision saved),
    and in draft (MINUTES_TRANSITIONS). Who may approve them is core.access's "approve" on the
    meeting (teams.policy). Asked by minutes_approve, and by the demo data of every approved
    minutes before its bulk save."""
    _not_cancelled(meeting)
    if minutes.revision == 0:
        raise ValidationError(_("The minutes are empty: write them before approving."))
    transition_check(MINUTES_TRANSITIONS, "approve", minutes.state)


@transaction.atomic
def minutes_approve(*, actor: User | AnonymousUser, meeting: Meeting, base_revision: int) -> Minutes:
    """Approve the minutes as they were when the approver read them (`base_revision`): when
    someone saved since, nothing is approved (MinutesConflict). Approved minutes are locked,
    and the meeting is marked held."""
    _require(actor, meeting, "approve")
    _not_cancelled(meeting)
    minutes = _locked_minutes(meeting)
    if minutes.revision != base_revision:
        raise MinutesConflict(_current_revision(minutes))
    minutes_approve_check(meeting=meeting, minutes=minutes)
    minutes.state = transition_check(MINUTES_TRANSITIONS, "approve", minutes.state) or minutes.state
    minutes.approved_at = timezone.now()
    minutes.approved_by = access.signed_in(actor)
    minutes.save(update_fields=["state", "approved_at", "approved_by"])
    locked = _lock(meeting)
    if transition_allowed(MEETING_TRANSITIONS, "hold", locked.state):
        locked.state = transition_check(MEETING_TRANSITIONS, "hold", locked.state) or locked.state
        locked.save(update_fields=["state"])
    meeting.state = locked.state
    _audit(actor, "minutes.approved", meeting, target=minutes, revision=minutes.revision, version=minutes.version)
    return minutes


# --- Action items --------------------------------------------------------------------------


def action_item_check(*, title: str, due_on: datetime.date | None, owner: Any, owner_name: str) -> datetime.date:
    """An action item says what is to be done, by when, and has exactly one owner: a person in
    Laget who still has access, or by name the youth, a guardian or an external person. Returns
    the due date. Asked by action_item_add, and by the demo data before its bulk save."""
    errors: dict[str, Any] = {}
    if not title:
        errors["title"] = _("Write what is to be done.")
    if due_on is None:
        errors["due_on"] = _("Give a due date.")
    if owner is not None and owner_name:
        errors["owner"] = _("An action item has one owner: choose a person in Laget or write a name, not both.")
    elif owner is None and not owner_name:
        errors["owner"] = _("Choose who owns the action item.")
    elif owner is not None and not owner.is_active:
        errors["owner"] = _("%(name)s no longer has access to Laget.") % {"name": owner.full_name}
    if errors or due_on is None:
        raise ValidationError(errors)
    return due_on


def action_item_status_check(*, status: str, done_note: str) -> None:
    """A status from the list; done says what was done. Asked by action_item_set_status, and by
    the demo data before its bulk save."""
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == ActionItem.Status.DONE and not done_note:
        raise ValidationError({"done_note": _("Write what was done.")})


@transaction.atomic
def action_item_add(
    *,
    actor: User | AnonymousUser,
    meeting: Meeting,
    title: str,
    due_on: datetime.date | None,
    owner: Any = None,
    owner_name: str = "",
) -> ActionItem:
    """Agree on something to be done: exactly one owner (a person in Laget, or by name the
    youth, a guardian or an external person) and a due date."""
    _require(actor, meeting, "edit")
    _not_cancelled(meeting)
    title, owner_name = clean_text(title), clean_text(owner_name)
    due_on = action_item_check(title=title, due_on=due_on, owner=owner, owner_name=owner_name)
    item = ActionItem(
        meeting=meeting,
        youth_id=meeting.youth_id,
        title=title,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
        created_by=access.signed_in(actor),
    )
    item.full_clean(validate_unique=False)
    item.save()
    _audit(actor, "action_item.added", meeting, target=item, owner=getattr(owner, "pk", None), due_on=str(due_on))
    return item


def action_item_status_write(
    *, actor: User | AnonymousUser, item_pk: int, status: str, done_note: str
) -> tuple[ActionItem, str]:
    """Write an action item's new status (checked by the caller: action_item_set_status, or
    teams.plans.services.plan_step_set_status for a plan's step, the same row). Returns the
    item and its status before."""
    locked = ActionItem.objects.select_for_update().get(pk=item_pk)
    before = locked.status
    if status == ActionItem.Status.DONE:
        locked.done_note = done_note
        if before != ActionItem.Status.DONE:
            locked.done_at = timezone.now()
            locked.done_by = access.signed_in(actor)
    else:
        locked.done_at = None
        locked.done_by = None
        if done_note:
            locked.done_note = done_note
    locked.status = status
    locked.save(update_fields=["status", "done_note", "done_at", "done_by"])
    return locked, before


@dataclass(frozen=True)
class PlanStepHooks:
    """What an action item that is a step of a youth's plan means for the plan. teams.plans sits
    above meetings (its steps are action items) and registers these at start-up (teams.apps):
    `withheld(user, item)`, is the step withheld from the person by the sharing policy;
    `status_followed(actor=, item=, before=)`, the item was moved on: save the plan's version."""

    withheld: Callable[[Any, ActionItem], bool]
    status_followed: Callable[..., Any]


_plan_step_hooks: list[PlanStepHooks] = []


def register_plan_step_hooks(hooks: PlanStepHooks) -> None:
    if hooks not in _plan_step_hooks:
        _plan_step_hooks.append(hooks)


def _item_withheld(actor: User | AnonymousUser, item: ActionItem) -> bool:
    """Is the item withheld from the person by the sharing policy? A meeting's item with the
    meeting's decisions (minutes_parts); a plan's step with its goal's life area (PlanStepHooks;
    withheld while no plan module says otherwise)."""
    if item.from_plan:
        return not _plan_step_hooks or any(h.withheld(actor, item) for h in _plan_step_hooks)
    assert item.meeting is not None
    return not minutes_parts(user=actor, meeting=item.meeting).decisions


@transaction.atomic
def action_item_set_status(
    *, actor: User | AnonymousUser, item: ActionItem, status: str, done_note: str = ""
) -> ActionItem:
    """Move an action item on: open, in progress, done (with a note of what was done) or
    cancelled. Its owner may do so too. Anyone else changes only an item the sharing policy
    shows them (the decisions of its meeting, minutes_parts; a plan's step by its goal's life
    area): a withheld item is refused with PermissionDenied. The items of a cancelled meeting
    stay as they were, unless they are steps of a plan. An item that is a step of a youth's plan
    (teams.plans) is that step: moving it on here saves the plan as a new version."""
    meeting = item.meeting
    owner = getattr(actor, "pk", None) == item.owner_id and getattr(actor, "is_active", False)
    if not owner:
        _require(actor, item, "edit")
        if _item_withheld(actor, item):
            raise PermissionDenied(_("You may not change an action item that is withheld from you."))
    if meeting is not None and not item.from_plan:
        _not_cancelled(meeting)
    note = clean_text(done_note)
    action_item_status_check(status=status, done_note=note)
    locked, before = action_item_status_write(actor=actor, item_pk=item.pk, status=status, done_note=note)
    detail = {"before": before, "status": status}
    audit.record(actor=actor, action="action_item.status_changed", target=locked, youth=locked.youth_id, detail=detail)
    if locked.from_plan:
        for hooks in _plan_step_hooks:
            hooks.status_followed(actor=actor, item=locked, before=before)
    return locked


# --- Ratings -------------------------------------------------------------------------------


def meeting_rating_check(*, participant: MeetingParticipant, rating: int | None) -> int:
    """Only the youth and guardians who took part rate a meeting, from 1 to 5. Returns the
    rating. Asked by meeting_rate, and by the demo data before its bulk save."""
    if participant.kind not in (PKind.YOUTH, PKind.GUARDIAN):
        raise ValidationError(_("Only the youth and guardians rate the meeting."))
    if not participant.present:
        raise ValidationError(_("Only those who took part rate the meeting: mark them present first."))
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    return int(rating)


@transaction.atomic
def meeting_rate(
    *, actor: User | AnonymousUser, participant: MeetingParticipant, rating: int | None, comment: str = ""
) -> Any:
    """Record how useful the youth or a guardian found the meeting (1–5), as they told it. A
    cancelled meeting takes no ratings (its state read with the row locked, as meeting_cancel
    locks it)."""
    meeting = participant.meeting
    _require(actor, participant, "edit")
    locked = MeetingParticipant.objects.select_for_update().select_related("meeting").get(pk=participant.pk)
    _not_cancelled(locked.meeting)
    locked.rating = meeting_rating_check(participant=locked, rating=rating)
    locked.rating_comment = clean_text(comment)
    locked.rated_at = timezone.now()
    locked.rating_recorded_by = access.signed_in(actor)
    locked.save(update_fields=["rating", "rating_comment", "rated_at", "rating_recorded_by"])
    _audit(actor, "meeting.rated", meeting, target=locked, kind=locked.kind, rating=locked.rating)
    return locked
