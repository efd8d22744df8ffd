"""Every write about youth teams (laget rundt ungdommen). Each service checks permission first
(teams.policy.may_manage_team), runs in one transaction, takes the youth's row lock so that two
changes to one team never interleave, and writes its audit entry in the same transaction
(STYLE.md).

The rules held here, as the caseworker reads them:
- a staff member takes part for a service where they hold a role in force; a guardian is one of
  this youth's, and from the youth's 18th birthday joins only with the youth's consent to
  involving the guardians (consent.policy.guardians_told); nobody is in the team twice at once;
- exactly one staff member holds lead responsibility (hovedansvar) while the team has members:
  the first member takes it, and the one who holds it cannot leave before passing it on
  (unless they are the last to leave). The database checks the same at commit;
- joining grants the staff member access to the youth (teams.policy), leaving takes it away;
- nothing is deleted: a membership ends with who ended it and why, and passing lead
  responsibility ends the two memberships concerned and starts them again from today, so the
  history shows who held it when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Guardian, Guardianship, Youth
from consent import policy as consent_policy
from core import audit
from org.models import Unit
from org.selectors import staffroles_active
from teams.models import TeamMember
from teams.selectors import team_start_follower

from .policy import may_manage_team, team_access_sync

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from core.models import User

Kind = TeamMember.Kind
Role = TeamMember.Role


def team_conflict() -> str:
    """What the team page and the team API say when two changes to one team collided (the
    database refused the second)."""
    return _("The team was changed by someone else at the same time. Look at it again and retry.")


def _require(actor: User | AnonymousUser, youth: Youth) -> None:
    if not may_manage_team(actor, youth):
        raise PermissionDenied


def _lock_team(youth: Youth) -> None:
    """One change to a youth's team at a time. FOR NO KEY UPDATE: rows that merely refer to the
    youth (contacts, consents) can still be written meanwhile."""
    list(Youth.objects.select_for_update(no_key=True).filter(pk=youth.pk).values_list("pk", flat=True))


def _active(youth: Youth) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(youth=youth, ends_on__isnull=True)


def _actor(actor: User | AnonymousUser) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _already_member(youth: Youth, member: TeamMember) -> TeamMember | None:
    active = _active(youth)
    if member.kind == Kind.STAFF:
        return active.filter(user=member.user).first()
    if member.kind == Kind.GUARDIAN:
        return active.filter(guardian=member.guardian).first()
    if member.kind == Kind.YOUTH:
        return active.filter(kind=Kind.YOUTH).first()
    return active.filter(
        kind=Kind.EXTERNAL,
        external_name__iexact=member.external_name,
        external_organisation__iexact=member.external_organisation,
    ).first()


def team_member_check(*, youth: Youth, member: TeamMember) -> None:
    """The staff member acts for a service where they hold a role in force; the guardian is one
    of this youth's, and joins only while the guardians may be told (consent.policy.guardians_told
    on the day the membership starts: from the 18th birthday only with the youth's consent to
    involving them). Asked by team_member_add and by the demo data before its bulk save."""
    if member.kind == Kind.STAFF and member.user is not None and member.unit is not None:
        user, unit = member.user, member.unit
        if not user.is_active:
            raise ValidationError({"user": _("%(name)s no longer has access to Laget.") % {"name": member.name}})
        if not staffroles_active(user=user).filter(unit=unit).exists():
            raise ValidationError(
                {"user": _("%(name)s has no role in force in %(unit)s.") % {"name": member.name, "unit": unit}}
            )
    if (
        member.kind == Kind.GUARDIAN
        and member.guardian is not None
        and not Guardianship.objects.filter(youth=youth, guardian=member.guardian).exists()
    ):
        raise ValidationError(
            {
                "guardian": _("%(name)s is not registered as a guardian of %(youth)s.")
                % {"name": member.guardian, "youth": youth}
            }
        )
    if member.kind == Kind.GUARDIAN and not consent_policy.guardians_told(youth, at=member.starts_on):
        raise ValidationError({"guardian": consent_policy.guardians_not_told_reason(youth)})


def _end(member: TeamMember, *, actor: User | AnonymousUser, reason: str, today: Any) -> None:
    member.ends_on = today
    member.ended_by = _actor(actor)
    member.end_reason = reason
    member.save(update_fields=["ends_on", "ended_by", "end_reason"])


def _restart(member: TeamMember, *, actor: User | AnonymousUser, is_lead: bool, today: Any) -> TeamMember:
    """The same person in the same role from today, with or without lead responsibility (the row
    before is ended first: one active row per person)."""
    return TeamMember.objects.create(
        youth=member.youth,
        kind=member.kind,
        role=member.role,
        note=member.note,
        user=member.user,
        unit=member.unit,
        external_name=member.external_name,
        external_organisation=member.external_organisation,
        external_phone=member.external_phone,
        external_email=member.external_email,
        guardian=member.guardian,
        is_lead=is_lead,
        starts_on=today,
        added_by=_actor(actor),
    )


def _hand_over(*, actor: User | AnonymousUser, lead: TeamMember, to: TeamMember | str, today: Any) -> TeamMember:
    """The lead's row ends, and they carry on in the team without lead responsibility."""
    name = to.name if isinstance(to, TeamMember) else to
    _end(lead, actor=actor, reason=_("Passed lead responsibility to %(name)s.") % {"name": name}, today=today)
    return _restart(lead, actor=actor, is_lead=False, today=today)


@transaction.atomic
def team_member_add(
    *,
    actor: User | AnonymousUser,
    youth: Youth,
    kind: str,
    role: str = "",
    user: User | None = None,
    unit: Unit | None = None,
    guardian: Guardian | None = None,
    external_name: str = "",
    external_organisation: str = "",
    external_phone: str = "",
    external_email: str = "",
    note: str = "",
    is_lead: bool = False,
) -> TeamMember:
    """Add someone to the youth's team. The first member takes lead responsibility; a later one
    takes it over when `is_lead` (the lead before them stays in the team). A staff member
    gets access to the youth."""
    _require(actor, youth)
    _lock_team(youth)
    if kind == Kind.YOUTH:
        role = Role.YOUTH
    elif kind == Kind.GUARDIAN:
        role = Role.GUARDIAN
    elif not role:
        raise ValidationError({"role": _("Choose the person's role in the team.")})
    member = TeamMember(
        youth=youth,
        kind=kind,
        role=role,
        note=note.strip(),
        user=user if kind == Kind.STAFF else None,
        unit=unit if kind == Kind.STAFF else None,
        guardian=guardian if kind == Kind.GUARDIAN else None,
        external_name=external_name.strip() if kind == Kind.EXTERNAL else "",
        external_organisation=external_organisation.strip() if kind == Kind.EXTERNAL else "",
        external_phone=external_phone.strip() if kind == Kind.EXTERNAL else "",
        external_email=external_email.strip() if kind == Kind.EXTERNAL else "",
        starts_on=timezone.localdate(),
        added_by=_actor(actor),
    )
    lead = _active(youth).filter(is_lead=True).select_related("user", "youth").first()
    if lead is None:
        if kind != Kind.STAFF:
            raise ValidationError(
                _(
                    "The team has no members yet. It starts with the staff member who holds lead "
                    "responsibility: add them first."
                )
            )
        is_lead = True
    member.is_lead = is_lead
    member.full_clean(validate_unique=False, validate_constraints=False)
    team_member_check(youth=youth, member=member)
    if _already_member(youth, member) is not None:
        raise ValidationError(_("%(name)s is already in the team.") % {"name": member.name})
    previous_lead = None
    if is_lead and lead is not None:
        _hand_over(actor=actor, lead=lead, to=member, today=member.starts_on)
        previous_lead = lead
    member.validate_constraints()  # the database's rules, as messages, before it would refuse the row
    member.save()
    if kind == Kind.STAFF:
        team_access_sync(youths=[youth])
    audit.record(
        actor=actor,
        action="team.member_added",
        target=member,
        youth=youth,
        detail={
            "kind": kind,
            "role": role,
            "user": member.user_id,
            "unit": member.unit_id,
            "guardian": member.guardian_id,
            "is_lead": is_lead,
            "previous_lead": previous_lead.pk if previous_lead else None,
        },
    )
    return member


@transaction.atomic
def team_member_end(*, actor: User | AnonymousUser, member: TeamMember, reason: str) -> TeamMember:
    """End a membership with a reason; the row is kept. The member who holds lead
    responsibility leaves only after passing it on, or as the last one in the team. A staff
    member loses access to the youth unless they are still in the team another way."""
    youth = member.youth
    _require(actor, youth)
    _lock_team(youth)
    member.refresh_from_db()
    if member.ends_on is not None:
        raise ValidationError(_("%(name)s has already left the team.") % {"name": member.name})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Write why %(name)s leaves the team.") % {"name": member.name}})
    if member.is_lead and _active(youth).exclude(pk=member.pk).exists():
        raise ValidationError(
            _("%(name)s holds lead responsibility. Pass it to someone else in the team before %(name)s leaves.")
            % {"name": member.name}
        )
    _end(member, actor=actor, reason=reason, today=timezone.localdate())
    if member.kind == Kind.STAFF:
        team_access_sync(youths=[youth])
    audit.record(
        actor=actor,
        action="team.member_ended",
        target=member,
        youth=youth,
        detail={"kind": member.kind, "user": member.user_id, "reason": reason},
    )
    return member


@transaction.atomic
def team_lead_transfer(*, actor: User | AnonymousUser, member: TeamMember) -> TeamMember:
    """Pass lead responsibility to another staff member in the team. Both stay in the team; their
    rows end today and start again, so the history shows who held it when. Returns the new
    lead's row."""
    youth = member.youth
    _require(actor, youth)
    _lock_team(youth)
    member.refresh_from_db()
    if member.ends_on is not None:
        raise ValidationError(_("%(name)s is no longer in the team.") % {"name": member.name})
    if member.kind != Kind.STAFF:
        raise ValidationError(_("Only a staff member can hold lead responsibility."))
    if member.is_lead:
        return member
    today = timezone.localdate()
    lead = _active(youth).filter(is_lead=True).select_related("user", "youth").first()
    if lead is not None:
        _hand_over(actor=actor, lead=lead, to=member, today=today)
    _end(member, actor=actor, reason=_("Took over lead responsibility."), today=today)
    new_lead = _restart(member, actor=actor, is_lead=True, today=today)
    audit.record(
        actor=actor,
        action="team.lead_transferred",
        target=new_lead,
        youth=youth,
        detail={
            "from": lead.pk if lead else None,
            "from_user": lead.user_id if lead else None,
            "to": new_lead.pk,
            "to_user": new_lead.user_id,
        },
    )
    return new_lead


@transaction.atomic
def team_start(*, actor: User | AnonymousUser, youth: Youth) -> TeamMember:
    """Start the youth's team with the follower (lead) of the open follow-up holding lead
    responsibility, acting for the follow-up team. When the team has members already, nothing
    changes and its lead is returned."""
    _require(actor, youth)
    _lock_team(youth)
    lead = _active(youth).filter(is_lead=True).first()
    if lead is not None:
        return lead
    assignment = team_start_follower(youth=youth)
    if assignment is None:
        raise ValidationError(
            _(
                "The youth has no open follow-up with a follower. Add the staff member who will hold lead "
                "responsibility."
            )
        )
    return team_member_add(
        actor=actor,
        youth=youth,
        kind=Kind.STAFF,
        role=Role.FOLLOWER,
        user=assignment.user,
        unit=assignment.followup.unit,
        is_lead=True,
    )
