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
  hand; it can be marked as not applying.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import FollowUp, Youth
from consent import policy as consent_policy
from consent.models import Category
from core import access, audit
from org.models import Unit
from org.selectors import staffroles_active
from teams.models import TRANSITION_HOW_MAX, TRANSITION_NAME_MAX, TransitionItem, TransitionPoint
from teams.policy import may_change_plan
from teams.transition.policy import POINT_CATEGORY, age_limit, followed_until

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


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _required_text(errors: dict[str, Any], name: str, value: str, limit: int, message: str) -> None:
    if not value:
        errors[name] = message
    elif len(value) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}


def _open_followup(youth: Youth) -> FollowUp | None:
    return FollowUp.objects.filter(youth=youth).exclude(state=FollowUp.State.CLOSED).select_related("unit").first()


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
    followup = _open_followup(youth)
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
    how, contact_name = _text(how), _text(contact_name)
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
    return item


@transaction.atomic
def transition_point_not_applicable(
    *, actor: User | AnonymousUser, youth: Youth, point: str, reason: str
) -> TransitionItem:
    """Mark a point as not applying to this youth, with the reason (for example: barnevern has
    no measures, so there is no aftercare to discuss)."""
    _require(actor, youth, point)
    reason = _text(reason)
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
def transition_point_reopen(*, actor: User | AnonymousUser, youth: Youth, point: str) -> TransitionItem | None:
    """Open a settled point again (what was agreed no longer holds). The audit trail keeps that
    it was settled; the row keeps nothing of it."""
    _require(actor, youth, point)
    person = access.signed_in(actor)
    item = TransitionItem.objects.select_for_update().filter(youth=youth, point=point).first()
    if item is None or item.state == STATE.OPEN:
        return item
    before = item.state
    item.state = STATE.OPEN
    item.how = item.aftercare_answer = item.contact_name = item.lead_outcome = ""
    item.unit = item.lead_user = item.settled_by = None
    item.settled_at = None
    item.changed_by, item.changed_at = person, timezone.now()
    item.save()
    _audit(actor, "transition.reopened", item, before)
    return item


def lead_followed_until(youth: Youth, item: TransitionItem) -> Any:
    """Until which day the service holding lead responsibility after 18 may follow the youth."""
    if item.unit is None:
        return None
    followup = _open_followup(youth)
    holds = followup is not None and followup.unit_id == item.unit_id
    return followed_until(youth.birth_date, age_limit(item.unit, holds_followup=holds))
