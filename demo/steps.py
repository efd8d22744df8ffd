"""The whole demo build (`manage.py seed_demo`, `make demo`, tests/demo): the steps in order, run in
one transaction. The shared helpers and the first steps (districts, units, staff, families) are
in demo/builders.py; each later step is a module of this package that builds on them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction

from cases.models import (
    Contact,
    ContactVersion,
    Family,
    FollowUp,
    FollowUpAssignment,
    Guardian,
    JusticeStep,
    Offence,
    OutcomeMeasure,
    ReportingDate,
    Youth,
)
from core.models import User
from org.models import District, StaffRole, Unit
from referrals.models import ConcernReport, ConcernReportEvent, IntakeCandidate, SchoolContact
from teams.models import ActionItem, Meeting, Minutes, Plan, PlanVersion, TransitionItem

from . import concerns, consents, discussions, followups, meetings, plans, transition
from . import teams as youth_teams
from .builders import (
    DEMO_URL,
    Demo,
    DemoResult,
    Output,
    build_districts,
    build_families,
    build_staff,
    build_units,
    enrol_demo_logins,
)

STEPS: Sequence[Callable[[Demo], None]] = (
    build_districts,
    build_units,
    build_staff,
    enrol_demo_logins,
    build_families,
    transition.build_turning_18_families,
    followups.build_followups,
    followups.build_offences,
    followups.build_contacts,
    followups.build_outcomes,
    youth_teams.build_teams,
    transition.build_transition_teams,
    consents.build_consents,
    discussions.build_discussions,
    meetings.build_meetings,
    plans.build_plans,
    concerns.build_concerns,
    transition.build_transition,
)


def counts() -> dict[str, int]:
    return {
        "districts": District.objects.count(),
        "services": Unit.objects.count(),
        "staff": User.objects.filter(roles__isnull=False).distinct().count(),
        "staff roles": StaffRole.objects.count(),
        "families": Family.objects.count(),
        "youths": Youth.objects.count(),
        "guardians": Guardian.objects.count(),
        "follow-ups": FollowUp.objects.count(),
        "assignments": FollowUpAssignment.objects.count(),
        "contacts": Contact.objects.count(),
        "contact versions": ContactVersion.objects.count(),
        "offences": Offence.objects.count(),
        "criminal-justice steps": JusticeStep.objects.count(),
        "reporting dates": ReportingDate.objects.count(),
        "outcome measures": OutcomeMeasure.objects.count(),
        "meetings": Meeting.objects.count(),
        "minutes": Minutes.objects.count(),
        "action items": ActionItem.objects.count(),
        "plans": Plan.objects.count(),
        "plan versions": PlanVersion.objects.count(),
        "transition checklist points": TransitionItem.objects.count(),
        "intake candidates": IntakeCandidate.objects.count(),
        "concern reports": ConcernReport.objects.count(),
        "concern report events": ConcernReportEvent.objects.count(),
        "schools' barnevern contacts": SchoolContact.objects.filter(ends_on__isnull=True).count(),
    }


def build(*, seed: int = 2026, stdout: Output | None = None) -> DemoResult:
    """Build (or bring up to date) the demo data for this seed, in one transaction."""
    return build_with_context(seed=seed, stdout=stdout)[1]


def build_with_context(*, seed: int = 2026, stdout: Output | None = None) -> tuple[Demo, DemoResult]:
    """`build`, also returning what the steps planned (the demo's tests read it)."""
    demo = Demo(seed=seed, stdout=stdout)
    with transaction.atomic():
        for step in STEPS:
            step(demo)
    return demo, DemoResult(seed=seed, url=DEMO_URL, logins=tuple(demo.logins), counts=counts())
