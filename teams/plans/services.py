"""Every write about a youth's plan (issue 13). Each service takes the acting person first,
checks permission (teams.plans.policy through core.access), runs in one transaction, writes
its audit entry in the same transaction, and saves the plan as a new version (PlanVersion,
append-only) when what it changed is part of the plan.

The rules held here, as the caseworker reads them:
- one plan per youth, made when first needed (`plan_get_or_create`), with the next review
  LAGET_PLAN_REVIEW_MONTHS (3) months ahead;
- a goal is in the youth's own words, in one life area that is in use; a goal is never deleted:
  it is reached or dropped, so the versions tell what happened to it;
- a step says what is to be done; who helps is a member of the youth's team in force (staff,
  external, the youth or a guardian). A step with a helper and a date IS an action item
  (teams.models.ActionItem): added, changed and moved on as one row, so the helper's home page,
  calendar, reminders and the next team meeting show it, and marking it done here or on the
  meeting page is the same change. Such a step keeps its helper and date (cancel it instead);
- a person changes only goals and steps the sharing policy shows them (the category of the
  goal's life area, consent.policy), as minutes headings are refused when withheld;
- each change is a new version; the youth and, by the consent age rules, the guardians
  acknowledge the current version on screen in a meeting or on signed paper
  (`plan_acknowledge`; who must: teams.plans.selectors.plan_acknowledgement_status).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Guardian, Guardianship, Youth
from consent import policy as consent_policy
from consent.services import _check_document
from core import access, audit
from core.dates import add_months, today_in_oslo
from core.validators import PLANNED, REASON_MAX, clean_text
from teams.meetings.services import (
    action_item_check,
    action_item_status_check,
    action_item_status_write,
)
from teams.models import (
    GOAL_TEXT_MAX,
    GOALS_MAX,
    STEP_TEXT_MAX,
    STEPS_PER_GOAL_MAX,
    SUMMARY_MAX,
    WHY_MAX,
    ActionItem,
    Meeting,
    Plan,
    PlanAcknowledgement,
    PlanArea,
    PlanGoal,
    PlanStep,
    PlanVersion,
    TeamMember,
)
from teams.plans.policy import goal_categories
from teams.plans.selectors import plan_acknowledgement_status
from teams.policy import may_change_plan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

STEP_STATUSES = ActionItem.Status


def _bounded(errors: dict[str, Any], field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = _("At most %(limit)d characters.") % {"limit": limit}


def _require_change(actor: User | AnonymousUser, youth: Youth) -> None:
    """404 for whoever may not see the youth (core.access), 403 for whoever may see but not
    change the plan."""
    access.get(actor, Youth, pk=youth.pk)
    if not may_change_plan(actor, youth):
        raise PermissionDenied


def _require_sees(actor: User | AnonymousUser, youth: Youth, area: PlanArea) -> None:
    """A person writes and changes only what the sharing policy shows them of the plan (the
    plan is kept by the service that keeps the youth's record)."""
    viewer = consent_policy.viewer(actor, youth)
    if not viewer.sees(goal_categories(area), viewer.facts.record_unit):
        raise PermissionDenied(
            _("You may not change a goal in %(area)s: no consent or legal basis lets your service see it.")
            % {"area": area.name}
        )


def _meeting_check(meeting: Meeting | None, youth: Youth) -> None:
    """A change made in a meeting names a meeting about this youth that is not cancelled."""
    if meeting is None:
        return
    if meeting.youth_id != youth.pk:
        raise ValidationError({"meeting": _("Choose a meeting about this youth.")})
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError({"meeting": _("The meeting is cancelled.")})


def _audit(actor: User | AnonymousUser, action: str, plan: Plan, target: Any = None, **detail: Any) -> None:
    audit.record(actor=actor, action=action, target=target or plan, youth=plan.youth_id, detail=detail)


# --- Versions ----------------------------------------------------------------------------


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The plan's goals and steps as they are now, as a version keeps them: for each goal its
    area (code and name), texts, status; for each step its text, helper (member id and name),
    due date and status (the action item's, when it is one)."""
    goals = (
        PlanGoal.objects.filter(plan=plan)
        .select_related("area")
        .prefetch_related(
            "steps__helper__user", "steps__helper__guardian", "steps__helper__youth", "steps__action_item"
        )
        .order_by("area__order", "order", "id")
    )
    return {
        "goals": [
            {
                "id": goal.pk,
                "area": goal.area.code,
                "area_name": goal.area.name,
                "in_own_words": goal.in_own_words,
                "why_it_matters": goal.why_it_matters,
                "status": goal.status,
                "steps": [
                    {
                        "id": step.pk,
                        "what": step.what,
                        "helper": step.helper_id,
                        "helper_name": step.helper.name if step.helper is not None else "",
                        "helper_kind": step.helper.kind if step.helper is not None else "",
                        "due_on": step.due_on.isoformat() if step.due_on else None,
                        "status": step.current_status,
                        "action_item": step.action_item_id,
                    }
                    for step in sorted(goal.steps.all(), key=lambda s: (s.order, s.pk))
                ],
            }
            for goal in goals
        ]
    }


def plan_version_write(
    *, actor: User | AnonymousUser, plan: Plan, summary: str = "", meeting: Meeting | None = None
) -> PlanVersion:
    """Save the plan as it is now as its next version (call inside the changing service's
    transaction, after the change). The plan row is locked, so two changes at once get two
    numbers, never one."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    locked.version += 1
    locked.save(update_fields=["version"])
    plan.version = locked.version
    version = PlanVersion.objects.create(
        plan=locked,
        number=locked.version,
        snapshot=plan_snapshot(locked),
        summary=clean_text(summary)[:SUMMARY_MAX],
        meeting=meeting,
        created_by=access.signed_in(actor),
    )
    return version


# --- The plan ------------------------------------------------------------------------------


def plan_review_default(today: datetime.date | None = None) -> datetime.date:
    """The next review when none is chosen: LAGET_PLAN_REVIEW_MONTHS months from today (Oslo)."""
    return add_months(today or today_in_oslo(), settings.LAGET_PLAN_REVIEW_MONTHS)


@transaction.atomic
def plan_get_or_create(*, actor: User | AnonymousUser, youth: Youth) -> Plan:
    """The youth's plan, made (empty, version 0, the next review in three months) the first
    time someone who may change it needs it."""
    _require_change(actor, youth)
    plan = Plan.objects.filter(youth=youth).first()
    if plan is not None:
        return plan
    Youth.objects.select_for_update().filter(pk=youth.pk).first()  # one plan, also when two start at once
    plan, created = Plan.objects.get_or_create(
        youth=youth,
        defaults={"next_review_on": plan_review_default(), "created_by": access.signed_in(actor)},
    )
    if created:
        _audit(actor, "plan.created", plan, next_review_on=plan.next_review_on.isoformat())
    return plan


@transaction.atomic
def plan_review_set(
    *,
    actor: User | AnonymousUser,
    plan: Plan,
    next_review_on: datetime.date | None = None,
    meeting: Meeting | None = None,
) -> Plan:
    """Set when the plan is reviewed next: after a review (in a team meeting, `meeting`), by
    default LAGET_PLAN_REVIEW_MONTHS months from today. Not in the past, at most five years
    ahead. A new date means new review reminders (teams.plans.reminders: keyed by the date).
    Scheduling is not a change of the plan's content, so it makes no version."""
    youth = plan.youth
    _require_change(actor, youth)
    _meeting_check(meeting, youth)
    day = next_review_on or plan_review_default()
    if day < today_in_oslo():
        raise ValidationError({"next_review_on": _("The next review cannot be in the past.")})
    try:
        PLANNED(day)
    except ValidationError as error:
        raise ValidationError({"next_review_on": error.messages}) from None
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    before = locked.next_review_on
    locked.next_review_on = day
    locked.save(update_fields=["next_review_on"])
    plan.next_review_on = day
    _audit(
        actor,
        "plan.review_set",
        locked,
        before=before.isoformat(),
        next_review_on=day.isoformat(),
        meeting=getattr(meeting, "pk", None),
    )
    return plan


# --- Goals -------------------------------------------------------------------------------


def plan_goal_check(*, area: PlanArea | None, in_own_words: str, why_it_matters: str, status: str) -> PlanArea:
    """A goal in an area in use, in the youth's words, within the bounds. Returns the area."""
    errors: dict[str, Any] = {}
    if area is None or not area.active:
        errors["area"] = _("Choose a life area.")
    if not in_own_words:
        errors["in_own_words"] = _("Write the goal, in the youth's own words.")
    _bounded(errors, "in_own_words", in_own_words, GOAL_TEXT_MAX)
    _bounded(errors, "why_it_matters", why_it_matters, WHY_MAX)
    if status not in PlanGoal.Status.values:
        errors["status"] = _("Choose a status.")
    if errors or area is None:
        raise ValidationError(errors)
    return area


@transaction.atomic
def plan_goal_add(
    *,
    actor: User | AnonymousUser,
    plan: Plan,
    area: PlanArea | None,
    in_own_words: str,
    why_it_matters: str = "",
    meeting: Meeting | None = None,
    summary: str = "",
) -> PlanGoal:
    """Add a goal to the plan (a new version)."""
    youth = plan.youth
    _require_change(actor, youth)
    _meeting_check(meeting, youth)
    words, why = clean_text(in_own_words), clean_text(why_it_matters)
    area = plan_goal_check(area=area, in_own_words=words, why_it_matters=why, status=PlanGoal.Status.ACTIVE)
    _require_sees(actor, youth, area)
    if PlanGoal.objects.filter(plan=plan).count() >= GOALS_MAX:
        raise ValidationError(_("A plan holds at most %(limit)d goals.") % {"limit": GOALS_MAX})
    last = PlanGoal.objects.filter(plan=plan, area=area).order_by("-order").values_list("order", flat=True).first()
    goal = PlanGoal(
        plan=plan, area=area, in_own_words=words, why_it_matters=why, order=(last or 0) + 1, status="active"
    )
    goal.full_clean()
    goal.save()
    version = plan_version_write(actor=actor, plan=plan, summary=summary or _("Goal added"), meeting=meeting)
    _audit(actor, "plan.goal_added", plan, target=goal, area=area.code, version=version.number)
    return goal


@transaction.atomic
def plan_goal_change(
    *,
    actor: User | AnonymousUser,
    goal: PlanGoal,
    in_own_words: str,
    why_it_matters: str = "",
    status: str = PlanGoal.Status.ACTIVE,
    area: PlanArea | None = None,
    meeting: Meeting | None = None,
    summary: str = "",
) -> PlanGoal:
    """Change a goal's words, why it matters, its status (reached, dropped) or its area. A
    change that changes nothing makes no version."""
    plan = goal.plan
    youth = plan.youth
    _require_change(actor, youth)
    _meeting_check(meeting, youth)
    locked = PlanGoal.objects.select_for_update().select_related("area").get(pk=goal.pk)
    _require_sees(actor, youth, locked.area)
    words, why = clean_text(in_own_words), clean_text(why_it_matters)
    new_area = plan_goal_check(area=area or locked.area, in_own_words=words, why_it_matters=why, status=status)
    if new_area.pk != locked.area_id:
        _require_sees(actor, youth, new_area)
    before = {"in_own_words": locked.in_own_words, "why_it_matters": locked.why_it_matters, "status": locked.status}
    area_before = locked.area_id
    after = {"in_own_words": words, "why_it_matters": why, "status": status}
    if before == after and new_area.pk == area_before:
        return locked
    locked.in_own_words, locked.why_it_matters, locked.status, locked.area = words, why, status, new_area
    locked.full_clean()
    locked.save(update_fields=["in_own_words", "why_it_matters", "status", "area"])
    version = plan_version_write(actor=actor, plan=plan, summary=summary or _("Goal changed"), meeting=meeting)
    changed = sorted(k for k in after if after[k] != before[k]) + (["area"] if new_area.pk != area_before else [])
    _audit(actor, "plan.goal_changed", plan, target=locked, changed=changed, version=version.number)
    return locked


# --- Steps -------------------------------------------------------------------------------


def plan_step_check(*, youth: Youth, what: str, helper: TeamMember | None, due_on: datetime.date | None) -> None:
    """A step says what is to be done; who helps is a member of this youth's team in force; the
    date is within the bounds of what is planned; a guardian helps only while the guardians may
    be told (consent.policy.guardians_told: from 18 only with the youth's consent). A helper
    with a date makes the step an action item, whose own rules apply too
    (teams.meetings.services.action_item_check)."""
    errors: dict[str, Any] = {}
    if not what:
        errors["what"] = _("Write what is to be done.")
    _bounded(errors, "what", what, STEP_TEXT_MAX)
    if helper is not None and (helper.youth_id != youth.pk or helper.ends_on is not None):
        errors["helper"] = _("Choose someone in the youth's team.")
    elif helper is not None and helper.kind == TeamMember.Kind.GUARDIAN and not consent_policy.guardians_told(youth):
        errors["helper"] = consent_policy.guardians_not_told_reason(youth)
    if due_on is not None:
        try:
            PLANNED(due_on)
        except ValidationError as error:
            errors["due_on"] = error.messages
    if errors:
        raise ValidationError(errors)
    if helper is not None and due_on is not None:
        owner, owner_name = _owner(helper)
        try:
            action_item_check(title=what, due_on=due_on, owner=owner, owner_name=owner_name)
        except ValidationError as error:
            raise ValidationError(
                {("helper" if k == "owner" else k): v for k, v in error.message_dict.items()}
            ) from None


def _owner(helper: TeamMember) -> tuple[Any, str]:
    """The action item's owner: the staff member, or by name the youth, a guardian or an
    external person (they do not sign in to Laget)."""
    if helper.kind == TeamMember.Kind.STAFF:
        return helper.user, ""
    return None, helper.name


def _item_for(*, actor: User | AnonymousUser, step: PlanStep, youth: Youth, meeting: Meeting | None) -> ActionItem:
    assert step.helper is not None
    assert step.due_on is not None
    owner, owner_name = _owner(step.helper)
    item = ActionItem(
        meeting=meeting,
        youth=youth,
        from_plan=True,
        title=step.what,
        owner=owner,
        owner_name=owner_name,
        due_on=step.due_on,
        created_by=access.signed_in(actor),
    )
    item.full_clean(validate_unique=False)
    item.save()
    return item


def _helper_id(helper: TeamMember | None) -> int | None:
    return helper.pk if helper is not None else None


@transaction.atomic
def plan_step_add(
    *,
    actor: User | AnonymousUser,
    goal: PlanGoal,
    what: str,
    helper: TeamMember | None = None,
    due_on: datetime.date | None = None,
    meeting: Meeting | None = None,
    summary: str = "",
) -> PlanStep:
    """Add a step to a goal (a new version). With a helper and a date it is an action item as
    well: added in `meeting` when made in one, so the meeting's own list shows it."""
    plan = goal.plan
    youth = plan.youth
    _require_change(actor, youth)
    _meeting_check(meeting, youth)
    _require_sees(actor, youth, goal.area)
    text = clean_text(what)
    plan_step_check(youth=youth, what=text, helper=helper, due_on=due_on)
    if PlanStep.objects.filter(goal=goal).count() >= STEPS_PER_GOAL_MAX:
        raise ValidationError(_("A goal holds at most %(limit)d steps.") % {"limit": STEPS_PER_GOAL_MAX})
    last = PlanStep.objects.filter(goal=goal).order_by("-order").values_list("order", flat=True).first()
    step = PlanStep(goal=goal, what=text, helper=helper, due_on=due_on, order=(last or 0) + 1)
    if helper is not None and due_on is not None:
        step.action_item = _item_for(actor=actor, step=step, youth=youth, meeting=meeting)
    step.full_clean(exclude=["action_item"])
    step.save()
    version = plan_version_write(actor=actor, plan=plan, summary=summary or _("Step added"), meeting=meeting)
    _audit(
        actor,
        "plan.step_added",
        plan,
        target=step,
        helper=_helper_id(helper),
        due_on=due_on.isoformat() if due_on else None,
        action_item=step.action_item_id,
        version=version.number,
    )
    return step


@transaction.atomic
def plan_step_change(
    *,
    actor: User | AnonymousUser,
    step: PlanStep,
    what: str,
    helper: TeamMember | None = None,
    due_on: datetime.date | None = None,
    meeting: Meeting | None = None,
    summary: str = "",
) -> PlanStep:
    """Change what a step says, who helps and by when. Giving a step both a helper and a date
    makes it an action item; the action item's title, owner and due date follow the step's (one
    row). A step that is an action item keeps a helper and a date: cancel it instead."""
    locked = PlanStep.objects.select_for_update().select_related("goal__plan", "goal__area").get(pk=step.pk)
    plan = locked.goal.plan
    youth = plan.youth
    _require_change(actor, youth)
    _meeting_check(meeting, youth)
    _require_sees(actor, youth, locked.goal.area)
    text = clean_text(what)
    plan_step_check(youth=youth, what=text, helper=helper, due_on=due_on)
    if locked.action_item_id is not None and (helper is None or due_on is None):
        raise ValidationError(
            _("This step is an action item: it keeps a helper and a date. Cancel it if it is no longer to be done.")
        )
    before = (locked.what, locked.helper_id, locked.due_on)
    if before == (text, _helper_id(helper), due_on):
        return locked
    locked.what, locked.helper, locked.due_on = text, helper, due_on
    if locked.action_item_id is not None:
        item = ActionItem.objects.select_for_update().get(pk=locked.action_item_id)
        assert helper is not None
        assert due_on is not None
        item.owner, item.owner_name = _owner(helper)
        item.title, item.due_on = text, due_on
        item.full_clean(validate_unique=False)
        item.save(update_fields=["owner", "owner_name", "title", "due_on"])
    elif helper is not None and due_on is not None:
        locked.action_item = _item_for(actor=actor, step=locked, youth=youth, meeting=meeting)
        # What the step was before it became an action item carries over to the item.
        if locked.status != STEP_STATUSES.OPEN:
            item = locked.action_item
            item.status = locked.status
            if item.status == STEP_STATUSES.DONE:
                item.done_note = _("Marked done in the plan.")
                item.done_at = timezone.now()
                item.done_by = access.signed_in(actor)
            item.save(update_fields=["status", "done_note", "done_at", "done_by"])
            locked.status = STEP_STATUSES.OPEN
    locked.full_clean(exclude=["action_item"])
    locked.save()
    version = plan_version_write(actor=actor, plan=plan, summary=summary or _("Step changed"), meeting=meeting)
    _audit(
        actor,
        "plan.step_changed",
        plan,
        target=locked,
        helper=_helper_id(helper),
        due_on=due_on.isoformat() if due_on else None,
        action_item=locked.action_item_id,
        version=version.number,
    )
    return locked


@transaction.atomic
def plan_step_set_status(
    *,
    actor: User | AnonymousUser,
    step: PlanStep,
    status: str,
    done_note: str = "",
    meeting: Meeting | None = None,
) -> PlanStep:
    """Move a step on: open, in progress, done or cancelled (a new version). A step that is an
    action item is moved on as that action item, the one row the meeting page moves too: done
    needs a note of what was done (teams.meetings.services.action_item_status_check)."""
    locked = PlanStep.objects.select_for_update().select_related("goal__plan", "goal__area").get(pk=step.pk)
    plan = locked.goal.plan
    youth = plan.youth
    _require_change(actor, youth)
    _meeting_check(meeting, youth)
    _require_sees(actor, youth, locked.goal.area)
    note = clean_text(done_note)
    if locked.action_item_id is not None:
        action_item_status_check(status=status, done_note=note)
        item, before = action_item_status_write(
            actor=actor, item_pk=locked.action_item_id, status=status, done_note=note
        )
        locked.action_item = item
        audit.record(
            actor=actor,
            action="action_item.status_changed",
            target=item,
            youth=youth.pk,
            detail={"before": before, "status": status, "plan_step": locked.pk},
        )
    else:
        if status not in STEP_STATUSES.values:
            raise ValidationError({"status": _("Choose a status.")})
        before = locked.status
        if before == status:
            return locked
        locked.status = status
        locked.save(update_fields=["status"])
    version = plan_version_write(actor=actor, plan=plan, summary=_("Step status changed"), meeting=meeting)
    _audit(actor, "plan.step_status_changed", plan, target=locked, before=before, status=status, version=version.number)
    return locked


def plan_step_status_followed(*, actor: User | AnonymousUser, item: ActionItem, before: str) -> PlanVersion | None:
    """An action item that is a plan's step was moved on elsewhere (the meeting page,
    teams.meetings.services.action_item_set_status): the plan is saved as a new version, since
    the step's status is part of it. Called inside that service's transaction."""
    step = PlanStep.objects.filter(action_item=item).select_related("goal__plan").first()
    if step is None or before == item.status:
        return None
    plan = step.goal.plan
    version = plan_version_write(actor=actor, plan=plan, summary=_("Step status changed"), meeting=None)
    _audit(
        actor, "plan.step_status_changed", plan, target=step, before=before, status=item.status, version=version.number
    )
    return version


# --- Acknowledgement ---------------------------------------------------------------------


@transaction.atomic
def plan_acknowledge(
    *,
    actor: User | AnonymousUser,
    version: PlanVersion,
    party: str,
    how: str,
    guardian: Guardian | None = None,
    meeting: Meeting | None = None,
    document: File[bytes] | None = None,
    note: str = "",
) -> PlanAcknowledgement:
    """Record that the youth or a guardian has seen and agreed to the current version: on
    screen in a meeting about the youth (recorded by the person who records it, now), or on a
    signed paper (PDF, PNG or JPEG, checked by content like a signed consent form). A guardian
    is one with parental responsibility for the youth, and only while the age rules ask
    guardians at all (from 18 the youth acknowledges alone; consent.services.consent_age_rule,
    teams.plans.selectors.plan_acknowledgement_status), and never from the 18th birthday
    without the youth's consent to involving the guardians (consent.policy.guardians_told).
    The youth's own acknowledgement is always welcome: under 15 the youth is heard, though the
    guardians' is what counts."""
    plan = version.plan
    youth = plan.youth
    _require_change(actor, youth)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if version.number != locked.version:
        raise ValidationError(_("This version has been replaced by a newer one: acknowledge the current version."))
    errors: dict[str, Any] = {}
    if party not in PlanAcknowledgement.Party.values:
        errors["party"] = _("Choose who acknowledges the plan.")
    if how not in PlanAcknowledgement.How.values:
        errors["how"] = _("Choose how the plan was acknowledged.")
    note = clean_text(note)
    _bounded(errors, "note", note, REASON_MAX)
    if errors:
        raise ValidationError(errors)
    status = plan_acknowledgement_status(version=version)
    if party == PlanAcknowledgement.Party.GUARDIAN:
        if guardian is None:
            raise ValidationError({"guardian": _("Choose the guardian.")})
        if not Guardianship.objects.filter(youth=youth, guardian=guardian, parental_responsibility=True).exists():
            raise ValidationError({"guardian": _("Choose a guardian with parental responsibility for the youth.")})
        if status.guardians_stopped:
            raise ValidationError({"guardian": consent_policy.guardians_not_told_reason(youth)})
        if not status.asks_guardians:
            raise ValidationError(
                {
                    "guardian": _("%(name)s is 18 or older and acknowledges the plan alone.")
                    % {"name": youth.display_name}
                }
            )
        if PlanAcknowledgement.objects.filter(version=version, guardian=guardian).exists():
            raise ValidationError({"guardian": _("This guardian has already acknowledged this version.")})
    else:
        guardian = None
        if PlanAcknowledgement.objects.filter(version=version, party=PlanAcknowledgement.Party.YOUTH).exists():
            raise ValidationError({"party": _("The youth has already acknowledged this version.")})
    ack = PlanAcknowledgement(
        version=version,
        party=party,
        guardian=guardian,
        how=how,
        note=note,
        recorded_by=access.signed_in(actor),
        recorded_at=timezone.now(),
    )
    if how == PlanAcknowledgement.How.MEETING:
        if meeting is None:
            raise ValidationError({"meeting": _("Choose the meeting where the plan was shown.")})
        if document is not None:
            raise ValidationError({"document": _("An acknowledgement on screen has no signed paper: choose paper.")})
        _meeting_check(meeting, youth)
        ack.meeting = meeting
    else:
        if meeting is not None:
            meeting = None
        if document is None:
            raise ValidationError({"document": _("Attach the signed plan.")})
        _check_document(document)
        ack.document.save(document.name or "plan", document, save=False)
    ack.full_clean(exclude=["document"])
    ack.save()
    _audit(
        actor,
        "plan.acknowledged",
        plan,
        target=ack,
        version=version.number,
        party=party,
        guardian=getattr(guardian, "pk", None),
        how=how,
        meeting=getattr(meeting, "pk", None),
    )
    return ack
