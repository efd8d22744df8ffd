"""Every write about the intake queue, intake decisions and list meetings. Each service checks
permission first (referrals.intake.policy), runs in one transaction and writes its audit entry in the
same transaction (STYLE.md).

The rules held here, as the coordinator reads them:
- a youth is in the intake queue once at a time (the database holds it too); an anonymous
  case likewise; the proposer must be able to see the youth or the case;
- a youth is proposed by name only with a consent in force that opens the youth's identity to
  the district's one-to-one follow-up unit; without it the case is brought as an anonymous
  discussion until consent is in place;
- taken in needs a named youth (an anonymous case is named after consent first,
  consent.discussions.services.discussion_case_convert) and a follower of the district's follow-up unit; it
  opens the follow-up, assigns the follower under the capacity rule (cases.services.
  followup_assign: a sixth youth only when a leader allows it with a written reason) and starts
  the youth's team (teams.services.team_start);
- the waiting list keeps the time a candidate was first put on it: the position is by urgency,
  then by how long they have waited (referrals.intake.selectors.waiting_positions);
- referred to another service names the service;
- the intake meeting's minutes are drafted from its decisions (intake_minutes_draft).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import FollowUp, Youth
from consent import policy as consent_policy
from consent.models import Category, DiscussionCase
from core import access, audit
from core.validators import clean_text
from core.workflow import transition_check
from org.models import District, StaffRole, Unit
from referrals.intake import policy, selectors
from referrals.models import CONCERN_TRANSITIONS, ConcernReport, IntakeCandidate, IntakeDecision, Outcome, Urgency
from teams import services as team_services
from teams.models import ListMeetingEntry, Meeting, MeetingKind, MinutesRevision

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

_ALREADY_QUEUED = "This youth is already in the intake queue."


def _one_of(youth: Youth | None, discussion: DiscussionCase | None) -> None:
    """A candidate or a list entry is a named youth or an anonymous case, never both."""
    if youth is None and discussion is None:
        raise ValidationError({"youth": _("Choose a named youth or an anonymous case.")})
    if youth is not None and discussion is not None:
        raise ValidationError({"discussion": _("Choose either a named youth or an anonymous case, not both.")})


def intake_proposer_check(*, proposer: User | AnonymousUser, district: District, unit: Unit | None) -> Unit:
    """Who proposes a youth to a district's intake, for which service: anyone in case work
    (policy.may_propose), for a service they work in (`unit`; by default their unit in the
    district, else their first). Returns the proposing unit. Asked by intake_candidate_propose,
    and by the demo data of every candidate before its bulk save."""
    if not policy.may_propose(proposer):
        raise PermissionDenied
    units = policy.proposing_units(proposer)
    if unit is not None:
        if not units.filter(pk=unit.pk).exists():
            raise ValidationError({"unit": _("Choose a service you work in.")})
        return unit
    chosen = units.filter(district=district).first() or units.first()
    if chosen is None:
        raise PermissionDenied
    return chosen


def intake_named_with_consent(youth: Youth, district: District, *, on: datetime.date | None = None) -> bool:
    """A youth is named to an intake meeting only with consent (DOMAIN.md: anonymous discussion
    before consent): a consent in force (on `on`, today by default) must open the youth's
    identity and contact details to the district's one-to-one follow-up unit, which decides the
    intake. Nothing else counts: not a legal basis, not a follow-up the unit already holds (it
    says nothing of the youth's agreement to be discussed by the services in the meeting).
    Asked by intake_candidate_propose, and by the demo data of its queues."""
    return any(
        consent_policy.consent_opens_to_unit(youth, Category.IDENTITY_CONTACT, unit, on=on)
        for unit in selectors.followup_units(district=district)
    )


@transaction.atomic
def intake_candidate_propose(
    *,
    actor: User | AnonymousUser,
    district: District,
    youth: Youth | None = None,
    discussion: DiscussionCase | None = None,
    reason: str,
    urgency: str = Urgency.NORMAL,
    unit: Unit | None = None,
    concern_report: ConcernReport | None = None,
) -> IntakeCandidate:
    """Put a youth (named, with consent: `intake_named_with_consent`) or an anonymous case in a
    district's intake queue, for the proposing service (`unit`: one the actor works in; by
    default their unit in the district). The proposer must be able to see the youth or the case.
    A referral from barnevern's own case (`concern_report`) is made by someone who works the
    report, about one of its children."""
    if not policy.may_propose(actor):
        raise PermissionDenied
    _one_of(youth, discussion)
    if concern_report is not None:
        # Barnevern knows the child from its own case, whether or not it may open the youth's
        # record in Laget; what the queue then shows of the youth is the sharing policy's to say.
        if not access.can(actor, concern_report, "act"):
            raise PermissionDenied
        # The report's state must open the step (CONCERN_TRANSITIONS: investigation or measures).
        transition_check(CONCERN_TRANSITIONS, "intake", concern_report.state)
        if youth is None or not concern_report.children.filter(youth=youth).exists():
            raise ValidationError({"youth": _("Choose one of the children the concern report is about.")})
    elif youth is not None and not access.can(actor, youth):
        raise PermissionDenied
    if discussion is not None and not access.can(actor, discussion):
        raise PermissionDenied
    errors: dict[str, Any] = {}
    reason = clean_text(reason)
    if not reason:
        errors["reason"] = _("Write why one-to-one follow-up is proposed.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    if youth is not None:
        # Serialise proposals for the same youth: the queue holds each youth once.
        Youth.objects.select_for_update(no_key=True).filter(pk=youth.pk).first()
        if selectors.candidate_open_for_youth(youth=youth) is not None:
            errors["youth"] = _(_ALREADY_QUEUED)
        elif not intake_named_with_consent(youth, district):
            errors["youth"] = _(
                "No consent in force lets the one-to-one follow-up in %(district)s district see who the youth is "
                "(identity and contact details). Without consent, bring the case as an anonymous discussion "
                "until consent is in place."
            ) % {"district": district.name}
    if discussion is not None:
        DiscussionCase.objects.select_for_update(no_key=True).filter(pk=discussion.pk).first()
        if discussion.state != DiscussionCase.State.OPEN:
            errors["discussion"] = _("The anonymous case is no longer open.")
        elif discussion.district_id != district.pk:
            errors["discussion"] = _("The anonymous case belongs to another district.")
        elif selectors.candidate_open_for_discussion(discussion=discussion) is not None:
            errors["discussion"] = _("This anonymous case is already in the intake queue.")
    if errors:
        raise ValidationError(errors)
    proposing = intake_proposer_check(proposer=actor, district=district, unit=unit)
    try:
        with transaction.atomic():
            candidate = IntakeCandidate.objects.create(
                district=district,
                youth=youth,
                discussion=discussion,
                proposed_by_unit=proposing,
                proposed_by=access.signed_in(actor),
                reason=reason,
                urgency=urgency,
                concern_report=concern_report,
            )
    except IntegrityError:
        raise ValidationError({"youth": _(_ALREADY_QUEUED)}) from None
    audit.record(
        actor=actor,
        action="intake.proposed",
        target=candidate,
        youth=youth,
        detail={
            "district": district.pk,
            "unit": proposing.pk,
            "urgency": urgency,
            "anonymous": youth is None,
            "concern_report": concern_report.pk if concern_report is not None else None,
        },
    )
    return candidate


def _check_follower(candidate: IntakeCandidate, follower: Any) -> Unit:
    """The follower's unit: a follow-up unit of the candidate's district where they follow."""
    role = (
        StaffRole.objects.filter(
            pk__in=policy.working_roles(follower).values("pk"),
            role=StaffRole.Role.FOLLOWER,
            unit__in=selectors.followup_units(district=candidate.district_id),
        )
        .select_related("unit__district")
        .first()
    )
    if role is None:
        raise ValidationError({"follower": _("Choose a follower in the district's one-to-one follow-up.")})
    return role.unit


def _open_followup(*, candidate: IntakeCandidate, youth: Youth, unit: Unit) -> FollowUp:
    """The youth's open follow-up in the unit, or a new one (in intake) when the youth has none.
    A follow-up open in another unit is not taken over silently."""
    open_followup = youth.followups.exclude(state=FollowUp.State.CLOSED).select_related("unit").first()
    if open_followup is not None:
        if open_followup.unit_id != unit.pk:
            raise ValidationError(
                {
                    # Shown on the shared screen: the youth is not named.
                    "follower": _("The youth already has a follow-up open in %(unit)s.") % {"unit": open_followup.unit}
                }
            )
        return open_followup
    return FollowUp.objects.create(youth=youth, unit=unit, state=FollowUp.State.INTAKE)


def _take_in(
    *, actor: User | AnonymousUser, candidate: IntakeCandidate, follower: Any, override_reason: str
) -> tuple[Youth, FollowUp]:
    youth = candidate.youth
    if youth is None and candidate.discussion is not None:
        candidate.discussion.refresh_from_db(fields=["state", "youth"])
        if candidate.discussion.state == DiscussionCase.State.CONVERTED:
            youth = candidate.discussion.youth
    if youth is None:
        raise ValidationError(
            {
                "outcome": _(
                    "An anonymous case cannot be taken in. Record the consent and name the case first; "
                    "until then choose «awaiting consent»."
                )
            }
        )
    if follower is None:
        raise ValidationError({"follower": _("Choose the follower who will follow the youth.")})
    unit = _check_follower(candidate, follower)
    if override_reason and not policy.may_override_capacity_in(actor, candidate.district_id):
        raise ValidationError({"override_reason": _("Only a leader can allow a follower more youths than the limit.")})
    followup = _open_followup(candidate=candidate, youth=youth, unit=unit)
    case_services.followup_assign(actor=actor, followup=followup, user=follower, override_reason=override_reason)
    if followup.state == FollowUp.State.INTAKE:
        case_services.followup_set_state(actor=actor, followup=followup, state=FollowUp.State.ACTIVE)
    team_services.team_start(actor=actor, youth=youth)
    return youth, followup


def intake_decision_check(
    *, candidate: IntakeCandidate, meeting: Meeting | None, outcome: str, referred_to: str
) -> str:
    """A decision is taken in an intake meeting of the candidate's district that is not
    cancelled (or between meetings), is one of the outcomes, and a referral names the service
    (at most 200 characters). Returns the service referred to ("" unless referred). Asked by
    intake_decide, and by the demo data before its bulk save."""
    if meeting is not None and (meeting.kind != MeetingKind.INTAKE or meeting.district_id != candidate.district_id):
        raise ValidationError(_("The meeting is not an intake meeting of the candidate's district."))
    if meeting is not None and meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose a decision.")})
    referred_to = clean_text(referred_to)
    if outcome != Outcome.OTHER_SERVICE:
        return ""
    if not referred_to:
        raise ValidationError({"referred_to": _("Write which service the youth is referred to.")})
    if len(referred_to) > 200:
        raise ValidationError({"referred_to": _("Write the service in at most 200 characters.")})
    return referred_to


@transaction.atomic
def intake_decide(
    *,
    actor: User | AnonymousUser,
    candidate: IntakeCandidate,
    meeting: Meeting | None = None,
    outcome: str,
    follower: Any = None,
    referred_to: str = "",
    note: str = "",
    override_reason: str = "",
) -> IntakeDecision:
    """Decide about a candidate, in an intake meeting of its district or between meetings (an
    urgent one). Only the coordinators and leaders of the district's follow-up unit decide.
    The decision is kept (IntakeDecision, append-only) and the candidate carries the latest."""
    if not (access.can(actor, candidate) and access.can(actor, candidate, "decide")):
        raise PermissionDenied
    candidate = (
        IntakeCandidate.objects.select_for_update(of=("self",))
        .select_related("discussion", "youth")
        .get(pk=candidate.pk)
    )
    if not candidate.in_queue:
        raise ValidationError(
            _("A decision is already made: %(outcome)s.") % {"outcome": candidate.get_outcome_display()}
        )
    referred_to = intake_decision_check(candidate=candidate, meeting=meeting, outcome=outcome, referred_to=referred_to)
    note, override_reason = clean_text(note), clean_text(override_reason)
    if outcome != Outcome.TAKEN_IN:
        follower, override_reason = None, ""
    previous = candidate.outcome
    if outcome == Outcome.TAKEN_IN:
        youth, followup = _take_in(actor=actor, candidate=candidate, follower=follower, override_reason=override_reason)
        candidate.youth = youth
        candidate.followup = followup
    if outcome == Outcome.WAITING_LIST:
        candidate.waiting_since = candidate.waiting_since or timezone.now()
    candidate.outcome = outcome
    candidate.save(update_fields=["youth", "followup", "outcome", "waiting_since"])
    decision = IntakeDecision.objects.create(
        candidate=candidate,
        meeting=meeting,
        outcome=outcome,
        follower=follower,
        referred_to=referred_to,
        note=note,
        decided_by=access.signed_in(actor),
    )
    audit.record(
        actor=actor,
        action="intake.decided",
        target=candidate,
        youth=candidate.youth_id,
        detail={
            "outcome": outcome,
            "previous": previous,
            "meeting": meeting.pk if meeting else None,
            "follower": follower.pk if follower is not None else None,
            "decision": decision.pk,
        },
    )
    return decision


def _decision_line(row: selectors.SummaryRow) -> str:
    decision = row.decision
    if decision is None:
        return _("%(who)s: not decided") % {"who": row.title}
    line = f"{row.title}: {decision.get_outcome_display()}"
    if decision.outcome == Outcome.TAKEN_IN and decision.follower is not None:
        line += " – " + _("follower %(name)s") % {"name": decision.follower.full_name or decision.follower.email}
    if decision.outcome == Outcome.OTHER_SERVICE:
        line += " – " + decision.referred_to
    if decision.note:
        line += f" ({decision.note})"
    return line


@transaction.atomic
def intake_minutes_draft(*, actor: User | AnonymousUser, meeting: Meeting) -> MinutesRevision:
    """Draft the intake meeting's minutes from its decisions (teams.meetings.minutes_template, INTAKE):
    the services present, each candidate and its decision (anonymous candidates by alias only;
    a named youth by name only when every participant, present or not, may see the youth's
    identity, otherwise «A named youth (#<candidate>)»: the minutes go to them all), the
    followers' capacity and the waiting list. Saved as a new revision through
    teams.meetings.services.minutes_save, on top of whatever was written before (its "other
    matters" are kept)."""
    from teams.meetings.services import minutes_save
    from teams.models import Minutes

    if meeting.kind != MeetingKind.INTAKE:
        raise ValidationError(_("Only an intake meeting's minutes are drafted from its decisions."))
    if not policy.may_run_meeting(actor, meeting):
        raise PermissionDenied
    candidates = selectors.meeting_candidates(meeting=meeting)
    summary = selectors.meeting_summary(
        candidates=candidates, audience=selectors.minutes_audience(meeting=meeting, user=actor)
    )
    rows = [row for row in summary if row.decision is not None]
    services_present = selectors.present_services(meeting=meeting)
    present = "\n".join(unit.name for unit in services_present) or _("No services are marked present.")
    lines = [_decision_line(row) for row in rows]
    decided = "\n".join(lines) or _("No decisions were made.")
    followers = selectors.followers_available(district=meeting.district_id)
    capacity = [
        _("%(name)s: %(load)d of %(limit)d")
        % {"name": f.user.full_name or f.user.email, "load": f.load, "limit": f.limit}
        for f in followers
    ]
    waiting = selectors.waiting_positions(district=meeting.district_id)
    titles = {row.candidate.pk: row.title for row in summary}
    waiting_lines = [
        _("%(position)d. %(who)s") % {"position": position, "who": titles.get(pk, f"#{pk}")}
        for pk, position in sorted(waiting.items(), key=lambda item: item[1])
    ]
    capacity_text = "\n".join(capacity) or _("The district's follow-up has no followers registered.")
    if waiting_lines:
        capacity_text += "\n\n" + _("Waiting list:") + "\n" + "\n".join(waiting_lines)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    revision = minutes_save(
        actor=actor,
        meeting=meeting,
        sections={"present_services": present, "candidates": decided, "capacity": capacity_text},
        decisions=decided,
        base_revision=minutes.revision if minutes else 0,
        change_note=_("Drafted from the intake decisions") if minutes and minutes.state == "approved" else "",
    )
    audit.record(
        actor=actor,
        action="intake.minutes_drafted",
        target=meeting,
        detail={"revision": revision.number, "decisions": [row.decision.pk for row in rows if row.decision]},
    )
    return revision


# --- List meetings -------------------------------------------------------------------------


@transaction.atomic
def list_entry_add(
    *,
    actor: User | AnonymousUser,
    meeting: Meeting,
    youth: Youth | None = None,
    discussion: DiscussionCase | None = None,
    police_information: str = "",
    decision: str = "",
) -> ListMeetingEntry:
    """Add a youth (or an anonymous case) discussed in a list meeting with the police, with the
    information the police gave (police information, consent category POLICE) and what was
    decided. Those who run the meeting and the police taking part record entries; the youth
    must be one the actor may see, the case one of the meeting's district."""
    if meeting.kind != MeetingKind.LIST:
        raise ValidationError(_("This is not a list meeting."))
    if not policy.may_record_list_entry(actor, meeting):
        raise PermissionDenied
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    _one_of(youth, discussion)
    if youth is not None and not access.can(actor, youth):
        raise PermissionDenied
    if discussion is not None and not access.can(actor, discussion):
        raise PermissionDenied
    police_information, decision = clean_text(police_information), clean_text(decision)
    if not police_information and not decision:
        raise ValidationError({"decision": _("Write the information from the police, the decision, or both.")})
    if discussion is not None and discussion.district_id != meeting.district_id:
        raise ValidationError({"discussion": _("The anonymous case belongs to another district.")})
    duplicate = ListMeetingEntry.objects.filter(meeting=meeting)
    if (youth is not None and duplicate.filter(youth=youth).exists()) or (
        discussion is not None and duplicate.filter(discussion=discussion).exists()
    ):
        raise ValidationError(_("This youth is already on the list of this meeting."))
    try:
        with transaction.atomic():
            entry = ListMeetingEntry.objects.create(
                meeting=meeting,
                youth=youth,
                discussion=discussion,
                police_information=police_information,
                decision=decision,
                recorded_by=access.signed_in(actor),
            )
    except IntegrityError:
        raise ValidationError(_("This youth is already on the list of this meeting.")) from None
    audit.record(
        actor=actor,
        action="list_meeting.entry_added",
        target=entry,
        youth=youth,
        detail={"meeting": meeting.pk, "police_information": bool(police_information)},
    )
    return entry
