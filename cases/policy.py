"""Who may see a youth, and do what with their follow-up.

A person sees a youth when
- they hold an assignment in force on one of the youth's follow-ups (follower, family
  follower, coordinator), or
- they lead or coordinate the unit (follow-up team) that has or had the youth's follow-up, or
- a service has granted them django-guardian's view_youth on the youth (team membership).

Actions on a youth they see:
- view_restricted: address and national identity number (barnevern's stricter
  confidentiality): the follower and family follower in force, and the unit's leaders;
- log_contact: anyone with an assignment in force on the open follow-up;
- manage_followup: assign, reassign, pause, close: the coordinators and leaders of the unit
  that holds the open follow-up (intake, active or paused). A unit whose follow-up of the
  youth was closed no longer manages it once another unit holds it: it may not reassign or
  close another unit's. With no open follow-up, the unit that held the last one keeps the
  page (the history; services refuse changes to a closed follow-up);
- override_capacity: the leaders of that same unit (it is part of assigning);
- delete_contact: the leaders of a unit that has or had the youth's follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Q, QuerySet, When
from django.utils.translation import gettext_lazy as _

from core import access
from org.models import StaffRole, Unit
from org.selectors import staffroles_active

from .models import Contact, FollowUp, FollowUpAssignment, JusticeStep, Offence, OutcomeMeasure, ReportingDate, Youth

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from core.models import User

REGISTERING_ROLES = (StaffRole.Role.COORDINATOR, StaffRole.Role.LEADER)


def registering_units(user: User | AnonymousUser) -> QuerySet[Unit]:
    """The units (follow-up teams) where the person may register youths: where they are a
    coordinator or a leader with a role in force. No unit: the person may not register at all."""
    return Unit.objects.filter(
        pk__in=staffroles_active(user=user).filter(role__in=REGISTERING_ROLES).values("unit_id")
    ).select_related("district")


LEADS = (StaffRole.Role.LEADER,)
MANAGERS = (StaffRole.Role.LEADER, StaffRole.Role.COORDINATOR)
FOLLOWERS = (FollowUpAssignment.Role.LEAD, FollowUpAssignment.Role.FAMILY)


def _units(user: User | AnonymousUser, roles: tuple[str, ...]) -> Any:
    return staffroles_active(user=user).filter(role__in=roles).values("unit_id")


def _assigned(user: User | AnonymousUser, roles: tuple[str, ...] | None = None) -> QuerySet[FollowUpAssignment]:
    qs = FollowUpAssignment.objects.filter(user=access.signed_in(user), ends_on__isnull=True)
    if roles is not None:
        qs = qs.filter(role__in=roles)
    return qs


def _scope(user: User) -> Q:
    assigned = _assigned(user).values("followup__youth_id")
    managed = FollowUp.objects.filter(unit_id__in=_units(user, MANAGERS)).values("youth_id")
    return Q(pk__in=assigned) | Q(pk__in=managed)


def _in_unit_role(user: User | AnonymousUser, youth: Youth, roles: tuple[str, ...]) -> bool:
    return FollowUp.objects.filter(youth=youth, unit_id__in=_units(user, roles)).exists()


def _managing_unit_role(user: User, youth: Youth, roles: tuple[str, ...]) -> bool:
    """A role in the unit that manages the youth's follow-up: the unit of the open follow-up, or
    when none is open the unit of the latest (the one that keeps the record, consent.policy)."""
    unit_id = (
        FollowUp.objects.filter(youth=youth)
        .order_by(Case(When(state=FollowUp.State.CLOSED, then=1), default=0), "-created_at", "-id")
        .values_list("unit_id", flat=True)
        .first()
    )
    return unit_id is not None and _units(user, roles).filter(unit_id=unit_id).exists()


def restricted_scope(user: User | AnonymousUser) -> Q:
    """The youths whose restricted fields the person may see, as a Q (for search by national
    identity number): the same rule as may_view_restricted."""
    followed = _assigned(user, FOLLOWERS).values("followup__youth_id")
    led = FollowUp.objects.filter(unit_id__in=_units(user, LEADS)).values("youth_id")
    granted = access.granted(user, Youth, "view_restricted").values("pk")
    return Q(pk__in=followed) | Q(pk__in=led) | Q(pk__in=granted)


def record_scope(user: User | AnonymousUser) -> Q:
    """The youths whose record (details, school, guardians) the person's service keeps: an open
    follow-up in a unit where they hold a role (consent.policy, Viewer.sees_record). For search
    by school, which must not reveal a school the person may not see."""
    units = staffroles_active(user=user).values("unit_id")
    return Q(pk__in=FollowUp.objects.filter(unit_id__in=units).exclude(state=FollowUp.State.CLOSED).values("youth_id"))


def may_view_restricted(user: User | AnonymousUser, youth: Youth) -> bool:
    return (
        _assigned(user, FOLLOWERS).filter(followup__youth=youth).exists()
        or _in_unit_role(user, youth, LEADS)
        or access.has_grant(user, youth, "view_restricted")
    )


def may_log_contact(user: User, youth: Youth) -> bool:
    return _assigned(user).filter(followup__youth=youth).exclude(followup__state=FollowUp.State.CLOSED).exists()


def may_edit_contact(user: User, contact: Any) -> bool:
    """Its author, or anyone who may log contacts for the youth now (the follower in force)."""
    return contact.author_id == getattr(user, "pk", None) or may_log_contact(user, contact.youth)


def may_manage_followup(user: User, youth: Youth) -> bool:
    return _managing_unit_role(user, youth, MANAGERS)


def may_override_capacity(user: User, youth: Youth) -> bool:
    return _managing_unit_role(user, youth, LEADS)


def may_lead_unit(user: User, youth: Youth) -> bool:
    return _in_unit_role(user, youth, LEADS)


def may_review_caseload(user: User | AnonymousUser, follower: Any) -> bool:
    """A follower's caseload (the youths they follow) is reviewed by the leaders and
    coordinators of a unit the follower works in, and by the follower themself."""
    if getattr(user, "pk", None) is None:
        return False
    if user.pk == follower.pk:
        return True
    return staffroles_active(user=follower).filter(unit_id__in=_units(user, MANAGERS)).exists()


access.register(
    Youth,
    access.Policy(
        scope=_scope,
        actions={
            "view_restricted": may_view_restricted,
            "log_contact": may_log_contact,
            "manage_followup": may_manage_followup,
            "override_capacity": may_override_capacity,
            "delete_contact": may_lead_unit,
        },
        grantable=frozenset({access.VIEW, "view_restricted"}),
    ),
)


# The youth's records are seen by whoever sees the youth (what of them is shown is
# consent.policy's to decide); their actions are the youth's.
access.register_child(
    Contact,
    parent="youth",
    actions={"edit": may_edit_contact, "delete": "delete_contact", "mark_done": "log_contact"},
)
access.register_child(Offence, parent="youth")
access.register_child(JusticeStep, parent="youth")
access.register_child(ReportingDate, parent="step__youth")
access.register_child(OutcomeMeasure, parent="followup__youth")


@dataclass(frozen=True)
class RestrictedFields:
    """Address and national identity number as the person may see them: in full, or masked."""

    visible: bool
    national_id: str
    address: str
    postal_code: str


def restricted_fields(user: User | AnonymousUser, youth: Youth) -> RestrictedFields:
    """Barnevern's stricter confidentiality: only those who need them see address and national
    identity number; everyone else sees that they exist, masked. Used by pages, API and PDFs."""
    if may_view_restricted(user, youth):
        return RestrictedFields(True, youth.national_id, youth.address, youth.postal_code)
    return RestrictedFields(
        False,
        f"{youth.national_id[:6]} *****" if youth.national_id else "",
        str(_("Hidden")) if youth.address else "",
        "",
    )
