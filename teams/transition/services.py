"""Every write to a youth's transition checklist (issue 14). Each service takes the acting
person first, checks permission (core.access: 404 to whoever may not see the youth; the plan's
people may change it, teams.policy.may_change_plan; and the point's category must be open to
them, consent.policy), runs in one transaction and writes its audit entry in it.

The rules, as the caseworker reads them:
- a point is settled with how it was settled (free text), and by whom and when (the person
  acting, now); or marked as not applying, with the reason; or opened again, with the reason;
- aftercare (ettervern) records the youth's answer; NAV and adult health services the named
  contact (and the service, when it is in Laget);
- lead responsibility after 18 says whether the follow-up ends, is handed over to another
  service, or continues in the same service, and then which service and, when known, who. A
  service follows a youth only below its age limit (teams.transition.policy.age_limit: the
  one-to-one follow-up to 18, SaLTo to 24, barnevern's aftercare to 25), so the follow-up
  "continues" only where its limit is above 18;
- the consent point is settled by a consent from the youth alone (consent.services), never by
  hand; it can be marked as not applying;
- the handover at 18 (point 3 of issue 14) goes through the existing services: the handover
  meeting is a handover meeting (teams.meetings.services.meeting_plan, about_turning_18) with the
  receiving services invited (participant_add); the person who takes over lead responsibility
  joins the team as staff of the receiving service when the lead point is settled
  (teams.services.team_member_add, so they see the youth), and when the follow-up closes at 18
  (cases.services.followup_close, reason turned_18) lead responsibility passes to them
  (team_lead_transfer) and the old follow-up service's staff leave the team (team_member_end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import FollowUp, Youth
from cases.selectors import followup_current
from consent import policy as consent_policy
from consent.models import Category
from core import access, audit
from core.validators import clean_text
from org.models import Unit
from org.selectors import staffroles_active
from teams.meetings.services import meeting_plan, participant_add
from teams.models import (
    TRANSITION_HOW_MAX,
    TRANSITION_NAME_MAX,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    TeamMember,
    TransitionItem,
    TransitionPoint,
)
from teams.policy import may_change_plan, may_manage_team
from teams.services import team_lead_transfer, team_member_add, team_member_end
from teams.transition.invitees import HandoverInvitee, handover_agenda, handover_invitees
from teams.transition.policy import POINT_CATEGORY, REOPEN, age_limit, point_actions
from teams.transition.selectors import transition_checklist_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

STATE = TransitionItem.State
OUTCOME = TransitionItem.LeadOutcome


def _require(actor: User | AnonymousUser, youth: Youth, point: str) -> None:
    """404 for whoever may not see the youth, 403 for whoever may not change the plan or may not
    see the point's category (a person settles only what the sharing policy shows them)."""
    access.get(actor, Youth, pk=youth.pk)
    if point not in POINT_CATEGORY:
        raise ValidationError({"point": _("Choose a point of the checklist.")})
    if not may_change_plan(actor, youth):
        raise PermissionDenied
    viewer = consent_policy.viewer(actor, youth)
    if not viewer.sees([Category.IDENTITY_CONTACT.value, POINT_CATEGORY[point]], viewer.facts.record_unit):
        raise PermissionDenied(_("You may not change this point: no consent or legal basis lets your service see it."))


def _required_text(errors: dict[str, Any], name: str, value: str, limit: int, message: str) -> None:
    if not value:
        errors[name] = message
    elif len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}


def _lead_check(errors: dict[str, Any], youth: Youth, outcome: str, unit: Unit | None, lead_user: User | None) -> None:
    """Who holds lead responsibility after 18, and in which service (see the module docstring)."""
    if outcome not in OUTCOME.values:
        errors["lead_outcome"] = _("Choose what happens to the follow-up at 18.")
        return
    if outcome == OUTCOME.ENDS:
        if unit is not None or lead_user is not None:
            errors["unit"] = _("The follow-up ends: leave the service and the person empty.")
        return
    if unit is None:
        errors["unit"] = _("Choose the service that holds lead responsibility after 18.")
        return
    followup = followup_current(youth=youth)
    holds = followup is not None and followup.unit_id == unit.pk
    if outcome == OUTCOME.CONTINUES and followup is not None and not holds:
        errors["unit"] = _("The follow-up continues in %(unit)s: choose that service, or choose handed over.") % {
            "unit": followup.unit
        }
        return
    if outcome == OUTCOME.HANDED_OVER and holds:
        errors["unit"] = _("Handed over means to another service: choose the receiving service.")
        return
    limit = age_limit(unit, holds_followup=holds)
    if limit is not None and limit <= 18:
        errors["unit"] = _(
            "%(unit)s follows youths until they turn %(limit)d. Choose a service that can go on, or that the "
            "follow-up ends."
        ) % {"unit": unit, "limit": limit}
        return
    if lead_user is not None and not staffroles_active(user=lead_user).filter(unit=unit).exists():
        errors["lead_user"] = _("%(name)s has no role in force in %(unit)s.") % {
            "name": lead_user.get_full_name() or lead_user.email,
            "unit": unit,
        }


def transition_point_check(
    *,
    youth: Youth,
    point: str,
    how: str,
    aftercare_answer: str = "",
    contact_name: str = "",
    unit: Unit | None = None,
    lead_outcome: str = "",
    lead_user: User | None = None,
) -> None:
    """What settling `point` needs (the module docstring's rules), every error at once by field.
    Asked by transition_point_settle and by the demo data before it saves."""
    errors: dict[str, Any] = {}
    if point == TransitionPoint.CONSENT:
        raise ValidationError(
            {
                "point": _(
                    "The consent point is settled when a consent from the youth alone is recorded. Record the "
                    "consent, or mark the point as not applying."
                )
            }
        )
    _required_text(errors, "how", how, TRANSITION_HOW_MAX, _("Write how it was settled."))
    if point == TransitionPoint.AFTERCARE and aftercare_answer not in TransitionItem.AftercareAnswer.values:
        errors["aftercare_answer"] = _("Choose the youth's answer about aftercare.")
    if point in (TransitionPoint.NAV, TransitionPoint.HEALTH):
        _required_text(
            errors, "contact_name", contact_name, TRANSITION_NAME_MAX, _("Name the contact person who takes over.")
        )
    if point == TransitionPoint.LEAD:
        _lead_check(errors, youth, lead_outcome, unit, lead_user)
    if errors:
        raise ValidationError(errors)


def _row(youth: Youth, point: str, actor: User) -> TransitionItem:
    """The point's row, locked (made when first written: one per youth and point)."""
    item, _created = TransitionItem.objects.select_for_update().get_or_create(
        youth=youth, point=point, defaults={"changed_by": actor}
    )
    return item


def _audit(actor: User | AnonymousUser, action: str, item: TransitionItem, before: str) -> None:
    """The audit entry names the point and its states, never what was written (the free text is
    the youth's data, kept on the row)."""
    audit.record(
        actor=actor,
        action=action,
        target=item,
        youth=item.youth_id,
        detail={"point": item.point, "before": before, "state": item.state, "outcome": item.lead_outcome or None},
    )


@transaction.atomic
def transition_point_settle(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    point: str,
    how: str,
    aftercare_answer: str = "",
    contact_name: str = "",
    unit: Unit | None = None,
    lead_outcome: str = "",
    lead_user: User | None = None,
) -> TransitionItem:
    """Settle one point (or change how it was settled): who and when are the person acting, now."""
    _require(actor, youth, point)
    how, contact_name = clean_text(how), clean_text(contact_name)
    is_lead = point == TransitionPoint.LEAD
    if not is_lead:
        unit = unit if point in (TransitionPoint.NAV, TransitionPoint.HEALTH) else None
        lead_outcome, lead_user = "", None
    if point != TransitionPoint.AFTERCARE:
        aftercare_answer = ""
    transition_point_check(
        youth=youth,
        point=point,
        how=how,
        aftercare_answer=aftercare_answer,
        contact_name=contact_name,
        unit=unit,
        lead_outcome=lead_outcome,
        lead_user=lead_user,
    )
    person = access.signed_in(actor)
    item = _row(youth, point, person)
    before = item.state
    now = timezone.now()
    item.state = STATE.SETTLED
    item.how = how
    item.aftercare_answer = aftercare_answer
    item.contact_name = contact_name if point in (TransitionPoint.NAV, TransitionPoint.HEALTH) else ""
    item.unit = unit
    item.lead_outcome = lead_outcome
    item.lead_user = lead_user
    item.settled_by, item.settled_at = person, now
    item.changed_by, item.changed_at = person, now
    item.save()
    _audit(actor, "transition.settled", item, before)
    if is_lead:
        _receiver_joins(actor, youth, item)
    return item


@transaction.atomic
def transition_point_not_applicable(
    *, actor: User | AnonymousUser, youth: Youth, point: str, reason: str
) -> TransitionItem:
    """Mark a point as not applying to this youth, with the reason (for example: barnevern has
    no measures, so there is no aftercare to discuss)."""
    _require(actor, youth, point)
    reason = clean_text(reason)
    errors: dict[str, Any] = {}
    _required_text(errors, "how", reason, TRANSITION_HOW_MAX, _("Write why the point does not apply."))
    if errors:
        raise ValidationError(errors)
    person = access.signed_in(actor)
    item = _row(youth, point, person)
    before = item.state
    now = timezone.now()
    item.state = STATE.NOT_APPLICABLE
    item.how = reason
    item.aftercare_answer = item.contact_name = item.lead_outcome = ""
    item.unit = item.lead_user = None
    item.settled_by, item.settled_at = person, now
    item.changed_by, item.changed_at = person, now
    item.save()
    _audit(actor, "transition.not_applicable", item, before)
    return item


@transaction.atomic
def transition_point_reopen(*, actor: User | AnonymousUser, youth: Youth, point: str) -> TransitionItem:
    """Open a settled point again (what was agreed no longer holds). The audit trail keeps that
    it was settled; the row keeps nothing of it."""
    _require(actor, youth, point)
    person = access.signed_in(actor)
    item = TransitionItem.objects.select_for_update().filter(youth=youth, point=point).first()
    if item is None or REOPEN not in point_actions(point, item.state):
        raise ValidationError(_("This point is not settled: there is nothing to open again."))
    before = item.state
    item.state = STATE.OPEN
    item.how = item.aftercare_answer = item.contact_name = item.lead_outcome = ""
    item.unit = item.lead_user = item.settled_by = None
    item.settled_at = None
    item.changed_by, item.changed_at = person, timezone.now()
    item.save()
    _audit(actor, "transition.reopened", item, before)
    return item


# --- The handover at 18: the meeting, the team and access (issue 14, point 3) ---------------

MOVING = (OUTCOME.HANDED_OVER, OUTCOME.CONTINUES)
# The role in the team of the person who takes over, by the kind of their service.
ROLE_BY_UNIT_KIND: dict[str, str] = {
    Unit.Kind.BARNEVERN: TeamMember.Role.BARNEVERN_CASEWORKER,
    Unit.Kind.NAV: TeamMember.Role.NAV_ADVISOR,
    Unit.Kind.HEALTH: TeamMember.Role.THERAPIST,
    Unit.Kind.BUP: TeamMember.Role.THERAPIST,
    Unit.Kind.PPT: TeamMember.Role.PPT_ADVISOR,
    Unit.Kind.OUTREACH: TeamMember.Role.OUTREACH_WORKER,
    Unit.Kind.LEISURE: TeamMember.Role.LEISURE_WORKER,
}


def _in_team(youth: Youth, user: User) -> TeamMember | None:
    return TeamMember.objects.filter(youth=youth, user=user, kind=TeamMember.Kind.STAFF, ends_on__isnull=True).first()


def _receiver_joins(actor: User | AnonymousUser, youth: Youth, item: TransitionItem) -> TeamMember | None:
    """The person named to hold lead responsibility after 18 joins the youth's team as staff of
    their service (not yet as its lead: that passes when the follow-up ends), and so sees the
    youth (teams.policy.team_access_sync). Only someone who may change the team adds them
    (teams.policy.may_manage_team); otherwise they join when the follow-up closes."""
    user, unit = item.lead_user, item.unit
    if item.lead_outcome not in MOVING or user is None or unit is None or _in_team(youth, user) is not None:
        return None
    if not may_manage_team(actor, youth):
        return None
    return team_member_add(
        actor=actor,
        youth=youth,
        kind=TeamMember.Kind.STAFF,
        role=ROLE_BY_UNIT_KIND.get(unit.kind, TeamMember.Role.FOLLOWER),
        user=user,
        unit=unit,
        note=_("Takes over lead responsibility after 18."),
    )


def _organising_unit(actor: User, youth: Youth) -> Unit | None:
    """The service that organises the meeting: the youth's follow-up service when the person
    works there, otherwise the first service where they hold a role in force."""
    roles = staffroles_active(user=actor).select_related("unit").order_by("unit__name", "id")
    followup = followup_current(youth=youth)
    units = [role.unit for role in roles]
    for unit in units:
        if followup is not None and unit.pk == followup.unit_id:
            return unit
    return units[0] if units else None


def _invite(actor: User | AnonymousUser, meeting: Meeting, invitee: HandoverInvitee) -> MeetingParticipant | None:
    """Invite one receiving person through participant_add (once: the team may have them already)."""
    invited = meeting.participants.all()
    if invitee.user is not None:
        if invited.filter(user=invitee.user, kind=MeetingParticipant.Kind.STAFF).exists():
            return None
        return participant_add(
            actor=actor, meeting=meeting, kind=MeetingParticipant.Kind.STAFF, user=invitee.user, unit=invitee.unit
        )
    if invited.filter(kind=MeetingParticipant.Kind.EXTERNAL, name__iexact=invitee.name).exists():
        return None
    return participant_add(
        actor=actor,
        meeting=meeting,
        kind=MeetingParticipant.Kind.EXTERNAL,
        name=invitee.name,
        organisation=invitee.organisation,
    )


@transaction.atomic
def transition_handover_meeting_plan(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    starts_at: Any,
    ends_at: Any,
    place: str = "",
    video_link: str = "",
    unit: Unit | None = None,
    invite: Any = None,
    agenda: str | None = None,
    title: str = "",
) -> Meeting:
    """Plan the handover meeting at 18 from the youth's checklist: a handover meeting
    (about_turning_18, so its minutes follow the checklist's points) with the youth's team and
    the receiving services the checklist names (handover_invitees: the person taking over lead
    responsibility, the contacts at NAV and in adult health services; `invite` chooses among them
    by point, all when None). The agenda lists the checklist's points, open ones first, unless
    one is given. Organised by the youth's follow-up service when the person works there."""
    found = access.get(actor, Youth.objects.select_related("district"), pk=youth.pk)
    person = access.signed_in(actor)
    viewer = consent_policy.viewer(actor, found)
    checklist = transition_checklist_for(viewer, found)
    proposed = handover_invitees(checklist)
    chosen = proposed if invite is None else [i for i in proposed if i.key in set(invite)]
    if invite is not None and len(chosen) != len(set(invite)):
        raise ValidationError({"invite": _("Choose among the receiving services the checklist names.")})
    unit = unit or _organising_unit(person, found)
    if unit is None:
        raise ValidationError({"unit": _("You hold no role in force in any service.")})
    meeting = meeting_plan(
        actor=actor,
        kind=MeetingKind.HANDOVER,
        unit=unit,
        youth=found,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        video_link=video_link,
        title=clean_text(title) or _("Handover meeting at 18"),
        agenda=handover_agenda(checklist) if agenda is None else agenda,
        about_turning_18=True,
    )
    added = [p for p in (_invite(actor, meeting, invitee) for invitee in chosen) if p is not None]
    audit.record(
        actor=actor,
        action="transition.handover_planned",
        target=meeting,
        youth=found,
        detail={"meeting": meeting.pk, "invited": [i.key for i in chosen], "participants_added": len(added)},
    )
    return meeting


def _lead_handed_over(youth: Youth) -> TransitionItem | None:
    return (
        TransitionItem.objects.filter(
            youth=youth,
            point=TransitionPoint.LEAD,
            state=STATE.SETTLED,
            lead_outcome=OUTCOME.HANDED_OVER,
            lead_user__isnull=False,
        )
        .select_related("lead_user", "unit")
        .first()
    )


@transaction.atomic
def transition_followup_closed(*, actor: User | AnonymousUser, followup: FollowUp) -> TeamMember | None:
    """When a follow-up closes because the youth turned 18 and the checklist hands lead
    responsibility to another service's named person, the team moves with it, in the closing's
    transaction: the person joins the team if not in it yet and takes over lead responsibility
    (team_member_add / team_lead_transfer), then the old follow-up service's staff leave the team
    (team_member_end, with the reason), and with it their access to the youth. Called by
    cases.services.followup_close (registered by teams.apps). Returns the new lead's membership."""
    if followup.closing_reason != FollowUp.ClosingReason.TURNED_18:
        return None
    youth = followup.youth
    item = _lead_handed_over(youth)
    if item is None or item.lead_user is None or item.unit is None or item.unit_id == followup.unit_id:
        return None
    receiver, unit = item.lead_user, item.unit
    member = _in_team(youth, receiver)
    if member is None:
        lead = team_member_add(
            actor=actor,
            youth=youth,
            kind=TeamMember.Kind.STAFF,
            role=ROLE_BY_UNIT_KIND.get(unit.kind, TeamMember.Role.FOLLOWER),
            user=receiver,
            unit=unit,
            note=_("Takes over lead responsibility after 18."),
            is_lead=True,
        )
    else:
        lead = team_lead_transfer(actor=actor, member=member)
    reason = _("The follow-up in %(unit)s ended at 18; lead responsibility passed to %(name)s in %(to)s.") % {
        "unit": followup.unit,
        "name": receiver.full_name or receiver.email,
        "to": unit,
    }
    leaving = TeamMember.objects.filter(
        youth=youth, kind=TeamMember.Kind.STAFF, unit=followup.unit, ends_on__isnull=True
    ).exclude(pk=lead.pk)
    ended = [team_member_end(actor=actor, member=old, reason=reason).pk for old in leaving]
    audit.record(
        actor=actor,
        action="transition.team_moved",
        target=lead,
        youth=youth,
        detail={"followup": followup.pk, "from_unit": followup.unit_id, "to_unit": unit.pk, "ended": ended},
    )
    return lead
