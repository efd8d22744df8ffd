"""Who sees a concern report and who acts on it (the core.access policy of
referrals.models.ConcernReport; registered when the app is ready, referrals.apps).

A person sees a report (core.access VIEW) when
- they hold a caseworker or leader role in force in the report's barnevern unit, or
- they are the report's assigned caseworker, or
- they are the contact person for measures (routine 3: the new contact person, who may work in
  another unit, the measures department).

Actions on a report a person sees:
- act (review, close, open, extend and conclude the investigation, record feedback, record that
  guardians may be told): the unit's caseworkers and leaders, and the assigned caseworker;
- assign (choose or change the caseworker): the unit's leaders, and a caseworker of the unit
  taking an unassigned report (the service lets them assign only themselves).

The reporter is NOT in this policy. A school contact who sent a report sees only the receipt
and the feedback, through `referrals.concerns.selectors.report_for_reporter`, never the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from core import access
from org.models import StaffRole
from org.selectors import staffroles_active
from referrals.models import ConcernReport

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cases.models import Youth
    from core.models import User

CASE_ROLES = (StaffRole.Role.CASEWORKER, StaffRole.Role.LEADER)


def _active(user: User | AnonymousUser) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def unit_ids_for(user: User | AnonymousUser, roles: tuple[str, ...] = CASE_ROLES) -> QuerySet[Any]:
    """The barnevern units where the person holds one of `roles` in force."""
    return staffroles_active(user=user).filter(role__in=roles).values("unit_id")


def led_unit_ids(user: User | AnonymousUser) -> QuerySet[Any]:
    return unit_ids_for(user, (StaffRole.Role.LEADER,))


def _scope(user: User) -> Q:
    return Q(unit_id__in=unit_ids_for(user)) | Q(caseworker=user) | Q(contact_person=user)


def _holds(user: User | AnonymousUser, unit_id: int, roles: tuple[str, ...]) -> bool:
    return staffroles_active(user=user).filter(unit_id=unit_id, role__in=roles).exists()


def may_import(user: User | AnonymousUser, unit: Any) -> bool:
    """A report from KS Fiks is imported into a barnevern service's inbox on the sender's behalf:
    only by that service's caseworkers and leaders in force."""
    return _active(user) and unit is not None and _holds(user, unit.pk, CASE_ROLES)


def may_act(user: User, report: ConcernReport) -> bool:
    if not _active(user):
        return False
    return report.caseworker_id == user.pk or _holds(user, report.unit_id, CASE_ROLES)


def may_assign(user: User, report: ConcernReport) -> bool:
    if not _active(user):
        return False
    if _holds(user, report.unit_id, (StaffRole.Role.LEADER,)):
        return True
    return report.caseworker_id is None and _holds(user, report.unit_id, (StaffRole.Role.CASEWORKER,))


def is_leader_of(user: User | AnonymousUser, unit_id: int) -> bool:
    return _active(user) and _holds(user, unit_id, (StaffRole.Role.LEADER,))


def may_report(user: User | AnonymousUser) -> bool:
    """The duty to report is personal (DOMAIN.md): every staff member with a role in force may
    send a concern report, without a leader's approval."""
    return _active(user) and staffroles_active(user=user).exists()


access.register(
    ConcernReport,
    access.Policy(
        scope=_scope,
        actions={"act": may_act, "assign": may_assign},
        grantable=frozenset(),
    ),
)


def works_barnevern_case(user: User, youth: Youth) -> bool:
    """Does the person work an open concern report (investigation or measures) about the youth?
    (Registered with teams.policy, which lets them plan barnevern's meetings about the child.)"""
    reports = ConcernReport.objects.filter(
        children__youth=youth,
        state__in=[ConcernReport.State.RECEIVED, ConcernReport.State.INVESTIGATING, ConcernReport.State.MEASURES],
    ).distinct()[:20]
    return any(may_act(user, report) for report in reports)
